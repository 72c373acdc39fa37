"""The test runner's stages (tools/run_tests.py): what runs beside what, and what waits for a lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tools import run_tests  # noqa: E402


@pytest.fixture
def every_stage(monkeypatch) -> dict[str, run_tests.Stage]:
    """The stages on a machine that cannot give a stage an engine of its own: one engine, the swarm lock."""
    monkeypatch.setenv("DOCKERLAB_PODMAN", "0")
    base = {"DOCKERLAB_SESSION": "ci-1", "DOCKERLAB_PODMAN": "0", "DOCKERLAB_STAGE_ENGINES": "0"}
    return {s.name: s for s in run_tests.stages(base, [])}


@pytest.fixture
def own_engines(monkeypatch) -> dict[str, run_tests.Stage]:
    """The stages where the Swarm stages get engines of their own (root, iproute2: CI)."""
    monkeypatch.setattr(run_tests.stage_engine, "possible", lambda env=None: True)
    base = {"DOCKERLAB_SESSION": "ci-1", "DOCKERLAB_PODMAN": "0"}
    return {s.name: s for s in run_tests.stages(base, [])}


def test_every_chapter_is_a_stage_of_its_own_runs_in_order(every_stage):
    chapters = sorted({p.name[:2] for p in (ROOT / "notebooks" / "en" / "solutions").glob("[0-9][0-9]-*.ipynb")})
    assert chapters and all(f"nb-{c}" in every_stage for c in chapters)
    for c in chapters:
        steps = [s.name for s in every_stage[f"nb-{c}"].steps]
        # each version twice in a row on the same session, the second time in Korean (the same code)
        assert steps == [f"nb-{c}-en-solutions", f"nb-{c}-ko-solutions", f"nb-{c}-en-learner", f"nb-{c}-ko-learner"]
        expected = [s.env["DOCKERLAB_EXPECT_CHECKS"] for s in every_stage[f"nb-{c}"].steps]
        assert expected == ["correct", "correct", "not_attempted", "not_attempted"]
        files = [[a for a in s.args if a.endswith(".ipynb")] for s in every_stage[f"nb-{c}"].steps]
        assert [Path(f[0]).parent.relative_to(ROOT / "notebooks" if Path(f[0]).is_absolute() else "notebooks")
                for f in files] == [Path("en/solutions"), Path("ko/solutions"), Path("en"), Path("ko")]
        assert [Path(f[0]).name for f in files] == [Path(files[0][0]).name] * 4
        assert all(run_tests.NBVAL[0] in s.args for s in every_stage[f"nb-{c}"].steps)


def test_swarm_users_share_one_lock_and_leave_the_engine_stage(every_stage):
    swarm_files = run_tests.using(run_tests.SWARM_USE, "tests/engine/test_*.py")
    assert "tests/engine/test_swarm.py" in swarm_files
    assert every_stage["swarm"].locks == ("swarm",)
    assert set(swarm_files) <= set(every_stage["swarm"].steps[0].args)
    engine_args = every_stage["engine"].steps[0].args + every_stage["engine-net"].steps[0].args
    for f in swarm_files + run_tests.using(run_tests.CLASSROOM_USE, "tests/engine/test_*.py"):
        assert f not in engine_args
    swarm_chapters = [n for n, s in every_stage.items() if n.startswith("nb-") and s.locks == ("swarm",)]
    assert swarm_chapters, "the orchestration chapter turns Swarm mode on"
    for name in swarm_chapters:
        assert "ensure_swarm(" in next((ROOT / "notebooks" / "src").glob(f"{name[3:]}-*.py")).read_text()


def test_the_engine_tier_spreads_files_over_workers_in_two_stages(every_stage):
    """Every engine-tier file but the Swarm and classroom ones runs once, in one of the two stages."""
    for name in ("engine", "engine-net"):
        args = every_stage[name].steps[0].args
        assert args[args.index("-n") + 1] == "3" and args[args.index("--dist") + 1] == "loadfile"
    plain, net = ([a for a in every_stage[n].steps[0].args if a.endswith(".py")] for n in ("engine", "engine-net"))
    every = {str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "engine").glob("test_*.py")}
    exclusive = [a for n in ("swarm", "classroom") for a in every_stage[n].steps[0].args if a.endswith(".py")]
    assert sorted(plain + net + exclusive) == sorted(every)
    assert "tests/engine/test_compose.py" in net and "tests/engine/test_core_run.py" in plain


def test_a_held_lock_keeps_its_second_taker_out(tmp_path, monkeypatch):
    monkeypatch.setattr(run_tests, "LOCK_DIR", tmp_path)
    first, second = run_tests.Locks(), run_tests.Locks()
    assert first.try_take("a", ("swarm",))
    assert not second.try_take("b", ("classroom", "swarm"))
    assert second.held == {}  # what it took on the way (classroom) it gave back
    first.give_back("a")
    assert second.try_take("b", ("swarm",))


def test_network_makers_share_the_swarm_lock_and_a_swarm_stage_waits_for_all_of_them(tmp_path, monkeypatch):
    """Leaving a swarm disconnects the containers of networks made while it was on: no Swarm stage beside them."""
    monkeypatch.setattr(run_tests, "LOCK_DIR", tmp_path)
    locks = run_tests.Locks()
    assert locks.try_take("engine", (), ("swarm",)) and locks.try_take("nb-06", (), ("swarm",))
    assert not locks.try_take("swarm", ("swarm",))
    locks.give_back("engine")
    assert not locks.try_take("swarm", ("swarm",))  # nb-06 still holds it
    locks.give_back("nb-06")
    assert locks.try_take("swarm", ("swarm",))
    assert not locks.try_take("nb-08", (), ("swarm",))


def test_the_stages_that_make_networks_hold_the_swarm_lock_shared(every_stage):
    assert every_stage["engine-net"].shared == ("swarm",) and every_stage["engine"].shared == ()
    for name in ("nb-05", "nb-06", "nb-08", "nb-11"):
        assert every_stage[name].shared == ("swarm",), name
    for name in ("unit", "nb-00", "nb-01", "nb-07"):
        assert every_stage[name].shared == (), name


def test_stages_run_beside_each_other_and_a_failure_fails_the_run(tmp_path, monkeypatch):
    """Two stages of real pytest runs (a passing and a failing test file), each in its own session."""
    (tmp_path / "test_ok.py").write_text("import os\ndef test_ok():\n    assert os.environ['DOCKERLAB_SESSION']\n")
    (tmp_path / "test_bad.py").write_text("def test_bad():\n    assert False\n")
    monkeypatch.setattr(run_tests, "LOCK_DIR", tmp_path)
    ok = run_tests.Stage("ok", [run_tests.Step("ok-step", [str(tmp_path / "test_ok.py"), "-q"])])
    bad = run_tests.Stage("bad", [run_tests.Step("bad-step", [str(tmp_path / "test_bad.py"), "-q"])])
    monkeypatch.setattr(run_tests.Stage, "log", property(lambda s: tmp_path / f"{s.name}.log"))
    run_tests.schedule([ok, bad], {"DOCKERLAB_SESSION": "ci-unit", "PATH": "/usr/bin:/bin"}, lanes=2)
    assert ok.ok and not bad.ok
    assert ok.results[0][1:4] == (0, 1, 0) and bad.results[0][2:4] == (0, 1)
    assert "1 failed" in (tmp_path / "bad.log").read_text()
    for step in ("ok-step", "bad-step"):  # the runner's junit files, in the run's state folder
        (run_tests.ROOT / ".state" / f"junit-{step}.xml").unlink(missing_ok=True)


def test_list_names_the_stages():
    out = subprocess.run([sys.executable, "tools/run_tests.py", "--list"], cwd=ROOT, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "DOCKERLAB_PODMAN": "0"})
    assert out.returncode == 0, out.stderr
    names = [line.split()[0] for line in out.stdout.splitlines()]
    assert names[:2] == ["unit", "engine"] and "nb-00" in names and "podman" not in names


def test_the_stages_of_the_swarm_chain_start_first(every_stage):
    """Stages that share the swarm lock run one after another: together the longest chain, so they lead the order."""
    order = sorted(every_stage.values(), key=lambda s: -s.weight)
    chained = [s.name for s in every_stage.values() if "swarm" in s.locks]
    assert {s.name for s in order[:len(chained)]} == set(chained)


def test_leftovers_are_sessions_of_dead_runs_only_unless_in_ci(monkeypatch):
    """An interrupted run's sessions (its runner's pid is gone) are cleared before a run; a notebook's session, a live
    run's, and this run's own are kept — in CI (the engine CI started) every other kit session goes."""
    import dockerlab
    from dockerlab import swarm
    from dockerlab.cleanup import Resource

    live = os.getpid()
    found = [Resource("container", "a", "1", f"ci-{live}-nb-01", "01"),   # a live runner's
             Resource("service", "b", "2", "ci-4194303-nb-10", "10"),    # a dead runner's (no such pid)
             Resource("volume", "c", "3", "default", None),              # a learner's notebook
             Resource("network", "d", "4", "ci-77-engine-gw0", None)]    # this run's own
    monkeypatch.setattr(dockerlab, "leaks", lambda **kw: found)
    monkeypatch.setattr(swarm, "kit_swarm_session", lambda client=None: "ci-4194302-nb-10")
    monkeypatch.setattr("dockerlab.engine.connect", lambda: object())
    assert run_tests.leftovers("ci-77", everything=False) == ["ci-4194302-nb-10", "ci-4194303-nb-10"]
    assert set(run_tests.leftovers("ci-77", everything=True)) == {
        f"ci-{live}-nb-01", "ci-4194302-nb-10", "ci-4194303-nb-10", "default"}
    assert "ci-77-engine-gw0" in run_tests.leftovers("ci-7", everything=True)  # ci-77… is not ci-7's


def test_anonymous_volumes_are_the_unlabelled_engine_named_ones_no_container_uses(monkeypatch):
    """What a removed container's image VOLUME leaves behind (the runner names those that appear during a run);
    a learner's named volume, a kit volume (labelled) and one still in use are not."""
    anonymous, named = "3e37555aa2100efe33440dedde45d5c945d7dfd97c4f93e786b9bf49c34d864e", "todo-data"
    kit = "a" * 64
    asked: list[dict] = []

    class Api:
        def volumes(self, filters):
            asked.append(filters)
            return {"Volumes": [{"Name": anonymous, "Labels": None}, {"Name": named, "Labels": {}},
                                {"Name": kit, "Labels": {"org.dockerlab.kit": "1"}}]}

    monkeypatch.setattr("dockerlab.engine.connect", lambda: type("Client", (), {"api": Api()})())
    assert run_tests.anonymous_volumes() == {anonymous}
    assert asked == [{"dangling": True}]


def test_a_stage_waiting_for_a_lock_alone_goes_before_later_shared_takers(tmp_path, monkeypatch):
    """Someone else holds the swarm lock shared for a moment: when it is free, the waiting Swarm stage takes it, not
    the network stage after it (CI saw chapter 08 slip in between the Swarm tests and chapter 10)."""
    import fcntl
    import threading
    import time

    monkeypatch.setattr(run_tests, "LOCK_DIR", tmp_path)
    monkeypatch.setattr(run_tests.Stage, "log", property(lambda self: tmp_path / f"{self.name}.log"))
    fd = os.open(tmp_path / "dockerlab-swarm.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_SH)  # another session's `flock -s`
    threading.Timer(1.0, os.close, args=(fd,)).start()
    order: list[str] = []

    def body(name: str):
        def run(_env, _log):
            order.append(name)
            time.sleep(0.3)
            return [(name, 0, 1, 0, 0.3)]
        return run

    alone = run_tests.Stage("swarm", locks=("swarm",), body=body("swarm"))
    shared = run_tests.Stage("nb-08", shared=("swarm",), body=body("nb-08"))
    run_tests.schedule([shared, alone], {"DOCKERLAB_SESSION": "ci-test"}, lanes=4)
    assert order == ["swarm", "nb-08"] and shared.started >= alone.ended


def test_with_engines_of_their_own_the_swarm_stages_take_no_lock_and_nothing_waits_for_them(own_engines):
    swarm_files = run_tests.using(run_tests.SWARM_USE, "tests/engine/test_*.py")
    assert own_engines["swarm"].own_engine and set(swarm_files) <= set(own_engines["swarm"].steps[0].args)
    assert own_engines["nb-10"].own_engine, "the orchestration chapter turns Swarm mode on"
    for name, s in own_engines.items():
        assert "swarm" not in s.locks and "swarm" not in s.shared, name
        assert s.own_engine == (name in ("swarm", "nb-10")), name


class FakeEngine:
    """tools/stage_engine.StageEngine without a dockerd: what the runner asked of it."""

    made: list[FakeEngine] = []
    fail_start = False

    def __init__(self, name: str) -> None:
        self.name, self.address, self.calls = name, f"unix:///tmp/{name}.sock", []
        FakeEngine.made.append(self)

    def start(self, log=print):
        self.calls.append("start")
        if FakeEngine.fail_start:
            from dockerlab.errors import DockerlabError
            raise DockerlabError("no netns here", "Hint text")
        return self

    def stop(self, log=print):
        self.calls.append("stop")


def test_a_stage_of_its_own_engine_runs_its_steps_there_and_stops_it_even_when_a_step_fails(tmp_path, monkeypatch):
    (tmp_path / "test_host.py").write_text(
        "import os\ndef test_host():\n    assert os.environ['DOCKER_HOST'] == 'unix:///tmp/ci-9-own.sock'\n")
    (tmp_path / "test_bad.py").write_text("def test_bad():\n    assert False\n")
    monkeypatch.setattr(run_tests.stage_engine, "StageEngine", FakeEngine)
    monkeypatch.setattr(run_tests.Stage, "log", property(lambda s: tmp_path / f"{s.name}.log"))
    FakeEngine.made, FakeEngine.fail_start = [], False
    own = run_tests.Stage("own", [run_tests.Step("own-host", [str(tmp_path / "test_host.py"), "-q"]),
                                  run_tests.Step("own-bad", [str(tmp_path / "test_bad.py"), "-q"])], own_engine=True)
    own.run({"DOCKERLAB_SESSION": "ci-9", "PATH": "/usr/bin:/bin"})
    assert [e.name for e in FakeEngine.made] == ["ci-9-own"] and FakeEngine.made[0].calls == ["start", "stop"]
    assert [r[:4] for r in own.results] == [("own-host", 0, 1, 0), ("own-bad", 1, 0, 1)]

    FakeEngine.made, FakeEngine.fail_start = [], True
    broken = run_tests.Stage("broken", [run_tests.Step("never", [str(tmp_path / "test_host.py")])], own_engine=True)
    broken.run({"DOCKERLAB_SESSION": "ci-9", "PATH": "/usr/bin:/bin"})
    assert not broken.ok and [r[:4] for r in broken.results] == [("broken-engine", 1, 0, 1)]
    assert "its own engine did not start: no netns here" in (tmp_path / "broken.log").read_text()
    for step in ("own-host", "own-bad"):
        (run_tests.ROOT / ".state" / f"junit-{step}.xml").unlink(missing_ok=True)


def test_stop_all_removes_what_an_interrupted_run_left_of_its_stage_engines(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_STATE", str(tmp_path))
    left = tmp_path / run_tests.stage_engine.FOLDER / "ci-7-swarm"
    (left / "data").mkdir(parents=True)
    (left / "dockerd.pid").write_text("999999999\n")  # its dockerd is gone already
    lines: list[str] = []
    assert run_tests.stage_engine.stop_all(log=lines.append) == ["ci-7-swarm"]
    assert not left.exists() and lines == []  # nothing ran, so nothing was stopped


def test_the_first_lanes_hold_one_stage_with_xdist_workers_and_the_kernels_may_start_slowly(own_engines):
    """On a busy 2-core machine two stages of three workers each, started together, starved the rest (a kernel then
    took over nbval's default 60 s to start): the first four stages hold at most one of them."""
    first = sorted(own_engines.values(), key=lambda s: -s.weight)[:4]
    assert sum(1 for s in first if s.steps and "-n" in s.steps[0].args) == 1
    assert any(a.startswith("--nbval-kernel-startup-timeout=") for a in run_tests.NBVAL)


def test_each_engine_test_file_with_a_fixed_learner_session_has_its_own():
    """Files of different stages run at the same time on one engine: two with the same fixed SESSION reset each other's
    things (CI run 20: test_course_images's reset removed test_prepare_engine's registry mid-test)."""
    import re

    fixed: dict[str, list[str]] = {}
    for path in sorted((ROOT / "tests" / "engine").glob("test_*.py")):
        m = re.search(r'^SESSION = "([^"]+)"', path.read_text(), re.MULTILINE)
        if m:
            fixed.setdefault(m.group(1), []).append(path.name)
    assert fixed and all(len(files) == 1 for files in fixed.values()), fixed


def test_where_no_network_namespace_can_be_made_the_swarm_stages_keep_the_shared_engine_and_its_lock(monkeypatch):
    """Root and the tools are not enough (a container without CAP_SYS_ADMIN has both): the probe must make one."""
    monkeypatch.setattr(run_tests.stage_engine.os, "geteuid", lambda: 0)
    monkeypatch.setattr(run_tests.stage_engine.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    made: list[list[str]] = []

    def refused(argv, **_kw):
        made.append(argv)
        return subprocess.CompletedProcess(argv, 1 if argv[:3] == ["ip", "netns", "add"] else 0)

    monkeypatch.setattr(run_tests.stage_engine.subprocess, "run", refused)
    assert run_tests.stage_engine.possible({}) is False and made and made[0][:3] == ["ip", "netns", "add"]
    stages = {s.name: s for s in run_tests.stages({"DOCKERLAB_SESSION": "ci-1", "DOCKERLAB_PODMAN": "0"}, [])}
    assert stages["swarm"].locks == ("swarm",) and not stages["swarm"].own_engine
    assert stages["engine-net"].shared == ("swarm",)


def test_a_run_closes_on_its_count_alone_and_a_run_of_no_test_fails(tmp_path, monkeypatch, capsys):
    """The runner's last line is 'N passed, N failed' alone (CI reads a run's closing lines for it), and summary.json
    carries the totals; a step that collects no test counts as a failure."""
    (tmp_path / "test_ok.py").write_text("def test_ok():\n    pass\n")
    (tmp_path / "test_bad.py").write_text("def test_bad():\n    assert False\n")
    (tmp_path / "test_none.py").write_text("x = 1\n")
    monkeypatch.setattr(run_tests, "LOCK_DIR", tmp_path)
    monkeypatch.setattr(run_tests, "ROOT", tmp_path)
    monkeypatch.setattr(run_tests.Stage, "log", property(lambda s: tmp_path / f"{s.name}.log"))
    monkeypatch.setattr(run_tests, "clear_leftovers", lambda current: None)
    monkeypatch.setattr(run_tests, "anonymous_volumes", set)
    monkeypatch.setenv("DOCKERLAB_SESSION", "ci-unit")

    def run(*files: str) -> tuple[int, list[str], dict]:
        chosen = [run_tests.Stage(f, [run_tests.Step(f, [str(tmp_path / f"test_{f}.py"), "-q"])]) for f in files]
        monkeypatch.setattr(run_tests, "stages", lambda base, extra: chosen)
        rc = run_tests.main([])
        lines = capsys.readouterr().out.splitlines()
        return rc, lines, json.loads((tmp_path / ".state" / "ci" / "summary.json").read_text())

    rc, lines, summary = run("ok", "bad")
    assert rc == 1 and lines[-1] == "1 passed, 1 failed"
    assert (summary["passed"], summary["failed"]) == (1, 1)
    rc, lines, summary = run("ok")
    assert rc == 0 and lines[-1] == "1 passed, 0 failed" and summary["passed"] == 1
    rc, lines, summary = run("none")
    assert rc == 1 and lines[-1] == "0 passed, 1 failed"


@pytest.mark.parametrize("lab_exit, counts, rc, last", [
    (0, (3, 0), 0, "3 passed, 0 failed"),
    (1, (2, 1), 1, "2 passed, 1 failed"),
    (0, (0, 0), 1, "0 passed, 0 failed"),   # exit 0, no test ran: fails
    (0, None, 1, "[ci] the test runner wrote no count of its tests"),  # no count at all: fails
])
def test_ci_run_closes_on_the_runners_count_and_fails_a_run_of_no_test(tmp_path, lab_exit, counts, rc, last):
    """.ci/run's last line is the runner's count, after its clean-up; exit 0 with no test counted fails. A copy of
    .ci/run beside a stand-in ./lab (its own state folder: no engine, hub or pid file of anyone else's is touched)."""
    (tmp_path / ".ci").mkdir()
    (tmp_path / ".ci" / "run").write_text((ROOT / ".ci" / "run").read_text())
    write = (f"mkdir -p .state/ci && echo '{{\"passed\": {counts[0]}, \"failed\": {counts[1]}}}' "
             f"> .state/ci/summary.json" if counts else "true")
    (tmp_path / "lab").write_text(f"#!/usr/bin/env bash\necho 'stand-in runner'\n{write}\nexit {lab_exit}\n")
    (tmp_path / "lab").chmod(0o755)
    env = {"PATH": "/usr/bin:/bin", "CI": "true"}
    out = subprocess.run(["bash", ".ci/run"], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=60)
    lines = out.stdout.strip().splitlines()
    assert out.returncode == rc, out.stdout + out.stderr
    assert lines[-1].startswith(last), out.stdout


def _course(tmp_path, seconds: float, rc: int) -> run_tests.CoursePrepare:
    """A stand-in for `python -m dockerlab prepare`: a process that takes ``seconds`` and exits ``rc``."""
    course = run_tests.CoursePrepare(["--apps"], {"PATH": "/usr/bin:/bin"})
    course.cmd = [sys.executable, "-c", f"import time, sys; time.sleep({seconds}); sys.exit({rc})"]
    return course


def _two_stages(tmp_path, monkeypatch) -> tuple[run_tests.Stage, run_tests.Stage]:
    (tmp_path / "test_ok.py").write_text("def test_ok():\n    pass\n")
    monkeypatch.setattr(run_tests, "LOCK_DIR", tmp_path)
    monkeypatch.setattr(run_tests.Stage, "log", property(lambda s: tmp_path / f"{s.name}.log"))
    offline = run_tests.Stage("offline", [run_tests.Step("offline", [str(tmp_path / "test_ok.py"), "-q"])],
                              needs_course=False)
    course_user = run_tests.Stage("course-user", [run_tests.Step("course-user", [str(tmp_path / "test_ok.py"), "-q"])])
    return offline, course_user


def test_while_the_course_is_prepared_only_the_stages_that_use_none_run(tmp_path, monkeypatch, capsys):
    offline, course_user = _two_stages(tmp_path, monkeypatch)
    course = _course(tmp_path, 2.0, 0).start()
    run_tests.schedule([offline, course_user], {"DOCKERLAB_SESSION": "ci-unit", "PATH": "/usr/bin:/bin"}, lanes=4,
                       course=course)
    assert offline.ok and course_user.ok
    assert offline.started < 1.0 and course_user.started >= course.seconds - 0.2 >= 1.8
    assert "prepared the course images" in capsys.readouterr().out
    assert [s.name for s in run_tests.stages({"DOCKERLAB_PODMAN": "0", "DOCKERLAB_SESSION": "ci-1"}, [])
            if not s.needs_course] == ["unit"]  # the offline tier, and only it, runs beside prepare
    for step in ("offline", "course-user"):
        (run_tests.ROOT / ".state" / f"junit-{step}.xml").unlink(missing_ok=True)


def test_a_failed_prepare_fails_the_stages_that_use_the_course_without_running_them(tmp_path, monkeypatch, capsys):
    offline, course_user = _two_stages(tmp_path, monkeypatch)
    course = _course(tmp_path, 0.5, 3).start()
    run_tests.schedule([offline, course_user], {"DOCKERLAB_SESSION": "ci-unit", "PATH": "/usr/bin:/bin"}, lanes=4,
                       course=course)
    assert offline.ok and not course_user.ok
    assert course_user.results == [("course-user", 1, 0, 1, 0.0)] and not (tmp_path / "course-user.log").exists()
    out = capsys.readouterr().out
    assert "FAILED to prepare the course images" in out and "(exit 3)" in out
    assert "FAIL course-user: not run, without the course images" in out
    (run_tests.ROOT / ".state" / "junit-offline.xml").unlink(missing_ok=True)


@pytest.mark.parametrize("fails, message, passed, failed, runs", [
    (1, "Kernel didn't respond in 300 seconds", 2, 0, 2),   # the kernel answered the second time: the step passes
    (2, "Kernel didn't respond in 300 seconds", 0, 2, 2),   # never: it fails, after one more try
    (1, "assert 'Correct' in result", 0, 2, 1),             # a cell that fails is never run again
])
def test_a_step_whose_kernel_never_started_runs_once_more(tmp_path, fails, message, passed, failed, runs):
    """nbval reports a kernel that never answered as an error of every cell: no cell ran, so the step runs once more
    (once); any other failure stands."""
    runs_file = tmp_path / "runs"
    (tmp_path / "test_cells.py").write_text(f'''import pathlib, pytest
RUNS = pathlib.Path({str(runs_file)!r})


@pytest.fixture(scope="module")
def kernel():
    n = int(RUNS.read_text()) + 1 if RUNS.exists() else 1
    RUNS.write_text(str(n))
    if n <= {fails}:
        raise RuntimeError({message!r})


def test_cell_0(kernel):
    pass


def test_cell_1(kernel):
    pass
''')
    log = tmp_path / "step.log"
    with open(log, "w") as out:
        rc, p, f, _seconds = run_tests.stage("kernel-step", [str(tmp_path / "test_cells.py"), "-q"],
                                             {"PATH": "/usr/bin:/bin"}, out=out)
    assert (rc == 0, p, f, int(runs_file.read_text())) == (failed == 0, passed, failed, runs), log.read_text()
    assert ("running the step once more" in log.read_text()) == (runs == 2)
    (run_tests.ROOT / ".state" / "junit-kernel-step.xml").unlink(missing_ok=True)


def test_test_modules_have_names_of_their_own_across_the_tiers():
    """The tiers' folders are not packages: pytest imports each test file by its name alone, so two files of one name
    (tests/unit/test_platforms.py beside tests/engine/test_platforms.py) made plain `pytest` (testpaths: tests) stop
    at collection with "import file mismatch"; the runner, which runs the tiers apart, never saw it."""
    seen: dict[str, list[str]] = {}
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        seen.setdefault(path.name, []).append(str(path.relative_to(ROOT)))
    assert len(seen) > 50 and not {name: where for name, where in seen.items() if len(where) > 1}
