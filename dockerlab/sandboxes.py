"""The network sandboxes a killed dockerd leaves behind, found and removed before an engine starts in its place.

dockerd gives each running container a network namespace of its own (libnetwork's *sandbox*) and keeps it alive with
a bind mount below its exec root: ``/var/run/docker/netns/<id>``. Stopped in order, dockerd removes them. Killed
(``kill -9``, a machine's session ended under it), it leaves them, and with each one the container's end of a veth
pair, still on the engine's bridge and still holding the container's address.

An engine started again on the same data root finds its old containers and removes their sandboxes itself. One
started with an **empty** data root (an engine whose data lived in memory, as CI's does, or a fresh data folder)
knows nothing of them: it hands the same addresses out again (``172.17.0.2`` first), and the machine then reaches the
dead sandbox instead of the new container — ``Connection reset by peer`` on every published port of the containers
that got a clashing address (measured: Docker 20.10, a kill -9'd engine, a new one with an empty data root).

:func:`clear_stale` removes such leftovers, and only those: below an exec root no running dockerd uses, namespaces
no process lives in. :meth:`dockerlab.daemon.Daemon.start` calls it before it starts a dockerd.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

__all__ = ["DEFAULT_EXEC_ROOT", "clear_stale", "dockerd_exec_roots"]

#: where dockerd keeps its run-time state when started without ``--exec-root``
DEFAULT_EXEC_ROOT = "/var/run/docker"


def _processes(proc: Path) -> list[Path]:
    try:
        return [entry for entry in proc.iterdir() if entry.name.isdigit()]
    except OSError:
        return []


def dockerd_exec_roots(proc: Path = Path("/proc")) -> set[str]:
    """The exec roots (resolved) of every dockerd running on this machine: ``--exec-root``, else Docker's default."""
    roots = set()
    for entry in _processes(proc):
        try:
            argv = [word.decode(errors="replace") for word in (entry / "cmdline").read_bytes().split(b"\0") if word]
        except OSError:
            continue
        if not argv or os.path.basename(argv[0]) != "dockerd":
            continue
        root = DEFAULT_EXEC_ROOT
        for i, word in enumerate(argv[1:], start=1):
            if word == "--exec-root" and i + 1 < len(argv):
                root = argv[i + 1]
            elif word.startswith("--exec-root="):
                root = word.split("=", 1)[1]
        roots.add(os.path.realpath(root))
    return roots


def _namespaces_in_use(proc: Path) -> set[tuple[int, int]]:
    """The network namespaces processes live in, as (device, inode) — what ``stat`` says of a namespace's file."""
    used = set()
    for entry in _processes(proc):
        try:
            info = os.stat(entry / "ns" / "net")
        except OSError:
            continue
        used.add((info.st_dev, info.st_ino))
    return used


def clear_stale(exec_root: str = DEFAULT_EXEC_ROOT, proc: Path = Path("/proc")) -> list[str]:
    """Remove the sandboxes a killed dockerd left below ``exec_root``: none while a dockerd runs with that exec
    root, and none a process still lives in. Returns the names of those removed."""
    folder = Path(exec_root) / "netns"
    if not folder.is_dir() or os.path.realpath(exec_root) in dockerd_exec_roots(proc):
        return []
    in_use = _namespaces_in_use(proc)
    here = os.stat(folder).st_dev
    removed = []
    for sandbox in sorted(folder.iterdir()):
        try:
            info = os.stat(sandbox)
        except OSError:
            continue
        if (info.st_dev, info.st_ino) in in_use:
            continue  # a container's process still runs in it (its shim outlived dockerd): not a leftover
        if info.st_dev != here:  # a namespace bind-mounted on the file (Path.is_mount says False for files)
            subprocess.run(["umount", "-l", str(sandbox)], capture_output=True)  # the namespace and its veth go
        try:
            sandbox.unlink()
        except OSError:
            continue
        removed.append(sandbox.name)
    return removed
