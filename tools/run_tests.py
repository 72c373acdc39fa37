"""The whole test suite, as the README's test command runs it: independent stages at the same time.

Stages (``python tools/run_tests.py --list`` names them all):
  unit          the offline tier
  engine        the engine tier with pytest-xdist (one learner session per worker, a test file stays on its worker),
                but for the files that make user networks:
  engine-net    those files (where the Swarm stages share the engine, they hold its swarm lock shared, as the
                chapters that make networks do)
  swarm         the test files that turn Swarm mode on (engine-wide: one engine, one swarm)  [own engine]
  classroom     the tests marked ``hub`` (real Unix users, their rootless engines, a hub)      [lock: classroom]
  browser       JupyterLab in headless Chromium
  nb-NN         chapter NN's notebooks with nbval, one after another in one learner session: the solutions twice
                in a row, in English then in Korean (every check Correct; a class re-runs a chapter on the same
                engine, and the Korean code is the English code), then the learner version twice the same way
                (every check Not attempted). A chapter that turns Swarm mode on runs on an engine of its own.
  podman        the Podman subset (docs/podman.md): core, CLI twins, displays, chapters 00–04, on a Podman service
                of its own (tools/podman_stage.py; DOCKERLAB_PODMAN=0 leaves it out)

Stages run in lanes (DOCKERLAB_CI_LANES, default 4; the engine stage's workers: DOCKERLAB_CI_WORKERS, default 3),
longest first. Each stage has its own DOCKERLAB_SESSION (``<run>-<stage>``), so names and cleanups never meet on the
shared engine. Swarm mode is engine-wide, and leaving a swarm cuts off the containers of user networks made while it
was on: the stages that turn it on run on engines of their own (tools/stage_engine.py: a dockerd in a network
namespace of its own, the course images copied in), beside everything else. Where that is not possible (not root,
no iproute2, DOCKERLAB_STAGE_ENGINES=0) they run on the shared engine and take its swarm alone (a file lock in /tmp,
the same one people take by hand with ``flock /tmp/dockerlab-swarm.lock``), and the stages that make user networks
hold that lock shared. The course images are prepared once, before the stages that use them (``--prepare``, as
``./lab test`` runs it: ``python -m dockerlab prepare`` beside the stages that need none, the unit tier); no stage
builds them again. Each stage writes its output to ``.state/ci/<stage>.log`` and each pytest run its junit
file to ``.state/junit-<step>.xml``; this prints when a stage starts and ends, a summary of every step, the failing
steps' short summaries and the timeline to ``.state/ci/summary.json``. Any failure, or a step that collects no test,
makes the exit status non-zero. An interrupted run stops its pytest processes by their pids (their process groups:
the kernels and the browser stage's JupyterLab with them). Before the stages, what an interrupted earlier run left
on the engine is removed by label, session by session (a swarm the kit turned on for it too): in CI every kit
session but the run's own, elsewhere only the ``ci-<pid>`` sessions of runs that are gone.

  python tools/run_tests.py                 every stage
  python tools/run_tests.py nb-05 engine    only these stages (a name, or a prefix: ``nb``, ``nb-0``)
  python tools/run_tests.py engine -- -k volume    pytest options after ``--`` go to the pytest stages chosen
  python tools/run_tests.py --prepare       prepare the course images first (DOCKERLAB_PREPARE_ARGS, default
                                            ``--apps``), the unit tier beside it
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools import podman_stage, stage_engine  # noqa: E402

#: a kernel's start may take minutes while every core is busy (CI saw "Kernel didn't respond in 60 seconds", nbval's
#: default, at load 8–16 on 2 cores): the cells' own timeouts are what judge the course
NBVAL = ["--nbval-lax", "--nbval-cell-timeout=900", "--nbval-kernel-startup-timeout=300", "-q"]
LANGUAGES = ("en", "ko")  # tools/notebooks.py's LANGUAGES
#: what turns Swarm mode on (one swarm per engine): test files and chapters that call it never run beside each other
SWARM_USE = "ensure_swarm("
#: the classroom's tests (pytest marker ``hub``): real Unix users (dlab-l1…), their rootless engines and a hub
CLASSROOM_USE = "pytest.mark.hub"
#: rough seconds of each stage on a busy 2-core machine: only the order stages start in (longest first). Where the
#: Swarm stages share the engine and its lock, they run one after another, a chain that goes first (SERIAL_FIRST).
#: Mostly run 17's seconds; the stages on engines of their own (nb-10, podman, classroom) first beside the longest
#: one on the shared engine, so the two stages with xdist workers (engine, engine-net) do not start together.
WEIGHTS = {"engine-net": 540, "nb-10": 450, "podman": 420, "classroom": 400, "nb-08": 360, "engine": 340, "nb-06": 330,
           "nb-11": 310, "swarm": 300, "nb-02": 260, "nb-05": 160, "nb-09": 160, "nb-07": 130, "nb-03": 120,
           "nb-04": 110, "browser": 100, "nb-01": 90, "unit": 50, "nb-00": 40}
SERIAL_FIRST = 1000  # added to the weight of a stage that takes the swarm lock
#: what a stage makes that Swarm mode breaks: when a swarm is left (a Swarm chapter's or test's reset), the engine
#: disconnects the containers of the bridge networks created while it was on (they keep running with only `lo`;
#: dockerd logs "Failed to remove swarm network … on cluster leave"). Stages that make user networks on the shared
#: engine therefore hold the swarm lock SHARED (beside each other), the Swarm stages hold it EXCLUSIVE.
NETWORK_USE = ("networks.create", "network=", "compose", "Project(", "cloud_server", "registry.", "services.",
               "private_network", "start_server")
LOCK_DIR = Path(os.environ.get("DOCKERLAB_CI_LOCKS", "/tmp"))

Result = tuple[str, int, int, int, float]  # step name, rc, passed, failed, seconds

_children: set[subprocess.Popen] = set()
_children_lock = threading.Lock()


def _lines(out) -> Callable[[str], None]:
    def say(text: str) -> None:
        print(text, file=out or sys.stdout, flush=True)
    return say


#: what nbval says when a notebook's kernel never answered: no cell ran, so the step is run once more (CI run of
#: 580faa8: one kernel of chapter 11 did not answer in 300 s at load ~10 while the three runs after it passed)
KERNEL_NEVER_STARTED = ("Kernel didn't respond in", "Kernel died before replying")


def _kernel_never_started(xml: Path) -> bool:
    """Every test of the junit file ``xml`` failed because the kernel never answered (nbval's cells)."""
    try:
        cases = list(ET.parse(xml).getroot().iter("testcase"))
    except (OSError, ET.ParseError):
        return False
    return bool(cases) and all(
        any(any(text in (bad.get("message") or "") + (bad.text or "") for text in KERNEL_NEVER_STARTED)
            for bad in [*case.iter("error"), *case.iter("failure")])
        for case in cases)


def stage(name: str, args: list[str], env: dict[str, str], out=None) -> tuple[int, int, int, float]:
    """Run one pytest step (its output to ``out``, a log file, when given); (rc, passed, failed, seconds). A step
    whose notebook kernel never started (no cell ran) is run once more, and says so."""
    xml = ROOT / ".state" / f"junit-{name}.xml"
    xml.parent.mkdir(exist_ok=True)
    cmd = [sys.executable, "-m", "pytest", *args, f"--junitxml={xml}", "-p", "no:cacheprovider"]
    say = _lines(out)
    started = time.monotonic()
    for attempt in (1, 2):
        xml.unlink(missing_ok=True)
        say(f"\n=== {name}: {' '.join(cmd[2:])}")
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT if out else None,
                                start_new_session=True)  # its own process group: an interrupt stops it and its kernels
        with _children_lock:
            _children.add(proc)
        try:
            rc = proc.wait()
        finally:
            with _children_lock:
                _children.discard(proc)
        if rc == 0 or attempt == 2 or not _kernel_never_started(xml):
            break
        say(f"=== {name}: the notebook's kernel never answered, so no cell ran: running the step once more")
    seconds = time.monotonic() - started
    passed = failed = 0
    if xml.exists():
        for suite in ET.parse(xml).getroot().iter("testsuite"):
            total = int(suite.get("tests", 0))
            bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skipped = int(suite.get("skipped", 0))
            failed += bad
            passed += total - bad - skipped
    if rc == 5 or passed + failed == 0:
        say(f"{name}: no test ran — that counts as a failure")
        failed += 1
        rc = 1
    say(f"=== {name}: exit {rc}, {passed} passed, {failed} failed in {seconds:.1f} s")
    return rc, passed, failed, seconds


@dataclass
class Step:
    name: str
    args: list[str]
    env: dict[str, str] = field(default_factory=dict)


@dataclass(eq=False)  # each stage is itself: a key of the running ones
class Stage:
    """Steps run one after another in one learner session; stages run beside each other."""

    name: str
    steps: list[Step] = field(default_factory=list)
    locks: tuple[str, ...] = ()
    shared: tuple[str, ...] = ()  # locks held beside other holders of the same kind (see NETWORK_USE)
    body: Callable[[dict[str, str], object], list[Result]] | None = None  # a stage that runs itself (Podman)
    own_engine: bool = False  # its steps run on an engine of its own (tools/stage_engine.py), not the shared one
    needs_course: bool = True  # it waits for the course images when the run prepares them (``--prepare``)
    results: list[Result] = field(default_factory=list)
    started: float | None = None
    ended: float | None = None

    @property
    def weight(self) -> float:
        return WEIGHTS.get(self.name, 100) + (SERIAL_FIRST if "swarm" in self.locks else 0)

    @property
    def log(self) -> Path:
        return ROOT / ".state" / "ci" / f"{self.name}.log"

    @property
    def ok(self) -> bool:
        return bool(self.results) and all(r[1] == 0 for r in self.results)

    def run(self, base: dict[str, str]) -> None:
        env = dict(base, DOCKERLAB_SESSION=f"{base['DOCKERLAB_SESSION']}-{self.name}")
        # the notebooks' checks record progress: into the run's state folder, not the home of whoever runs tests
        env.setdefault("DOCKERLAB_PROGRESS", str(ROOT / ".state" / "progress" / f"{self.name}.json"))
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "w", buffering=1) as out:
            if self.body is not None:
                self.results = self.body(env, out)
                return
            engine = None
            if self.own_engine:
                from dockerlab.errors import DockerlabError

                engine = stage_engine.StageEngine(env["DOCKERLAB_SESSION"])
                started = time.monotonic()
                try:
                    engine.start(log=_lines(out))
                except DockerlabError as err:
                    _lines(out)(f"{self.name}: its own engine did not start: {err}")
                    self.results.append((f"{self.name}-engine", 1, 0, 1, time.monotonic() - started))
                    return
                env = dict(env, DOCKER_HOST=engine.address)
            try:
                for step in self.steps:
                    self.results.append((step.name, *stage(step.name, step.args, dict(env, **step.env), out=out)))
            finally:
                if engine is not None:
                    engine.stop(log=_lines(out))


def _files(*patterns: str) -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for pattern in patterns for p in ROOT.glob(pattern))


def stages(base: dict[str, str], extra: list[str]) -> list[Stage]:
    """Every stage of a full run (``extra``: pytest options for the test-suite stages)."""
    workers = base.get("DOCKERLAB_CI_WORKERS", "3")
    swarm_tests = using(SWARM_USE, "tests/engine/test_*.py")
    classroom_tests = using(CLASSROOM_USE, "tests/engine/test_*.py")
    swarm_chapters = {Path(f).name[:2] for f in using(SWARM_USE, "notebooks/src/[0-9][0-9]-*.py")}
    exclusive = {*swarm_tests, *classroom_tests}
    tier = [f for f in _files("tests/engine/test_*.py") if f not in exclusive]
    # the engine tier in two stages: the files that make user networks (which, where the Swarm stages share the
    # engine, hold its swarm lock shared) and the others (which never wait)
    networked = [f for f in tier if any(word in (ROOT / f).read_text(errors="replace") for word in NETWORK_USE)]
    spread = ["-n", workers, "--dist", "loadfile"] if workers not in ("0", "1") else []
    # where the machine can (root, iproute2), the Swarm stages run on engines of their own and need no lock;
    # elsewhere they take the shared engine's swarm alone and the stages that make networks hold it shared
    own = stage_engine.possible(base)
    swarm_locks = {"own_engine": True} if own else {"locks": ("swarm",)}
    network_locks = () if own else ("swarm",)
    out = [
        Stage("unit", [Step("unit", ["tests/unit", "-q", *extra])], needs_course=False),
        Stage("engine", [Step("engine", [*[f for f in tier if f not in networked], "-q", *spread, *extra])]),
        Stage("engine-net", [Step("engine-net", [*networked, "-q", *spread, *extra])], shared=network_locks),
        Stage("swarm", [Step("swarm", [*swarm_tests, "-q", *extra])], **swarm_locks),
        Stage("classroom", [Step("classroom", [*classroom_tests, "-q", *extra])], locks=("classroom",)),
    ]
    if (ROOT / "tests" / "browser").is_dir():
        out.append(Stage("browser", [Step("browser", ["tests/browser", "-q", *extra])]))
    chapters = sorted({p.name[:2] for p in (ROOT / "notebooks" / "en" / "solutions").glob("[0-9][0-9]-*.ipynb")})
    for chapter in chapters:
        steps = []
        en_solution = _files(f"notebooks/en/solutions/{chapter}-*.ipynb")
        en_learner = _files(f"notebooks/en/{chapter}-*.ipynb")
        ko_solution = _files(f"notebooks/ko/solutions/{chapter}-*.ipynb")
        ko_learner = _files(f"notebooks/ko/{chapter}-*.ipynb")
        correct, untouched = {"DOCKERLAB_EXPECT_CHECKS": "correct"}, {"DOCKERLAB_EXPECT_CHECKS": "not_attempted"}
        # each version twice in a row (a class re-runs a chapter on the same engine): the second time in Korean,
        # whose code is the English code (tools/notebooks.py compares their syntax trees), so the same steps meet
        # what the first run left and the Korean strings and messages are proven too. The learner's version after
        # the solutions' (its set-up cells meet what the solutions left; its checks still say Not attempted).
        for version, en, ko, expected in (("solutions", en_solution, ko_solution, correct),
                                          ("learner", en_learner, ko_learner, untouched)):
            if en:
                steps.append(Step(f"nb-{chapter}-en-{version}", [*NBVAL, *en], expected))
                steps.append(Step(f"nb-{chapter}-ko-{version}" if ko else f"nb-{chapter}-en-{version}-again",
                                  [*NBVAL, *(ko or en)], expected))
        if chapter in swarm_chapters:
            out.append(Stage(f"nb-{chapter}", steps, **swarm_locks))
        else:
            networks = any(word in (ROOT / f).read_text(errors="replace")
                           for f in _files(f"notebooks/src/{chapter}-*.py") for word in NETWORK_USE)
            out.append(Stage(f"nb-{chapter}", steps, shared=network_locks if networks else ()))
    if podman_stage.wanted(base):
        # its own engine; its steps' session: <run>-podman
        out.append(Stage("podman", body=lambda _env, log: podman_stage.run(base, NBVAL, stage, out=log)))
    return out


def using(text: str, pattern: str) -> list[str]:
    """The files of ``pattern`` (a glob under the repository) whose text contains ``text``."""
    return [f for f in _files(pattern) if text in (ROOT / f).read_text(errors="replace")]


class Locks:
    """Engine-wide locks (``/tmp/dockerlab-<name>.lock``), held by this process while a stage that needs them runs."""

    def __init__(self) -> None:
        self.held: dict[object, list[int]] = {}

    def try_take(self, owner: object, names: tuple[str, ...], shared: tuple[str, ...] = ()) -> bool:
        """Take ``names`` exclusive and ``shared`` shared for ``owner``, all or none (one descriptor each: a shared
        flock beside other shared ones, in this process or another; an exclusive one alone)."""
        taken: list[int] = []
        for name, mode in [*((n, fcntl.LOCK_EX) for n in names), *((n, fcntl.LOCK_SH) for n in shared)]:
            fd = os.open(LOCK_DIR / f"dockerlab-{name}.lock", os.O_RDWR | os.O_CREAT, 0o666)
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                for held in taken:
                    os.close(held)
                return False
            taken.append(fd)
        self.held[owner] = taken
        return True

    def give_back(self, owner: object) -> None:
        for fd in self.held.pop(owner, []):
            os.close(fd)  # closing the descriptor releases its flock


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} on {os.cpu_count()} cores"


class CoursePrepare:
    """``python -m dockerlab prepare ARGS`` in a thread of its own, its lines in this run's output as it works: the
    stages that use the course images start once it has finished (see :func:`schedule`), the others beside it."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.cmd = [sys.executable, "-m", "dockerlab", "prepare", *args]
        self.env = env
        self.finished = threading.Event()
        self.rc: int | None = None
        self.seconds = 0.0
        self.wake: threading.Condition | None = None  # the scheduler's: told when prepare has finished

    def start(self) -> CoursePrepare:
        threading.Thread(target=self._run, name="prepare", daemon=True).start()
        return self

    def _run(self) -> None:
        started = time.monotonic()
        try:
            proc = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env, start_new_session=True)
            with _children_lock:
                _children.add(proc)
            try:
                self.rc = proc.wait()
            finally:
                with _children_lock:
                    _children.discard(proc)
        except OSError as err:
            print(f"prepare did not start: {err}", flush=True)
            self.rc = 1
        finally:
            self.seconds = time.monotonic() - started
            self.finished.set()
            if self.wake is not None:
                with self.wake:
                    self.wake.notify_all()


def schedule(todo: list[Stage], base: dict[str, str], lanes: int, course: CoursePrepare | None = None) -> float:
    """Run the stages, ``lanes`` at a time, longest first; a stage starts when its locks are free and, while
    ``course`` prepares the course images, only if it uses none. Should prepare fail, the stages that use them fail
    without running. Wall seconds."""
    pending = sorted(todo, key=lambda s: -s.weight)
    running: dict[Stage, threading.Thread] = {}
    locks = Locks()
    done = threading.Condition()
    t0 = time.monotonic()
    if course is not None:
        course.wake = done
    course_said = course is None
    held: list[str] = []

    def say(line: str) -> None:
        if course is not None and not course.finished.is_set() and sys.stdout.isatty():
            held.append(line)  # prepare's live progress has the terminal until it has finished
            return
        for earlier in held:
            print(earlier)
        held.clear()
        print(line, flush=True)

    def body(s: Stage) -> None:
        try:
            s.run(base)
        except Exception as err:  # a runner fault is a failed stage, never a silent one
            s.results.append((s.name, 1, 0, 1, 0.0))
            print(f"[{s.name}] the runner failed: {err!r}", flush=True)
        finally:
            s.ended = time.monotonic() - t0
            with done:
                done.notify_all()

    waited_for_lock = set()
    while pending or running:
        with done:
            for s in [s for s in running if s.ended is not None]:
                running.pop(s).join()
                locks.give_back(s)
                p = sum(r[2] for r in s.results)
                f = sum(r[3] for r in s.results)
                say(f"[{s.ended:6.0f} s] {'ok  ' if s.ok else 'FAIL'} {s.name}: {p} passed, {f} failed in "
                    f"{s.ended - s.started:.0f} s ({_load()})")
            course_ready = course is None or course.finished.is_set()
            if course is not None and course_ready and not course_said:
                course_said = True
                now = time.monotonic() - t0
                say(f"[{now:6.0f} s] {'prepared' if course.rc == 0 else 'FAILED to prepare'} the course images "
                    f"in {course.seconds:.0f} s{'' if course.rc == 0 else f' (exit {course.rc})'} ({_load()})")
                if course.rc != 0:
                    for s in [s for s in pending if s.needs_course]:
                        pending.remove(s)
                        s.started = s.ended = now
                        s.results.append((s.name, 1, 0, 1, 0.0))
                        say(f"[{now:6.0f} s] FAIL {s.name}: not run, without the course images")
            # a lock a waiting stage wants alone is not taken shared by a stage after it (else the shared takers,
            # one after another, keep the Swarm chain waiting: its second stage must follow its first)
            wanted_alone: set[str] = set()
            for s in list(pending):
                if len(running) >= lanes:
                    break
                if s.needs_course and not course_ready:
                    continue
                if wanted_alone & {*s.locks, *s.shared} or not locks.try_take(s, s.locks, s.shared):
                    wanted_alone.update(s.locks)
                    if s.name not in waited_for_lock:
                        waited_for_lock.add(s.name)
                        say(f"[{time.monotonic() - t0:6.0f} s] {s.name} waits for the lock(s) "
                            f"{', '.join([*s.locks, *(n + ' (shared)' for n in s.shared)])}")
                    continue
                pending.remove(s)
                s.started = time.monotonic() - t0
                say(f"[{s.started:6.0f} s] start {s.name} (log: {_rel(s.log)}; {_load()})")
                running[s] = threading.Thread(target=body, args=(s,), name=s.name)
                running[s].start()
            if pending or running:
                done.wait(timeout=2)  # a stage ended, or a lock someone else held may be free now
    return time.monotonic() - t0


def _failure_summary(s: Stage, lines: int = 40) -> str:
    """A failed stage's pytest short summaries (or its log's last lines)."""
    try:
        text = s.log.read_text(errors="replace").splitlines()
    except OSError:
        return f"(no log at {s.log})"
    picked, keep = [], False
    for line in text:
        if "short test summary info" in line:
            keep = True
        elif line.startswith("=== "):
            keep = False
        if keep:
            picked.append(line)
    return "\n".join(picked[-200:] if picked else text[-lines:])


def _ours(session: str, current: str) -> bool:
    return session == current or session.startswith(current + "-")


def _dead_run(session: str, current: str) -> bool:
    """A session of an earlier ``run_tests`` (``ci-<pid>…``) whose runner is gone."""
    head = session.split("-")
    if len(head) < 2 or head[0] != "ci" or not head[1].isdigit() or _ours(session, current):
        return False
    try:
        os.kill(int(head[1]), 0)
        return False
    except ProcessLookupError:
        return True
    except PermissionError:
        return False


def leftovers(current: str, *, everything: bool) -> list[str]:
    """Learner sessions an earlier, interrupted run left on the engine: their kit resources (by label) and a swarm the
    kit turned on for them (a killed chapter 10 leaves one, and the next run's Swarm tests then find the engine in
    "someone else's" swarm). ``everything`` (CI, on the engine it started): every kit session but this run's;
    otherwise only sessions of runs whose runner is dead, so a notebook open beside a local run keeps its things."""
    import dockerlab
    from dockerlab import swarm
    from dockerlab.engine import connect

    client = connect()
    sessions = {r.session for r in dockerlab.leaks(session=None, client=client) if r.session}
    sessions.add(swarm.kit_swarm_session(client) or "")
    return sorted(s for s in sessions if s and not _ours(s, current) and (everything or _dead_run(s, current)))


def clear_leftovers(current: str) -> None:
    """Reset each leftover session (as that learner: the reset's hooks leave the swarm it turned on)."""
    try:
        found = leftovers(current, everything=os.environ.get("CI", "") not in ("", "0", "false"))
    except Exception as exc:  # no engine: the stages say so themselves
        print(f"(could not look for earlier runs' leftovers: {exc})", flush=True)
        return
    for sid in found:
        run = subprocess.run([sys.executable, "-m", "dockerlab", "reset", "--purge"], cwd=ROOT, text=True,
                             capture_output=True, env=dict(os.environ, DOCKERLAB_SESSION=sid))
        what = (run.stdout + run.stderr).strip().splitlines()
        print(f"removed an earlier run's leftovers, session {sid}: {'; '.join(what)[:300] or 'nothing'}"
              f"{'' if run.returncode == 0 else ' (exit ' + str(run.returncode) + ')'}", flush=True)


def anonymous_volumes() -> set[str]:
    """Unlabelled volumes no container uses, named by the engine (64 hex digits): what an image's VOLUME leaves
    behind when its container is removed without ``-v``. Nothing the kit makes looks like this (its volumes carry
    labels), so one that appears during a run is a leak of the run's own; the summary names them."""
    from dockerlab.engine import connect

    try:
        found = connect().api.volumes(filters={"dangling": True}).get("Volumes") or []
    except Exception:
        return set()
    return {v["Name"] for v in found if not v.get("Labels") and len(v["Name"]) == 64
            and all(ch in "0123456789abcdef" for ch in v["Name"])}


def _stop_children(signum, _frame) -> None:
    with _children_lock:
        for proc in list(_children):
            try:
                os.killpg(proc.pid, signal.SIGTERM)  # the step's own group: pytest, its workers and kernels
            except OSError:
                pass
    raise SystemExit(128 + signum)


def main(argv: list[str]) -> int:
    os.chdir(ROOT)
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    names = argv[:argv.index("--")] if "--" in argv else argv
    prepare = "--prepare" in names
    names = [n for n in names if n != "--prepare"]
    base = dict(os.environ, PYTHONUNBUFFERED="1")
    base.setdefault("DOCKERLAB_SESSION", "ci-" + str(os.getpid()))
    everything = stages(base, extra)
    if "--list" in names:
        for s in everything:
            print(f"{s.name:12s} {' → '.join(st.name for st in s.steps) or '(its own steps)'}"
                  f"{'  [own engine]' if s.own_engine else ''}"
                  f"{'  [lock: ' + ', '.join(s.locks) + ']' if s.locks else ''}"
                  f"{'  [shared: ' + ', '.join(s.shared) + ']' if s.shared else ''}")
        return 0
    if "suite" in names:  # the pytest suite's stages (`./lab test suite`)
        names = [n for n in names if n != "suite"] + ["unit", "engine", "engine-net", "swarm", "classroom",
                                                            "browser"]
    if "notebooks" in names:
        names = [n for n in names if n != "notebooks"] + ["nb-"]
    chosen = [s for s in everything if not names or any(s.name == n or s.name.startswith(n) for n in names)]
    if names and not chosen:
        print(f"no stage is called {' or '.join(names)}; stages: {', '.join(s.name for s in everything)}")
        return 2
    lanes = int(base.get("DOCKERLAB_CI_LANES", "4"))
    signal.signal(signal.SIGTERM, _stop_children)
    signal.signal(signal.SIGINT, _stop_children)
    clear_leftovers(base["DOCKERLAB_SESSION"])
    volumes_before = anonymous_volumes()
    print(f"=== {len(chosen)} stages, {lanes} at a time; session {base['DOCKERLAB_SESSION']}-<stage>; "
          f"logs in .state/ci/ ({_load()})", flush=True)
    course = None
    if prepare and any(s.needs_course for s in chosen):
        args = base.get("DOCKERLAB_PREPARE_ARGS", "--apps").split()
        print(f"=== preparing the course images (python -m dockerlab prepare {' '.join(args)}); meanwhile only the "
              f"stages that use none: {', '.join(s.name for s in chosen if not s.needs_course) or 'none chosen'}",
              flush=True)
        course = CoursePrepare(args, base).start()
    wall = schedule(chosen, base, lanes, course)
    failed_stages = [s for s in chosen if not s.ok]
    for s in failed_stages:
        print(f"\n=== {s.name} FAILED — from {_rel(s.log)}:\n{_failure_summary(s)}")
    print("\n=== summary")
    for s in chosen:
        for name, rc, p, f, secs in s.results or [(s.name, 1, 0, 1, 0.0)]:
            print(f"{name:34s} {'ok  ' if rc == 0 else 'FAIL'} {p:4d} passed {f:3d} failed  {secs:7.1f} s")
    print("\n=== timeline (seconds from the start)")
    if course is not None:
        print(f"{'(prepare)':12s} {0:6.0f} → {course.seconds:6.0f}  ({course.seconds:5.0f} s)")
    for s in sorted(chosen, key=lambda s: s.started or 0):
        print(f"{s.name:12s} {s.started or 0:6.0f} → {s.ended or 0:6.0f}  ({(s.ended or 0) - (s.started or 0):5.0f} s)")
    new_volumes = sorted(anonymous_volumes() - volumes_before)
    if new_volumes:
        print(f"\n=== {len(new_volumes)} anonymous volume(s) appeared during the run and no container uses them (an "
              f"image's VOLUME, its container removed without -v): {', '.join(v[:12] for v in new_volumes)}")
    passed = sum(r[2] for s in chosen for r in s.results)
    failed = sum(r[3] for s in chosen for r in s.results) + sum(1 for s in chosen if not s.results)
    print(f"\n=== wall {wall:.0f} s = {wall / 60:.1f} min ({_load()})")
    if not passed and not failed:
        print("=== no test ran: a test run that checks nothing fails")
    # the closing line, alone (CI reads a run's last lines for it): 'N passed, N failed'
    print(f"{passed} passed, {failed} failed", flush=True)
    summary = {"wall_seconds": round(wall, 1), "lanes": lanes, "load_at_end": os.getloadavg(),
               "passed": passed, "failed": failed, "prepare_seconds": round(course.seconds, 1) if course else None,
               "stages": [{"name": s.name, "started": s.started, "ended": s.ended, "ok": s.ok,
                           "steps": [{"name": r[0], "rc": r[1], "passed": r[2], "failed": r[3], "seconds": r[4]}
                                     for r in s.results]} for s in chosen]}
    (ROOT / ".state" / "ci").mkdir(parents=True, exist_ok=True)
    (ROOT / ".state" / "ci" / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    return 0 if passed and not failed_stages else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
