"""An engine of a test stage's own: a second ``dockerd`` in a network namespace of its own, as if on another machine.

Swarm mode is engine-wide: one swarm per engine, and leaving it touches the engine's networks (CI saw containers of
user networks made while a swarm was on cut off when it was left; moby/moby#42877 has published ports lost), so on
one engine the stages that turn Swarm mode on run alone and the stages that make networks wait (the swarm lock).
On an engine of their own — its own data root, exec root and socket, and its own network namespace: its own bridges,
firewall rules, ``docker_gwbridge`` and 127.0.0.1 — they run beside the others, as a second learner machine would.
The course images come from the shared engine (``docker save`` → ``load``: nothing is built twice).

    engine = StageEngine("ci-123-swarm")
    engine.start()                  # `ip netns add`, then dockerd under `nsenter --net=…`; copies the course images
    env["DOCKER_HOST"] = engine.address
    ...
    engine.stop()                   # stops dockerd, deletes the namespace, unmounts and deletes its folders

It needs root, ``ip`` and ``nsenter`` (Debian's iproute2 and util-linux) and a local ``dockerd``; :func:`possible`
says whether this machine has them (elsewhere — Docker Desktop, a rootless or remote engine — the runner keeps the
shared engine and the swarm lock). Its pid file and log: ``<state>/stage-engines/<name>/``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from dockerlab.daemon import Daemon, state_dir, unmount_below  # noqa: E402
from dockerlab.errors import DockerlabError  # noqa: E402

FOLDER = "stage-engines"
_MAX_UNIX_PATH = 100  # a unix socket's path (108 bytes with its end) below the exec root: containerd.sock.ttrpc


def possible(env: dict[str, str] | None = None) -> bool:
    """Can this machine give a stage an engine of its own? Root, ``ip``, ``nsenter`` and ``dockerd``, a network
    namespace that can really be made here (a container without CAP_SYS_ADMIN cannot), and not turned off
    (``DOCKERLAB_STAGE_ENGINES=0``)."""
    env = os.environ if env is None else env
    if env.get("DOCKERLAB_STAGE_ENGINES", "1") == "0" or os.geteuid() != 0:
        return False
    return all(shutil.which(tool) for tool in ("ip", "nsenter", "dockerd")) and _namespaces_work()


def _namespaces_work() -> bool:
    """Make and delete a network namespace of a probe's name: whether `ip netns add` works on this machine."""
    name = f"dockerlab-probe-{os.getpid()}"
    if subprocess.run(["ip", "netns", "add", name], capture_output=True).returncode != 0:
        return False
    subprocess.run(["ip", "netns", "delete", name], capture_output=True)
    return True


@dataclass
class _NamespacedDaemon(Daemon):
    """A kit dockerd started inside the network namespace ``netns`` (only its network: it keeps the machine's
    mounts and cgroups, which `ip netns exec` would hide behind a fresh /sys)."""

    netns: str = ""

    def command(self) -> list[str]:
        return ["nsenter", f"--net=/run/netns/{self.netns}", *super().command()]


@dataclass
class StageEngine:
    """A stage's own dockerd (see the module's text). ``name``: the stage's learner session, e.g. ``ci-123-swarm``."""

    name: str

    @property
    def folder(self) -> Path:
        return state_dir() / FOLDER / self.name

    @property
    def netns(self) -> str:
        return "dockerlab-" + hashlib.sha1(self.name.encode()).hexdigest()[:10]

    @property
    def exec_root(self) -> Path:
        inside = self.folder / "run"
        if len(str(inside / "containerd" / "containerd.sock.ttrpc")) < _MAX_UNIX_PATH:
            return inside
        return Path("/run") / self.netns

    @property
    def socket(self) -> Path:
        return self.folder / "docker.sock"

    @property
    def address(self) -> str:
        return f"unix://{self.socket}"

    @property
    def data_root(self) -> Path:
        return self.folder / "data"

    def daemon(self) -> _NamespacedDaemon:
        return _NamespacedDaemon(
            name=f"{FOLDER}/{self.name}", socket=str(self.socket), data_root=str(self.data_root),
            exec_root=str(self.exec_root), netns=self.netns,
            data_on_tmpfs=True,  # it lives for one run: the copied images, builds and containers on memory
            extra_args=["--config-file", str(self.folder / "daemon.json"),  # not /etc/docker/daemon.json
                        "--shutdown-timeout=3", "--log-level=warn"])

    def start(self, log=print, timeout: float = 120) -> StageEngine:
        """Its namespace and dockerd, then the course images from the shared engine. A fault stops what was started
        and raises a :class:`DockerlabError`."""
        self.stop(log=lambda _line: None)  # what an interrupted run of the same name left
        started = time.monotonic()
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "daemon.json").write_text("{}\n")
        try:
            for args in (["netns", "add", self.netns], ["-n", self.netns, "link", "set", "lo", "up"]):
                done = subprocess.run(["ip", *args], capture_output=True, text=True)
                if done.returncode != 0:
                    raise DockerlabError(f"`ip {' '.join(args)}` failed: {done.stderr.strip()}",
                                         "A stage's own engine needs root and iproute2; DOCKERLAB_STAGE_ENGINES=0 "
                                         "runs the stage on the shared engine instead.")
            self.daemon().start(timeout=timeout, log=lambda line: log(str(line)))
            missing = copy_course_images(self.address, log)
            if missing:
                raise DockerlabError(f"the shared engine lacks {', '.join(missing)}",
                                     "Run `python -m dockerlab prepare --apps` first (`./lab test` does).")
        except BaseException:
            self.stop(log=log)
            raise
        log(f"engine {self.name} ready at {self.address} in {time.monotonic() - started:.1f} s")
        return self

    def stop(self, log=print) -> None:
        """Stop its dockerd (its containers with it), delete its namespace, its folders and their mounts."""
        from dockerlab.engine import forget_clients

        daemon = self.daemon()
        pid = daemon.pid()
        if pid is not None:
            forget_clients(self.address)  # an open keep-alive connection makes a stopping dockerd wait
            try:
                daemon.stop(timeout=30, log=lambda _line: None)  # SIGTERM by its pid file, then wait
            except DockerlabError:  # it did not stop: dockerd and its containerd for good
                for other in (pid, _pid_in(self.exec_root / "containerd" / "containerd.pid")):
                    if other:
                        try:
                            os.kill(other, signal.SIGKILL)
                        except OSError:
                            pass
            log(f"stopped engine {self.name} (dockerd pid {pid})")
        subprocess.run(["ip", "netns", "delete", self.netns], capture_output=True)
        for folder in (self.folder, self.exec_root):
            if folder.exists():
                unmount_below(folder)
                shutil.rmtree(folder, ignore_errors=True)


def _pid_in(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def copy_course_images(address: str, log) -> list[str]:
    """The base, the host-CA and the course's images from the Docker engine the kit talks to into the engine at
    ``address`` (those it lacks), the way a classroom's bundle brings them: the same IDs and labels. The names the
    Docker engine lacks (the other engine has to build those)."""
    import docker

    from dockerlab.course import APPS, BASE_IMAGES
    from dockerlab.engine import connect
    from dockerlab.errors import DockerlabError
    from dockerlab.hostca import CA_IMAGE
    from dockerlab.streams import stream_error

    target = docker.DockerClient(base_url=address, version="auto", timeout=600)
    source = connect(timeout=600)
    missing, wanted = [], []
    for ref in [*BASE_IMAGES, CA_IMAGE, *APPS.values()]:
        try:
            image = source.images.get(ref)
        except docker.errors.ImageNotFound:
            missing.append(ref)
            continue
        try:
            if target.images.get(ref).id == image.id:
                continue
        except docker.errors.ImageNotFound:
            pass
        wanted.append(ref)
    if wanted:  # one `docker save a b c | docker load`: the layers they share (the Debian base) travel once
        started = time.monotonic()
        api = source.api
        saved = api._get(api._url("/images/get"), params={"names": wanted}, stream=True)
        api._raise_for_status(saved)
        for chunk in target.api.load_image(saved.iter_content(chunk_size=1 << 20)):
            error = stream_error(chunk)
            if error:
                raise DockerlabError(f"Copying the course images to {address} failed: {error}",
                                     "Is the Docker engine's course prepared (`python -m dockerlab prepare --apps`)?")
        log(f"copied {', '.join(wanted)} from the Docker engine in {time.monotonic() - started:.1f} s")
    target.close()
    return missing


def stop_all(log=print) -> list[str]:
    """Stop every stage engine whose folder is in this state folder (what an interrupted run left); their names."""
    root = state_dir() / FOLDER
    names = sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    for name in names:
        StageEngine(name).stop(log=log)
    return names


if __name__ == "__main__":  # `python tools/stage_engine.py stop-all`: .ci/run's last step
    if sys.argv[1:] != ["stop-all"]:
        sys.exit("usage: python tools/stage_engine.py stop-all")
    stop_all()
