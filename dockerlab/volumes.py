"""Volumes: named storage the engine keeps outside any container (labelled, session-namespaced)."""

from __future__ import annotations

import docker
import docker.errors
from docker.models.volumes import Volume

from . import docker_cli
from .engine import connect
from .errors import NameConflict, NotFound, from_exception, translated
from .labels import KIT, kit_labels, name as namespaced, validate_name, owned

__all__ = ["create", "get", "remove", "users"]


def create(name: str, *, chapter: str | None = None, client: docker.DockerClient | None = None) -> Volume:
    """Create (or reuse) the session's volume ``name`` — like `docker volume create`."""
    full = namespaced(validate_name(name, "volume name"))
    client = client or connect()
    with translated(f"creating volume {full}", client):
        try:
            existing = client.volumes.get(full)
        except docker.errors.NotFound:
            existing = None
        if existing is not None:
            labels = existing.attrs.get("Labels") or {}
            if owned(labels):
                return existing
            raise NameConflict(f"A volume named {full} already exists and the kit did not create it.",
                               "Pick another name: the kit never touches volumes it did not create.")
        volume = client.volumes.create(full, labels=kit_labels(chapter))
    volume.cli = docker_cli.simple("volume", "create", "--label", f"{KIT}=1", full)  # type: ignore[attr-defined]
    return volume


def get(name: str, client: docker.DockerClient | None = None) -> Volume:
    client = client or connect()
    full = namespaced(name)
    try:
        with translated(f"looking for volume {full}", client):
            return client.volumes.get(full)
    except NotFound:
        raise NotFound(f"There is no volume named {full}.", "Run the cell that creates it first.") from None


def users(name: str, client: docker.DockerClient | None = None) -> list[str]:
    """Names of the containers (running or not) that mount the volume."""
    client = client or connect()
    with translated(f"listing who uses volume {name}", client):
        return [c.name for c in client.containers.list(all=True, filters={"volume": namespaced(name)},
                                                                ignore_removed=True)]


def remove(name: str, client: docker.DockerClient | None = None) -> None:
    """Remove the session's volume (its data is gone for good) — `docker volume rm`."""
    client = client or connect()
    full = namespaced(name)
    try:
        volume = client.volumes.get(full)
    except docker.errors.NotFound:
        return
    except Exception as exc:
        raise from_exception(exc, f"removing volume {full}", client=client) from exc
    labels = volume.attrs.get("Labels") or {}
    if not owned(labels):
        raise NameConflict(f"The volume {full} was not created by the kit in this session; it stays.")
    with translated(f"removing volume {full}", client):
        volume.remove(force=True)
