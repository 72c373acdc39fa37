"""Networks: user-defined bridges where containers find each other by name (labelled, namespaced)."""

from __future__ import annotations

import docker
import docker.errors
from docker.models.networks import Network as SdkNetwork

from . import docker_cli
from .engine import connect
from .errors import BadInput, NameConflict, NotFound, from_exception, translated
from .i18n import N_, _
from .labels import kit_labels, name as namespaced, validate_name, owned
from .polling import ask_again

__all__ = ["Network", "create", "get", "remove", "members"]


class Network:
    """A user-defined bridge of the kit: its name, driver, subnet and who is on it (``.sdk``: docker-py's object)."""

    def __init__(self, sdk: SdkNetwork, cli: str | None = None) -> None:
        self.sdk = sdk
        self.cli = docker_cli.CliCommand(cli or docker_cli.simple("network", "inspect", sdk.name))

    @property
    def name(self) -> str:
        return self.sdk.name

    @property
    def id(self) -> str:
        return self.sdk.id

    @property
    def labels(self) -> dict[str, str]:
        return dict(self.sdk.attrs.get("Labels") or {})

    @property
    def driver(self) -> str:
        return str(self.sdk.attrs.get("Driver", ""))

    @property
    def subnet(self) -> str:
        """Its IPv4 range, e.g. 172.18.0.0/16: every container on it gets an address from there."""
        config = (self.sdk.attrs.get("IPAM") or {}).get("Config") or [{}]
        return str((config[0] if config else {}).get("Subnet", ""))

    def members(self) -> list[dict[str, str]]:
        """Who is on it now: container name and IPv4 address."""
        with translated(_("reading network {name}").format(name=self.name), self.sdk.client):
            self.sdk.reload()
        return _members(self.sdk.attrs)

    def inspect(self) -> dict:
        """What `docker network inspect <name>` prints, fresh."""
        with translated(_("reading network {name}").format(name=self.name), self.sdk.client):
            self.sdk.reload()
        return self.sdk.attrs

    def remove(self) -> None:
        remove(self.name, self.sdk.client)

    def __repr__(self) -> str:
        return f"<Network {self.name}>"


def create(name: str, *, driver: str = "bridge", attachable: bool = False, chapter: str | None = None,
           client: docker.DockerClient | None = None) -> Network:
    """Create (or reuse) the session's network ``name`` — like `docker network create`: a bridge on this machine, or
    ``driver="overlay"`` for Swarm services (``attachable=True``: plain containers may join it too)."""
    if driver not in ("bridge", "overlay"):
        raise BadInput(_("driver must be 'bridge' or 'overlay', not {driver!r}.").format(driver=driver),
                       _("A bridge joins containers on this machine; an overlay joins Swarm services (and, "
                         "attachable, containers)."))
    full = namespaced(validate_name(name, N_("network name")))
    client = client or connect()
    with translated(_("creating network {name}").format(name=full), client):
        found = client.networks.list(names=[full])
        for net in found:
            if net.name != full:
                continue
            labels = net.attrs.get("Labels") or {}
            if owned(labels):
                return Network(net, docker_cli.network_create_command(full, labels, driver=driver,
                                                                      attachable=attachable))
            raise NameConflict(_("A network named {name} already exists and the kit did not create it.").format(
                name=full),
                               _("Pick another name: the kit never touches networks it did not create."))
        labels = kit_labels(chapter)
        network = _create(client, full, driver=driver, attachable=attachable or None, labels=labels)
    return Network(network, docker_cli.network_create_command(full, labels, driver=driver, attachable=attachable))


#: Podman's answer when its search for a free subnet meets an interface removed while it lists the machine's addresses
#: (Go's net.InterfaceAddrs reads addresses, then links); another learner's network going away is enough, and nothing
#: was made: asked again, the create works
PODMAN_SUBNET_RACE = "no such network interface"


def _create(client: docker.DockerClient, full: str, **options: object) -> SdkNetwork:
    """The engine's network create, asked again for ~0.4 s on :data:`PODMAN_SUBNET_RACE`."""
    return ask_again(lambda: client.networks.create(full, **options), timeout=0.4,
                     transient=lambda exc: isinstance(exc, docker.errors.APIError) and PODMAN_SUBNET_RACE in str(exc))


def get(name: str, client: docker.DockerClient | None = None) -> Network:
    client = client or connect()
    full = namespaced(name)
    with translated(_("looking for network {name}").format(name=full), client):
        for net in client.networks.list(names=[full]):
            if net.name == full:
                return Network(client.networks.get(net.id))
    raise NotFound(_("There is no network named {name}.").format(name=full), _("Run the cell that creates it first."))


def members(name: str, client: docker.DockerClient | None = None) -> list[dict[str, str]]:
    """Who is on the network: container name, IPv4 address and aliases."""
    return _members(get(name, client).sdk.attrs)


def _members(attrs: dict) -> list[dict[str, str]]:
    out = [{"name": info.get("Name", cid[:12]), "ipv4": info.get("IPv4Address", "").split("/")[0]}
           for cid, info in (attrs.get("Containers") or {}).items()]
    return sorted(out, key=lambda m: m["name"])


def remove(name: str, client: docker.DockerClient | None = None) -> None:
    client = client or connect()
    try:
        net = get(name, client)
    except NotFound:
        return
    if not owned(net.labels):
        raise NameConflict(_("The network {name} was not created by the kit in this session; it stays.").format(
            name=net.name))
    try:
        net.sdk.remove()
    except docker.errors.NotFound:
        pass
    except Exception as exc:
        raise from_exception(exc, _("removing network {name}").format(name=net.name), client=client) from exc
