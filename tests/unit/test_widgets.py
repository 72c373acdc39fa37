"""Offline: the widgets driven through their models and callbacks, against a fake engine (no browser)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import dockerlab
from dockerlab import cleanup
from dockerlab.docker_cli import CliCommand
from dockerlab.errors import BuildFailed
from dockerlab.images import BuildResult, BuildStep
from dockerlab.layers import forget_caches
from dockerlab.widgets import BuildPanel, Dashboard, LayerExplorer, close_all, live_widgets
from dockerlab.widgets import live
from fakes import FakeClient, layer_tar

SESSION = "alice"  # the learner of conftest's fake engine

BASE = layer_tar({"etc/os-release": b"debian\n", "bin/sh": b"elf"})
APP = layer_tar({"app/hello.txt": b"hello\n"})
APP_IMAGE = f"{SESSION}/hello:latest"


def labels(session: str = SESSION, chapter: str = "03") -> dict[str, str]:
    return {"org.dockerlab.kit": "1", "org.dockerlab.session": session, "org.dockerlab.chapter": chapter}


@pytest.fixture
def fake(fake: FakeClient) -> Iterator[FakeClient]:
    """conftest's fake engine with a layered base and app image and three containers (one of another learner)."""
    engine = fake.engine
    engine.images.clear()
    engine.add_image("debian:bookworm-slim", layers=[("", BASE, "Imported from -")])
    engine.add_image(APP_IMAGE, labels=labels(), layers=[
        ("", BASE, "Imported from -"), ("/bin/sh -c echo hello > /app/hello.txt", APP),
        ('/bin/sh -c #(nop)  CMD ["sleep" "300"]', None)])
    for name, lbls in ((f"{SESSION}-web", labels()), (f"{SESSION}-db", labels(chapter="05")),
                       ("someone-else", labels(session="bob"))):
        fake.containers.create(APP_IMAGE, name=name, labels=lbls).start()
    engine.diffs[f"{SESSION}-web"] = [{"Kind": 0, "Path": "/tmp"}]
    forget_caches()
    yield fake
    close_all()
    forget_caches()


def write(fake: FakeClient, name: str, path: str) -> None:
    """The container ``name`` adds ``path`` to its writable layer."""
    fake.engine.diffs[name].append({"Kind": 1, "Path": path})


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
    assert ("stop", f"{SESSION}-web") in fake.engine.calls and "Stopped" in d.message.value
    assert "exited" in next(label for label, v in d.picker.options if v == f"{SESSION}-web")
    assert not d.stop_container("someone-else") and "was not created by the kit for you" in d.message.value
    assert not d.remove_container("someone-else") and fake.engine.find_container("someone-else") is not None
    assert ("stop", "someone-else") not in fake.engine.calls
    d.picker.value = f"{SESSION}-db"
    d.remove_button.click()
    removed = [c[1] for c in fake.engine.calls if c[0] == "remove_container"]
    assert removed == [f"{SESSION}-db"] and [r.name for r in d.rows] == [f"{SESSION}-web"]


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
    assert values[:3] == [f"container:{SESSION}-db", f"container:{SESSION}-web", f"image:{APP_IMAGE}"]
    assert "image:debian:bookworm-slim" in values and "container:someone-else" not in values
    e.picker.value = f"image:{APP_IMAGE}"
    assert "RUN echo hello &gt; /app/hello.txt" in e.stack_html.value
    assert [v for _, v in e.layer_select.options] == [0, 1]  # only rows with files
    assert e.refresh_button.layout.display == "none"
    e.layer_select.value = 1
    assert "/app/hello.txt" in e.files_html.value and "/etc/os-release" not in e.files_html.value
    e.layer_select.value = 0
    assert "/etc/os-release" in e.files_html.value and "/app/hello.txt" not in e.files_html.value


def test_explorer_container_refreshes_its_writable_layer(fake: FakeClient) -> None:
    write(fake, f"{SESSION}-web", "/tmp/one.txt")
    e = LayerExplorer(client=fake, value=f"container:{SESSION}-web")
    assert "writable layer of" in e.stack_html.value and "/tmp/one.txt" in e.stack_html.value
    assert e.refresh_button.layout.display == ""
    write(fake, f"{SESSION}-web", "/tmp/two.txt")
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
