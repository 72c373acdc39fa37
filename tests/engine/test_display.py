"""Engine tier: the displays and widgets against real images and containers (chapter "test-display").

Each test runs in its own learner session (tests/conftest.py) and removes what it made.
"""

from __future__ import annotations


import docker.errors
import pytest

import dockerlab
from dockerlab.display.buildlog import BuildLog
from dockerlab.display.layerstack import layer_files_view, layer_stack
from dockerlab.display.network import network_view
from dockerlab.display.render import to_text
from dockerlab.display.status import status
from dockerlab.layers import image_layers, layer_files
from dockerlab.podman import is_podman
from dockerlab.widgets import BuildPanel, Dashboard, LayerExplorer, close_all

pytestmark = pytest.mark.engine

CHAPTER = "test-display"
DOCKERFILE = """FROM debian:bookworm-slim
RUN echo hello > /hello.txt
WORKDIR /app
RUN echo x > /app/x.txt && seq 1 12
CMD ["sleep", "300"]
"""


@pytest.fixture
def lab(session: str, engine_client):
    """This test's session; closes widgets and resets the chapter afterwards."""
    yield engine_client
    close_all()
    dockerlab.reset(CHAPTER, purge_volumes=True, client=engine_client)


@pytest.fixture
def tiny(lab) -> dockerlab.images.BuildResult:
    return dockerlab.build("display-tiny", dockerfile=DOCKERFILE, chapter=CHAPTER)


def test_layer_stack_of_a_built_image(tiny, engine_client) -> None:
    stack = image_layers(tiny.tag, engine_client)
    rootfs = engine_client.images.get(tiny.tag).attrs["RootFS"]["Layers"]
    assert [layer.digest for layer in stack.file_layers] == rootfs and not stack.uncertain
    made = [layer.instruction for layer in stack.file_layers]
    # Docker's WORKDIR makes a layer (the folder); Podman's makes the folder in the next RUN's layer
    workdir = [] if is_podman(engine_client) else ["WORKDIR /app"]
    assert made[1:] == ["RUN echo hello > /hello.txt", *workdir, "RUN echo x > /app/x.txt && seq 1 12"]
    assert "debian:bookworm-slim" in stack.file_layers[0].shared_with
    out = to_text(layer_stack(tiny.tag), width=120)
    rows = [next(i for i, line in enumerate(out.splitlines()) if needle in line)
            for needle in ("(base layer", "RUN echo hello", "WORKDIR /app", "RUN echo x", 'CMD ["sleep"')]
    assert rows == sorted(rows)
    assert "◆ debian:bookworm-slim" in out and "org.dockerlab" not in out.split("\n", 2)[2]


def test_writable_layer_of_a_container(tiny) -> None:
    web = dockerlab.run("display-web", tiny.tag, chapter=CHAPTER)
    assert web.exec("echo hi > /tmp/written.txt && rm /hello.txt").ok
    out = to_text(layer_stack(web), width=120)
    lines = [line.strip() for line in out.splitlines()]
    assert any(line.startswith("A /tmp/written.txt") for line in lines)
    assert any(line.startswith("D /hello.txt") for line in lines)
    assert out.rindex("writable layer of") > out.index("RUN echo x")  # the W row comes after the image rows


def test_files_a_layer_adds_come_from_docker_save(tiny, engine_client) -> None:
    stack = image_layers(tiny.tag, engine_client)
    hello = next(layer for layer in stack.file_layers if "hello" in layer.instruction)
    added = [f.path for f in layer_files(tiny.tag, hello, engine_client) if f.kind == "file"]
    if is_podman(engine_client):  # Podman's RUN leaves the file it mounts /etc/hosts on (and a /run folder)
        added = [path for path in added if path != "/etc/hosts"]
    assert added == ["/hello.txt"]
    folder = "WORKDIR /app" if not is_podman(engine_client) else "RUN echo x > /app/x.txt && seq 1 12"
    workdir = next(layer for layer in stack.file_layers if layer.instruction == folder)
    made = [(f.path, f.kind) for f in layer_files(tiny.tag, workdir.index, engine_client)]
    assert made[0] == ("/app", "dir") and (len(made) == 1 or is_podman(engine_client))  # Podman: x.txt too
    exports: list[str] = []
    real_get_image = engine_client.api.get_image
    engine_client.api.get_image = lambda *a, **kw: exports.append(str(a[0])) or real_get_image(*a, **kw)
    try:
        again = layer_files(tiny.tag, hello.digest or "", engine_client)  # cached by digest: no second export
    finally:
        del engine_client.api.get_image
    assert exports == [] and "/hello.txt" in [f.path for f in again]
    assert "+ /app/x.txt  2 B" in to_text(layer_files_view(tiny.tag, stack.file_layers[-1].index))


def test_build_log_shows_cache_hits_on_a_rebuild(tiny) -> None:
    again = dockerlab.build("display-tiny", dockerfile=DOCKERFILE, chapter=CHAPTER)
    out = to_text(BuildLog(again), width=120)
    run = [line for line in out.splitlines() if "RUN echo" in line]
    assert len(run) == 2 and all("CACHED" in line for line in run)
    assert "4 of 4 step(s) from cache" in out  # RUN, WORKDIR, RUN, CMD
    first = to_text(BuildLog(tiny), width=120)
    assert "RUN echo x > /app/x.txt" in first and "│ 12" in first  # the output, folded under its step


def test_explorer_lists_layer_files_and_refreshes_the_writable_layer(tiny) -> None:
    web = dockerlab.run("display-web", tiny.tag, chapter=CHAPTER)
    explorer = LayerExplorer()
    assert f"container:{web.name}" in [v for _, v in explorer.picker.options]
    explorer.picker.value = f"container:{web.name}"
    assert "writable layer of" in explorer.stack_html.value
    explorer.layer_select.value = explorer.layer_select.options[1][1]
    first = explorer.files_html.value
    assert "/hello.txt" in first
    explorer.layer_select.value = explorer.layer_select.options[-1][1]
    assert "/app/x.txt" in explorer.files_html.value and explorer.files_html.value != first
    web.exec("echo later > /tmp/later.txt")
    assert "/tmp/later.txt" not in explorer.stack_html.value
    explorer.refresh_button.click()
    assert "/tmp/later.txt" in explorer.stack_html.value


def test_dashboard_stops_own_containers_and_leaves_others(tiny, engine_client, session: str) -> None:
    web = dockerlab.run("display-web", tiny.tag, chapter=CHAPTER)
    # from an unlabelled image: a container inherits its image's labels, and kit images carry the kit's
    foreign = engine_client.containers.create("debian:bookworm-slim", ["sleep", "300"], name=f"{session}-not-kit")
    try:
        board = Dashboard(autostart=False)
        assert [r.name for r in board.rows] == [web.name]
        assert not board.remove_container(foreign.name) and "not created by the kit" in board.message.value
        foreign.reload()  # still there
        board.picker.value = web.name
        board.stop_button.click()
        assert "Stopped" in board.message.value and board.rows[0].status == "exited"
        board.start()
        assert board.running
    finally:
        close_all()
        try:
            foreign.remove(force=True)
        except docker.errors.NotFound:
            pass


def test_build_panel_builds_in_the_background(lab) -> None:
    panel = BuildPanel("display-panel", dockerfile=DOCKERFILE, chapter=CHAPTER)
    result = panel.wait(120)
    assert result is not None and result.tag.endswith("/display-panel:latest")
    assert panel.progress.value == panel.progress.max == result.steps[-1].total > 1
    assert panel.progress.bar_style == "success" and "RUN echo hello" in panel.log_html.value


def test_status_and_network_view(tiny, engine_client) -> None:
    dockerlab.networks.create("display-net", chapter=CHAPTER)
    dockerlab.volumes.create("display-data", chapter=CHAPTER)
    web = dockerlab.run("display-web", tiny.tag, chapter=CHAPTER, network="display-net", aliases=["shop"],
                        volumes={"display-data": "/data"})
    view = to_text(network_view("display-net"), width=120)
    line = next(line for line in view.splitlines() if line.strip().startswith(web.name))
    assert web.ip() in line and "shop" in line
    out = to_text(status(), width=140)
    assert web.name in out and f"{dockerlab.session_id()}-display-data" in out and "display-net" in out
    # the volume's row (or record, when the table is too wide) shows its mountpoint and who uses it
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if "display-data" in line and "/" in line)
    assert web.name in " ".join(lines[at:at + 3])
