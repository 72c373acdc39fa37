"""Offline: the widgets driven through their models and callbacks, against a fake engine (no browser)."""

from __future__ import annotations

import hashlib
import io
import tarfile
import threading
import time
from typing import Any

import docker.errors
import pytest
from docker.models.containers import Container as SdkContainer
from docker.models.images import Image

import dockerlab
from dockerlab import cleanup
from dockerlab.docker_cli import CliCommand
from dockerlab.errors import BuildFailed
from dockerlab.images import BuildResult, BuildStep
from dockerlab.layers import forget_caches
from dockerlab.widgets import BuildPanel, Dashboard, LayerExplorer, close_all, live_widgets
from dockerlab.widgets import live

SESSION = "t-widgets"


def labels(session: str = SESSION, chapter: str = "03") -> dict[str, str]:
    return {"org.dockerlab.kit": "1", "org.dockerlab.session": session, "org.dockerlab.chapter": chapter}


def layer_tar(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


BASE = layer_tar({"etc/os-release": b"debian\n", "bin/sh": b"elf"})
APP = layer_tar({"app/hello.txt": b"hello\n"})
D_BASE, D_APP = ("sha256:" + hashlib.sha256(t).hexdigest() for t in (BASE, APP))


class FakeAPI:
    """Just the engine calls the widgets make."""

    base_url = "http+docker://fake"

    def __init__(self, client: FakeClient) -> None:
        self.client = client
        self.stopped: list[str] = []
        self.removed: list[str] = []
        self.calls = 0

    # images
    def history(self, image_id: str) -> list[dict]:
        rows = [{"Id": "sha256:base", "CreatedBy": "", "Comment": "Imported from -", "Size": len(BASE), "Created": 1},
                {"Id": "sha256:mid", "CreatedBy": "/bin/sh -c echo hello > /app/hello.txt", "Size": 6, "Created": 2},
                {"Id": "sha256:app", "CreatedBy": '/bin/sh -c #(nop)  CMD ["sleep" "300"]', "Size": 0, "Created": 3}]
        return list(reversed(rows))

    def inspect_image(self, image_id: str) -> dict:
        layers = {"sha256:base": [D_BASE], "sha256:mid": [D_BASE, D_APP], "sha256:app": [D_BASE, D_APP]}
        if image_id not in layers:
            raise docker.errors.NotFound(image_id)
        return {"Id": image_id, "RootFS": {"Layers": layers[image_id]}}

    def images(self, filters: Any = None) -> list[dict]:
        found = [{"Id": "sha256:app", "RepoTags": [f"{SESSION}/hello:latest"], "Labels": labels()},
                 {"Id": "sha256:base", "RepoTags": ["debian:bookworm-slim"], "Labels": {}}]
        return [i for i in found if _match(i["Labels"], filters)]

    def get_image(self, ref: str, chunk_size: int = 0) -> Any:
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            for folder, data in (("b" * 64, BASE), ("a" * 64, APP)):
                info = tarfile.TarInfo(f"{folder}/layer.tar")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        data = buf.getvalue()
        return (data[i:i + 1000] for i in range(0, len(data), 1000))

    # containers
    def containers(self, all: bool = False, filters: Any = None) -> list[dict]:
        self.calls += 1
        out = []
        for c in self.client.box.values():
            out.append({"Id": c["Id"], "Names": ["/" + c["Name"]], "Image": c["Config"]["Image"],
                        "State": c["State"]["Status"], "Status": "Up 1 second" if c["State"]["Status"] == "running"
                        else "Exited (0) 1 second ago", "Labels": c["Config"]["Labels"], "Ports": []})
        return [c for c in out if _match(c["Labels"], filters)]

    def inspect_container(self, cid: str) -> dict:
        for c in self.client.box.values():
            if cid in (c["Id"], c["Name"]):
                return c
        raise docker.errors.NotFound(cid)

    def diff(self, cid: str) -> list[dict]:
        return [{"Kind": 0, "Path": "/tmp"}] + [{"Kind": 1, "Path": "/tmp/" + f} for f in self.client.written]

    def stop(self, cid: str, timeout: int = 10) -> None:
        self.stopped.append(cid)
        self.inspect_container(cid)["State"]["Status"] = "exited"

    def remove_container(self, cid: str, v: bool = False, link: bool = False, force: bool = False) -> None:
        self.removed.append(cid)
        self.client.box.pop(self.inspect_container(cid)["Name"])


def _match(lbls: dict, filters: Any) -> bool:
    for want in (filters or {}).get("label", []):
        key, _, value = want.partition("=")
        if key not in lbls or (value and lbls[key] != value):
            return False
    return True


class FakeCollection:
    def __init__(self, client: FakeClient, kind: str) -> None:
        self.client, self.kind = client, kind

    def get(self, ref: str) -> Any:
        if self.kind == "images":
            tags = {f"{SESSION}/hello:latest": "sha256:app", "sha256:app": "sha256:app",
                    "debian:bookworm-slim": "sha256:base", "sha256:base": "sha256:base"}
            if ref not in tags:
                raise docker.errors.ImageNotFound(ref)
            rid = tags[ref]
            return Image({"Id": rid, "RepoTags": [t for t, i in tags.items() if i == rid and ":" in t[7:]],
                          "RootFS": self.client.api.inspect_image(rid)["RootFS"]}, client=self.client)
        return SdkContainer(self.client.api.inspect_container(ref), client=self.client, collection=self)


class FakeClient:
    def __init__(self) -> None:
        self.api = FakeAPI(self)
        self.images = FakeCollection(self, "images")
        self.containers = FakeCollection(self, "containers")
        self.written: list[str] = []
        self.box: dict[str, dict] = {}
        for name, lbls in ((f"{SESSION}-web", labels()), (f"{SESSION}-db", labels(chapter="05")),
                           ("someone-else", labels(session="bob"))):
            self.box[name] = {"Id": name + "-id", "Name": name, "Image": "sha256:app",
                              "Config": {"Image": f"{SESSION}/hello:latest", "Labels": lbls},
                              "State": {"Status": "running"}, "NetworkSettings": {"Ports": {}}}


@pytest.fixture
def fake() -> Any:
    dockerlab.set_session(SESSION)
    forget_caches()
    yield FakeClient()
    close_all()
    forget_caches()
    dockerlab.set_session(None)


# -- Dashboard ----------------------------------------------------------------------------------
def test_dashboard_lists_only_this_sessions_kit_containers(fake: FakeClient) -> None:
    d = Dashboard(client=fake, autostart=False)
    assert [r.name for r in d.rows] == [f"{SESSION}-db", f"{SESSION}-web"]
    assert f"{SESSION}-web" in d.table_html.value and "someone-else" not in d.table_html.value
    assert [v for _, v in d.picker.options] == [f"{SESSION}-db", f"{SESSION}-web"]
    assert not d.running and "not refreshing" in d.status_html.value


def test_dashboard_buttons_act_on_own_containers_only(fake: FakeClient) -> None:
    d = Dashboard(client=fake, autostart=False)
    d.picker.value = f"{SESSION}-web"
    d.stop_button.click()
    assert fake.api.stopped == [f"{SESSION}-web-id"] and "Stopped" in d.message.value
    assert "exited" in next(label for label, v in d.picker.options if v == f"{SESSION}-web")
    assert not d.stop_container("someone-else") and "was not created by the kit for you" in d.message.value
    assert not d.remove_container("someone-else") and fake.api.removed == []
    d.picker.value = f"{SESSION}-db"
    d.remove_button.click()
    assert fake.api.removed == [f"{SESSION}-db-id"] and [r.name for r in d.rows] == [f"{SESSION}-web"]


def test_dashboard_refreshes_on_a_timer_until_stopped(fake: FakeClient) -> None:
    d = Dashboard(client=fake, interval=0.05)
    assert d.running and "refreshing every 0.05 s" in d.status_html.value
    deadline = time.monotonic() + 5
    while d.refreshes < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert d.refreshes >= 4
    d.timer_button.click()  # "Stop refreshing"
    assert not d.running and d.timer_button.description == "Start refreshing"
    seen = d.refreshes
    time.sleep(0.2)
    assert d.refreshes == seen
    d.timer_button.click()
    assert d.running
    thread = d._thread
    d.close()
    assert thread is not None and not thread.is_alive() and d not in live_widgets()


# -- LayerExplorer ------------------------------------------------------------------------------
def test_explorer_shows_stack_and_files_of_the_picked_layer(fake: FakeClient) -> None:
    e = LayerExplorer(client=fake)
    values = [v for _, v in e.picker.options]
    assert values[:3] == [f"container:{SESSION}-db", f"container:{SESSION}-web", f"image:{SESSION}/hello:latest"]
    assert "image:debian:bookworm-slim" in values and "container:someone-else" not in values
    e.picker.value = f"image:{SESSION}/hello:latest"
    assert "RUN echo hello &gt; /app/hello.txt" in e.stack_html.value
    assert [v for _, v in e.layer_select.options] == [0, 1]  # only rows with files
    assert e.refresh_button.layout.display == "none"
    e.layer_select.value = 1
    assert "/app/hello.txt" in e.files_html.value and "/etc/os-release" not in e.files_html.value
    e.layer_select.value = 0
    assert "/etc/os-release" in e.files_html.value and "/app/hello.txt" not in e.files_html.value


def test_explorer_container_refreshes_its_writable_layer(fake: FakeClient) -> None:
    fake.written.append("one.txt")
    e = LayerExplorer(client=fake, value=f"container:{SESSION}-web")
    assert "writable layer of" in e.stack_html.value and "/tmp/one.txt" in e.stack_html.value
    assert e.refresh_button.layout.display == ""
    fake.written.append("two.txt")
    assert "/tmp/two.txt" not in e.stack_html.value
    e.refresh_button.click()
    assert "/tmp/two.txt" in e.stack_html.value


def test_explorer_with_an_explicit_ref_and_a_missing_one(fake: FakeClient) -> None:
    e = LayerExplorer("debian:bookworm-slim", client=fake)
    assert e.picker.value == "image:debian:bookworm-slim" and "(base layer, imported)" in e.stack_html.value
    e.picker.value = None
    assert e.stack_html.value == ""
    e2 = LayerExplorer(client=fake, value="image:nope:1")
    assert "nope:1" in e2.message.value and "Hint:" in e2.message.value


# -- BuildPanel ---------------------------------------------------------------------------------
def fake_build(lines: list[str], fail: bool = False, forever: bool = False) -> Any:
    def build(tag: str, path: Any = None, *, on_line: Any = None, on_step: Any = None, **kw: Any) -> BuildResult:
        steps: list[BuildStep] = []
        while forever:  # a long silent-ish build: only the panel's cancel (raised from on_line) ends it
            on_line("still building…")
            time.sleep(0.01)
        for line in lines:
            on_line(line)
            if line.startswith("Step "):
                n, total = line.split()[1].split("/")
                if steps:
                    on_step(steps[-1])
                steps.append(BuildStep(int(n), int(total), line.split(" : ", 1)[1]))
        if fail:
            steps[-1].failed = True
            raise BuildFailed(f"Building {tag} failed at {steps[-1].label}: boom", step=steps[-1].label)
        on_step(steps[-1])
        return BuildResult(tag=f"{SESSION}/{tag}:latest", image=None, steps=steps, log=lines, seconds=1.0,
                           cli=CliCommand("docker build -t x ."))
    return build


LINES = ["Step 1/3 : FROM debian:bookworm-slim", " ---> abc", "Step 2/3 : RUN echo hi", "hi",
         "Step 3/3 : CMD [\"x\"]"]


def test_build_panel_runs_in_background_with_progress(fake: FakeClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dockerlab.images, "build", fake_build(LINES))
    panel = BuildPanel("hello", dockerfile="FROM x", min_interval=0)
    result = panel.wait(5)
    assert result is panel.result and panel.error is None and panel.done
    assert (panel.progress.value, panel.progress.max, panel.progress.bar_style) == (3, 3, "success")
    assert "built in 1.0 s" in panel.status_html.value and "RUN echo hi" in panel.log_html.value


def test_build_panel_failure_is_shown_and_raised_by_wait(fake: FakeClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dockerlab.images, "build", fake_build(LINES[:4], fail=True))
    panel = BuildPanel("hello", dockerfile="FROM x")
    with pytest.raises(BuildFailed):
        panel.wait(5)
    assert isinstance(panel.error, BuildFailed) and panel.result is None
    assert panel.progress.bar_style == "danger" and "failed" in panel.status_html.value
    assert "FAILED" in panel.log_html.value and "boom" in panel.log_html.value
    assert panel.wait(raise_error=False) is None


def test_reset_closes_widgets_and_stops_their_threads(fake: FakeClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dockerlab.images, "build", fake_build(LINES, forever=True))
    panel = BuildPanel("slow", dockerfile="FROM x")
    board = Dashboard(client=fake, interval=0.05)
    explorer = LayerExplorer(client=fake)
    assert {panel, board, explorer} <= set(live_widgets())
    assert live.reset_hook in cleanup._hooks  # dockerlab.reset() runs it
    said = live.reset_hook("03")
    assert any("BuildPanel slow" in s for s in said) and any("Dashboard" in s for s in said)
    assert not board.running and panel.done and isinstance(panel.error, dockerlab.DockerlabError)
    assert "stopped" in str(panel.error) and not live_widgets()
    assert not [t for t in threading.enumerate() if t.name.startswith("dockerlab-")]
