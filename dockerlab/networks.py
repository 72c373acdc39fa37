"""Networks: user-defined bridges where containers find each other by name (labelled, namespaced)."""

from __future__ import annotations

import docker
import docker.errors
from docker.models.networks import Network

from . import docker_cli
from .engine import connect
from .errors import NameConflict, NotFound, from_exception, translated
from .labels import KIT, kit_labels, name as namespaced, validate_name, owned

__all__ = ["create", "get", "remove", "members"]


def create(name: str, *, chapter: str | None = None, client: docker.DockerClient | None = None) -> Network:
    """Create (or reuse) the session's bridge network ``name`` — like `docker network create`."""
    full = namespaced(validate_name(name, "network name"))
    client = client or connect()
    with translated(f"creating network {full}", client):
        found = client.networks.list(names=[full])
        for net in found:
            if net.name != full:
                continue
            labels = net.attrs.get("Labels") or {}
            if owned(labels):
                return net
            raise NameConflict(f"A network named {full} already exists and the kit did not create it.",
                               "Pick another name: the kit never touches networks it did not create.")
        network = client.networks.create(full, driver="bridge", labels=kit_labels(chapter))
    network.cli = docker_cli.simple("network", "create", "--label", f"{KIT}=1", full)  # type: ignore[attr-defined]
    return network


def get(name: str, client: docker.DockerClient | None = None) -> Network:
    client = client or connect()
    full = namespaced(name)
    with translated(f"looking for network {full}", client):
        for net in client.networks.list(names=[full]):
            if net.name == full:
                return client.networks.get(net.id)
    raise NotFound(f"There is no network named {full}.", "Run the cell that creates it first.")


def members(name: str, client: docker.DockerClient | None = None) -> list[dict[str, str]]:
    """Who is on the network: container name, IPv4 address and aliases."""
    net = get(name, client)
    out = []
    for cid, info in (net.attrs.get("Containers") or {}).items():
        out.append({"name": info.get("Name", cid[:12]), "ipv4": info.get("IPv4Address", "").split("/")[0]})
    return sorted(out, key=lambda m: m["name"])


def remove(name: str, client: docker.DockerClient | None = None) -> None:
    client = client or connect()
    try:
        net = get(name, client)
    except NotFound:
        return
    labels = net.attrs.get("Labels") or {}
    if not owned(labels):
        raise NameConflict(f"The network {net.name} was not created by the kit in this session; it stays.")
    try:
        net.remove()
    except docker.errors.NotFound:
        pass
    except Exception as exc:
        raise from_exception(exc, f"removing network {net.name}", client=client) from exc
