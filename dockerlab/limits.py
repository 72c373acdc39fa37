"""Limits on everything the kit starts: containers, a build's step containers, Swarm tasks.

A container the kit runs gets a memory and a pids limit. A build's ``RUN`` steps run in containers too:
Docker's classic builder takes a memory limit per build (``docker build --memory``) but no pids limit,
so the kit runs them under a cgroup of the learner's own (``--cgroup-parent``) whose pids limit covers
every step container of their builds. That needs the engine's cgroups on this machine (a local engine
with the cgroupfs driver, and root); elsewhere (Docker Desktop's VM, a systemd-driven or rootless engine)
the build gets its memory limit only, and :func:`build_cgroup` says why.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

import docker

from .errors import BadInput, translated
from .i18n import _

__all__ = ["DEFAULT_MEMORY", "DEFAULT_PIDS", "BUILD_MEMORY", "BUILD_PIDS", "SERVICE_PIDS", "memory_bytes",
           "BuildCgroup", "build_cgroup", "remove_build_cgroups",
           "pids_max", "parent_pids_max", "build_cgroup_unavailable"]

#: every container `lab.run` starts (`docker run --memory 512m --pids-limit 256`), unless the cell says otherwise
DEFAULT_MEMORY = "512m"
DEFAULT_PIDS = 256

#: a build's step containers: JDK installs, javac and `npm ci` fit; a RUN that eats memory or forks stops here
BUILD_MEMORY = "2g"
BUILD_PIDS = 1024
#: each task of a Swarm service (`docker service create --limit-pids`, API 1.41)
SERVICE_PIDS = 256

CGROUP_ROOT = Path("/sys/fs/cgroup")
#: the cgroup (under the engine's cgroup root) that holds each learner's build cgroup
PARENT = "dockerlab"

_UNITS = {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def memory_bytes(size: str | int) -> int:
    """'512m' → 536870912, the way `docker run --memory` reads it."""
    if isinstance(size, int) and size > 0:
        return size
    text = str(size).strip().lower()
    if text.endswith("b") and len(text) > 1 and text[-2] in _UNITS:
        text = text[:-1]
    unit = _UNITS.get(text[-1:], None)
    try:
        value = float(text[:-1]) * unit if unit else float(text)
    except ValueError:
        value = 0
    if value < 6 * 1024**2:  # the engine refuses less than 6 MB
        raise BadInput(_("{value} is not a memory size the engine accepts (at least 6m).").format(value=repr(size)),
                       _("Write it like Docker does: '512m', '2g'."))
    return int(value)


@dataclass(frozen=True)
class BuildCgroup:
    """Where a learner's build steps run: ``parent`` for `--cgroup-parent` (None: no pids limit here, ``why``)."""

    parent: str | None
    pids_limit: int | None
    why: str = ""


def _is_v2() -> bool:
    return (CGROUP_ROOT / "cgroup.controllers").is_file()


def _pids_dir(session: str) -> Path:
    return CGROUP_ROOT / PARENT / f"builds-{session}" if _is_v2() else \
        CGROUP_ROOT / "pids" / PARENT / f"builds-{session}"


_HERE: dict[str, str] = {}  # engine socket → why not ('' when it can): an engine does not change its cgroups


def build_cgroup_unavailable(client: docker.DockerClient) -> str:
    """Why builds on this engine get no build cgroup (their memory limit only); '' when they do."""
    return _engine_is_here(client)


def _engine_is_here(client: docker.DockerClient) -> str:
    """'' when the engine's cgroups are this machine's cgroupfs the kit may write; else why not."""
    if os.geteuid() != 0:
        return "the kit is not root, so it cannot make a cgroup for the build"
    socket_path = getattr(getattr(client.api, "_custom_adapter", None), "socket_path", None)
    if not socket_path:
        return "the engine is not on a local socket"
    if socket_path not in _HERE:
        _HERE[socket_path] = _ask_engine(client)
    return _HERE[socket_path]


def _ask_engine(client: docker.DockerClient) -> str:
    with translated(_("asking the engine how it runs containers"), client):  # a dead engine: EngineUnavailable
        info = client.info()
    if str(info.get("CgroupDriver", "")) != "cgroupfs":
        return f"the engine's cgroup driver is {info.get('CgroupDriver') or 'unknown'}, not cgroupfs"
    if any("rootless" in str(o) for o in info.get("SecurityOptions") or []):
        return "a rootless engine has no cgroups of its own on this machine"
    if info.get("KernelVersion") != os.uname().release or info.get("Name") != socket.gethostname():
        return "the engine runs on another machine or in a VM"
    if _is_v2():
        if "pids" not in (CGROUP_ROOT / "cgroup.controllers").read_text().split():
            return "this machine's cgroups have no pids controller"
    elif not (CGROUP_ROOT / "pids").is_dir():
        return "this machine's cgroups have no pids controller"
    return ""


def build_cgroup(client: docker.DockerClient, session: str, pids_limit: int = BUILD_PIDS) -> BuildCgroup:
    """The learner's build cgroup with ``pids_limit`` set: every step container of their builds runs in it."""
    why = _engine_is_here(client)
    if why:
        return BuildCgroup(None, None, why)
    folder = _pids_dir(session)
    try:
        if _is_v2():
            _enable_pids(CGROUP_ROOT)
            (CGROUP_ROOT / PARENT).mkdir(exist_ok=True)
            _enable_pids(CGROUP_ROOT / PARENT)
        folder.mkdir(parents=True, exist_ok=True)
        if pids_max(folder) != int(pids_limit):  # written once, not before every build
            (folder / "pids.max").write_text(f"{int(pids_limit)}\n")
    except OSError as exc:
        return BuildCgroup(None, None, f"the kit could not set up {folder} ({exc.strerror or exc})")
    return BuildCgroup(f"/{PARENT}/builds-{session}", int(pids_limit))


def pids_max(folder: Path) -> int | None:
    """The pids limit a cgroup folder sets (None: none, "max", or no such cgroup)."""
    try:
        text = (folder / "pids.max").read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def parent_pids_max(parent: str) -> int | None:
    """The pids limit of a container's ``--cgroup-parent`` on this machine (None: no limit, or not here)."""
    relative = parent.strip("/")
    return pids_max(CGROUP_ROOT / relative if _is_v2() else CGROUP_ROOT / "pids" / relative)


def _enable_pids(folder: Path) -> None:
    control = folder / "cgroup.subtree_control"
    if "pids" not in control.read_text().split():
        control.write_text("+pids\n")


def remove_build_cgroups(session: str) -> list[str]:
    """Remove the learner's (empty) build cgroup from every hierarchy; what it removed."""
    name = Path(PARENT) / f"builds-{session}"
    folders = [CGROUP_ROOT / name] if _is_v2() else sorted(CGROUP_ROOT.glob(f"*/{name}"))
    removed = []
    for folder in folders:
        try:
            folder.rmdir()
            removed.append(str(folder))
        except OSError:  # not there, or a build still runs in it
            pass
    return removed
