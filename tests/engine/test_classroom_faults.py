"""Faults of a learner's own rootless engine, on the real thing (root only; the kit's user ``dlab-f1``):
a full disk in the learner's engine is named, with a Hint; a learner without subordinate ids is refused by
``engine start --rootless`` with one message and a Hint, and nothing is started.

The learner runs the kit installed for the class (``/opt/dockerlab``, made by ``classroom setup``) through
``runuser``, exactly as in their own terminal.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import skip_or_fail

pytestmark = [pytest.mark.engine, pytest.mark.hub, pytest.mark.slow,
              pytest.mark.docker_only(reason="the learner's engine is their own rootless dockerd (the kit's classroom "
                                             "set-up), filled from a bundle of the machine's Docker engine")]

ROOT = Path(__file__).resolve().parents[2]
USER = "dlab-f1"


@pytest.fixture(scope="module")
def learner(engine_client):
    if os.geteuid() != 0:
        skip_or_fail("these faults need learner accounts and a small filesystem: root only")
    from dockerlab.course.classroom import ClassList, Installation, install_packages, install_prefix
    from dockerlab.course.classroom import ensure_group, ensure_tun, ensure_user

    inst = Installation()
    install_packages(log=lambda _: None)
    ensure_group()
    ensure_tun(log=lambda _: None)
    ensure_user(USER, log=lambda _: None)
    install_prefix(ROOT, inst, log=lambda _: None)
    assert ClassList([USER], None).everyone == [USER]
    return inst


def _as_learner(inst, env: dict[str, str], *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    entry = pwd.getpwnam(USER)
    base = {"HOME": entry.pw_dir, "USER": USER, "PATH": f"{inst.venv / 'bin'}:/usr/bin:/bin:/usr/sbin:/sbin",
            "XDG_RUNTIME_DIR": f"/run/user/{entry.pw_uid}", "TERM": "dumb", "COLUMNS": "200",
            "DOCKERLAB_IMAGES": str(inst.course / "images")}  # as the learners' login shells have it
    run = Path(base["XDG_RUNTIME_DIR"])
    run.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chown(run, entry.pw_uid, entry.pw_gid)
    return subprocess.run(["runuser", "-u", USER, "--", "env", "-i", *(f"{k}={v}" for k, v in {**base, **env}.items()),
                           *args], capture_output=True, text=True, timeout=timeout, cwd="/")


def test_a_full_disk_in_a_learners_engine_is_named_with_a_hint(learner, tmp_path):
    from dockerlab.course.bundle import export_bundle

    entry = pwd.getpwnam(USER)
    small = Path(tempfile.mkdtemp(prefix="dlab-full-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size=400m,uid={entry.pw_uid},gid={entry.pw_gid},mode=0700",
                    "tmpfs", str(small)], check=True)
    bundle = Path(tempfile.mkdtemp(prefix="dlab-base-")) / "base.tar"
    env = {"XDG_DATA_HOME": str(small / "data"), "XDG_STATE_HOME": str(small / "state")}
    try:
        export_bundle(bundle, apps=["hello"], log=lambda _: None)
        os.chmod(bundle.parent, 0o755)
        os.chmod(bundle, 0o644)
        started = _as_learner(learner, env, "python", "-m", "dockerlab", "engine", "start", "--rootless")
        assert started.returncode == 0, started.stdout + started.stderr
        imported = _as_learner(learner, env, "python", "-m", "dockerlab", "bundle", "import", str(bundle))
        assert imported.returncode == 0, imported.stdout + imported.stderr
        filled = _as_learner(learner, env, "python", "-c", (
            "import dockerlab as lab\nfrom dockerlab.errors import DockerlabError\n"
            "try:\n"
            "    lab.build('filler:v1', dockerfile='FROM dockerlab/hello:1.0\\n"
            "RUN dd if=/dev/zero of=/big bs=1M count=600\\n')\n"
            "except DockerlabError as err:\n"
            "    print(type(err).__name__, err.message)\n"))
        out = filled.stdout + filled.stderr
        assert "disk is full" in out and "Hint:" in out and "reset" in out, out
        assert out.count("Hint:") == 1, out
    finally:
        _as_learner(learner, env, "python", "-m", "dockerlab", "engine", "stop", "--rootless")
        subprocess.run(["umount", "-l", str(small)], capture_output=True)
        shutil.rmtree(small, ignore_errors=True)
        shutil.rmtree(bundle.parent, ignore_errors=True)


def test_a_learner_without_subordinate_ids_is_refused_with_a_hint(learner, tmp_path, monkeypatch):
    saved = {p: Path(p).read_text() for p in ("/etc/subuid", "/etc/subgid")}
    try:
        for path, text in saved.items():  # take dlab-f1's ranges away for a moment (only that user's lines)
            Path(path).write_text("".join(line + "\n" for line in text.splitlines()
                                          if not line.startswith(f"{USER}:")))
        env = {"XDG_STATE_HOME": str(tmp_path / "state")}
        os.chmod(tmp_path, 0o777)
        refused = _as_learner(learner, env, "python", "-m", "dockerlab", "engine", "start", "--rootless")
    finally:
        for path, text in saved.items():
            Path(path).write_text(text)
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0 and "RootlessUnavailable" in out, out
    assert f"{USER} has no subordinate user ids" in out and out.count("Hint:") == 1, out
    assert not (tmp_path / "state" / "dockerlab" / "rootless" / "engine.json").exists()  # nothing started
