"""Offline: the learner's build cgroup (a pids limit every build step shares) on a stand-in cgroup folder."""

from __future__ import annotations

import os
import socket
from types import SimpleNamespace

import pytest

from dockerlab import limits


class Engine:
    """Just what build_cgroup asks: the engine's socket and its `docker info`, counting the questions."""

    def __init__(self, socket_path: str, **info: object) -> None:
        self.api = SimpleNamespace(_custom_adapter=SimpleNamespace(socket_path=socket_path))
        self.answers = {"CgroupDriver": "cgroupfs", "SecurityOptions": ["name=seccomp,profile=default"],
                        "KernelVersion": os.uname().release, "Name": socket.gethostname(), **info}
        self.asked = 0

    def info(self) -> dict:
        self.asked += 1
        return self.answers


@pytest.fixture
def cgroups(tmp_path, monkeypatch):
    """A cgroup v1 tree with a pids hierarchy; the kit runs as root; no engine answered before."""
    (tmp_path / "pids").mkdir()
    monkeypatch.setattr(limits, "CGROUP_ROOT", tmp_path)
    monkeypatch.setattr(limits.os, "geteuid", lambda: 0)
    monkeypatch.setattr(limits, "_HERE", {})
    return tmp_path


def test_the_engine_is_asked_once_and_the_limit_written_once(cgroups):
    engine = Engine("/run/one.sock")
    first = limits.build_cgroup(engine, "alice", 64)
    folder = cgroups / "pids" / "dockerlab" / "builds-alice"
    assert first == limits.BuildCgroup("/dockerlab/builds-alice", 64)
    assert (folder / "pids.max").read_text() == "64\n" and limits.parent_pids_max(first.parent) == 64
    written = (folder / "pids.max").stat().st_mtime_ns
    os.utime(folder / "pids.max", ns=(1, 1))
    assert limits.build_cgroup(engine, "alice", 64) == first
    assert (folder / "pids.max").stat().st_mtime_ns == 1 != written  # the same limit is not written again
    assert limits.build_cgroup(engine, "alice", 32).pids_limit == 32 and limits.pids_max(folder) == 32
    assert engine.asked == 1  # one `docker info` for every build on this engine
    other = Engine("/run/two.sock", CgroupDriver="systemd")
    assert "systemd" in limits.build_cgroup(other, "alice").why and other.asked == 1
    assert limits.build_cgroup(other, "alice").parent is None and other.asked == 1


def test_no_limit_is_read_as_none(cgroups):
    folder = cgroups / "pids" / "dockerlab" / "builds-bob"
    assert limits.pids_max(folder) is None  # no such cgroup
    folder.mkdir(parents=True)
    (folder / "pids.max").write_text("max\n")
    assert limits.parent_pids_max("/dockerlab/builds-bob") is None
    assert limits.remove_build_cgroups("bob") == []  # not empty (the stand-in holds a file): kept, no error
