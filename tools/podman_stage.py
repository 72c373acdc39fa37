"""The test runner's Podman stage: the kit's core and chapters 00–04 again, against Podman's Docker-compatible API.

It runs beside the Docker stages (its own engine, its own socket, its own learner session), writes everything it
prints to ``<state>/podman-ci/tests.log`` and reports its results to the runner's summary. It starts
``podman system service`` (pid file and log in ``<state>/podman-ci/``) and stops it by its pid when done.

What runs on Podman (the Podman subset, docs/podman.md): the engine-tier files of ``ENGINE_TESTS`` (the kit's core
calls, their `docker` CLI twins and the displays) and the English solution notebooks of chapters 00–04 with nbval
(every check Correct). Tests in those files marked
``docker_only(reason)`` are left out and listed with their reasons in the log; the other engine-tier files are
left out for the reasons in ``NOT_ON_PODMAN`` (or, for a file named in neither, because it is outside the subset).

The course's images are copied from the Docker engine (``docker save`` → ``load``, as the classroom's bundle brings
them: the same images, no second mmdebstrap run, JDK or npm install); ``prepare`` then checks the base on Podman.
Chapter 02 and the engine tier build their own images on Podman.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import TextIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools.stage_engine import copy_course_images  # noqa: E402

CHAPTERS = ("00", "01", "02", "03", "04")
SERVICE = "podman-ci"

#: the engine tier's files that run on Podman (their docker_only tests excepted): the kit's core calls, their `docker`
#: CLI twins and the displays, where the kit adapts to Podman
ENGINE_TESTS = (
    "tests/engine/test_core_connect.py",
    "tests/engine/test_core_run.py",
    "tests/engine/test_core_build_cache.py",
    "tests/engine/test_core_storage_network.py",
    "tests/engine/test_inspect.py",
    "tests/engine/test_cli_twins.py",
    "tests/engine/test_display.py",
)

#: why the other engine-tier files do not run on Podman (a file named nowhere: outside the subset, chapters 00–04)
NOT_ON_PODMAN = {
    **{f"tests/engine/test_exercises_ch{c}.py": "CI time: chapters 00–04's 105 exercise tests took 32 min on Podman "
       "here (101 passed); the chapter's notebooks run every check to Correct on Podman, and these files run there "
       "by hand (docs/podman.md)" for c in CHAPTERS},
    "tests/engine/test_swarm.py": "Swarm mode is Docker's own orchestrator; Podman has none",
    "tests/engine/test_remote.py": "the cloud server is a second dockerd the kit starts beside the engine",
    "tests/engine/test_registry.py": "the registry is a later chapter's; its other-engine test needs the cloud "
                                     "server, a second dockerd",
    "tests/engine/test_classroom_hub.py": "each learner's engine is their own rootless dockerd",
    "tests/engine/test_classroom_faults.py": "the learner's engine is their own rootless dockerd",
    "tests/engine/test_compose.py": "Compose is a later chapter's; its plain docker-compose test waits for "
                                    "service_healthy, which Podman runs only from systemd timers (none here)",
    "tests/engine/test_prepare_engine.py": "builds the base image with mmdebstrap and the course images from "
                                           "scratch: the stage copies them from the Docker engine instead",
    "tests/engine/test_course_images.py": "the course images are built and tested once, on the Docker engine; the "
                                          "stage copies them",
}

Result = tuple[str, int, int, int, float]


def log_path() -> Path:
    from dockerlab.daemon import state_dir

    folder = state_dir() / SERVICE
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "tests.log"


def wanted(env: dict[str, str]) -> bool:
    """On unless DOCKERLAB_PODMAN=0 (``./lab test`` sets that where it cannot install podman, outside CI; in CI a
    missing podman fails the run)."""
    return env.get("DOCKERLAB_PODMAN", "1") != "0"


def left_out() -> list[tuple[str, str]]:
    """The engine tier's files the stage does not run, each with its reason."""
    every = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "engine").glob("test_*.py"))
    return [(f, NOT_ON_PODMAN.get(f, "outside the Podman subset (the kit's core and chapters 00–04)"))
            for f in every if f not in ENGINE_TESTS]


def run(base: dict[str, str], nbval: list[str], stage: Callable[..., tuple[int, int, int, float]],
        out: TextIO | None = None) -> list[Result]:
    """Start Podman, prepare the course on it, run the Podman subset of the engine tier and chapters 00–04's
    notebooks; stop Podman. The results: (step, exit status, passed, failed, seconds) per step. Everything it
    prints goes to ``out`` (the runner's log of this stage), else to :func:`log_path`."""
    if out is None:
        with open(log_path(), "w", buffering=1) as log:
            return run(base, nbval, stage, log)
    sys.path.insert(0, str(ROOT))
    from dockerlab.errors import DockerlabError
    from dockerlab.podman import PodmanService

    service = PodmanService(SERVICE)
    results: list[Result] = []
    started = time.monotonic()

    def say(message: str) -> None:
        out.write(f"[podman] {message}\n")

    try:
        address = service.start(log=say, wait=120)
        env = dict(base, DOCKER_HOST=address, DOCKERLAB_SESSION=base["DOCKERLAB_SESSION"] + "-podman",
                   DOCKERLAB_PROGRESS=str(service.folder / "progress.json"))
        missing = copy_course_images(address, say)
        # the course images are the Docker engine's (built once, as a class gets them); prepare checks the base and
        # builds only what the Docker engine did not have
        if missing:
            say(f"not on the Docker engine, so built on Podman: {', '.join(missing)}")
        prep = subprocess.run([sys.executable, "-m", "dockerlab", "prepare", *(["--apps"] if missing else [])],
                              cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        if prep.returncode != 0:
            say(f"prepare on Podman failed (exit {prep.returncode})")
            results.append(("podman-prepare", 1, 0, 1, time.monotonic() - started))
            return results
        for name, reason in left_out():
            say(f"not on Podman: {name} — {reason}")
        solutions = sorted(str(p.relative_to(ROOT)) for c in CHAPTERS
                           for p in (ROOT / "notebooks" / "en" / "solutions").glob(f"{c}-*.ipynb"))
        for name, args, extra in (
                ("podman-engine", [*ENGINE_TESTS, "-q"], {}),
                ("podman-notebooks-00-04", [*nbval, *solutions], {"DOCKERLAB_EXPECT_CHECKS": "correct"})):
            results.append((name, *stage(name, args, dict(env, **extra), out=out)))
    except DockerlabError as err:
        say(err.message)
        results.append(("podman-service", 1, 0, 1, time.monotonic() - started))
    finally:
        service.stop(log=say)
        say(f"the Podman stage took {time.monotonic() - started:.0f} s (service, image copies, prepare, tests)")
    return results


def tail(lines: int = 60) -> str:
    path = log_path()
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no log at {path})"


if __name__ == "__main__":  # run the Podman stage alone: python tools/podman_stage.py
    sys.path.insert(0, str(ROOT))
    from tools.run_tests import NBVAL, stage as run_stage

    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.setdefault("DOCKERLAB_SESSION", f"podman-{os.getpid()}")
    got = run(env, NBVAL, run_stage)
    for name, rc, p, f, s in got:
        print(f"{name:28s} {'ok  ' if rc == 0 else 'FAIL'} {p:4d} passed {f:3d} failed  {s:7.1f} s")
    sys.exit(0 if got and all(r[1] == 0 for r in got) else 1)
