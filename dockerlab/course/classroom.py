"""The root set-up of a classroom machine: `./lab classroom setup CLASS_LIST --teacher NAME` (as root).

It makes the machine ready for one rootless engine per learner and for the hub (see :mod:`dockerlab.course.hub`):
Debian's packages (docker.io, rootlesskit, slirp4netns, uidmap, python3-venv), a Unix user per name of the
class list (each in the group ``dlab-learners``, with subordinate id ranges and, when new, a random password
written to a root-only file), the tun device opened to that group only, the kit installed where learners can
use it (``/opt/dockerlab``: a virtual environment with the kit, JupyterLab and JupyterHub, the proxy from npm,
the course's notebooks and images), and the course notebooks in each learner's home (``~/course``). Every
step is idempotent: a second run changes nothing that is already right and never overwrites a learner's work.
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import re
import secrets
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import BadInput, DockerlabError
from ..i18n import _
from ..rootless import TUN, subid_range
from .teachers import ensure_teachers, share_progress

__all__ = ["LEARNER_GROUP", "PREFIX", "ClassList", "read_class_list", "setup", "install_prefix", "copy_course",
           "ensure_user", "ensure_tun", "Installation"]

LEARNER_GROUP = "dlab-learners"
PREFIX = Path("/opt/dockerlab")
PACKAGES = ("docker.io", "rootlesskit", "slirp4netns", "uidmap", "python3-venv", "iptables", "iproute2")
HUB_PACKAGES = ("jupyterhub>=5", "jupyterhub-idle-culler", "jupyterlab>=4")
PROXY_PACKAGE = "configurable-http-proxy@4"
_USER_RE = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
_UDEV_RULE = Path("/etc/udev/rules.d/70-dockerlab-tun.rules")
#: the checkout the set-up installs from (this file is dockerlab/course/classroom.py in it)
SOURCE = Path(__file__).resolve().parents[2]

Log = Callable[[str], None]


@dataclass(frozen=True)
class ClassList:
    learners: list[str]
    teacher: str | None
    #: the course's language for this class: 'en' or 'ko' (notebooks/<lang>/, the kit's messages, JupyterLab's menus)
    lang: str = "en"

    @property
    def everyone(self) -> list[str]:
        return self.learners + ([self.teacher] if self.teacher and self.teacher not in self.learners else [])


def read_class_list(path: str | os.PathLike[str], teacher: str | None = None) -> ClassList:
    """One Unix user name per line (``#`` comments and blank lines ignored); ``--teacher`` names the hub admin."""
    source = Path(path)
    try:
        text = source.read_text()
    except OSError as exc:
        raise BadInput(_("Cannot read the class list {path}: {error}.").format(path=source, error=exc.strerror or exc),
                       _("Give a text file with one user name per line.")) from None
    names: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if not _USER_RE.match(line):
            raise BadInput(_("Line {number} of {path}: {name!r} is not a usable Unix user name.").format(
                number=number, path=source, name=line),
                _("Use lowercase letters, digits, '-' and '_', starting with a letter (e.g. 'kim-minji')."))
        if line in ("root",) or line in names:
            why = _("Line {number} of {path}: {name!r} is root.") if line == "root" else \
                _("Line {number} of {path}: {name!r} is listed twice.")
            raise BadInput(why.format(number=number, path=source, name=line),
                           _("List each learner once, and never root."))
        names.append(line)
    if not names:
        raise BadInput(_("The class list {path} names nobody.").format(path=source), _("Write one user name per line."))
    if teacher is not None and not _USER_RE.match(teacher):
        raise BadInput(_("{name!r} is not a usable Unix user name for the teacher.").format(name=teacher),
                       _("e.g. --teacher teacher"))
    return ClassList(names, teacher)


def _run(cmd: list[str], what: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    if done.returncode != 0:
        raise DockerlabError(_("{what} failed: `{command}` said:").format(what=what, command=" ".join(cmd)) + "\n"
                             + (done.stderr or done.stdout)[-1500:],
                             _("Fix what it names (network, apt sources, disk), then run `./lab classroom setup` "
                               "again."))
    return done


def _require_root() -> None:
    if os.geteuid() != 0:
        raise DockerlabError(_("Setting up a classroom changes users, devices and packages: it needs root."),
                             _("Run it as root: `sudo ./lab classroom setup CLASS_LIST --teacher NAME`."))


def install_packages(log: Log = print, packages: Iterable[str] = PACKAGES) -> list[str]:
    """Install the Debian packages that are missing; returns their names."""
    missing = [p for p in packages if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode != 0]
    if not missing:
        return []
    log(_("Installing {packages} with apt").format(packages=" ".join(missing)))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    lock = ["-o", "DPkg::Lock::Timeout=300"]
    cmd = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *lock, *missing]
    if subprocess.run(cmd, env=env, capture_output=True).returncode != 0:
        _run(["apt-get", "update", "-qq", *lock], "apt-get update", env=env)
        _run(cmd, _("Installing packages"), env=env)
    return missing


def ensure_group(name: str = LEARNER_GROUP) -> int:
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        _run(["groupadd", "--system", name], _("Creating the group {name}").format(name=name))
        return grp.getgrnam(name).gr_gid


def ensure_tun(group: str = LEARNER_GROUP, log: Log = print) -> str:
    """Make /dev/net/tun exist and usable by ``group`` only (0660); persist it with a udev rule where udev runs."""
    if not os.path.exists(TUN):
        os.makedirs(os.path.dirname(TUN), exist_ok=True)
        try:
            os.mknod(TUN, 0o660 | stat.S_IFCHR, os.makedev(10, 200))
        except OSError as exc:
            raise DockerlabError(_("This machine has no {device} and it cannot be made here ({error}).").format(
                device=TUN, error=exc.strerror), _("In a container, start it with `--device /dev/net/tun`; on a VM, "
                                                   "load the tun module (`modprobe tun`).")) from None
        log(_("Made {device}").format(device=TUN))
    gid = grp.getgrnam(group).gr_gid
    st = os.stat(TUN)
    if st.st_gid != gid or stat.S_IMODE(st.st_mode) & 0o060 != 0o060:
        os.chown(TUN, 0, gid)
        os.chmod(TUN, stat.S_IMODE(st.st_mode) | 0o660)
        log(_("{device}: group {group} may open it (mode {mode:o})").format(device=TUN, group=group,
                                                                             mode=stat.S_IMODE(os.stat(TUN).st_mode)))
    if _UDEV_RULE.parent.is_dir() and not _UDEV_RULE.exists():
        _UDEV_RULE.write_text(f'KERNEL=="tun", GROUP="{group}", MODE="0660"\n')
    return f"{stat.S_IMODE(os.stat(TUN).st_mode):o} root:{group}"


def _next_subid_start() -> int:
    top = 100000
    for path in ("/etc/subuid", "/etc/subgid"):
        try:
            for line in Path(path).read_text().splitlines():
                parts = line.split(":")
                if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                    top = max(top, int(parts[1]) + int(parts[2]))
        except OSError:
            pass
    return top


def ensure_user(name: str, group: str = LEARNER_GROUP, log: Log = print) -> str | None:
    """The Unix user ``name`` in ``group`` with subordinate ids; returns a new password when the user is new."""
    password = None
    try:
        pwd.getpwnam(name)
        _run(["usermod", "-aG", group, name], _("Adding {name} to {group}").format(name=name, group=group))
    except KeyError:
        _run(["useradd", "--create-home", "--shell", "/bin/bash", "--groups", group, name],
             _("Creating user {name}").format(name=name))
        password = secrets.token_urlsafe(9)
        _run(["chpasswd"], _("Setting {name}'s password").format(name=name), input=f"{name}:{password}\n")
        log(_("Created user {name}").format(name=name))
    entry = pwd.getpwnam(name)
    uid = entry.pw_uid
    home = Path(entry.pw_dir)
    if home.is_dir() and stat.S_IMODE(home.stat().st_mode) & 0o007:
        os.chmod(home, stat.S_IMODE(home.stat().st_mode) & ~0o007)  # other learners may not read it (a group stays)
    for path, flag in (("/etc/subuid", "--add-subuids"), ("/etc/subgid", "--add-subgids")):
        if subid_range(name, uid, path) is None:
            start = _next_subid_start()
            _run(["usermod", flag, f"{start}-{start + 65535}", name],
                 _("Giving {name} subordinate ids").format(name=name))
    return password


@dataclass(frozen=True)
class Installation:
    """Where the kit is installed for a class: readable and usable by every learner."""

    prefix: Path = PREFIX

    @property
    def venv(self) -> Path:
        return self.prefix / "venv"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def course(self) -> Path:
        return self.prefix / "course"

    @property
    def proxy(self) -> Path:
        return self.prefix / "node" / "node_modules" / ".bin" / "configurable-http-proxy"

    @property
    def class_file(self) -> Path:
        return self.prefix / "classroom.json"

    @property
    def bundle(self) -> Path:
        return self.prefix / "course-bundle.tar"

    @property
    def passwords(self) -> Path:
        return self.prefix / "passwords.txt"

    def read_class(self) -> ClassList:
        try:
            data = json.loads(self.class_file.read_text())
        except (OSError, ValueError):
            raise DockerlabError(_("No class is set up here ({path} is missing).").format(path=self.class_file),
                                 _("Run `./lab classroom setup CLASS_LIST --teacher NAME` first (as root).")) from None
        return ClassList(list(data["learners"]), data.get("teacher"), data.get("lang", "en"))


def install_prefix(source: Path, inst: Installation, log: Log = print) -> None:
    """The kit, JupyterLab, JupyterHub and the proxy under ``inst.prefix``, world-readable; the course beside."""
    inst.prefix.mkdir(parents=True, exist_ok=True)
    os.chmod(inst.prefix, 0o755)
    if not inst.python.exists():
        log(_("Creating {path} (Debian's python3, so every learner can run it)").format(path=inst.venv))
        base = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
        _run([base, "-m", "venv", str(inst.venv)], _("Creating the class's virtual environment"))
    marker = inst.venv / ".dockerlab-source"
    stamp = _source_stamp(source)
    if not marker.exists() or marker.read_text() != stamp:
        log(_("Installing the kit, JupyterLab and JupyterHub into it (pip)"))
        _run([str(inst.python), "-m", "pip", "install", "-q", "--upgrade", "pip"], _("Upgrading pip"))
        _run([str(inst.python), "-m", "pip", "install", "-q", str(source), *HUB_PACKAGES], _("Installing the kit"))
        marker.write_text(stamp)
    if not inst.proxy.exists():
        npm = shutil.which("npm")
        if npm is None:
            install_packages(log, ("nodejs", "npm"))
            npm = shutil.which("npm") or "npm"
        log(_("Installing configurable-http-proxy (npm)"))
        (inst.prefix / "node").mkdir(exist_ok=True)
        _run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(inst.prefix / "node"),
              PROXY_PACKAGE], _("Installing configurable-http-proxy"))
    course_stamp = _source_stamp(source, ("notebooks", "images"))
    marker = inst.course / ".dockerlab-source"
    if marker.exists() and marker.read_text() == course_stamp:
        return  # the course is as the source has it: never replace files under running learners for nothing
    for part in ("notebooks", "images"):
        target = inst.course / part
        if target.exists():
            shutil.rmtree(target)
        skip = ["__pycache__", ".ipynb_checkpoints", "node_modules"] + (["src"] if part == "notebooks" else [])
        shutil.copytree(source / part, target, ignore=shutil.ignore_patterns(*skip))
    for path in [inst.prefix, *inst.prefix.rglob("*")]:
        if path.is_symlink():
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        path.chmod(mode | 0o044 | (0o011 if path.is_dir() or mode & 0o100 else 0))
    marker.write_text(course_stamp)


def _source_stamp(source: Path, parts: tuple[str, ...] = ("dockerlab",)) -> str:
    """Changes when the kit's code (or the course's ``parts``) changes, so a second set-up redoes only then."""
    import hashlib

    digest = hashlib.sha256()
    files = [p for part in parts for p in sorted((source / part).rglob("*")) if p.is_file()
             and "__pycache__" not in p.parts and "node_modules" not in p.parts]
    for path in files + ([source / "pyproject.toml"] if parts == ("dockerlab",) else []):
        digest.update(path.relative_to(source).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def jupyterlab_locale(venv: Path, lang: str) -> None:
    """JupyterLab's menus in the class's language (its Korean language pack), as the default a learner may change."""
    path = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings = json.loads(path.read_text()) if path.exists() else {}
    settings["@jupyterlab/translation-extension:plugin"] = {"locale": {"ko": "ko_KR"}.get(lang, "en")}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2) + "\n")
    path.chmod(0o644)


PROFILE = Path("/etc/profile.d/dockerlab.sh")


def ensure_profile(inst: Installation) -> None:
    """Learners' login shells (a JupyterLab terminal is one) find the class's python and `dockerlab` first."""
    bin_dir = inst.venv / "bin"
    PROFILE.write_text(f"# dockerlab classroom: the kit's python and command first (written by classroom setup)\n"
                       f'case ":$PATH:" in *":{bin_dir}:"*) ;; *) PATH="{bin_dir}:$PATH"; export PATH ;; esac\n'
                       f'export DOCKERLAB_IMAGES="{inst.course / "images"}"\n')
    os.chmod(PROFILE, 0o644)


def copy_course(user: str, inst: Installation, *, solutions: bool = False, lang: str = "en") -> Path:
    """The course notebooks in ``lang`` (``notebooks/<lang>/``) in ``~user/course`` (files the learner already has are
    never overwritten)."""
    entry = pwd.getpwnam(user)
    target = Path(entry.pw_dir) / "course"
    folder = inst.course / "notebooks" / lang
    wanted = sorted(folder.glob("[0-9][0-9]-*.ipynb"))
    if solutions:
        wanted += sorted((folder / "solutions").glob("*.ipynb"))
    for src in wanted:
        dest = target / src.relative_to(folder)
        if dest.exists():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    for path in [target, *target.rglob("*")]:
        os.chown(path, entry.pw_uid, entry.pw_gid)
    return target


def setup(class_list: ClassList, *, source: Path | None = None, inst: Installation | None = None,
          bundle: str | os.PathLike[str] | None = None, log: Log = print) -> dict[str, str]:
    """The whole root set-up (idempotent). Returns the passwords of the users it created."""
    _require_root()
    inst = inst or Installation()
    source = source or SOURCE
    install_packages(log)
    ensure_group()
    log(ensure_tun(log=log))
    created: dict[str, str] = {}
    for name in class_list.everyone:
        password = ensure_user(name, log=log)
        if password:
            created[name] = password
    install_prefix(source, inst, log)
    if inst.prefix == PREFIX:
        ensure_profile(inst)
    if bundle is not None:
        from .bundle import verify

        verify(bundle)  # a damaged file is refused here, not at thirty logins
        shutil.copyfile(bundle, inst.bundle)
        os.chmod(inst.bundle, 0o644)
        log(_("Each learner's engine imports {path} at login when it lacks the course images.").format(
            path=inst.bundle))
    for name in class_list.everyone:
        copy_course(name, inst, solutions=name == class_list.teacher, lang=class_list.lang)
    jupyterlab_locale(inst.venv, class_list.lang)
    # the teacher's class view reads every learner's progress file, and no learner reads another's
    ensure_teachers([class_list.teacher] if class_list.teacher else [], log=log)
    for name in class_list.learners:
        share_progress(name)
    inst.class_file.write_text(json.dumps({"learners": class_list.learners, "teacher": class_list.teacher,
                                           "lang": class_list.lang}))
    if created:
        old = inst.passwords.read_text() if inst.passwords.exists() else ""
        fd = os.open(inst.passwords, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(old + "".join(f"{n} {p}\n" for n, p in created.items()))
        os.chmod(inst.passwords, 0o600)
        log(_("New users' passwords (hand them out; root-only file): {path}").format(path=inst.passwords))
    log(_("Classroom ready: {count} learners, teacher {teacher}; start the hub with `./lab classroom start`.").format(
        count=len(class_list.learners), teacher=class_list.teacher or _("(none)")))
    return created
