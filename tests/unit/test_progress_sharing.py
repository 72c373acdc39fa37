"""Real Unix users (root only): a learner's progress file is readable by the teachers' group and by no other
learner, as `python -m dockerlab progress --share` sets it up on a hub machine."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from dockerlab import progress
from dockerlab.course import teachers
from tests.conftest import skip_or_fail


def as_user(login: str, func) -> object:
    """Run ``func()`` in a forked child as ``login`` (with its groups); its JSON-able result."""
    entry = pwd.getpwnam(login)
    groups = os.getgrouplist(login, entry.pw_gid)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: become the user, answer through the pipe, never return into pytest
        try:
            os.close(read)
            os.setgroups(groups)
            os.setgid(entry.pw_gid)
            os.setuid(entry.pw_uid)
            os.environ["HOME"] = entry.pw_dir
            os.environ.pop("DOCKERLAB_PROGRESS", None)  # the default place: ~/.dockerlab/progress.json
            answer = json.dumps({"ok": func()})
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            answer = json.dumps({"error": f"{type(exc).__name__}: {exc}"})
        os.write(write, answer.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        data = json.loads(pipe.read() or '{"error": "no answer"}')
    os.waitpid(pid, 0)
    return data


@pytest.fixture
def classroom():
    if os.geteuid() != 0:
        skip_or_fail("creating Unix users needs root")
    tag = uuid.uuid4().hex[:6]
    group, alice, bob, teacher = f"dlt{tag}", f"dla{tag}", f"dlb{tag}", f"dlt{tag}t"
    top = Path(tempfile.mkdtemp(prefix="dockerlab-homes-"))  # pytest's tmp_path is root's only: users need a way in
    top.chmod(0o755)
    homes = top / "home"
    homes.mkdir(mode=0o755)
    made_users = []
    subprocess.run(["groupadd", group], check=True)
    try:
        for login in (alice, bob, teacher):
            extra = ["-G", group] if login == teacher else []
            subprocess.run(["useradd", "-m", "-d", str(homes / login), "-s", "/bin/sh", *extra, login], check=True,
                           capture_output=True)
            made_users.append(login)
        yield {"group": group, "alice": alice, "bob": bob, "teacher": teacher, "homes": homes}
    finally:
        for login in made_users:
            subprocess.run(["userdel", "-r", login], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)
        shutil.rmtree(top, ignore_errors=True)


def test_teachers_read_a_learners_progress_other_learners_do_not(classroom):
    alice, bob, teacher = classroom["alice"], classroom["bob"], classroom["teacher"]
    folder = teachers.share_progress(alice, classroom["group"])
    teachers.share_progress(bob, classroom["group"])
    home = Path(pwd.getpwnam(alice).pw_dir)
    assert folder == home / ".dockerlab" and folder.stat().st_mode & 0o7777 == 0o2750
    assert home.stat().st_mode & 0o777 == 0o710

    def alice_checks():
        return progress.record("00", "q2", "Exercise 2", "correct", learner=alice).status

    assert as_user(alice, alice_checks) == {"ok": "done"}
    f = folder / "progress.json"
    assert f.stat().st_uid == pwd.getpwnam(alice).pw_uid and f.stat().st_mode & 0o777 == 0o640

    def read_alice():
        lp = progress.read_class(classroom["homes"], learners=[alice])[0]
        return [lp.kind, sorted(lp.exercises)]

    assert as_user(teacher, read_alice) == {"ok": ["ok", ["00/q2"]]}
    assert as_user(bob, read_alice)["ok"][0] == "unreadable"

    def bob_snoops():
        found = []
        for attempt in (lambda: os.listdir(home), lambda: os.listdir(folder), lambda: f.read_bytes()):
            try:
                attempt()
                found.append("read")
            except PermissionError:
                found.append("denied")
        return found

    assert as_user(bob, bob_snoops) == {"ok": ["denied", "denied", "denied"]}
    # the teachers may reach the progress folder but not list the learner's home
    assert as_user(teacher, lambda: sorted(os.listdir(folder))) == {"ok": ["progress.json"]}
    assert "PermissionError" in as_user(teacher, lambda: os.listdir(home))["error"]


def test_sharing_names_a_missing_user_or_group_clearly(classroom):
    from dockerlab.errors import BadInput

    with pytest.raises(BadInput, match="no group named 'nosuchgroup-x'"):
        teachers.share_progress(classroom["alice"], "nosuchgroup-x")
