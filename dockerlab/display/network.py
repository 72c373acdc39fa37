"""Network view: the containers on a network with their IPv4 addresses and the aliases others reach them by."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import docker
import docker.errors
from docker.models.networks import Network
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from ..engine import connect
from ..errors import translated
from ..i18n import N_, _
from ..networks import Network as KitNetwork
from ..networks import get as get_network
from .fit import Cell, fitting_table
from .render import Displayable

__all__ = ["NetworkMember", "NetworkView", "network_view", "network_members"]


@dataclass(frozen=True)
class NetworkMember:
    """A container on the network: its name, IPv4 address and DNS aliases there."""

    name: str
    ipv4: str
    aliases: tuple[str, ...]


def network_members(net_attrs: Mapping[str, Any], inspect: Any = None) -> list[NetworkMember]:
    """Members from a network's inspect attrs; ``inspect(id)`` gives a container's attrs (for aliases)."""
    members = []
    net_name = str(net_attrs.get("Name", ""))
    for cid, info in (net_attrs.get("Containers") or {}).items():
        aliases: list[str] = []
        if inspect is not None:
            try:
                c = inspect(cid)
                settings = ((c.get("NetworkSettings") or {}).get("Networks") or {}).get(net_name) or {}
                aliases = [a for a in settings.get("Aliases") or [] if not cid.startswith(a)]
            except docker.errors.NotFound:
                pass
        members.append(NetworkMember(name=str(info.get("Name", cid[:12])),
                                     ipv4=str(info.get("IPv4Address", "")).split("/")[0],
                                     aliases=tuple(dict.fromkeys(aliases))))
    return sorted(members, key=lambda m: m.name)


class NetworkView(Displayable):
    """One network: driver and subnet, then each container with its IPv4 address and aliases."""

    def __init__(self, name: str, members: Iterable[NetworkMember], *, driver: str = "bridge",
                 subnet: str = "", gateway: str = "") -> None:
        self.name = name
        self.members = list(members)
        self.driver = driver
        self.subnet = subnet
        self.gateway = gateway

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        where = " — " + _("subnet {subnet}").format(subnet=self.subnet) if self.subnet else ""
        where += ", " + _("gateway {gateway}").format(gateway=self.gateway) if self.gateway else ""
        title = _("Network {name} ({driver})").format(name=self.name, driver=self.driver) + where
        yield Text(title, style="bold")
        if not self.members:
            yield Text(_("No containers on it."), style="dim")
            return
        rows: list[list[Cell]] = [[Text(m.name, style="bold"), m.ipv4 or "—", ", ".join((m.name,) + m.aliases)]
                                  for m in self.members]
        headers = [_(h) for h in (N_("container"), "IPv4", N_("aliases (names others can use)"))]
        yield fitting_table(console, options, None, headers, rows)

    @classmethod
    def from_attrs(cls, attrs: Mapping[str, Any], inspect: Any = None) -> NetworkView:
        ipam = ((attrs.get("IPAM") or {}).get("Config") or [{}])
        first = ipam[0] if ipam else {}
        return cls(str(attrs.get("Name", "")), network_members(attrs, inspect), driver=str(attrs.get("Driver", "")),
                   subnet=str(first.get("Subnet", "")), gateway=str(first.get("Gateway", "")))


def network_view(network: str | Network | KitNetwork, *, client: docker.DockerClient | None = None) -> NetworkView:
    """The session's network ``network`` (short name, or a kit or docker-py Network): who is on it, at which
    address."""
    client = client or connect()
    if isinstance(network, str):
        network = get_network(network, client)
    with translated(f"reading network {network.name}"):
        attrs = client.api.inspect_network(network.id)
        return NetworkView.from_attrs(attrs, client.api.inspect_container)
