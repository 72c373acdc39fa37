"""A real classroom: JupyterHub on this machine, three learners, each with their own rootless engine.

The learners log in through the hub's REST API, their servers start their engines (which import the class
bundle at login), and chapters 00 and 03 run in their own kernels. Then: no learner's engine lists another's
containers, images or volumes; no learner can open another's socket; ``-v /:/host`` gives no root file; one
learner's reset leaves the others untouched; a plain ``docker run --name first …`` typed in a learner's terminal
is judged Correct by the chapter's check; a learner's engine stops with their server; an engine that died
mid-chapter is named, with a Hint, and nothing of another learner is touched; the bundle round-trips in a learner's
engine (export, remove, import, chapter 02 passes) and a truncated one is refused with nothing loaded. Root only
(it creates the kit's users ``dlab-l1``…``dlab-l3`` and ``dlab-teacher``, reused by later runs); the hub's log is
``<DOCKERLAB_STATE>/hub/jupyterhub.log``, each learner engine's ``~/.local/state/dockerlab/rootless/dockerd.log``.
"""

from __future__ import annotations

import json
import os
import re
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import skip_or_fail

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from hubkit import ClassroomHub  # noqa: E402

pytestmark = [pytest.mark.engine, pytest.mark.hub, pytest.mark.slow,
              pytest.mark.docker_only(reason="each learner's engine is their own rootless dockerd (the kit's classroom "
                                             "set-up), not the engine under test")]

ROOT = Path(__file__).resolve().parents[2]
#: the kit's learner users; DOCKERLAB_HUB_LEARNERS=dlab-x1,dlab-x2,dlab-x3 (and DOCKERLAB_HUB_TEACHER) keep two runs of
#: this test on one machine (two developers) from sharing users
LEARNERS = os.environ.get("DOCKERLAB_HUB_LEARNERS", "dlab-l1,dlab-l2,dlab-l3").split(",")
A, B, C = LEARNERS


@pytest.fixture(scope="module")
def classroom(engine_client):
    if os.geteuid() != 0:
        skip_or_fail("the classroom test creates Unix users and starts JupyterHub: it needs root")
    if shutil.which("npm") is None:
        skip_or_fail("the hub's proxy (configurable-http-proxy) comes from npm, and npm is missing")
    from dockerlab.course.bundle import export_bundle
    from dockerlab.course import ensure_app

    for app in ("hello", "notes"):  # chapters 00 and 03 need these (and the base under them)
        ensure_app(app)
    with tempfile.TemporaryDirectory(prefix="dlab-bundle-") as tmp:
        bundle = Path(tmp) / "course.tar"
        export_bundle(bundle, apps=["hello", "notes"], client=engine_client, log=lambda _: None)
        os.chmod(tmp, 0o755)
        with ClassroomHub(LEARNERS, bundle=str(bundle)) as hub:
            hub.start_servers()
            hub.kernels = {u: hub.kernel(u) for u in LEARNERS}
            for user, k in hub.kernels.items():  # a clean start for users a previous run left things to
                k.run("import os, json, docker\nimport dockerlab as lab\n"
                      "lab.reset(purge_volumes=True)\nos.environ['DOCKERLAB_EXPECT_CHECKS'] = 'correct'").check()
            try:
                yield hub
            finally:
                for user, k in hub.kernels.items():
                    try:
                        k.run("lab.set_session(None); lab.reset(purge_volumes=True)")
                        k.close()
                    except Exception:
                        pass


def _cells(chapter: str) -> list[str]:
    path = next((ROOT / "notebooks" / "en" / "solutions").glob(f"{chapter}-*.ipynb"))
    nb = json.loads(path.read_text())
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def _value(k, expr: str):
    return json.loads(k.run(f"print(json.dumps({expr}))").check().strip().splitlines()[-1])


def test_each_learner_has_their_own_rootless_engine_with_the_course_images(classroom):
    for user in LEARNERS:
        k = classroom.kernels[user]
        info = _value(k, "{'host': os.environ['DOCKER_HOST'], 'rootless': lab.engine_info().rootless, "
                         "'prefixed': lab.labels.naming().prefixed, 'user': os.environ['JUPYTERHUB_USER'], "
                         "'images': sorted(t for i in lab.connect().images.list() for t in i.tags)}")
        assert info["host"] == classroom.engine_address(user)
        assert info["rootless"] is True and info["prefixed"] is False and info["user"] == user
        assert {"dockerlab/hello:1.0", "dockerlab/notes:1.0", "debian:bookworm-slim"} <= set(info["images"])
        record = classroom.ready_record(user)
        assert "error" not in record, record
        report = k.run("print(lab.doctor(check_registry=False))").check()
        assert "rootless" in report and "own" in report, report


def test_the_teacher_is_the_hubs_admin_and_a_learner_is_not(classroom):
    from hubkit import _request

    TEACHER = classroom.teacher

    users = _request("GET", f"{classroom.url}/hub/api/users", classroom.token(TEACHER))
    names = {u["name"] for u in users}
    assert set(LEARNERS) <= names and {u["name"]: u["admin"] for u in users}[TEACHER] is True
    _request("GET", f"{classroom.url}/hub/api/users", classroom.token(A), ok=(403,))  # a learner may not list others
    _request("GET", f"{classroom.url}/hub/api/users/{B}", classroom.token(A), ok=(403, 404))


def test_chapters_00_and_03_run_in_each_learners_kernel(classroom):
    cells = _cells("00") + _cells("03")

    def work(user: str) -> str:
        k = classroom.kernels[user]
        for code in cells:
            k.run(code).check()
        return user

    with ThreadPoolExecutor(len(LEARNERS)) as pool:
        assert sorted(pool.map(work, LEARNERS)) == sorted(LEARNERS)


def test_no_learner_sees_anothers_containers_images_or_volumes(classroom):
    for user in LEARNERS:
        tag = user.replace("-", "")
        classroom.kernels[user].run(
            f"mine = lab.run('only-{user}', 'dockerlab/hello:1.0', ['sleep', '600'])\n"
            f"lab.volumes.create('vol-{user}')\n"
            f"lab.build('img-{tag}:v1', dockerfile='FROM dockerlab/hello:1.0\\nLABEL who={user}\\n')").check()
    seen = {u: _value(classroom.kernels[u],
                      "{'containers': [c.name for c in lab.connect().containers.list(all=True)], "
                      "'ids': [c.id for c in lab.connect().containers.list(all=True)], "
                      "'images': [t for i in lab.connect().images.list() for t in i.tags], "
                      "'volumes': [v.name for v in lab.connect().volumes.list()]}") for u in LEARNERS}
    for user in LEARNERS:
        tag = user.replace("-", "")
        assert f"only-{user}" in seen[user]["containers"] and f"vol-{user}" in seen[user]["volumes"]
        assert f"img-{tag}:v1" in seen[user]["images"]
        for other in (u for u in LEARNERS if u != user):
            assert f"only-{user}" not in seen[other]["containers"], (other, seen[other])
            assert not set(seen[user]["ids"]) & set(seen[other]["ids"])
            assert f"img-{tag}:v1" not in seen[other]["images"]
            assert f"vol-{user}" not in seen[other]["volumes"]


def test_a_learner_cannot_open_another_learners_socket(classroom):
    other = classroom.engine_address(B)
    out = classroom.kernels[A].run(
        f"try:\n    docker.DockerClient(base_url={other!r}, timeout=5).ping()\n    print('REACHED')\n"
        "except Exception as exc:\n    print('REFUSED', type(exc).__name__, exc)").check()
    assert "REFUSED" in out and "REACHED" not in out and "Permission denied" in out, out
    shell = classroom.terminal(A, f"DOCKER_HOST={other} docker ps")
    assert "permission denied" in shell.lower(), shell
    shell = classroom.terminal(A, f"ls ~{B}/course")  # nor read another learner's notebooks
    assert "permission denied" in shell.lower(), shell


def test_mounting_the_hosts_root_gives_a_learner_no_root_file(classroom):
    out = classroom.kernels[A].run(
        "c = lab.connect().containers.run('debian:bookworm-slim', ['sh', '-c', "
        "'cat /host/etc/shadow; echo rc=$?; touch /host/root/dlab-was-here; echo rc=$?'], "
        "volumes={'/': {'bind': '/host'}}, remove=True, stderr=True)\nprint(c.decode())").check()
    assert "root:" not in out and out.count("rc=1") == 2 and "Permission denied" in out, out
    assert not Path("/root/dlab-was-here").exists()


def test_one_learners_reset_leaves_the_others_untouched(classroom):
    before = {u: _value(classroom.kernels[u], "sorted(c.name for c in lab.connect().containers.list(all=True))")
              for u in (B, C)}
    out = classroom.kernels[A].run("print(lab.reset(purge_volumes=True))").check()
    assert f"only-{A}" in out
    assert f"only-{A}" not in _value(classroom.kernels[A], "[c.name for c in lab.connect().containers.list(all=True)]")
    for user in (B, C):
        after = _value(classroom.kernels[user], "sorted(c.name for c in lab.connect().containers.list(all=True))")
        assert after == before[user] and f"only-{user}" in after


def test_a_plain_cli_attempt_in_the_learners_terminal_is_judged_correct(classroom):
    k = classroom.kernels[A]
    k.run("os.environ.pop('DOCKERLAB_EXPECT_CHECKS', None)\nfrom dockerlab.exercises import ch00").check()
    assert "Not attempted" in k.run("print(ch00.q2.check())").check()  # the chapter's reset removed 'first'
    shell = classroom.terminal(A, "docker run --name first dockerlab/hello:1.0")
    assert re.search(r"-rc=0\b", shell), shell
    verdict = k.run("print(ch00.q2.check())").check()
    assert verdict.startswith("Correct"), verdict
    classroom.terminal(A, "docker rm -f first")


CLASS_VIEW = """from dockerlab.widgets import ClassView
view = ClassView(learners={learners!r}, interval=2)
view"""


def test_the_teacher_sees_each_learners_real_progress_and_no_learner_sees_anothers(classroom):
    """Every check the learners ran above is in their progress files; the teacher (in the teachers' group) reads
    them all, a learner reads none of another's; the teacher's ClassView widget shows the grid in a real browser
    and refreshes by itself when a learner checks again (screenshot: tests/browser/screenshots/class-grid.png)."""
    from hubkit import TEACHER

    # the teacher account is shared by every ClassroomHub on this machine (a bench run sets its own password): ours again
    subprocess.run(["chpasswd"], input=f"{TEACHER}:{classroom.passwords[TEACHER]}\n", text=True, check=True)
    classroom.start_server(TEACHER)
    teacher = classroom.kernel(TEACHER)
    teacher.run("import json\nfrom dockerlab.progress import read_class").check()
    read = (f"{{lp.learner: [lp.kind, lp.problem, {{k: [e.status, e.attempts] for k, e in lp.exercises.items()}}] "
            f"for lp in read_class(learners={LEARNERS!r})}}")
    before = _value(teacher, read)  # the learners' homes are reused from run to run: their files too
    for user, answers in ((B, ["on-premise", "private cloud"]), (C, ["public cloud"])):
        k = classroom.kernels[user]
        k.run("os.environ.pop('DOCKERLAB_EXPECT_CHECKS', None)\nfrom dockerlab.exercises import ch08").check()
        for answer in answers:  # chapter 08's question needs no engine: B misses twice, C gets it at once
            k.run(f"print(ch08.q3.check({answer!r}))").check()
    grid = _value(teacher, read)
    for user in LEARNERS:
        kind, problem, exercises = grid[user]
        assert kind == "ok", (user, problem)
        for key in ("00/q1", "00/q2", "03/q1", "03/q2", "03/q3"):  # the chapters they ran, every check Correct
            assert exercises[key][0] == "done", (user, key, exercises)
    assert grid[A][2]["00/q2"][1] >= 2  # A's plain-CLI attempt above: Not attempted, then Correct again
    earlier = {u: before[u][2].get("08/q3", ["not started", 0])[1] for u in (B, C)}
    b_tries = earlier[B] + 2
    assert grid[B][2]["08/q3"] == ["tried", b_tries]
    assert grid[C][2]["08/q3"] == ["done", earlier[C] + 1]
    assert "08/q3" not in grid[A][2]
    snoop = classroom.kernels[B].run(
        f"try:\n    open(os.path.expanduser('~{A}/.dockerlab/progress.json')).read()\n    print('READ')\n"
        "except PermissionError as exc:\n    print('REFUSED', exc)").check()
    assert "REFUSED" in snoop and "READ" not in snoop.replace("REFUSED", "")
    _class_grid_in_the_browser(classroom, TEACHER, b_tries)


def _class_grid_in_the_browser(classroom, teacher: str, b_tries: int) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    from test_jupyterlab import CHROMIUM, CHROMIUM_ARGS, SHOTS, _missing_tool, dismiss_dialogs  # noqa: E402

    problem = _missing_tool()
    if problem:
        skip_or_fail(f"the class grid's screenshot needs the browser tier: {problem}")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    import nbformat

    from hubkit import _request, open_logged_in

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(CLASS_VIEW.format(learners=LEARNERS))]
    contents = f"{classroom.server_url(teacher)}/api/contents/class-view.ipynb"  # the teacher's own server writes it
    _request("PUT", contents, classroom.token(teacher), body={"type": "notebook", "format": "json", "content": nb})
    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 2000, "height": 900}).new_page()  # the whole course: 23 columns
            page = open_logged_in(page, f"{classroom.server_url(teacher)}/lab/tree/class-view.ipynb", teacher,
                                  classroom.passwords[teacher])
            cell = page.locator(".jp-Notebook .jp-Cell .jp-InputArea-editor").first
            cell.wait_for(state="visible", timeout=120_000)
            grid = page.locator(".dockerlab-classview table.dockerlab-class-grid")
            deadline, dialogs = time.monotonic() + 180, []
            while not grid.count():  # the kernel may still be starting: run the cell until the grid shows
                assert time.monotonic() < deadline, f"the class grid never showed; dialogs closed: {dialogs}"
                dialogs += dismiss_dialogs(page)
                try:
                    cell.click(timeout=10_000)
                except PlaywrightTimeout:  # a dialog came up in between: the next round closes it
                    continue
                page.keyboard.press("Shift+Enter")
                page.wait_for_timeout(3000)
            grid.wait_for(state="visible", timeout=60_000)
            rows = grid.locator("tbody tr")
            assert sorted(rows.nth(i).get_attribute("data-learner") for i in range(rows.count())) == sorted(LEARNERS)
            assert grid.locator(f'td[data-learner="{B}"][data-exercise="08/q3"]').inner_text() == f"✘{b_tries}"
            c_first = grid.locator(f'td[data-learner="{C}"][data-exercise="00/q1"]')
            before = c_first.inner_text()
            classroom.kernels[C].run("from dockerlab.exercises import ch00\nprint(ch00.q1.check('0.0.1'))").check()
            deadline = time.monotonic() + 30
            while c_first.inner_text() == before:  # the widget re-reads the files every 2 s by itself
                assert time.monotonic() < deadline, f"the grid did not refresh: {before!r}"
                page.wait_for_timeout(500)
            assert c_first.inner_text() == "✔" + str(int(before[1:]) + 1)  # still done, one attempt more
            page.locator(".dockerlab-classview").screenshot(path=str(SHOTS / "class-grid.png"))
        finally:
            browser.close()
            _request("DELETE", contents, classroom.token(teacher), ok=(204, 404))


def test_the_bundle_round_trips_in_a_learners_engine_and_a_damaged_one_is_refused(classroom):
    k = classroom.kernels[A]
    k.run("from dockerlab.course import bundle\n"
          "path = os.path.expanduser('~/course-images.tar')\n"
          "made = bundle.export_bundle(path, apps=['hello', 'notes'], log=print)\n"
          "def empty_engine():\n"
          "    client = lab.connect()\n"
          "    for c in client.containers.list(all=True):\n"
          "        c.remove(force=True)\n"
          "    for i in client.images.list():\n"
          "        client.images.remove(i.id, force=True)\n"
          "    return client.images.list()\n"
          "assert empty_engine() == []\n"
          "with open(path, 'rb') as f, open(path + '.cut', 'wb') as out:\n"
          "    out.write(f.read(os.path.getsize(path) // 2))").check()
    refused = k.run("bundle.import_bundle(path + '.cut')")
    assert refused.error and refused.error.startswith("BundleError") and "truncated" in refused.error, refused
    assert "Hint:" in refused.stdout
    assert _value(k, "[t for i in lab.connect().images.list() for t in i.tags]") == []  # nothing half-loaded
    k.run("loaded = bundle.import_bundle(path)\n"
          "assert {i['ref']: i['id'] for i in made.images} == "
          "{r: lab.connect().images.get(r).id for r in loaded}\n"
          "os.remove(path); os.remove(path + '.cut')").check()
    for code in _cells("02"):
        k.run(code).check()


def test_an_engine_that_died_mid_chapter_is_named_with_a_hint_and_others_go_on(classroom):
    from dockerlab.rootless import RootlessEngine, RootlessPaths

    engine = RootlessEngine(RootlessPaths.for_user(B, env={}))
    pid = engine.pid()
    assert pid is not None
    os.kill(pid, 9)  # the engine dies under the learner (out of memory, a crash)
    import time

    deadline = time.monotonic() + 20
    while engine.answers() and time.monotonic() < deadline:
        time.sleep(0.5)
    out = classroom.kernels[B].run("lab.run('after', 'dockerlab/hello:1.0')")
    assert out.error and out.error.startswith("EngineUnavailable"), out
    assert "Hint:" in out.stdout and "engine start --rootless" in out.stdout, out.stdout
    assert f"only-{C}" in _value(classroom.kernels[C], "[c.name for c in lab.connect().containers.list(all=True)]")
    shell = classroom.terminal(B, "python -m dockerlab engine start --rootless")
    assert "answers at" in shell, shell
    assert "sleep 600" not in subprocess.run(["ps", "-u", B, "-o", "args="], capture_output=True, text=True).stdout
    # ^ the dead engine's container (only-B ran `sleep 600`) went with it: nothing of it lingers
    assert classroom.kernels[B].run("lab.connect(fresh=True).ping()").error is None


def test_a_learners_engine_stops_with_their_server(classroom):
    from dockerlab.rootless import RootlessEngine, RootlessPaths, _alive

    engine = RootlessEngine(RootlessPaths.for_user(C, env={}))
    pid = engine.pid()
    assert pid is not None and engine.answers()
    classroom.kernels[C].run("lab.reset(purge_volumes=True)").check()
    classroom.kernels.pop(C).close()
    classroom.stop_server(C)
    assert engine.pid() is None and not _alive(pid) and not engine.answers()
    assert RootlessEngine(RootlessPaths.for_user(A, env={})).answers()  # the others' engines go on
    assert pwd.getpwnam(C).pw_name == C
