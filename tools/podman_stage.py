"""The test runner's Podman stage: the engine tier and chapters 00–04 again, against Podman's Docker-compatible API.

It runs beside the Docker stages (its own engine, its own socket, its own learner session), writes everything it
prints to ``<state>/podman-ci/tests.log`` and reports its results to the runner's summary. It starts
``podman system service`` (pid file and log in ``<state>/podman-ci/``) and stops it by its pid when done.

The course's images are copied from the Docker engine (``docker save`` → ``load``, as the classroom's bundle brings
them: the same IDs and recipes, no second mmdebstrap run or npm install); ``prepare`` then finds them current. The
builds themselves run on Podman in chapter 02 and the engine tier.
Tests marked ``docker_only(reason)`` are left out there and listed with their reasons in the log.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ("00", "01", "02", "03", "04")
SERVICE = "podman-ci"

Result = tuple[str, int, int, int, float]


def log_path() -> Path:
    from dockerlab.daemon import state_dir

    folder = state_dir() / SERVICE
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "tests.log"


def wanted(env: dict[str, str]) -> bool:
    """Off until the whole stage has passed on Podman once (DOCKERLAB_PODMAN=1 runs it); then on unless
    DOCKERLAB_PODMAN=0. In CI a missing podman fails the stage (``./lab test`` installs it)."""
    return env.get("DOCKERLAB_PODMAN", "0") != "0"


def copy_course_images(address: str, log) -> None:
    """The base and the course's images from the Docker engine the kit talks to into Podman (those Podman lacks),
    the way a classroom's bundle brings them: the same IDs and recipe labels, so ``prepare`` finds them current."""
    import docker

    from dockerlab.course import APPS, BASE_IMAGES
    from dockerlab.engine import connect

    target = docker.DockerClient(base_url=address, version="auto", timeout=600)
    source = connect(timeout=600)
    for ref in [*BASE_IMAGES, *APPS.values()]:
        try:
            image = source.images.get(ref)
        except docker.errors.ImageNotFound:
            continue  # prepare builds it on Podman
        try:
            if target.images.get(ref).id == image.id:
                continue
        except docker.errors.ImageNotFound:
            pass
        started = time.monotonic()
        target.images.load(image.save(named=True))
        log(f"copied {ref} ({image.id[:19]}) from the Docker engine in {time.monotonic() - started:.1f} s")
    target.close()


def run(base: dict[str, str], nbval: list[str], stage: Callable[..., tuple[int, int, int, float]]) -> list[Result]:
    """Start Podman, prepare the course on it, run the engine tier and chapters 00–04; stop Podman. The results."""
    sys.path.insert(0, str(ROOT))
    from dockerlab.errors import DockerlabError
    from dockerlab.podman import PodmanService

    service = PodmanService(SERVICE)
    results: list[Result] = []
    started = time.monotonic()
    with open(log_path(), "w", buffering=1) as out:
        def say(message: str) -> None:
            out.write(f"[podman] {message}\n")

        try:
            address = service.start(log=say, wait=120)
            env = dict(base, DOCKER_HOST=address, DOCKERLAB_SESSION=base["DOCKERLAB_SESSION"] + "-podman",
                       DOCKERLAB_PROGRESS=str(service.folder / "progress.json"))
            copy_course_images(address, say)
            prep = subprocess.run([sys.executable, "-m", "dockerlab", "prepare", "--apps"], cwd=ROOT, env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
            if prep.returncode != 0:
                say(f"prepare on Podman failed (exit {prep.returncode})")
                results.append(("podman-prepare", 1, 0, 1, time.monotonic() - started))
                return results
            solutions = sorted(str(p.relative_to(ROOT)) for c in CHAPTERS
                               for p in (ROOT / "notebooks" / "en" / "solutions").glob(f"{c}-*.ipynb"))
            for name, args, extra in (
                    ("podman-engine", ["tests/engine", "-q", "-m", "not docker_only"], {}),
                    ("podman-notebooks-00-04", [*nbval, *solutions], {"DOCKERLAB_EXPECT_CHECKS": "correct"})):
                results.append((name, *stage(name, args, dict(env, **extra), out=out)))
        except DockerlabError as err:
            say(err.message)
            results.append(("podman-service", 1, 0, 1, time.monotonic() - started))
        finally:
            service.stop(log=say)
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
