"""Reliability: re-running cells, running them out of order, resetting in the middle.

A later cell that needs what an earlier cell makes says "run the cell … first" (RunEarlierCell) —
in a real notebook kernel, as one line, not a traceback wall. Re-running any cell is safe.
"""

from __future__ import annotations

import os

import nbformat
import pytest
from nbclient import NotebookClient

import dockerlab as lab
from dockerlab.errors import RunEarlierCell
from corekit import BASE, HTTP_SERVER, ipc_kernel, last_line

pytestmark = pytest.mark.engine


def test_later_cell_first_then_after_a_reset(session, engine_client):
    ch = lab.start_chapter("05", "Networks")

    def later_cell():
        web = ch.need(lambda: lab.containers.get("web"), "Run a web server")
        net = ch.need(lambda: lab.networks.get("appnet"), "Make a network")
        return web, net

    with pytest.raises(RunEarlierCell) as info:
        later_cell()
    err = info.value
    assert "run the cell “Run a web server” first" in err.what and f"{session}-web" in err.what
    assert last_line(err) == "Hint: Scroll up to “Run a web server”, run it, then run this cell again."

    lab.run("web", BASE, HTTP_SERVER)  # the earlier cell
    with pytest.raises(RunEarlierCell) as second:
        later_cell()  # the next missing piece is named
    assert "“Make a network”" in second.value.what

    lab.networks.create("appnet")
    web, net = later_cell()
    assert web.name == f"{session}-web" and net.name == f"{session}-appnet"
    assert web.labels["org.dockerlab.chapter"] == "05"

    ch.reset()  # reset in the middle of the chapter, then the later cell again
    with pytest.raises(RunEarlierCell) as after_reset:
        later_cell()
    assert "“Run a web server”" in after_reset.value.what
    assert lab.leaks(chapter="05") == []
    lab.labels.set_chapter(None)


def test_every_making_cell_can_run_twice(session, engine_client):
    for _ in range(2):
        net = lab.networks.create("appnet")
        vol = lab.volumes.create("data")
        image = lab.build("rerun:v1", dockerfile=f"FROM {BASE}\nCMD [\"sleep\", \"300\"]\n")
        web = lab.run("web", "rerun:v1", network="appnet", volumes={"data": "/data"})
    assert web.reload().status == "running"
    assert image.fully_cached  # the second build was all cache
    kinds = sorted(r.kind for r in lab.leaks())
    assert kinds == ["container", "image", "network", "volume"]  # one of each, not two
    assert net.name == f"{session}-appnet" and vol.name == f"{session}-data"
    lab.reset(purge_volumes=True)
    lab.reset(purge_volumes=True)  # resetting twice is fine too
    assert lab.leaks() == []


def test_in_a_real_kernel_the_message_is_one_line(session, engine_client, tmp_path):
    """A restarted kernel runs a later cell first: the learner sees one clear line, not a traceback."""
    cells = [
        "import dockerlab as lab\nch = lab.start_chapter('05', 'Networks')\nch.reset()",
        "web = ch.need(lambda: lab.containers.get('web'), 'Run a web server')",
        f"web = lab.run('web', {BASE!r}, ['sleep', '300'])\nprint(web.cli)",
        "web = ch.need(lambda: lab.containers.get('web'), 'Run a web server')\nprint('found', web.name)",
        "ch.reset()",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    env_before = os.environ.get("DOCKERLAB_SESSION")
    os.environ["DOCKERLAB_SESSION"] = session  # the kernel inherits it
    try:
        NotebookClient(nb, km=ipc_kernel(tmp_path), timeout=120, allow_errors=True).execute()
    finally:
        if env_before is None:
            os.environ.pop("DOCKERLAB_SESSION", None)
        else:
            os.environ["DOCKERLAB_SESSION"] = env_before
    errors = [o for o in nb.cells[1].outputs if o.output_type == "error"]
    assert len(errors) == 1
    assert errors[0].ename == "RunEarlierCell"
    assert len(errors[0].traceback) == 1, errors[0].traceback  # no traceback wall
    shown = errors[0].traceback[0]
    assert shown.startswith("RunEarlierCell: ") and "run the cell “Run a web server” first" in shown
    assert last_line(shown).startswith("Hint: ")
    assert not [o for c in nb.cells[2:] for o in c.outputs if o.output_type == "error"]
    assert f"found {session}-web" in "".join(o.get("text", "") for o in nb.cells[3].outputs)
    assert lab.leaks() == []
