"""Volumes: named storage the engine keeps outside any container (labelled, session-namespaced)."""

from __future__ import annotations

import docker
import docker.errors
from docker.models.volumes import Volume as SdkVolume

from . import docker_cli
from .engine import connect
from .errors import NameConflict, NotFound, from_exception, translated
from .i18n import N_, _
from .labels import kit_labels, name as namespaced, validate_name, owned

__all__ = ["Volume", "create", "get", "remove", "users"]


class Volume:
    """A named volume of the kit: its name, driver, labels and where the engine keeps its files (``.sdk``: the
    docker-py object)."""

    def __init__(self, sdk: SdkVolume, cli: str | None = None) -> None:
        self.sdk = sdk
        self.cli = docker_cli.CliCommand(cli or docker_cli.simple("volume", "inspect", sdk.name))

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
        """'local': the engine keeps the files in a folder of its own (:attr:`mountpoint`)."""
        return str(self.sdk.attrs.get("Driver", ""))

    @property
    def mountpoint(self) -> str:
        """The folder on the engine's machine that holds the volume's files (`docker volume inspect`)."""
        return str(self.sdk.attrs.get("Mountpoint", ""))

    def inspect(self) -> dict:
        """What `docker volume inspect <name>` prints, fresh."""
        with translated(_("reading volume {name}").format(name=self.name), self.sdk.client):
            self.sdk.reload()
        return self.sdk.attrs

    def users(self) -> list[str]:
        """Names of the containers (running or not) that mount it."""
        return _users(self.name, self.sdk.client)

    def remove(self) -> None:
        """Remove it (its data is gone for good): `docker volume rm`."""
        remove(self.name, self.sdk.client)

    def __repr__(self) -> str:
        return f"<Volume {self.name}>"


def create(name: str, *, chapter: str | None = None, client: docker.DockerClient | None = None) -> Volume:
    """Create (or reuse) the session's volume ``name`` — like `docker volume create`."""
    full = namespaced(validate_name(name, N_("volume name")))
    client = client or connect()
    with translated(_("creating volume {name}").format(name=full), client):
        try:
            existing = client.volumes.get(full)
        except docker.errors.NotFound:
            existing = None
        if existing is not None:
            labels = existing.attrs.get("Labels") or {}
            if owned(labels):  # `docker volume create` of an existing volume: the same volume
                return Volume(existing, docker_cli.volume_create_command(full, labels))
            raise NameConflict(_("A volume named {name} already exists and the kit did not create it.").format(
                name=full),
                               _("Pick another name: the kit never touches volumes it did not create."))
        labels = kit_labels(chapter)
        volume = client.volumes.create(full, labels=labels)
    return Volume(volume, docker_cli.volume_create_command(full, labels))


def get(name: str, client: docker.DockerClient | None = None) -> Volume:
    client = client or connect()
    full = namespaced(name)
    try:
        with translated(_("looking for volume {name}").format(name=full), client):
            return Volume(client.volumes.get(full))
    except NotFound:
        raise NotFound(_("There is no volume named {name}.").format(name=full),
                       _("Run the cell that creates it first.")) from None


def users(name: str, client: docker.DockerClient | None = None) -> list[str]:
    """Names of the containers (running or not) that mount the volume."""
    return _users(namespaced(name), client or connect())


def _users(full: str, client: docker.DockerClient) -> list[str]:
    with translated(_("listing who uses volume {name}").format(name=full), client):
        return [c.name for c in client.containers.list(all=True, filters={"volume": full}, ignore_removed=True)]


def remove(name: str, client: docker.DockerClient | None = None) -> None:
    """Remove the session's volume (its data is gone for good) — `docker volume rm`."""
    client = client or connect()
    full = namespaced(name)
    try:
        volume = client.volumes.get(full)
    except docker.errors.NotFound:
        return
    except Exception as exc:
        raise from_exception(exc, _("removing volume {name}").format(name=full), client=client) from exc
    labels = volume.attrs.get("Labels") or {}
    if not owned(labels):
        raise NameConflict(_("The volume {name} was not created by the kit in this session; it stays.").format(
            name=full))
    with translated(_("removing volume {name}").format(name=full), client):
        volume.remove(force=True)
