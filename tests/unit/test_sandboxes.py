"""The sandboxes a killed dockerd left: found below an exec root no dockerd uses, kept while a process lives in one.
A fake /proc: each process a folder with its ``cmdline`` and ``ns/net`` (a hard link to a sandbox file stands for a
process living in that namespace: same device and inode, as ``stat`` of a real namespace says)."""

from __future__ import annotations

import os
from pathlib import Path

from dockerlab import sandboxes


def _process(proc: Path, pid: int, *argv: str, netns: Path | None = None) -> None:
    folder = proc / str(pid)
    (folder / "ns").mkdir(parents=True)
    (folder / "cmdline").write_bytes(b"\0".join(word.encode() for word in argv) + b"\0")
    if netns is not None:
        os.link(netns, folder / "ns" / "net")
    else:
        (folder / "ns" / "net").write_text("")


def _exec_root(tmp_path: Path, *sandboxes_left: str) -> Path:
    root = tmp_path / "exec"
    (root / "netns").mkdir(parents=True)
    for name in sandboxes_left:
        (root / "netns" / name).write_text("")
    return root


def test_the_exec_roots_of_running_dockerds_with_docker_s_default(tmp_path):
    proc = tmp_path / "proc"
    _process(proc, 10, "/usr/sbin/dockerd", "--pidfile", "/x/dockerd.pid")
    _process(proc, 11, "dockerd", "-H", "unix:///s.sock", "--exec-root", str(tmp_path / "a"))
    _process(proc, 12, "dockerd", f"--exec-root={tmp_path / 'b'}")
    _process(proc, 13, "containerd", "--exec-root", str(tmp_path / "c"))  # not a dockerd
    (proc / "14").mkdir()  # a process that ended while we looked: no cmdline
    assert sandboxes.dockerd_exec_roots(proc) == {os.path.realpath(sandboxes.DEFAULT_EXEC_ROOT),
                                                  str(tmp_path / "a"), str(tmp_path / "b")}


def test_leftovers_are_removed_and_a_sandbox_a_process_lives_in_is_kept(tmp_path):
    root = _exec_root(tmp_path, "4b21ab4156f8", "f6561365db16")
    proc = tmp_path / "proc"
    _process(proc, 20, "/pause", netns=root / "netns" / "f6561365db16")  # a container whose shim outlived dockerd
    _process(proc, 21, "bash")
    assert sandboxes.clear_stale(str(root), proc) == ["4b21ab4156f8"]
    assert sorted(p.name for p in (root / "netns").iterdir()) == ["f6561365db16"]


def test_nothing_is_touched_while_a_dockerd_runs_with_that_exec_root(tmp_path):
    root = _exec_root(tmp_path, "4b21ab4156f8")
    proc = tmp_path / "proc"
    _process(proc, 30, "dockerd", "--exec-root", str(root))
    assert sandboxes.clear_stale(str(root), proc) == []
    assert (root / "netns" / "4b21ab4156f8").exists()


def test_an_exec_root_without_sandboxes_is_left_alone(tmp_path):
    assert sandboxes.clear_stale(str(tmp_path / "never-made"), tmp_path / "proc") == []
