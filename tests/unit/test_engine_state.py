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
