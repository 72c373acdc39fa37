"""Volumes table: each of the kit's volumes, where the engine keeps it, and which containers use it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import docker
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from ..engine import connect
from ..errors import translated
from ..labels import CHAPTER, kit_filter, matches
from .fit import fitting_table
from .render import Displayable

__all__ = ["VolumeRow", "VolumesTable", "volume_rows", "volumes_table"]


@dataclass(frozen=True)
class VolumeRow:
    """One volume as the table shows it."""

    name: str
    mountpoint: str
    users: tuple[str, ...]
    chapter: str | None


def volume_rows(volumes: Iterable[Mapping[str, Any]], containers: Iterable[Mapping[str, Any]]) -> list[VolumeRow]:
    """Rows from volume attrs and `api.containers(all=True)` summaries (their Mounts say who uses what)."""
    users: dict[str, list[str]] = {}
    for c in containers:
        cname = str((c.get("Names") or [c.get("Id", "?")[:12]])[0]).lstrip("/")
        for mount in c.get("Mounts") or []:
            if mount.get("Type") == "volume" and mount.get("Name"):
                users.setdefault(mount["Name"], []).append(cname)
    rows = []
    for v in volumes:
        name = str(v.get("Name", ""))
        rows.append(VolumeRow(name=name, mountpoint=str(v.get("Mountpoint", "")),
                              users=tuple(sorted(users.get(name, []))), chapter=(v.get("Labels") or {}).get(CHAPTER)))
    return sorted(rows, key=lambda r: r.name)


class VolumesTable(Displayable):
    """The volumes: name, mountpoint on the engine's host, the containers using it, chapter."""

    def __init__(self, rows: Iterable[VolumeRow], *, title: str | None = "Volumes") -> None:
        self.rows = list(rows)
        self.title = title

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.rows:
            if self.title:
                yield Text(self.title, style="bold")
            yield Text("No volumes.", style="dim")
            return
        rows = [[Text(r.name, style="bold"), Text(r.mountpoint, style="dim"),
                 list(r.users) if r.users else Text("nobody", style="dim"), r.chapter or "—"] for r in self.rows]
        yield fitting_table(console, options, self.title, ["name", "mountpoint", "used by", "chapter"], rows)


def volumes_table(volumes: Iterable[Any] | None = None, *, chapter: str | None = None,
                  client: docker.DockerClient | None = None, title: str | None = "Volumes") -> VolumesTable:
    """The session's kit volumes (of one chapter, or the docker-py volumes given) and who uses each."""
    client = client or connect()
    with translated("listing volumes"):
        if volumes is None:
            flt = kit_filter(chapter)
            attrs = [a for a in (client.api.volumes(filters=flt) or {}).get("Volumes") or []
                     if matches(a.get("Labels"), flt)]
        else:
            attrs = [getattr(v, "attrs", v) for v in volumes]
        summaries = client.api.containers(all=True)
    return VolumesTable(volume_rows(attrs, summaries), title=title)
