"""The engine: connect to the Docker daemon the learner has, the way the `docker` CLI would.

``connect()`` honours ``DOCKER_HOST`` and the CLI's current context, negotiates the API
version (1.41 and newer) and returns a docker-py ``DockerClient``, cached per address.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

import docker

from .endpoint import engine_address
from .errors import EngineUnavailable, _engine_address, from_exception, translated
from .i18n import _

__all__ = ["connect", "engine_address", "EngineInfo", "engine_info", "engine_kind", "MIN_API", "DEFAULT_TIMEOUT",
           "patient"]

MIN_API = "1.41"
DEFAULT_TIMEOUT = int(os.environ.get("DOCKERLAB_TIMEOUT", "30"))
#: how long the first "are you there?" may take before the kit says the engine is down. An engine that is not running
#: is refused at once; one that runs answers GET /version after asking its runtime (containerd, `runc --version`,
#: Podman's own probes), seconds on a busy machine: at load 12–16 Podman's took over 4 s, and a chapter's first cell
#: said no engine answered while the next cell found it (README's test run of 7e69450)
PING_TIMEOUT = 10
#: how long a request that copies an image may take: creating a container on the vfs storage driver (a rootless
#: engine where overlay is not available, e.g. in a container) copies the image's whole file tree, twice, and took
#: over 30 s in a learner's kernel at load 16 (fresh-machine run of bf4f3d2); the `docker` CLI waits without limit
PATIENT_TIMEOUT = max(DEFAULT_TIMEOUT, 180)

_lock = threading.Lock()
_clients: dict[str, docker.DockerClient] = {}


def _check_api(client: docker.DockerClient, address: str) -> None:
    version = client.api.api_version
    major, minor = (int(x) for x in version.split(".")[:2])
    if (major, minor) < (1, 41):
        raise EngineUnavailable(
            _("The engine at {address} speaks Docker API {version}; the course needs {minimum} or newer.").format(
                address=address, version=version, minimum=MIN_API),
            _("Upgrade the engine (Docker 20.10 or newer)."))


def _key(address: str, timeout: int | None) -> str:
    """A cached client's key: its engine and its timeout (None: DEFAULT_TIMEOUT)."""
    return f"{address}|{timeout}"


def connect(base_url: str | None = None, *, timeout: int | None = None, fresh: bool = False) -> docker.DockerClient:
    """A docker-py client for the learner's engine (cached); raises EngineUnavailable with a hint."""
    address = engine_address(base_url)
    key = _key(address, timeout)
    with _lock:
        client = None if fresh else _clients.get(key)
        if client is not None:
            return client
        try:
            # A short timeout for the version handshake, so a dead engine is reported in seconds.
            client = docker.DockerClient(base_url=address, version="auto", timeout=PING_TIMEOUT)
        except docker.errors.DockerException as exc:
            raise from_exception(exc, "connecting to the Docker engine", address=address) from exc
        except Exception as exc:  # socket errors surface as plain OSErrors here
            raise from_exception(exc, "connecting to the Docker engine", address=address) from exc
        client.api.timeout = timeout or DEFAULT_TIMEOUT
        client.api._dockerlab_address = address  # errors name the engine this client talks to
        _check_api(client, address)
        _clients[key] = client
        return client


def patient(client: docker.DockerClient) -> docker.DockerClient:
    """A client to ``client``'s engine that waits PATIENT_TIMEOUT for an answer: for the requests whose work grows
    with an image's size (a container's create and start); ``client`` itself when connect() did not make it."""
    with _lock:
        if (client.api.timeout or 0) >= PATIENT_TIMEOUT or not any(known is client for known in _clients.values()):
            return client
        address = client.api._dockerlab_address
        key = _key(address, PATIENT_TIMEOUT)  # connect(address, timeout=PATIENT_TIMEOUT)'s
        slow = _clients.get(key)
        if slow is None:  # the version ``client`` negotiated: no second handshake with a busy engine
            slow = docker.DockerClient(base_url=address, version=client.api.api_version, timeout=PATIENT_TIMEOUT)
            slow.api._dockerlab_address = address
            _clients[key] = slow
        return slow


def forget_clients(address: str | None = None) -> None:
    """Drop cached clients (after an engine restart, or when DOCKER_HOST changes); only ``address``'s if given.

    An open keep-alive connection makes a stopping dockerd wait (half a minute or more) before it exits.
    """
    with _lock:
        for key in [k for k in _clients if address is None or k.split("|", 1)[0] == address]:
            try:
                _clients.pop(key).close()
            except Exception:
                pass


def ping(client: docker.DockerClient | None = None) -> None:
    """Fail within seconds with EngineUnavailable when the engine does not answer."""
    client = client or connect()
    api = client.api  # a timeout for this request only: the shared client's is not touched (other threads use it)
    with translated(_("asking the engine if it is there"), client):
        api._result(api._get(api._url("/_ping"), timeout=PING_TIMEOUT))


@dataclass(frozen=True)
class EngineInfo:
    """What the learner's engine says about itself."""

    address: str
    server_version: str
    api_version: str
    client_api_version: str
    os: str
    kernel: str
    architecture: str
    storage_driver: str
    cgroup_version: str
    rootless: bool
    docker_root_dir: str
    containers_running: int
    containers: int
    images: int
    swarm: str
    #: user namespaces remap the containers' root to an unprivileged uid of the host (`userns-remap`)
    userns: bool = False
    #: seccomp filters the system calls of every container (the engine's default profile)
    seccomp: bool = False
    #: "containerd" (the containerd image store: an image's ID is its manifest's digest) or "classic"
    #: (the graph driver's store: the ID is the digest of the image's config)
    image_store: str = "classic"
    #: whether the engine enforces `--memory` / `--pids-limit` (a rootless engine on cgroup v1 does not)
    memory_limit: bool = True
    pids_limit: bool = True
    #: which product answers: "Docker Engine", "Docker Desktop" or "Podman" (its Docker-compatible API)
    kind: str = "Docker Engine"
    #: the machine the engine runs on: CPUs and memory (bytes) it reports
    cpus: int = 0
    memory: int = 0
    #: registries this engine talks to over plain HTTP: CIDRs (127.0.0.0/8 by default) and names
    #: (`insecure-registries` in daemon.json)
    insecure_registries: tuple[str, ...] = ("127.0.0.0/8",)

    @property
    def cli(self) -> str:
        return "docker version && docker info"

    @property
    def root_is_host_root(self) -> bool:
        """True when root in a container is root on the host: a rootful engine without user namespaces."""
        return not self.rootless and not self.userns


def engine_kind(info: dict, version: dict) -> str:
    """The product behind the API: Podman names itself in the version's components, Docker Desktop in its OS."""
    names = " ".join(str(c.get("Name", "")) for c in version.get("Components") or [] if isinstance(c, dict))
    if "podman" in names.lower() or "podman" in str(version.get("Platform", {}).get("Name", "")).lower():
        return "Podman"
    if "docker desktop" in str(info.get("OperatingSystem", "")).lower():
        return "Docker Desktop"
    return "Docker Engine"


def engine_info(client: docker.DockerClient | None = None) -> EngineInfo:
    """Server version, storage driver, running containers…: what `docker info` shows."""
    client = client or connect()
    with translated("reading the engine's info", client):
        info = client.info()
        version = client.version()
    security = " ".join(info.get("SecurityOptions") or [])
    driver_status = {str(k): str(v) for k, v in (info.get("DriverStatus") or []) if k}
    return EngineInfo(
        address=_engine_address(client),
        server_version=str(version.get("Version", "?")),
        api_version=str(version.get("ApiVersion", "?")),
        client_api_version=client.api.api_version,
        os=str(info.get("OperatingSystem", "?")),
        kernel=str(info.get("KernelVersion", "?")),
        architecture=str(info.get("Architecture", "?")),
        storage_driver=str(info.get("Driver", "?")),
        cgroup_version=str(info.get("CgroupVersion", "1")),
        rootless="rootless" in security,
        docker_root_dir=str(info.get("DockerRootDir", "?")),
        containers_running=int(info.get("ContainersRunning", 0)),
        containers=int(info.get("Containers", 0)),
        images=int(info.get("Images", 0)),
        swarm=str((info.get("Swarm") or {}).get("LocalNodeState", "inactive")),
        userns="name=userns" in security,
        seccomp="name=seccomp" in security,
        image_store="containerd" if "containerd" in driver_status.get("driver-type", "") else "classic",
        memory_limit=bool(info.get("MemoryLimit", True)),
        pids_limit=bool(info.get("PidsLimit", True)),
        kind=engine_kind(info, version),
        cpus=int(info.get("NCPU") or 0),
        memory=int(info.get("MemTotal") or 0),
        insecure_registries=_insecure_registries(info),
    )


def _insecure_registries(info: dict) -> tuple[str, ...]:
    config = info.get("RegistryConfig") or {}
    names = [name for name, index in (config.get("IndexConfigs") or {}).items()
             if not (index or {}).get("Secure", True) and not (index or {}).get("Official")]
    return tuple(config.get("InsecureRegistryCIDRs") or []) + tuple(sorted(names))
