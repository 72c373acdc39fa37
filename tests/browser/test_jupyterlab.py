"""Real browser: JupyterLab in headless Debian Chromium runs notebooks that use the kit's widgets and displays.

Needs `apt-get install chromium libatomic1` (never a Playwright browser download; libatomic1 is for
Playwright's bundled node driver) and a Docker engine. As root, Chromium runs in a network namespace of its own
(quiet_network.py), where Docker's interfaces never come and go. JupyterLab runs on
127.0.0.1 with a random token and port, its settings and workspaces in a temporary folder (the news question
and the update check switched off), and the kernel is the venv's Python. Screenshots go to
tests/browser/screenshots/ (see the README there).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

import dockerlab
from conftest import skip_or_fail
from ports import free_port
from quiet_network import QuietNetwork, open_quiet_network

pytestmark = [pytest.mark.browser, pytest.mark.engine]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("DOCKERLAB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
REQUIRED = bool(os.environ.get("CI") or os.environ.get("DOCKERLAB_REQUIRE_ENGINE"))
CHAPTER = "test-display"

WIDGET_CELLS = [
    """import dockerlab as lab
from dockerlab.display.buildlog import BuildLog
from dockerlab.display.layerstack import layer_stack
from dockerlab.widgets import Dashboard, LayerExplorer

tiny = lab.build("browser-tiny", chapter="test-display", dockerfile=(
    "FROM debian:bookworm-slim\\nRUN echo hello > /hello.txt\\n"
    "RUN mkdir -p /app && echo x > /app/x.txt\\nCMD [\\"sleep\\", \\"300\\"]\\n"))
web = lab.run("browser-web", tiny.tag, chapter="test-display")
assert web.exec("echo hi > /tmp/written.txt").ok
BuildLog(tiny)""",
    "explorer = LayerExplorer(tiny.tag)\nexplorer",
    "board = Dashboard(interval=2)\nboard",
    "layer_stack(web, top_first=True)",
]


def _missing_tool() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        from playwright._impl._driver import compute_driver_executable
    except ImportError:
        return "playwright (the Python package) is not installed"
    node = compute_driver_executable()[0]
    try:  # the driver is a bundled node: on a bare Debian it lacks libatomic1
        subprocess.run([str(node), "--version"], check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        why = getattr(exc, "stderr", b"") or str(exc).encode()
        return f"Playwright's driver does not start ({why.decode(errors='replace').strip()}); " \
               "apt-get install libatomic1"
    return None


@pytest.fixture(scope="module")
def quiet_network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QuietNetwork | None]:
    """Chromium's own network namespace (see quiet_network.py), or None where none can be made."""
    net = open_quiet_network(tmp_path_factory.mktemp("quiet-network"))
    try:
        yield net
    finally:
        if net is not None:
            net.delete()


@pytest.fixture(scope="module")
def browser(quiet_network: QuietNetwork | None) -> Iterator[object]:
    problem = _missing_tool()
    if problem:
        if REQUIRED:
            pytest.fail(f"The browser tier cannot run: {problem}", pytrace=False)
        skip_or_fail(problem)
    from playwright.sync_api import sync_playwright

    executable = quiet_network.make_launcher(CHROMIUM) if quiet_network is not None else CHROMIUM
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Lab:
    """A JupyterLab server of our own: its URL, token, root folder and log."""

    def __init__(self, root: Path, port: int, token: str, proc: subprocess.Popen[bytes], log: Path) -> None:
        self.root, self.port, self.token, self.proc, self.log = root, port, token, proc, log

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}?token={self.token}"

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _write_settings(settings: Path) -> None:
    """User settings: no news question, no update check, every cell kept in the DOM."""
    for plugin, values in {
        "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    }.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@pytest.fixture
def jupyterlab(tmp_path: Path, session: str, quiet_network: QuietNetwork | None) -> Iterator[Lab]:
    """JupyterLab on a free 127.0.0.1 port; its kernels run the venv's Python in this test's learner session."""
    root, home = tmp_path / "root", tmp_path / "jupyter"
    root.mkdir()
    kernel_dir = home / "data" / "kernels" / "python3"
    kernel_dir.mkdir(parents=True)
    (kernel_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (dockerlab venv)", "language": "python"}))
    _write_settings(home / "settings")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), JUPYTER_PATH=str(home / "data"),
               DOCKERLAB_SESSION=session, PYTHONUNBUFFERED="1")
    env.pop("DOCKERLAB_EXPECT_CHECKS", None)
    port, token = free_port(), secrets.token_hex(16)
    log = tmp_path / "jupyterlab.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--allow-root",
             "--ServerApp.port_retries=0", "--LabApp.news_url=None",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
             f"--LabApp.user_settings_dir={home / 'settings'}", f"--LabApp.workspaces_dir={home / 'workspaces'}",
             "--LabApp.expose_app_in_browser=True"],
            # in pytest's process group: an interrupted test run (the runner signals that group) stops it too
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root)
    lab = Lab(root, port, token, proc, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(lab.url("/api/status"), timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start:\n{lab.log_tail()}", pytrace=False)
            time.sleep(0.3)
        if quiet_network is not None:
            quiet_network.forward(port)  # the page in Chromium's namespace reaches this server
        yield lab
    finally:
        if quiet_network is not None:
            quiet_network.stop_forwards()
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        # what the notebook's kernel made: this test's session, found by label
        dockerlab.reset(CHAPTER, purge_volumes=True)
        dockerlab.reset("03", purge_volumes=True)


def _notebook(cells: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    return nb


_KERNEL_IDLE = """() => {
    const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
    return !!k && k.status === 'idle' && k.connectionStatus === 'connected';
}"""
_ALL_RAN = """() => {
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent);
    return prompts.length > 0 && prompts.every(t => /\\[\\d+\\]/.test(t));
}"""


_READY = """() => !!document.querySelector('.jp-Notebook .jp-Cell') && !!document.body.dataset.jpThemeName
    && (""" + _KERNEL_IDLE + """)()"""


def _load(page: object, url: str, attempts: int = 6, wait: float = 90) -> None:
    """Open JupyterLab until it loads whole: Chromium drops requests when Docker adds or removes a network
    interface (net::ERR_NETWORK_CHANGED, even on loopback), which can leave the theme, an extension or the
    kernel unloaded, or fail the page's own request. Any failed request means: load the page again."""
    from playwright.sync_api import Error as PlaywrightError

    failures: list[str] = []
    for _ in range(attempts):
        failed: list[str] = []
        listener = lambda request: failed.append(f"{request.url}: {request.failure}")  # noqa: E731
        page.on("requestfailed", listener)  # type: ignore[attr-defined]
        try:
            page.goto(url, wait_until="domcontentloaded")  # type: ignore[attr-defined]
            deadline = time.monotonic() + wait
            while not failed and time.monotonic() < deadline:
                if page.evaluate(_READY):  # type: ignore[attr-defined]
                    page.wait_for_timeout(1000)  # type: ignore[attr-defined]
                    if not failed:
                        return
                time.sleep(0.3)
        except PlaywrightError as exc:  # the page's own request dropped, or the page went away under evaluate
            failed.append(f"{url}: {str(exc).splitlines()[0]}")
        finally:
            page.remove_listener("requestfailed", listener)  # type: ignore[attr-defined]
        failures += failed or [f"not ready after {wait:.0f} s"]
    pytest.fail("JupyterLab never loaded whole:\n" + "\n".join(failures[-10:]), pytrace=False)


def dismiss_dialogs(page: object, most: int = 5) -> list[str]:
    """Close JupyterLab's dialogs with their default button (or, without one, their cancel button), and say what
    they were, each dialog once. Under a busy engine the page can show "Server Connection Error" (a request Chromium
    dropped when Docker changed an interface) or "Select Kernel" (the kernel was slow to start); either covers the
    notebook until someone clicks. Each dialog is waited for until it has gone (up to 5 s); one still there is
    closed again but not counted again (CI, load 7–9: an About dialog outlived its first close and was counted
    twice, once after 300 ms and again after a 5-s wait, when Escape was the way to close it)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    seen: list[str] = []
    dialogs = page.locator(".jp-Dialog")  # type: ignore[attr-defined]
    attempts = 0
    while dialogs.count() and attempts < most:
        attempts += 1
        dialog = dialogs.first.element_handle()
        if not dialog.evaluate("e => e.dataset.dockerlabSeen === '1'"):
            dialog.evaluate("e => { e.dataset.dockerlabSeen = '1'; }")
            seen.append(" ".join(dialog.inner_text().split()))
        button = dialog.query_selector(".jp-Dialog-button.jp-mod-accept") or \
            dialog.query_selector(".jp-Dialog-button.jp-mod-reject")
        if button is not None:
            button.click(timeout=5000)
        else:
            page.keyboard.press("Escape")  # type: ignore[attr-defined]
        try:
            dialog.wait_for_element_state("hidden", timeout=5000)  # hidden, or gone from the page
        except PlaywrightTimeout:  # still there after 5 s: closed once more (not counted again)
            pass
    return seen


def _open_and_run_all(browser: object, lab: Lab, name: str, timeout: float = 300) -> object:
    page = browser.new_page(viewport={"width": 1400, "height": 1300})  # type: ignore[attr-defined]
    _load(page, lab.url(f"/lab/tree/{name}"))
    # not awaited: the command's promise settles only when every cell has run
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    deadline = time.monotonic() + timeout
    while not (page.evaluate(_ALL_RAN) and page.evaluate(_KERNEL_IDLE)):
        if time.monotonic() > deadline:
            page.screenshot(path=str(SHOTS / f"timeout-{Path(name).stem}.png"), full_page=True)
            pytest.fail(f"{name}: cells still running after {timeout:.0f} s\n{lab.log_tail()}", pytrace=False)
        time.sleep(0.5)
    _save(page, lab.root / name)
    return page


_SAVE = """() => {
    window.dockerlabSave = 'pending';
    window.jupyterapp.commands.execute('docmanager:save').then(
        () => { window.dockerlabSave = 'saved'; }, (e) => { window.dockerlabSave = String(e); });
}"""


def _save(page: object, path: Path, attempts: int = 5, wait: float = 60) -> None:
    """Save the notebook as a learner's Ctrl+S does, until the file on disk is written. The save is a request like
    any other: Chromium can drop it when Docker changes an interface ("TypeError: Failed to fetch"), and JupyterLab
    then shows "File Save Error", or, if the write had reached the server, asks on the next save whether to
    overwrite the file that changed on disk. Such dialogs are answered with their default button (Ok, Overwrite)
    and the save is tried again."""
    problems: list[str] = []
    for _ in range(attempts):
        before = path.stat().st_mtime_ns
        page.evaluate(_SAVE)  # type: ignore[attr-defined]
        deadline = time.monotonic() + wait
        while (result := page.evaluate("() => window.dockerlabSave")) == "pending":  # type: ignore[attr-defined]
            problems += dismiss_dialogs(page)
            if time.monotonic() > deadline:
                result = f"not saved after {wait:.0f} s"
                break
            time.sleep(0.3)
        problems += dismiss_dialogs(page)
        if result == "saved" and path.stat().st_mtime_ns != before:
            return
        problems.append(result if result != "saved" else "saved, but the file on disk did not change")
        page.wait_for_timeout(1000)  # type: ignore[attr-defined]
    pytest.fail(f"{path.name} was never saved:\n" + "\n".join(problems[-10:]), pytrace=False)


def _errors(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [f"cell {i}: {o.get('ename')}: {o.get('evalue')}" for i, cell in enumerate(nb.cells)
            if cell.cell_type == "code" for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def _wait_text(locator: object, needle: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while True:
        text = locator.inner_text()  # type: ignore[attr-defined]
        if needle in text:
            return text
        if time.monotonic() > deadline:
            raise AssertionError(f"{needle!r} never appeared in: {text[:500]!r}")
        time.sleep(0.25)


def test_widgets_render_and_react_in_jupyterlab(browser: object, jupyterlab: Lab) -> None:
    SHOTS.mkdir(exist_ok=True)
    nbformat.write(_notebook(WIDGET_CELLS), jupyterlab.root / "widgets.ipynb")
    page = _open_and_run_all(browser, jupyterlab, "widgets.ipynb")
    assert _errors(jupyterlab.root / "widgets.ipynb") == []
    body = page.inner_text("body")
    assert "Error displaying widget" not in body and "Loading widget" not in body

    explorer = page.locator(".dockerlab-layer-explorer")
    explorer.wait_for(state="visible", timeout=30_000)
    assert "RUN echo hello > /hello.txt" in explorer.inner_text()
    select = explorer.locator(".widget-select select")
    labels = [t.replace("\xa0", " ") for t in select.locator("option").all_inner_texts()]
    assert len(labels) == 3 and "RUN echo hello" in labels[1]
    files = explorer.locator(".widget-html").last
    select.select_option(index=1)
    first = _wait_text(files, "/hello.txt")
    explorer.screenshot(path=str(SHOTS / "layer-explorer.png"))
    select.select_option(index=2)
    second = _wait_text(files, "/app/x.txt")
    assert second != first and "/hello.txt" not in second.split("\n", 1)[1]

    board = page.locator(".dockerlab-dashboard")
    board.scroll_into_view_if_needed()
    assert f"{dockerlab.session_id()}-browser-web" in _wait_text(board, "browser-web")
    assert "refreshing every 2 s" in board.inner_text()
    status = board.locator(".widget-html", has_text="last read").first
    before = status.inner_text()
    deadline = time.monotonic() + 15
    while status.inner_text() == before:  # the kernel's timer thread updates the page on its own
        assert time.monotonic() < deadline, f"the dashboard did not refresh by itself: {before!r}"
        time.sleep(0.5)
    board.screenshot(path=str(SHOTS / "dashboard.png"))
    stack = page.locator(".jp-OutputArea-output", has_text="writable layer of").last
    assert "/tmp/written.txt" in stack.inner_text()
    page.screenshot(path=str(SHOTS / "notebook-widgets.png"), full_page=True)

    # a dialog covering the notebook is closed, whether it has a default button or only a cancel button
    for command, title in (("help:about", "Version"), ("notebook:change-kernel", "Select Kernel")):
        page.evaluate(f"() => {{ window.jupyterapp.commands.execute('{command}'); }}")
        page.locator(".jp-Dialog").wait_for(state="visible", timeout=10_000)
        closed = dismiss_dialogs(page)
        assert len(closed) == 1 and title in closed[0] and not page.locator(".jp-Dialog").count(), closed
    page.close()


def test_chapter_03_runs_in_jupyterlab(browser: object, jupyterlab: Lab) -> None:
    chapter = sorted((ROOT / "notebooks" / "en").glob("03-*.ipynb"))
    if not chapter:
        skip_or_fail("notebooks/en/03-*.ipynb does not exist yet")
    SHOTS.mkdir(exist_ok=True)
    target = jupyterlab.root / chapter[0].name
    shutil.copy(chapter[0], target)
    nb = nbformat.read(target, as_version=4)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, target)
    page = _open_and_run_all(browser, jupyterlab, target.name, timeout=600)
    assert _errors(target) == []
    body = page.inner_text("body")
    assert "Error displaying widget" not in body
    stack = page.locator(".jp-OutputArea-output", has_text="writable layer of").first
    stack.scroll_into_view_if_needed()
    assert "made by" in stack.inner_text()
    stack.screenshot(path=str(SHOTS / "chapter-03-layer-stack.png"))
    page.screenshot(path=str(SHOTS / "chapter-03.png"), full_page=True)
    page.close()


def test_korean_chapter_00_speaks_korean_in_jupyterlab(browser: object, jupyterlab: Lab) -> None:
    """The Korean solution notebook of chapter 00 under JupyterLab's Korean UI (its language pack, chosen as
    ./lab start chooses it): markdown, printed lines and the checks' results in Korean, Hangul rendered."""
    chapter = sorted((ROOT / "notebooks" / "ko" / "solutions").glob("00-*.ipynb"))
    if not chapter:
        skip_or_fail("notebooks/ko/solutions/00-*.ipynb does not exist yet")
    settings = jupyterlab.root.parent / "jupyter" / "settings" / "@jupyterlab" / "translation-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"locale": "ko_KR"}))
    SHOTS.mkdir(exist_ok=True)
    target = jupyterlab.root / "00-setup-check-ko.ipynb"
    shutil.copy(chapter[0], target)
    page = _open_and_run_all(browser, jupyterlab, target.name, timeout=300)
    try:
        assert _errors(target) == []
        assert "파일" in page.locator("#jp-top-panel").inner_text()  # JupyterLab's own menus: 파일 (File), 편집 …
        checks = page.locator(".dockerlab-check[data-outcome=correct]")
        assert checks.count() == 2
        first = checks.nth(1)
        first.scroll_into_view_if_needed()
        text = first.inner_text()
        assert "정답" in text and "연습 2: 첫 번째 컨테이너 실행하기" in text and "첫 번째 컨테이너가 실행되어 인사했습니다" in text
        assert "설정 확인" in page.inner_text(".jp-Notebook")
        area = first.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' jp-Cell ')][1]")
        area.screenshot(path=str(SHOTS / "chapter-00-ko-check.png"))
        page.screenshot(path=str(SHOTS / "chapter-00-ko.png"), full_page=True)
    finally:
        page.close()
