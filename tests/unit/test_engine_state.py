"""Offline: one engine, one state — `./lab` and `python -m dockerlab engine …` look in the same folder.

`./lab start` may start dockerd (through `python -m dockerlab engine ensure`); `python -m dockerlab engine
status|stop`, typed later in another shell, must find that dockerd's pid file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT_STATE = "from dockerlab.daemon import state_dir; print(state_dir())"


def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKERLAB_")}
    env["XDG_STATE_HOME"] = str(tmp_path / "xdg")  # a non-root user's default lands here, not in their home
    return env


def test_lab_and_the_kit_use_the_same_state_folder(tmp_path):
    # a stand-in for the venv's python: whatever `./lab stop-engine` asks it to run, it reports the state
    # folder the kit would use with the environment `./lab` gave it
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    report = tmp_path / "state-seen-by-lab"
    fake = venv / "bin" / "python"
    fake.write_text(f"#!/bin/sh\nexec {sys.executable} -c '{PRINT_STATE}' > {report}\n")
    fake.chmod(0o755)
    env = _clean_env(tmp_path)
    subprocess.run([str(ROOT / "lab"), "stop-engine"], env=dict(env, DOCKERLAB_VENV=str(venv)), check=True,
                   capture_output=True, cwd=tmp_path)
    plain = subprocess.run([sys.executable, "-c", PRINT_STATE], env=env, check=True, capture_output=True,
                           text=True, cwd=tmp_path).stdout.strip()
    assert report.read_text().strip() == plain


def test_engine_status_names_the_pid_file_it_read(tmp_path):
    env = dict(_clean_env(tmp_path), DOCKERLAB_STATE=str(tmp_path / "state"),
               DOCKER_HOST=f"unix://{tmp_path}/none.sock", COLUMNS="400")
    out = subprocess.run([sys.executable, "-m", "dockerlab", "engine", "status"], env=env, capture_output=True,
                         text=True, cwd=ROOT).stdout
    assert "not running" in out and str(tmp_path / "state" / "engine" / "dockerd.pid") in " ".join(out.split())


def test_the_engine_in_memory_is_asked_for_and_found_again(tmp_path, monkeypatch):
    """``DOCKERLAB_ENGINE_IN_MEMORY=1`` (CI's throw-away machine): the engine the kit starts keeps its data root on a
    tmpfs below the kit's state folder; unset, Docker's usual data root. A later ``engine stop`` in a shell without
    the variable finds the in-memory engine by its mounted data root."""
    from dockerlab import daemon

    monkeypatch.setenv("DOCKERLAB_STATE", str(tmp_path))
    monkeypatch.delenv(daemon.IN_MEMORY, raising=False)
    plain = daemon.main_daemon()
    assert plain.data_root is None and not plain.data_on_tmpfs
    assert "--data-root" not in plain.command()

    monkeypatch.setenv(daemon.IN_MEMORY, "1")
    memory = daemon.main_daemon()
    data = tmp_path / "engine" / "data"
    assert memory.data_root == str(data) and memory.data_on_tmpfs and memory.tmpfs_size == daemon.MAIN_TMPFS_SIZE
    assert memory.command()[memory.command().index("--data-root") + 1] == str(data)

    monkeypatch.delenv(daemon.IN_MEMORY)
    monkeypatch.setattr(Path, "is_mount", lambda self: self == data)  # as after `start` mounted it
    assert daemon.main_daemon().data_on_tmpfs


def test_stopping_an_engine_in_memory_unmounts_its_data_even_when_it_died(tmp_path, monkeypatch):
    from dockerlab import daemon

    monkeypatch.setenv("DOCKERLAB_STATE", str(tmp_path))
    unmounted: list[Path] = []
    monkeypatch.setattr(daemon, "unmount_below", unmounted.append)
    engine = daemon.Daemon(name="engine", data_root=str(tmp_path / "engine" / "data"), data_on_tmpfs=True)
    assert engine.stop(log=lambda _line: None) is False  # no pid file: a dockerd that died
    assert unmounted == [tmp_path / "engine" / "data"]
    on_disk = daemon.Daemon(name="engine", data_root=str(tmp_path / "other"))
    on_disk.stop(log=lambda _line: None)
    assert unmounted == [tmp_path / "engine" / "data"]  # a data root on disk is left alone
