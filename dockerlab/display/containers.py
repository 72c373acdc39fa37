"""Containers table: name, image, status, health, ports and chapter — what `docker ps -a` shows, kit-style.

Accepts dockerlab ``Container`` objects, docker-py containers, or the summary dicts of
``client.api.containers()`` (one engine call for many containers: what the dashboard uses).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from ..i18n import N_, _
from ..labels import CHAPTER, SESSION
from ..refs import familiar
from .fit import Cell, fitting_table
from .render import Displayable

__all__ = ["ContainerRow", "ContainersTable", "containers_table", "container_row"]

_HEALTH_IN_STATUS = re.compile(r"\((healthy|unhealthy|health: starting)\)")
_EXITED = re.compile(r"^Exited \((-?\d+)\)\s*(.*)$")
_STATUS_STYLE = {"running": "green", "exited": "red", "created": "yellow", "paused": "yellow", "restarting": "yellow",
                 "dead": "bold red", "removing": "dim"}
_HEALTH_STYLE = {"healthy": "green", "unhealthy": "bold red", "starting": "yellow"}


@dataclass(frozen=True)
class ContainerRow:
    """One container as the table shows it."""

    name: str
    image: str
    status: str  # running, exited, …
    detail: str  # "Up 3 minutes", "Exited (1) 2 seconds ago", or the exit code
    health: str | None
    ports: str
    chapter: str | None
    session: str | None
    id: str


def _ports_from_inspect(ports: Mapping[str, Any] | None) -> str:
    shown = []
    for cport, bindings in sorted((ports or {}).items()):
        for b in bindings or []:
            shown.append(f"{b.get('HostIp') or '0.0.0.0'}:{b.get('HostPort')}->{cport}")
        if not bindings:
            shown.append(cport)
    return ", ".join(dict.fromkeys(shown))


def _ports_from_summary(ports: Iterable[Mapping[str, Any]] | None) -> str:
    shown = []
    for p in sorted(ports or [], key=lambda p: (p.get("PrivatePort", 0), p.get("IP", ""))):
        inner = f"{p.get('PrivatePort')}/{p.get('Type', 'tcp')}"
        shown.append(f"{p.get('IP') or '0.0.0.0'}:{p.get('PublicPort')}->{inner}" if p.get("PublicPort") else inner)
    return ", ".join(dict.fromkeys(shown))


def container_row(container: Any) -> ContainerRow:
    """A table row from a dockerlab Container, a docker-py container, or an `api.containers()` dict."""
    attrs = container if isinstance(container, Mapping) else getattr(container, "attrs", None)
    if attrs is None:
        raise TypeError(f"not a container: {container!r}")
    if isinstance(attrs.get("State"), Mapping):  # inspect shape
        state = attrs["State"]
        labels = (attrs.get("Config") or {}).get("Labels") or {}
        status = str(state.get("Status", "?"))
        detail = f"exit code {state.get('ExitCode')}" if status == "exited" else ""
        health = (state.get("Health") or {}).get("Status")
        image = familiar(str((attrs.get("Config") or {}).get("Image", "")))
        return ContainerRow(
            name=str(attrs.get("Name", "")).lstrip("/"), image=image, status=status, detail=detail, health=health,
            ports=_ports_from_inspect((attrs.get("NetworkSettings") or {}).get("Ports")),
            chapter=labels.get(CHAPTER), session=labels.get(SESSION), id=str(attrs.get("Id", "")))
    labels = attrs.get("Labels") or {}
    detail = str(attrs.get("Status", ""))
    m = _HEALTH_IN_STATUS.search(detail)
    health = None if not m else m.group(1).replace("health: ", "")
    names = attrs.get("Names") or [""]
    detail = _HEALTH_IN_STATUS.sub("", detail).strip()
    exited = _EXITED.match(detail)
    detail = f"code {exited.group(1)}, {exited.group(2)}" if exited else detail
    return ContainerRow(name=str(names[0]).lstrip("/"), image=familiar(str(attrs.get("Image", ""))),
                        status=str(attrs.get("State", "?")), detail=detail,
                        health=health, ports=_ports_from_summary(attrs.get("Ports")), chapter=labels.get(CHAPTER),
                        session=labels.get(SESSION), id=str(attrs.get("Id", "")))


class ContainersTable(Displayable):
    """The containers with status (and how long / exit code), health, published ports and chapter."""

    def __init__(self, containers: Iterable[Any], *, title: str | None = N_("Containers"),
                 empty: str = N_("No containers.")) -> None:
        self.rows = [c if isinstance(c, ContainerRow) else container_row(c) for c in containers]
        self.title = title
        self.empty = empty

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.rows:
            if self.title:
                yield Text(_(self.title), style="bold")
            yield Text(_(self.empty), style="dim")
            return
        rows: list[list[Cell]] = []
        for r in self.rows:
            status = Text(r.status, style=_STATUS_STYLE.get(r.status, ""))
            if r.detail:
                status.append(f" ({r.detail})", style="dim")
            health = Text(r.health or "—", style=_HEALTH_STYLE.get(r.health or "", "dim"))
            rows.append([Text(r.name, style="bold"), r.image, status, health, r.ports.split(", ") if r.ports else "—",
                         r.chapter or "—"])
        headers = [_(h) for h in (N_("name"), N_("image"), N_("status"), "health", N_("ports"), N_("chapter"))]
        yield fitting_table(console, options, _(self.title) if self.title else self.title, headers, rows)


def containers_table(containers: Iterable[Any], *, title: str | None = N_("Containers")) -> ContainersTable:
    """A table of containers (dockerlab or docker-py ones): name, image, status, health, ports, chapter."""
    return ContainersTable(containers, title=title)
