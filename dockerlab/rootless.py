"""A learner's own engine: rootless Docker, started and stopped by the learner, no root needed.

``python -m dockerlab engine start --rootless`` (as the learner) starts Debian's ``dockerd-rootless.sh`` in the
background, or reuses the engine already running. Its state lives in the learner's XDG folders:

- images, containers, volumes: ``$XDG_DATA_HOME/docker`` (``~/.local/share/docker``, rootless Docker's default);
- pid, socket and log: ``$XDG_STATE_HOME/dockerlab/rootless/`` (``engine.json``, ``dockerd.log``);
- the socket itself: ``$XDG_RUNTIME_DIR/docker.sock`` (``/run/user/<uid>`` when it is the learner's, else
  ``/tmp/dockerlab-run-<uid>``, made 0700).

``engine stop|status --rootless`` find it again through ``engine.json``, from a terminal, a kernel or the hub.
Only its owner can reach the socket; inside, the learner is root of nothing on the host (``-v /:/host`` gives
no root file). On cgroup v1 hosts such an engine cannot enforce ``--memory``/``--pids-limit``: doctor says so.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .daemon import engine_answers
from .errors import DockerlabError, EngineUnavailable
from .i18n import N_, _
from .polling import poll

__all__ = ["RootlessUnavailable", "RootlessPaths", "RootlessEngine", "preflight", "TUN", "SCRIPTS", "subid_range"]

TUN = "/dev/net/tun"
SUBUID, SUBGID = "/etc/subuid", "/etc/subgid"
#: where distributions put rootless Docker's launcher (Debian's docker.io; docker-ce-rootless-extras)
SCRIPTS = ("/usr/share/docker.io/contrib/dockerd-rootless.sh", "/usr/bin/dockerd-rootless.sh")
SETUP_HINT = N_("Ask your teacher to run `./lab classroom setup` on this machine (as root): it prepares all of this.")


class RootlessUnavailable(EngineUnavailable):
    """This machine (or this user) cannot run a rootless engine yet; the hint says what fixes it."""

    default_hint = SETUP_HINT


@dataclass(frozen=True)
class RootlessPaths:
    """Where one user's rootless engine keeps its data, state and socket."""

    user: str
    uid: int
    gid: int
    home: Path
    runtime_dir: Path
    data_root: Path
    state: Path

    @property
    def socket(self) -> Path:
        return self.runtime_dir / "docker.sock"

    @property
    def address(self) -> str:
        return f"unix://{self.socket}"

    @property
    def record(self) -> Path:
        return self.state / "engine.json"

    @property
    def log(self) -> Path:
        return self.state / "dockerd.log"

    @classmethod
    def for_user(cls, user: str | int | None = None, env: dict[str, str] | None = None) -> RootlessPaths:
        """The paths of ``user`` (default: whoever runs this), with that user's XDG variables from ``env``
        (default: this process's environment when it is that user's, else the XDG defaults)."""
        entry = pwd.getpwuid(os.geteuid()) if user is None else (
            pwd.getpwuid(user) if isinstance(user, int) else pwd.getpwnam(user))
        if env is None:
            env = dict(os.environ) if entry.pw_uid == os.geteuid() else {}
        home = Path(entry.pw_dir)
        data = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share")
        state = Path(env.get("XDG_STATE_HOME") or home / ".local" / "state")
        return cls(user=entry.pw_name, uid=entry.pw_uid, gid=entry.pw_gid, home=home,
                   runtime_dir=runtime_dir(entry.pw_uid, env), data_root=data / "docker",
                   state=state / "dockerlab" / "rootless")


def runtime_dir(uid: int, env: Mapping[str, str] | None = None) -> Path:
    """XDG_RUNTIME_DIR when set; else /run/user/<uid> when it is that user's; else /tmp/dockerlab-run-<uid>."""
    given = os.environ if env is None else env
    if given.get("XDG_RUNTIME_DIR"):
        return Path(given["XDG_RUNTIME_DIR"])
    run_user = Path(f"/run/user/{uid}")
    try:
        if run_user.stat().st_uid == uid:
            return run_user
    except OSError:
        pass
    return Path(f"/tmp/dockerlab-run-{uid}")


def subid_range(user: str, uid: int, path: str = "/etc/subuid") -> tuple[int, int] | None:
    """The first subordinate id range (start, count) of ``user`` in /etc/subuid or /etc/subgid, if any."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.strip().split(":")
        if len(parts) == 3 and parts[0] in (user, str(uid)):
            try:
                start, count = int(parts[1]), int(parts[2])
            except ValueError:
                continue
            if count >= 65536:
                return start, count
    return None


def launcher() -> str | None:
    """The dockerd-rootless.sh this machine has, if any."""
    for path in SCRIPTS:
        if os.access(path, os.X_OK):
            return path
    return shutil.which("dockerd-rootless.sh")


def _search_path() -> str:
    extra = ["/usr/local/sbin", "/usr/sbin", "/sbin"]  # dockerd lives in /usr/sbin on Debian
    have = os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin").split(":")
    return ":".join(have + [p for p in extra if p not in have])


def preflight(paths: RootlessPaths) -> None:
    """Raise RootlessUnavailable with a Hint for the first thing that stops this user's rootless engine."""
    if paths.uid == 0:
        raise RootlessUnavailable(
            _("A rootless engine is for an ordinary user, and this is root."),
            _("Root uses the machine's engine: `python -m dockerlab engine start` (without --rootless)."))
    search = _search_path()
    missing = [tool for tool in ("dockerd", "rootlesskit", "slirp4netns", "newuidmap", "newgidmap")
               if not shutil.which(tool, path=search)]
    if launcher() is None:
        missing.insert(0, "dockerd-rootless.sh")
    if missing:
        raise RootlessUnavailable(
            _("This machine lacks what a rootless engine needs: {tools}.").format(tools=", ".join(missing)),
            _("As root: `./lab classroom setup` (it installs docker.io, rootlesskit, slirp4netns and uidmap), "
              "or `apt-get install docker.io rootlesskit slirp4netns uidmap`."))
    for path, kind in ((SUBUID, N_("user")), (SUBGID, N_("group"))):
        if subid_range(paths.user, paths.uid, path) is None:
            raise RootlessUnavailable(
                _("The user {user} has no subordinate {kind} ids in {path} (a rootless engine maps the container's "
                  "users onto a range of 65536 of them).").format(user=paths.user, kind=_(kind), path=path),
                _("As root: `./lab classroom setup`, or `usermod --add-sub{letter}ids 100000-165535 {user}` (pick a "
                  "range no other user has).").format(letter=kind[0], user=paths.user))
    if not os.path.exists(TUN):
        raise RootlessUnavailable(
            _("This machine has no {device} device: a rootless engine's network (slirp4netns) needs it.").format(
                device=TUN),
            _("As root: `mkdir -p /dev/net && mknod /dev/net/tun c 10 200`, then `./lab classroom setup` (in a "
              "container, start it with `--device /dev/net/tun`)."))
    try:
        os.close(os.open(TUN, os.O_RDWR))
    except PermissionError:
        raise RootlessUnavailable(
            _("The user {user} may not open {device} (it is root's only here), so a rootless engine gets no "
              "network.").format(user=paths.user, device=TUN),
            _("As root: `./lab classroom setup` gives the class's group access to it (or `chmod 0666 "
              "/dev/net/tun`).")) from None
    except OSError:
        pass  # e.g. "no such device" inside some containers: slirp4netns will say more in the log


class RootlessEngine:
    """One user's rootless dockerd: ``start()`` (reuses a running one), ``stop()``, ``status()``."""

    def __init__(self, paths: RootlessPaths | None = None) -> None:
        self.paths = paths or RootlessPaths.for_user()

    @property
    def address(self) -> str:
        return self.recorded().get("address") or self.paths.address

    def recorded(self) -> dict:
        try:
            return json.loads(self.paths.record.read_text())
        except (OSError, ValueError):
            return {}

    def pid(self) -> int | None:
        """The rootlesskit process of this user's engine, if it still runs."""
        pid = self.recorded().get("pid")
        if not isinstance(pid, int):
            return None
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().rsplit(")", 1)[-1].split()[0] in ("Z", "X"):
                    return None
            if os.stat(f"/proc/{pid}").st_uid != self.paths.uid:
                return None  # the pid was reused by someone else's process
        except (OSError, IndexError):
            return None
        return pid

    def answers(self, timeout: float = 3) -> bool:
        return engine_answers(self.address, timeout)

    def _make_runtime_dir(self) -> None:
        folder = self.paths.runtime_dir
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.lstat()
        if st.st_uid != self.paths.uid or not folder.is_dir() or folder.is_symlink():
            raise RootlessUnavailable(
                _("{folder} (the engine's runtime folder) does not belong to {user}.").format(
                    folder=folder, user=self.paths.user),
                _("Set XDG_RUNTIME_DIR to a folder of your own (mode 0700) and start again."))
        os.chmod(folder, 0o700)

    def start(self, timeout: float = 120, log=print) -> str:
        """Start (or reuse) this user's engine; returns its address (``unix://…/docker.sock``)."""
        if self.pid() and self.answers():
            log(_("Your engine already runs at {address}.").format(address=self.address))
            return self.address
        preflight(self.paths)
        self._make_runtime_dir()
        self.paths.state.mkdir(parents=True, exist_ok=True)
        self.paths.data_root.mkdir(parents=True, exist_ok=True)
        stale = self.pid()
        if stale:  # running but not answering: a hung engine is restarted, not left beside a new one
            self._terminate(stale, 20)
        env = dict(os.environ, XDG_RUNTIME_DIR=str(self.paths.runtime_dir), HOME=str(self.paths.home),
                   PATH=_search_path())
        env.pop("DOCKER_HOST", None)
        self._clear_stale()
        cmd = [launcher() or "dockerd-rootless.sh", "--data-root", str(self.paths.data_root)]
        log(_("Starting your own engine (rootless); log in {path}").format(path=self.paths.log))
        # started through a shell that exits at once, so the engine is nobody's child (a Jupyter server that
        # started it never has to reap it) and outlives the command that started it
        done = subprocess.run(["/bin/sh", "-c", 'nohup "$@" >>"$DOCKERLAB_ENGINE_LOG" 2>&1 </dev/null & echo $!',
                               "sh", *cmd], env=dict(env, DOCKERLAB_ENGINE_LOG=str(self.paths.log)),
                              cwd=str(self.paths.home), capture_output=True, text=True, start_new_session=True)
        pid = int(done.stdout.strip() or 0)
        if done.returncode != 0 or not pid:
            raise self._failure(_("Your engine could not be started ({error}).").format(
                error=done.stderr.strip() or done.returncode))
        self.paths.record.write_text(json.dumps({
            "pid": pid, "address": self.paths.address, "data_root": str(self.paths.data_root),
            "runtime_dir": str(self.paths.runtime_dir), "log": str(self.paths.log), "started": time.time()}))
        def answers() -> bool:
            if not _alive(pid):
                raise self._failure(_("Your engine stopped while starting."))
            return self.answers(timeout=2)

        if not poll(answers, timeout=timeout, interval=0.3):
            self._terminate(pid, 20)
            raise self._failure(_("Your engine did not answer within {seconds:.0f} s.").format(seconds=timeout))
        log(_("Your engine answers at {address}.").format(address=self.address))
        return self.address

    def _clear_stale(self) -> None:
        """An engine that died (killed, out of memory) leaves orphans of this user behind — its dockerd,
        containerd and the shims of its containers — and their pid files, which stop a new engine ("pid file
        found", containerd timeouts). End those orphans (only this user's processes that name this engine's
        folders) and clear the engine's runtime state, as a reboot would; images and volumes stay."""
        marks = (str(self.paths.runtime_dir / "docker"), str(self.paths.data_root))
        mine: list[tuple[int, str, str, int]] = []  # (pid, command line, user namespace, parent) of this user's
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                if entry.stat().st_uid != self.paths.uid:
                    continue
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                userns = os.readlink(entry / "ns" / "user")
                parent = int((entry / "stat").read_text().rsplit(")", 1)[-1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            mine.append((int(entry.name), cmdline, userns, parent))
        own_ns = os.readlink("/proc/self/ns/user")  # the namespace the learner's own programs run in: never touched
        dead = {ns for _pid, cmd, ns, _parent in mine if any(mark in cmd for mark in marks)} - {own_ns}
        for pid, cmdline, userns, parent in mine:
            # the dead engine's daemons, its containers' processes with them, and container processes whose shim
            # died too (orphans in a user namespace of their own, adopted by init)
            if any(mark in cmdline for mark in marks) or userns in dead or (userns != own_ns and parent == 1):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        shutil.rmtree(self.paths.runtime_dir / "docker", ignore_errors=True)
        (self.paths.runtime_dir / "docker.pid").unlink(missing_ok=True)

    def _failure(self, what: str) -> RootlessUnavailable:
        tail = self.paths.log.read_text(errors="replace").splitlines()[-12:] if self.paths.log.exists() else []
        text = "\n".join(tail)
        if "tap" in text and "Permission denied" in text:
            hint = _("slirp4netns may not open {device}: ").format(device=TUN) + _(SETUP_HINT)
        elif "newuidmap" in text or "newgidmap" in text or "subuid" in text:
            hint = _("The subordinate ids of this user do not work: ") + _(SETUP_HINT)
        elif "no space left" in text.lower():
            hint = _("The disk that holds {path} is full: free space there, then start again.").format(
                path=self.paths.data_root)
        else:
            hint = _("Read the engine's log: {path}").format(path=self.paths.log)
        self.paths.record.unlink(missing_ok=True)
        return RootlessUnavailable(what, hint, details=tail)

    def _terminate(self, pid: int, timeout: float) -> None:
        try:
            os.kill(pid, signal.SIGTERM)  # rootlesskit passes it on to dockerd and slirp4netns
        except ProcessLookupError:
            return
        if poll(lambda: not _alive(pid), timeout=timeout):
            return
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def stop(self, timeout: float = 30, log=print) -> bool:
        """Stop this user's engine (by the pid in engine.json). False when none was running."""
        pid = self.pid()
        if pid is None:
            self.paths.record.unlink(missing_ok=True)
            log(_("Your engine is not running."))
            return False
        self._terminate(pid, timeout)
        if _alive(pid):
            raise DockerlabError(_("Your engine (pid {pid}) did not stop within {seconds:.0f} s.").format(
                pid=pid, seconds=timeout), _("Read its log: {path}; `kill -9 {pid}` as a last resort.").format(
                path=self.paths.log, pid=pid))
        self.paths.record.unlink(missing_ok=True)
        log(_("Stopped your engine (pid {pid}); its images and volumes stay in {path}.").format(
            pid=pid, path=self.paths.data_root))
        return True

    def status(self) -> str:
        pid = self.pid()
        answers = self.answers() if pid else False
        state = (_("pid {pid}, answers") if answers else _("pid {pid}, does not answer")).format(pid=pid) if pid \
            else _("not running")
        return _("{user}'s rootless engine: {state}; socket {address}; data {data}; log {path}").format(
            user=self.paths.user, state=state, address=self.address, data=self.paths.data_root, path=self.paths.log)

    def environment(self) -> dict[str, str]:
        """What a terminal or kernel needs to use this engine."""
        return {"DOCKER_HOST": self.address}


def _alive(pid: int) -> bool:
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except (ChildProcessError, OSError):
        pass
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False
