"""Helpers for the CLI-twin round trips (not a test module): run a kit call's ``.cli`` with the real `docker`
CLI and compare what it made with what the kit made."""

from __future__ import annotations

import functools
import os
import shlex
import shutil
import subprocess
import time
from collections.abc import Mapping
from typing import Any

from dockerlab.networks import PODMAN_SUBNET_RACE

DOCKER = shutil.which("docker") or "docker"


@functools.cache
def cli_major() -> int:
    """The docker CLI's major version (20 for Debian 12's docker.io 20.10, 28 for docker-ce 28.x)."""
    version = subprocess.run([DOCKER, "version", "--format", "{{.Client.Version}}"], capture_output=True, text=True,
                             timeout=60).stdout.strip()
    return int(version.split(".")[0]) if version.split(".")[0].isdigit() else 0


def argv(cli: str, *, rename: Mapping[str, str] | None = None) -> list[str]:
    """The command line as argv; each word equal to a key of ``rename`` (e.g. a container name) is replaced."""
    words = shlex.split(str(cli))
    assert words[0] == "docker", cli
    return [DOCKER] + [(rename or {}).get(w, w) for w in words[1:]]


def run_cli(cli: str, *, rename: Mapping[str, str] | None = None, timeout: float = 300,
            env: Mapping[str, str] | None = None, cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run one `docker …` line (``&&``-joined lines one after the other), failing with its output when it fails."""
    done: subprocess.CompletedProcess[str] | None = None
    for part in str(cli).split(" && "):
        for _attempt in range(3):
            done = subprocess.run(argv(part, rename=rename), capture_output=True, text=True, timeout=timeout, cwd=cwd,
                                  env=dict(os.environ, DOCKER_BUILDKIT="0", **(env or {})))
            # Podman's free-subnet search can meet an interface another stage removes at that moment; the kit's
            # networks.create asks again then (nothing was made), and so does its twin
            if done.returncode == 0 or PODMAN_SUBNET_RACE not in done.stderr:
                break
            time.sleep(0.2)
        assert done.returncode == 0, f"`{part}` failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    assert done is not None
    return done


def pruned(value: Any) -> Any:
    """``value`` without empty or zero leaves (what an API call leaves out and the CLI sends as zero, or back)."""
    if isinstance(value, Mapping):
        out = {k: pruned(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", 0, False, [], {})}
    if isinstance(value, list):
        return [pruned(v) for v in value]
    return value


def differences(kit: Any, cli: Any, path: str = "") -> list[str]:
    """Where two (pruned) structures differ, as readable paths."""
    if isinstance(kit, Mapping) and isinstance(cli, Mapping):
        out: list[str] = []
        for key in sorted(set(kit) | set(cli)):
            out += differences(kit.get(key), cli.get(key), f"{path}.{key}")
        return out
    return [] if kit == cli else [f"{path}: kit {kit!r} != cli {cli!r}"]
