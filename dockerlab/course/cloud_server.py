"""A second, separate Docker engine on this machine: the course's "cloud server".

Chapter 08 ships an image to "another server". On a real course that is a cloud VM reached with
``DOCKER_HOST=ssh://user@server`` (or tcp+TLS). Here the kit starts a second ``dockerd`` that shares
nothing with the classroom engine but the kernel: its own socket, data root, exec root, containerd and
network bridge. A learner reaches it exactly as they would reach a remote engine: by its address. Like a fresh
cloud VM it starts empty and is thrown away whole: its data root is a tmpfs, gone when the server stops.

    cloud = cloud_server.start()      # a dockerd of its own, empty: no images, no containers
    print(cloud.docker_host)          # DOCKER_HOST=unix:///var/lib/dockerlab/cloud-alice/docker.sock
    client = cloud.client()           # docker.DockerClient(base_url=cloud.address)
    cloud_server.stop()               # stops it and deletes its data folder

Safety: each learner session gets its own engine and its own bridge (``dlc<hash>`` on a free /24,
by preference 172.30.77.0/24). The second engine never touches the first engine's firewall
(``--iptables=false``: published ports still work through docker's userland proxy) and never runs
with ``--bridge=none`` (that deletes the first engine's docker0).
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docker

from ..cleanup import Failed
from ..daemon import Daemon, state_dir, unmount_below
from ..engine import PING_TIMEOUT, forget_clients
from ..errors import DockerlabError, EngineUnavailable, translated
from ..i18n import N_, _
from ..labels import session_id
from ..polling import poll
from .cloud_network import PrivateNetwork, release, reserve

__all__ = ["CloudServer", "cloud", "start", "stop", "running", "client", "free_subnet", "CHAPTER", "LABEL"]

#: what the chapter calls the second engine
LABEL = N_("cloud server")  # how the chapters and checks name it (translated where shown)
#: the chapter whose reset stops it
CHAPTER = "08"
_PREFERRED = ("172.30.77.0/24",)
#: where to look next: Docker's own default pools (172.17–31.0.0/16, 192.168.0.0/16) fill 172.30.0.0/16 on an engine
#: with many networks, so the search goes on in a private range Docker does not hand out by default
_FALLBACK_POOLS = ("172.30.0.0/16", "10.213.0.0/16")
_MAX_UNIX_PATH = 100  # sun_path is 108 bytes; containerd's socket sits under the exec root
#: how long "does it answer?" may take: the engine's (GET /version, seconds on a busy machine). A stopped server (no
#: socket, or one nobody listens on) fails at once.
_ANSWER_TIMEOUT = PING_TIMEOUT


def _run_ip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True)


def _used_networks() -> list[ipaddress.IPv4Network]:
    """Every IPv4 network the host already routes (docker0, the first engine's networks, eth0…)."""
    out = _run_ip("-4", "route", "show", "table", "all").stdout.split()
    nets = []
    for word in out:
        if "/" in word or word.count(".") == 3:
            try:
                nets.append(ipaddress.ip_network(word, strict=False))
            except ValueError:
                continue
    return [n for n in nets if isinstance(n, ipaddress.IPv4Network) and n.prefixlen > 0]


def free_subnet() -> str:
    """A /24 no route on this host overlaps (``172.30.78.0/24``…): for a network on the cloud server that must not
    clash with this machine's other networks."""
    gateway = ipaddress.ip_interface(_free_subnet(skip_preferred=True))
    return str(gateway.network)


def _claims() -> Path:
    return state_dir() / "cloud-subnets"


def _claimed() -> list[ipaddress.IPv4Network]:
    """The /24s cloud servers of this machine hold (a claim outlives its owner's data folder only by a crash: then it
    is dropped here)."""
    nets: list[ipaddress.IPv4Network] = []
    for claim in _claims().glob("*_24") if _claims().exists() else ():
        if (state_dir() / claim.read_text(errors="replace").strip()).exists():
            nets.append(ipaddress.IPv4Network(claim.name.replace("_", "/")))
        else:
            claim.unlink(missing_ok=True)
    return nets


def _free_subnet(*, skip_preferred: bool = False, owner: str | None = None) -> str:
    """A /24 no route on this host overlaps: 172.30.77.0/24 when free. With ``owner`` (a cloud server's name) it is
    claimed for it at once (a file made with O_EXCL in the kit's state folder), so two learners starting servers at
    the same moment never pick the same range before either has made its bridge."""
    used = _used_networks() + (_claimed() if owner else [])
    candidates = [] if skip_preferred else [ipaddress.ip_network(c) for c in _PREFERRED]
    for pool in _FALLBACK_POOLS:
        candidates += list(ipaddress.ip_network(pool).subnets(new_prefix=24))
    for net in candidates:
        if any(net.overlaps(u) for u in used):
            continue
        if owner is not None:
            _claims().mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(_claims() / f"{net.network_address}_{net.prefixlen}", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                continue  # another server claimed it a moment ago
            with os.fdopen(fd, "w") as claim:
                claim.write(owner)
        return f"{net.network_address + 1}/{net.prefixlen}"
    raise EngineUnavailable(_("No free /24 in {pools} for the cloud server's networks.").format(
        pools=" or ".join(_FALLBACK_POOLS)), _("Remove unused Docker networks (`docker network prune`) and try again."))


@dataclass
class CloudServer:
    """The learner's second engine: a :class:`~dockerlab.daemon.Daemon` with everything of its own."""

    session: str

    @property
    def name(self) -> str:
        return f"cloud-{self.session}"

    @property
    def folder(self) -> Path:
        return state_dir() / self.name

    @property
    def bridge(self) -> str:
        # an interface name has at most 15 characters
        return "dlc" + hashlib.sha1(self.session.encode()).hexdigest()[:8]

    @property
    def socket(self) -> str:
        return str(self.folder / "docker.sock")

    @property
    def address(self) -> str:
        return f"unix://{self.socket}"

    @property
    def docker_host(self) -> str:
        """The line a learner would put in their shell to point the `docker` CLI at this server."""
        return f"DOCKER_HOST={self.address}"

    @property
    def data_root(self) -> Path:
        return self.folder / "data"

    @property
    def exec_root(self) -> str:
        inside = self.folder / "run"
        if len(str(inside / "containerd" / "containerd.sock.ttrpc")) < _MAX_UNIX_PATH:
            return str(inside)
        return f"/run/dockerlab-{hashlib.sha1(str(self.folder).encode()).hexdigest()[:10]}"

    def _cidr(self) -> str:
        saved = self.folder / "bridge.json"
        if saved.exists():
            try:
                return str(json.loads(saved.read_text())["cidr"])
            except (ValueError, KeyError):
                pass
        self.folder.mkdir(parents=True, exist_ok=True)
        cidr = _free_subnet(owner=self.name)
        saved.write_text(json.dumps({"bridge": self.bridge, "cidr": cidr}))
        return cidr

    def daemon(self) -> Daemon:
        """The dockerd the kit starts for this server (its own socket, data, exec root and bridge)."""
        config = self.folder / "daemon.json"
        return Daemon(
            name=self.name, socket=self.socket, data_root=str(self.data_root), exec_root=self.exec_root,
            bridge=self.bridge, bridge_cidr=self._cidr(),
            data_on_tmpfs=True,  # its disk is memory, like the fresh disk of a throw-away cloud VM
            extra_args=["--config-file", str(config),  # not /etc/docker/daemon.json: that is the first engine's
                        "--iptables=false",              # leave the first engine's firewall rules alone
                        "--ip-masq=false", "--shutdown-timeout=3", "--log-level=warn"])

    # -- lifecycle ------------------------------------------------------
    def running(self) -> bool:
        """Does its dockerd answer? (Looks only: creates nothing.)"""
        if not Path(self.socket).exists():
            return False
        return Daemon(name=self.name, socket=self.socket).answers(timeout=_ANSWER_TIMEOUT)

    def start(self, timeout: float = 120, log=print) -> CloudServer:
        """Start the server's dockerd (a few seconds; on a busy machine it may take over half a minute, hence the
        generous ``timeout``); nothing happens when it already runs."""
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "daemon.json"
        if not config.exists():
            config.write_text("{}\n")
        daemon = self.daemon()
        if daemon.answers(timeout=_ANSWER_TIMEOUT):  # a slow answer is no reason to restart it
            return self
        if daemon.pid() is not None:  # a dockerd of ours that does not answer: stop it before starting again
            daemon.stop(log=lambda _m: None)
        daemon.start(timeout=timeout, log=lambda _m: None)
        log(_("The {server} ({name}) answers at {address}").format(server=_(LABEL), name=self.name,
                                                                     address=self.address))
        return self

    def client(self, timeout: int = 60) -> docker.DockerClient:
        """A docker-py client for this server, as for any remote engine: ``DockerClient(base_url=…)``."""
        if not self.running():
            raise EngineUnavailable(_("The {server} ({name}) is not running.").format(server=_(LABEL), name=self.name),
                                    _("Run the cell that starts it (`cloud_server.start()`) first."))
        with translated(_("connecting to the {server}").format(server=_(LABEL))):
            return docker.DockerClient(base_url=self.address, version="auto", timeout=timeout)

    def private_network(self) -> PrivateNetwork:
        """A /24 for an app on this server (a Compose file's network): no route on this machine uses it, and its
        containers may reach each other through this machine's firewall (see :mod:`.cloud_network`)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        subnet = ipaddress.ip_interface(_free_subnet(skip_preferred=True, owner=self.name)).network
        return reserve(str(subnet), self.session)

    def _remove_containers(self) -> int:
        """Remove every container first (dockerd then shuts down in a second instead of half a minute), then the
        networks apps made: their bridges live on this machine and would outlive the server."""
        try:
            api = docker.APIClient(base_url=self.address, version="auto", timeout=20)
        except Exception:
            return 0
        count = 0
        try:
            for c in api.containers(all=True, quiet=True):
                try:
                    api.remove_container(c["Id"], force=True, v=True)
                    count += 1
                except docker.errors.APIError:
                    pass
            for net in api.networks():
                if net.get("Name") not in ("bridge", "host", "none"):
                    try:
                        api.remove_network(net["Id"])
                    except docker.errors.APIError:
                        pass
        except Exception:
            pass
        finally:
            api.close()
        return count

    def stop(self, *, remove_data: bool = True, log=print) -> list[str]:
        """Stop its dockerd (containers and all) and delete its data folder; returns what it did."""
        done: list[str] = []
        daemon = self.daemon() if self.folder.exists() else None
        had_bridge = _run_ip("link", "show", self.bridge).returncode == 0
        pid = daemon.pid() if daemon is not None else None  # asked once: it may end between two askings
        if daemon is not None and pid is not None:
            removed = self._remove_containers()
            if removed:
                done.append(_("removed {count} container(s) on the {server}").format(count=removed, server=_(LABEL)))
            forget_clients(self.address)  # open keep-alive connections make dockerd wait before it exits
            if not _terminate(pid, grace=15):
                # someone still holds a connection open: stop its dockerd and containerd for good
                for other in (pid, _read_pid(Path(self.exec_root) / "containerd" / "containerd.pid")):
                    if other:
                        _kill(other, signal.SIGKILL)
                _terminate(pid, grace=10)
                done.append(_("(it did not stop within 15 s: killed)"))
            daemon.pidfile.unlink(missing_ok=True)
            done.append(_("stopped the {server} {name} (dockerd pid {pid})").format(server=_(LABEL), name=self.name,
                                                                                   pid=pid))
        if _run_ip("link", "show", self.bridge).returncode == 0:
            _run_ip("link", "delete", self.bridge)
        if had_bridge:
            done.append(_("deleted its network bridge {bridge}").format(bridge=self.bridge))
        for claim in _claims().glob("*_24") if remove_data and _claims().exists() else ():
            if claim.read_text(errors="replace").strip() == self.name:  # bridge.json kept: its range stays claimed
                claim.unlink(missing_ok=True)
        closed = release(self.session)
        if closed:
            done.append(_("closed the firewall for {subnets} again").format(subnets=", ".join(closed)))
        if remove_data:
            for folder in {self.folder, Path(self.exec_root)}:
                if folder.exists():
                    unmount_below(folder)
                    shutil.rmtree(folder, ignore_errors=True)
                    if folder == self.folder:
                        done.append(_("deleted its data folder {folder}").format(folder=folder))
        for line in done:
            log(line)
        return done


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _kill(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except OSError:
        pass


def _terminate(pid: int, grace: float) -> bool:
    """SIGTERM ``pid`` (a dockerd the kit started) and wait up to ``grace`` seconds; True when it is gone."""
    _kill(pid, signal.SIGTERM)

    def gone() -> bool:
        try:
            os.kill(pid, 0)
        except OSError:
            return True
        status = Path(f"/proc/{pid}/status")
        return status.exists() and "zombie" in status.read_text()

    return poll(gone, timeout=grace)


def cloud(session: str | None = None) -> CloudServer:
    """The learner's cloud server (it may not be running yet)."""
    return CloudServer(session or session_id())


def start(timeout: float = 120, log=print) -> CloudServer:
    """Start the learner's cloud server (a second dockerd) and return it."""
    if os.geteuid() != 0:
        raise EngineUnavailable(_("Starting a second Docker engine needs root on this machine."),
                                _("Ask your teacher: the course machine runs the kit as root. On your own machine, "
                                  "use a real second machine (a cloud VM) and DOCKER_HOST=ssh://user@host."))
    if not shutil.which("ip"):
        raise EngineUnavailable(_("The `ip` command (iproute2) is missing: the kit needs it to make the server's "
                                  "network bridge."), _("Install it: `apt-get install iproute2`."))
    return cloud().start(timeout=timeout, log=log)


def stop(log=print) -> list[str]:
    """Stop the learner's cloud server and delete its data."""
    return cloud().stop(log=log)


def running() -> bool:
    return cloud().running()


def client(timeout: int = 60) -> docker.DockerClient:
    return cloud().client(timeout=timeout)


def reset_hook(chapter: str | None, _client: docker.DockerClient | None = None) -> list[str]:
    """On reset: stop the learner's cloud server (its own dockerd: not the client's engine)."""
    if chapter not in (None, CHAPTER):
        return []
    server = cloud()
    if not server.folder.exists() and _run_ip("link", "show", server.bridge).returncode != 0:
        closed = release(server.session)  # rules a crashed server left behind
        return [_("closed the firewall for {subnets} again").format(subnets=", ".join(closed))] if closed else []
    try:
        return server.stop(log=lambda _m: None)
    except DockerlabError as err:
        return [Failed(_("could not stop the {server}: {error}").format(server=_(LABEL), error=err.what))]
    except OSError as exc:
        return [Failed(_("could not stop the {server}: {error}").format(server=_(LABEL), error=exc))]
