"""Swarm mode: a real orchestrator on the learner's own engine, as a single-node swarm.

``ensure_swarm()`` turns Swarm mode on (``docker swarm init --advertise-addr 127.0.0.1``) only when the
engine is not already in a swarm, and labels the swarm so the kit knows it made it. ``reset_hook`` (run by
the chapter's reset) removes the learner's services, waits until their containers are gone and leaves Swarm
mode again — only when the kit turned it on for this learner. Services themselves: :mod:`dockerlab.services`.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

import docker
import docker.errors

from . import docker_cli
from .engine import connect
from .errors import translated
from .i18n import _
from .labels import CHAPTER, SESSION, kit_filter, kit_labels, session_id
from .podman import is_podman
from .polling import poll

__all__ = ["SwarmInfo", "Node", "swarm_active", "ensure_swarm", "leave_if_ours", "nodes", "reset_hook", "listed_services",
           "kit_swarm_session"]

#: label on the swarm itself: "the kit turned Swarm mode on" (plus session and chapter labels)
CREATED_BY_KIT = "org.dockerlab.swarm"
#: label: docker_gwbridge did not exist before the kit's `swarm init`, so leaving may remove it
GWBRIDGE_LABEL = "org.dockerlab.swarm.gwbridge"


@dataclass(frozen=True)
class SwarmInfo:
    """The swarm the chapter uses: the node's id, whether the kit turned it on, the command it stands for."""

    node_id: str
    created_by_kit: bool
    cli: docker_cli.CliCommand


@dataclass(frozen=True)
class Node:
    """A machine of the swarm as `docker node ls` shows it."""

    id: str
    hostname: str
    role: str  # manager | worker
    availability: str  # active | pause | drain
    state: str  # ready | down
    cpus: float


def nodes(client: docker.DockerClient | None = None) -> list[Node]:
    """The swarm's nodes (`docker node ls`): here, one manager — this engine."""
    client = client or connect()
    with translated(_("listing the swarm's nodes"), client):
        found = client.nodes.list()
    return [Node(n.short_id, str(n.attrs["Description"]["Hostname"]), str(n.attrs["Spec"]["Role"]),
                 str(n.attrs["Spec"]["Availability"]), str(n.attrs["Status"]["State"]),
                 n.attrs["Description"]["Resources"]["NanoCPUs"] / 1e9) for n in found]


#: what Docker answers (503) on `GET /swarm` when the engine is in no swarm at all (a worker's answer differs)
NOT_IN_A_SWARM = '"docker swarm init"'


def _state(client: docker.DockerClient) -> str:
    if is_podman(client):  # no Swarm mode there (its /info says "inactive"), and its /info is slow: every call runs
        return "inactive"  # dpkg-query seven times on Debian (~0.2 s) — and every reset asks twice
    with translated(_("asking the engine about Swarm mode"), client):
        # `GET /swarm` first: a manager answers it, an engine in no swarm says so — both for a fraction of /info's
        # cost (dockerd runs `runc --version` and `docker-init --version` for every /info: ~10 ms of CPU); and every
        # reset and leak check asks. A worker, or a swarm locked or on its way in or out: /info says which.
        try:
            client.api.inspect_swarm()
            return "active"
        except docker.errors.APIError as exc:
            if exc.status_code == 503 and NOT_IN_A_SWARM in str(exc.explanation or ""):
                return "inactive"
        return (client.info().get("Swarm") or {}).get("LocalNodeState") or "inactive"


def swarm_active(client: docker.DockerClient | None = None) -> bool:
    """True when the engine is a Swarm node (manager or worker)."""
    return _state(client or connect()) == "active"


def _swarm_labels(client: docker.DockerClient) -> dict[str, str]:
    try:
        client.swarm.reload()
        return dict((client.swarm.attrs.get("Spec") or {}).get("Labels") or {})
    except docker.errors.APIError:  # a worker node cannot read the swarm spec
        return {}


def kit_swarm_session(client: docker.DockerClient | None = None) -> str | None:
    """The learner session the kit turned Swarm mode on for (None: no swarm, or one the kit did not make)."""
    client = client or connect()
    if not swarm_active(client):
        return None
    labels = _swarm_labels(client)
    return labels.get(SESSION) if labels.get(CREATED_BY_KIT) == "1" else None


#: how long a listing waits for a swarm that is being turned on or off to answer
SETTLE_SECONDS = 20.0


def listed_services(client: docker.DockerClient, filters: dict | None = None) -> list:
    """The swarm's services (``filters`` as for `docker service ls`); none once the engine has left Swarm mode — which
    another learner on the same engine may do at any moment. While a manager starts or leaves, the engine answers 503
    (no control socket): ask again until it has settled."""
    def listed() -> tuple[list] | None:
        try:
            return (client.services.list(filters=filters or {}),)
        except docker.errors.APIError as exc:
            if not swarm_active(client):
                return ([],)
            if exc.status_code == 503:
                return None
            raise

    settled = poll(listed, timeout=30, interval=0.5)
    return settled[0] if settled is not None else client.services.list(filters=filters or {})


def _free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return s.getsockname()[1]
            except OSError:
                continue
    raise OSError("no free port on 127.0.0.1")  # pragma: no cover


def ensure_swarm(client: docker.DockerClient | None = None, *, chapter: str | None = None) -> SwarmInfo:
    """Turn Swarm mode on (single node, on 127.0.0.1) unless the engine is already in a swarm."""
    client = client or connect()
    cli = docker_cli.CliCommand("docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377")
    if swarm_active(client):
        labels = _swarm_labels(client)
        with translated(_("reading the swarm node"), client):
            node_id = client.info()["Swarm"]["NodeID"]
        return SwarmInfo(node_id, labels.get(CREATED_BY_KIT) == "1", cli)
    with translated(_("looking for docker_gwbridge"), client):
        had_gwbridge = bool(client.networks.list(names=["docker_gwbridge"]))
    labels = kit_labels(chapter, extra={CREATED_BY_KIT: "1", GWBRIDGE_LABEL: "kept" if had_gwbridge else "created"})
    port = _free_port(2377)
    if port != 2377:
        cli = docker_cli.CliCommand(f"docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:{port}")
    with translated(_("turning Swarm mode on"), client):
        node_id = client.swarm.init(advertise_addr="127.0.0.1", listen_addr=f"127.0.0.1:{port}", labels=labels)
    return SwarmInfo(str(node_id), True, cli)


def leave_if_ours(client: docker.DockerClient | None = None, *, chapter: str | None = None) -> list[str]:
    """Leave Swarm mode when the kit turned it on for this learner (and chapter) and no service is left."""
    client = client or connect()
    if not swarm_active(client):
        return []
    labels = _swarm_labels(client)
    if labels.get(CREATED_BY_KIT) != "1" or labels.get(SESSION) != session_id():
        return []
    if chapter is not None and labels.get(CHAPTER) not in (None, chapter):
        return []
    with translated(_("listing services"), client):
        if listed_services(client):
            return [_("kept Swarm mode on: services of others still run in it")]
    with translated(_("leaving Swarm mode"), client):
        client.swarm.leave(force=True)
    done = [_("left Swarm mode (the kit had turned it on: `docker swarm leave --force`)")]
    if labels.get(GWBRIDGE_LABEL) == "created":
        # the bridge `swarm init` made; its last endpoint (ingress-sbox) goes a moment after the leave
        def gwbridge_gone() -> bool:
            try:
                net = client.networks.get("docker_gwbridge")
                if net.attrs.get("Containers"):
                    return False
                net.remove()
                return True
            except docker.errors.NotFound:
                return True
            except docker.errors.APIError:
                return False

        poll(gwbridge_gone, timeout=10, interval=0.3)
    return done


def reset_hook(chapter: str | None, client: docker.DockerClient) -> list[str]:
    """On reset: remove this learner's services (of the chapter), wait for their containers, maybe leave."""
    try:
        if not swarm_active(client):
            return []
    except Exception:
        return []
    done: list[str] = []
    flt = kit_filter(chapter)
    with translated(_("removing the chapter's services"), client):
        for svc in listed_services(client, flt):
            svc.remove()
            done.append(_("removed service {name}").format(name=svc.name))
        wanted = flt["label"] + ["com.docker.swarm.service.id"]
        poll(lambda: not client.api.containers(all=True, filters={"label": wanted}), timeout=40, interval=0.3)
    return done + leave_if_ours(client, chapter=chapter)
