"""Starting and stopping a `dockerd` the kit owns (the classroom engine, or a second "cloud server").

Where no engine answers and the user is root on Debian/Ubuntu, the kit installs Debian's
``docker.io`` and starts ``dockerd`` in the background, with its pid file and log in a state
folder the kit owns. Anything else gets a message saying exactly what to install.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DockerlabError, EngineUnavailable
from .i18n import _
from .polling import poll
from .sandboxes import DEFAULT_EXEC_ROOT, clear_stale

__all__ = ["state_dir", "Daemon", "ensure_engine", "install_docker", "main_daemon", "mounts_below", "unmount_below",
           "exited", "pidfile_pid", "engine_answers"]

#: a throw-away engine's data root on memory (``Daemon(data_on_tmpfs=True)``): a tmpfs of at most this share of it.
#: Layers unpack there without ext4's journal and writeback: pulling the backend into a fresh engine costs 2.2
#: CPU-seconds instead of 5.4 on this machine's ext4.
DATA_TMPFS_SIZE = "25%"
#: ``DOCKERLAB_ENGINE_IN_MEMORY=1``: the engine the kit starts keeps its data root (images, containers, volumes) on a
#: tmpfs below the kit's state folder, gone when it stops — for a machine thrown away after one run (CI builds the
#: course images afresh on it anyway). Unset, the engine keeps Docker's usual data root on disk.
IN_MEMORY = "DOCKERLAB_ENGINE_IN_MEMORY"
#: the in-memory engine's tmpfs: at most this share of memory (the course images, every stage's builds and volumes)
MAIN_TMPFS_SIZE = "50%"
#: Go's garbage collector in the engines the kit starts (dockerd; containerd, the shims and the copies of itself that
#: dockerd runs for one small job — a layer to unpack, a container's network to set up — inherit it): a collection
#: when the heap has grown by 400 % of what was live, not Go's 100 %. The short-lived helpers then finish before
#: their first collection. Measured on a 2-core machine over builds, runs, execs, a save and a load (engine restarted
#: with each setting, 2 × 4 alternated pairs, 7 of them in its favour): 16 % and 8 % less CPU for the same work;
#: dockerd's peak memory 93 → 128 MB (the whole course: 12 % less CPU, 123 → 204 MB). A GOGC already set is kept.
#: (Podman's service, measured the same way: 4 % less CPU for 3.6× its memory, so it keeps Go's default.)
GO_GC = "400"


def state_dir() -> Path:
    """The folder the kit keeps its pid files, logs and generated files in."""
    raw = os.environ.get("DOCKERLAB_STATE")
    if raw:
        path = Path(raw)
    elif os.geteuid() == 0:
        path = Path("/var/lib/dockerlab")
    else:
        path = Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local" / "state")) / "dockerlab"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _is_debian_like() -> bool:
    try:
        text = Path("/etc/os-release").read_text()
    except OSError:
        return False
    return any(word in text for word in ("ID=debian", "ID=ubuntu", "ID_LIKE=debian", 'ID_LIKE="debian'))


def install_docker(log=print) -> None:
    """Install Debian's docker.io (root on Debian/Ubuntu only)."""
    if shutil.which("dockerd"):
        return
    if os.geteuid() != 0 or not _is_debian_like():
        raise EngineUnavailable(
            _("No Docker engine answers, and the kit can only install one as root on Debian or Ubuntu."),
            _("Install Docker yourself: Docker Desktop on macOS/Windows; on Linux `sudo apt-get install docker.io` "
              "(or docker-ce), then `sudo usermod -aG docker $USER` and log in again."))
    log(_("Installing Debian's docker.io (about 20 s)…"))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-qq"],
                ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "docker.io", "iptables", "iproute2"]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise EngineUnavailable(_("`{command}` failed:").format(command=" ".join(cmd)) + "\n"
                                    + done.stderr[-1500:],
                                    _("Check the machine's network and apt sources, then run set-up again."))


@dataclass
class Daemon:
    """A `dockerd` process the kit starts and stops by its pid file.

    The default is the machine's usual engine (``/var/run/docker.sock``). A second engine
    (the "cloud server" of chapter 08) gets its own socket, data root, exec root and bridge.
    """

    name: str = "engine"
    socket: str | None = None
    data_root: str | None = None
    exec_root: str | None = None
    bridge: str | None = None
    bridge_cidr: str | None = None
    extra_args: list[str] = field(default_factory=list)
    #: its data root on a tmpfs (an engine thrown away whole when it stops, e.g. the cloud server): mounted by
    #: :meth:`start` when the folder is empty, left on disk where it cannot be mounted or holds data from before
    data_on_tmpfs: bool = False
    tmpfs_size: str = DATA_TMPFS_SIZE

    @property
    def folder(self) -> Path:
        path = state_dir() / self.name
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def pidfile(self) -> Path:
        return self.folder / "dockerd.pid"

    @property
    def logfile(self) -> Path:
        return self.folder / "dockerd.log"

    @property
    def address(self) -> str:
        return f"unix://{self.socket}" if self.socket else "unix:///var/run/docker.sock"

    def pid(self) -> int | None:
        """The pid of the dockerd this kit started, if it still runs."""
        return pidfile_pid(self.pidfile)

    def answers(self, timeout: float = 3) -> bool:
        return engine_answers(self.address, timeout)

    def _make_bridge(self) -> None:
        if not self.bridge:
            return
        run = lambda *a: subprocess.run(["ip", *a], capture_output=True, text=True)  # noqa: E731
        if run("link", "show", self.bridge).returncode != 0:
            run("link", "add", "name", self.bridge, "type", "bridge")
            if self.bridge_cidr:
                run("addr", "add", self.bridge_cidr, "dev", self.bridge)
        run("link", "set", self.bridge, "up")

    def command(self) -> list[str]:
        cmd = ["dockerd", "--pidfile", str(self.pidfile)]
        if self.socket:
            cmd += ["-H", f"unix://{self.socket}"]
        if self.data_root:
            cmd += ["--data-root", self.data_root]
        if self.exec_root:
            cmd += ["--exec-root", self.exec_root]
        if self.bridge:
            cmd += ["--bridge", self.bridge]
        return cmd + self.extra_args

    def start(self, timeout: float = 60, log=print) -> None:
        """Start dockerd in the background and wait (bounded) until it answers."""
        if self.answers():
            log(_("The {name} already answers at {address}.").format(name=_(self.name), address=self.address))
            return
        if not shutil.which("dockerd"):
            install_docker(log)
        if os.geteuid() != 0:
            raise EngineUnavailable(_("Starting dockerd needs root."),
                                    _("Start Docker yourself (`sudo systemctl start docker` or Docker Desktop)."))
        exec_root = self.exec_root or DEFAULT_EXEC_ROOT
        stale = clear_stale(exec_root)
        if stale:
            log(_("Removed {count} network namespace(s) a stopped engine left in {folder}: new containers would "
                  "get their addresses and be unreachable.").format(count=len(stale), folder=Path(exec_root) / "netns"))
        self._make_bridge()
        for path in (self.data_root, self.exec_root):
            if path:
                Path(path).mkdir(parents=True, exist_ok=True)
        if self.data_root and self.data_on_tmpfs:
            _mount_tmpfs(Path(self.data_root), self.tmpfs_size)
        log(_("Starting dockerd ({name}); log in {path}").format(name=_(self.name), path=self.logfile))
        with open(self.logfile, "ab") as out:
            subprocess.Popen(self.command(), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             start_new_session=True, close_fds=True, env=_go_environment())
        poll(lambda: self.answers(timeout=2), timeout=timeout, interval=0.5, fail=lambda: EngineUnavailable(
            _("dockerd ({name}) did not answer within {seconds:.0f} s.").format(name=_(self.name), seconds=timeout),
            _("Read its log: {path}").format(path=self.logfile),
            details=self.logfile.read_text(errors="replace").splitlines()[-15:] if self.logfile.exists() else []))
        log(_("The {name} answers at {address}.").format(name=_(self.name), address=self.address))

    def stop(self, timeout: float = 30, log=print) -> bool:
        """Stop the dockerd this kit started (by its pid file). False when there was none."""
        pid = self.pid()
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
            poll(lambda: exited(pid), timeout=timeout, fail=lambda: DockerlabError(
                _("dockerd ({name}, pid {pid}) did not stop within {seconds:.0f} s.").format(
                    name=_(self.name), pid=pid, seconds=timeout),
                _("Read its log: {path}; `kill -9 {pid}` as a last resort.").format(path=self.logfile, pid=pid)))
        if self.data_on_tmpfs:  # its data went with it (or with a dockerd that died): nothing stays mounted
            self.unmount_data()
        if pid is None:
            log(_("No {name} started by the kit is running.").format(name=_(self.name)))
            return False
        log(_("Stopped the {name} (pid {pid}).").format(name=_(self.name), pid=pid))
        if self.bridge:
            subprocess.run(["ip", "link", "delete", self.bridge], capture_output=True)
        return True

    def unmount_data(self) -> None:
        """Unmount its data root and what a killed dockerd left mounted below it (after it stopped)."""
        if self.data_root:
            root = Path(self.data_root)
            unmount_below(root)
            if root.is_mount():
                subprocess.run(["umount", "-l", str(root)], capture_output=True)


def mounts_below(folder: Path) -> dict[str, str]:
    """What is mounted below ``folder``: mount point → file system type (``tmpfs``, ``overlay``, ``nsfs``…)."""
    prefix = str(folder.resolve()) + "/"
    try:
        lines = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return {}
    return {f[1]: f[2] for f in (line.split() for line in lines) if len(f) > 2 and f[1].startswith(prefix)}


def unmount_below(folder: Path) -> None:
    """Unmount what a killed dockerd may have left mounted below ``folder`` (overlays, netns, its tmpfs data root)
    before deleting it."""
    for target in sorted(mounts_below(folder), key=len, reverse=True):
        subprocess.run(["umount", "-l", target], capture_output=True)


def _mount_tmpfs(folder: Path, size: str = DATA_TMPFS_SIZE) -> bool:
    """A tmpfs of at most ``size`` on the empty ``folder``; False when something is mounted there already, it holds
    files, or tmpfs cannot be mounted (then the data stays on disk)."""
    if folder.is_mount() or any(folder.iterdir()):
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0710", "dockerlab-data",
                           str(folder)], capture_output=True).returncode == 0


def _go_environment() -> dict[str, str]:
    """This process's environment for an engine the kit starts: with :data:`GO_GC` unless GOGC is set."""
    return {"GOGC": GO_GC, **os.environ}


def pidfile_pid(pidfile: Path) -> int | None:
    """The pid written in ``pidfile`` (a service the kit started: dockerd, Podman, the hub), if it still runs."""
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return None
    return None if exited(pid) else pid


def engine_answers(address: str, timeout: float = 3) -> bool:
    """Does the engine API at ``address`` answer a ping within ``timeout`` seconds?"""
    import docker

    try:
        client = docker.DockerClient(base_url=address, version="auto", timeout=timeout)
        try:
            client.ping()
        finally:
            client.close()
        return True
    except Exception:  # noqa: BLE001 - any failure is "no answer"
        return False


def exited(pid: int) -> bool:
    """Has ``pid`` exited? A dockerd this very process started stays a zombie (which signal 0 still
    reaches) until it is reaped: reap it when it is our child, and count a zombie as exited."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return True
    except ChildProcessError:  # not our child: someone else reaps it
        pass
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/stat") as fh:
            if fh.read().rsplit(")", 1)[-1].split()[0] in ("Z", "X"):
                return True
    except (OSError, IndexError):
        pass
    try:
        os.kill(pid, 0)
    except OSError:
        return True
    return False


def main_daemon() -> Daemon:
    """The machine's engine (the classroom's), as the kit starts it: Docker's usual data root, or its data in memory
    when ``DOCKERLAB_ENGINE_IN_MEMORY=1`` asks for it — or the kit's engine already runs so (``engine stop``, typed
    in another shell, then unmounts it too)."""
    data = state_dir() / "engine" / "data"
    if os.environ.get(IN_MEMORY) == "1" or data.is_mount():
        return Daemon(name="engine", data_root=str(data), data_on_tmpfs=True, tmpfs_size=MAIN_TMPFS_SIZE)
    return Daemon(name="engine")


def ensure_engine(log=print) -> str:
    """Make sure an engine answers: reuse one, or (root on Debian) install and start one."""
    from .engine import engine_address

    address = engine_address()
    unix = address.startswith("unix://")
    if unix and engine_answers(address):
        log(_("An engine answers at {address}.").format(address=address))
        return address
    if not unix:
        import docker

        try:
            docker.DockerClient(base_url=address, version="auto", timeout=4).ping()
            log(_("An engine answers at {address}.").format(address=address))
            return address
        except Exception as exc:
            raise EngineUnavailable(_("No Docker engine answers at {address} ({error}).").format(
                address=address, error=exc),
                _("Start that engine, or unset DOCKER_HOST to use this machine's.")) from exc
    if address != "unix:///var/run/docker.sock":
        raise EngineUnavailable(_("No Docker engine answers at {address}.").format(address=address),
                                _("Start that engine, or unset DOCKER_HOST to use this machine's."))
    main_daemon().start(log=log)
    return address
