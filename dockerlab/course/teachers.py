"""The teachers of a class machine: a group that may read every learner's progress folder, and nothing else of theirs.

    python -m dockerlab progress --share alice --group dlab-teachers     (root; `./lab classroom setup` does it)

A learner's progress file is ``~/.dockerlab/progress.json`` (:mod:`dockerlab.progress`). For the teachers' class view
to read it, the learner's home gets the teachers' group with traverse-only access (mode 0710: the teachers may reach
the folder but not list the home) and the folder is ``learner:teachers`` 2750, so every file in it keeps the group;
the kit writes the file 0640. Other learners get no access to either.
"""

from __future__ import annotations

import grp
import os
import pwd
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import BadInput
from ..i18n import _

__all__ = ["TEACHERS_GROUP", "PROGRESS_FOLDER", "PROGRESS_FILE", "ensure_teachers", "share_progress"]

TEACHERS_GROUP = "dlab-teachers"
#: where a learner's progress lives, under their home
PROGRESS_FOLDER = ".dockerlab"
PROGRESS_FILE = "progress.json"


def _require_root(what: str) -> None:
    if os.geteuid() != 0:
        raise BadInput(_("{what} needs root.").format(what=what), _("Run it as root (sudo)."))


def ensure_teachers(teachers: Sequence[str], group: str = TEACHERS_GROUP, log: Callable[[str], None] = print) -> int:
    """(root) The teachers' group, with ``teachers`` in it; its gid."""
    _require_root(_("Making the teachers' group"))
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        subprocess.run(["groupadd", "--system", group], check=True, capture_output=True)
        gid = grp.getgrnam(group).gr_gid
        log(_("Created the group {group} (teachers: they read every learner's progress)").format(group=group))
    for teacher in teachers:
        if teacher not in grp.getgrgid(gid).gr_mem:
            subprocess.run(["usermod", "-aG", group, teacher], check=True, capture_output=True)
    return gid


def share_progress(login: str, group: str = TEACHERS_GROUP) -> Path:
    """(root) Let ``group`` (the teachers) read ``login``'s progress folder, and no other learner."""
    try:
        entry = pwd.getpwnam(login)
    except KeyError:
        raise BadInput(_("There is no user named '{login}' here.").format(login=login),
                       _("Give the learner's login name.")) from None
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise BadInput(_("There is no group named '{group}' here.").format(group=group),
                       _("Create the teachers' group first (`groupadd {group}`) and add the teachers to it.").format(
                           group=group)) from None
    _require_root(_("Sharing a learner's progress with the teachers"))
    home = Path(entry.pw_dir)
    folder = home / PROGRESS_FOLDER
    folder.mkdir(mode=0o750, parents=True, exist_ok=True)
    os.chown(home, entry.pw_uid, gid)
    os.chmod(home, (home.stat().st_mode & 0o700) | 0o010)
    os.chown(folder, entry.pw_uid, gid)
    os.chmod(folder, 0o2750)
    for f in folder.iterdir():
        if f.is_file() and not f.is_symlink():
            os.chown(f, entry.pw_uid, gid)
            os.chmod(f, 0o640)
    return folder
