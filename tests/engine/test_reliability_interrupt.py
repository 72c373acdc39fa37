"""Reliability: a Ctrl-C in the middle of a build, a wait-until-ready or a log stream leaves nothing half-made.

KeyboardInterrupt is raised from inside the kit's callbacks (the build's ``on_line``, the ready check,
the loop over ``follow``), as a learner's Ctrl-C would arrive. The exception's traceback is kept
alive, as IPython keeps ``sys.last_traceback``. Then: the engine has stopped, the next run works, and
reset leaves nothing.
"""

from __future__ import annotations

import re
import time
import uuid

import docker.errors
import pytest

import dockerlab as lab
from corekit import BASE, HTTP_SERVER, snapshot

pytestmark = pytest.mark.engine

kept_tracebacks: list = []  # what IPython would keep: the frames stay alive


def gone_within(client, cid: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            client.api.inspect_container(cid)
        except docker.errors.NotFound:
            return True
        time.sleep(0.25)
    return False


def exited_build_containers(client, parent_image_id: str) -> set[str]:
    """Containers (created/exited, no kit labels: the legacy builder's intermediates) made from ``parent``."""
    out = set()
    for status in ("created", "exited", "running"):
        for c in client.api.containers(all=True, filters={"status": status, "ancestor": parent_image_id}):
            if not (c.get("Labels") or {}).get("org.dockerlab.kit"):
                out.add(c["Id"])
    return out


def test_interrupted_build(session, engine_client):
    marker = uuid.uuid4().hex[:8]
    dockerfile = (f"FROM {BASE}\nRUN echo {marker}; for i in $(seq 1 20); do echo tick $i; sleep 1; done\n"
                  'CMD ["true"]\n')
    base_id = engine_client.images.get(BASE).id
    intermediates_before = exited_build_containers(engine_client, base_id)
    running_in: list[str] = []
    interrupted_at: list[float] = []

    def on_line(line: str) -> None:
        m = re.search(r"Running in ([0-9a-f]{12})", line)
        if m:
            running_in.append(m.group(1))
        if line.strip() == "tick 2":
            interrupted_at.append(time.monotonic())
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt) as info:
        lab.build("slow:v1", dockerfile=dockerfile, on_line=on_line)
    kept_tracebacks.append(info.value.__traceback__)
    # a hang guard, timed from the Ctrl-C (not from the start: a loaded engine may take a while to reach tick 2):
    # the build's remaining 18 ticks are not waited for
    assert time.monotonic() - interrupted_at[0] < 10
    assert running_in, "the RUN step's container was never reported"
    # the engine cancelled the build: its RUN container is gone (not left running to the end) …
    assert gone_within(engine_client, running_in[0], 10), "the interrupted build's RUN container is still there"
    # … no image was tagged, no stopped intermediate container of ours is left
    assert not lab.images.exists(f"{session}/slow:v1")
    leftovers = exited_build_containers(engine_client, base_id) - intermediates_before
    assert not [c for c in leftovers if c.startswith(running_in[0])]
    # the next identical build works, from scratch for the interrupted step
    again = lab.build("slow:v1", dockerfile=dockerfile.replace("seq 1 20", "seq 1 2"))
    assert again.image is not None and again.steps[1].cached is False
    lab.reset()
    assert lab.leaks() == []


def test_interrupted_wait_until_ready(session, engine_client):
    class CtrlCWhileWaiting:
        def __init__(self) -> None:
            self.calls = 0

        def is_ready(self, container) -> bool:
            self.calls += 1
            if self.calls == 3:
                raise KeyboardInterrupt
            return False

        def describe(self) -> str:
            return "never ready"

    before = snapshot(engine_client, session)
    with pytest.raises(KeyboardInterrupt) as info:
        lab.run("web", BASE, HTTP_SERVER, ports={8080: None}, wait=CtrlCWhileWaiting(), timeout=60)
    kept_tracebacks.append(info.value.__traceback__)
    assert lab.containers.find("web") is None  # the half-started container was removed
    assert snapshot(engine_client, session).diff(before) == {}
    web = lab.run("web", BASE, HTTP_SERVER, ports={8080: None}, wait="http:/", timeout=30)  # the re-run works
    assert web.status == "running"
    lab.reset()
    assert lab.leaks() == []


def test_interrupted_log_stream(session, engine_client):
    talker = lab.run("talker", BASE, ["sh", "-c", "i=0; while true; do i=$((i+1)); echo line $i; sleep 0.2; done"])
    got = []
    with pytest.raises(KeyboardInterrupt) as info:
        for line in talker.follow(timeout=30):
            got.append(line)
            if len(got) == 3:
                raise KeyboardInterrupt
    kept_tracebacks.append(info.value.__traceback__)
    assert got[:3] == ["line 1", "line 2", "line 3"]
    assert talker.reload().status == "running"  # the stream stopped, the container did not
    # following again works, and ends by itself at its timeout
    started = time.monotonic()
    more = list(talker.follow(timeout=1.5))
    assert more and time.monotonic() - started < 5
    report = lab.reset()
    assert [r.name for r in report.removed] == [f"{session}-talker"]
    assert lab.leaks() == []


def test_interrupted_exec_stream_of_a_check_keeps_the_engine_usable(session, engine_client):
    """After all three interruptions above, the engine still answers and the session is clean."""
    lab.engine.ping()
    assert lab.leaks() == []
