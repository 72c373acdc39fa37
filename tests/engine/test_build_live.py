"""A build in a real notebook kernel (issue 18, item 1): `lab.build` shows its progress live by default — the
display updates while the steps run, their output under them — and a failed build leaves its log with the failing
step's whole output folded (collapsible) under it, beside the one-line error."""

from __future__ import annotations

import os
import queue

import pytest

import dockerlab as lab
from corekit import ipc_kernel

pytestmark = pytest.mark.engine

SLOW = ("FROM debian:bookworm-slim\n"
        "RUN for i in 1 2 3 4 5 6; do echo \"counting $i\"; sleep 0.7; done\n")
FAILING = ("FROM debian:bookworm-slim\n"
           "RUN echo 'configure: error: libsqlite3 not found'; for i in $(seq 1 40); do echo \"noise $i\"; done; "
           "exit 3\n")


def run_cell(client, code: str, timeout: float = 300) -> list[dict]:
    """Execute ``code`` and return the iopub messages it caused, in order."""
    msg_id = client.execute(code)
    seen = []
    while True:
        try:
            msg = client.get_iopub_msg(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the kernel went quiet running {code!r}") from None
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        seen.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return seen


@pytest.fixture
def kernel(session, tmp_path):
    env = dict(os.environ, DOCKERLAB_SESSION=session)
    manager = ipc_kernel(tmp_path)
    manager.start_kernel(env=env)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=300)
    except RuntimeError:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
        raise
    try:
        run_cell(client, "import dockerlab as lab\nch = lab.start_chapter('18', 'tally')")
        yield client
    finally:
        run_cell(client, "ch.reset(purge=True)")
        client.stop_channels()
        manager.shutdown_kernel(now=True)
        assert lab.leaks(session=session) == []


def shown(msgs: list[dict], kind: str, mime: str = "text/plain") -> list[str]:
    return [m["content"]["data"].get(mime, "") for m in msgs if m["msg_type"] == kind]


def test_a_build_is_shown_live_by_default(kernel):
    msgs = run_cell(kernel, f"result = lab.build('live:1', dockerfile={SLOW!r}, nocache=True)")
    assert not [m for m in msgs if m["msg_type"] == "error"]
    first = [m for m in msgs if m["msg_type"] == "display_data"]
    assert len(first) == 1 and first[0]["content"]["transient"]["display_id"]  # one display, updated in place
    updates = shown(msgs, "update_display_data")
    # while the RUN step ran: its lines appeared one after the other, before the build was over
    running = [u for u in updates if "RUNNING" in u]
    assert any("counting 2" in u and "counting 6" not in u for u in running), updates[-1]
    final = updates[-1]
    assert "RAN" in final and "counting 6" in final and "RUNNING" not in final and "\x1b" not in final


def test_a_failed_build_keeps_its_log_and_folds_the_whole_output(kernel):
    msgs = run_cell(kernel, f"lab.build('live:2', dockerfile={FAILING!r})")
    (error,) = [m["content"] for m in msgs if m["msg_type"] == "error"]
    assert error["ename"] == "BuildFailed" and len(error["traceback"]) == 1  # the message, not a traceback wall
    assert "configure: error: libsqlite3 not found" in error["traceback"][0]
    text, html = shown(msgs, "update_display_data")[-1], shown(msgs, "update_display_data", "text/html")[-1]
    assert "FAILED" in text and "configure: error: libsqlite3 not found" in text
    folded = html.split("<details>", 1)[1]
    assert folded.startswith("<summary>The whole output of step 2/2 (41 lines)</summary>")
    assert all(f"noise {i}" in folded for i in range(1, 41))
