"""`python -m dockerlab status`: the kit's containers, volumes and networks of this learner session."""

from __future__ import annotations

import docker
from rich.console import Group, RenderableType
from rich.text import Text

from ..engine import connect, engine_address
from ..errors import translated
from ..labels import kit_filter, session_id
from .containers import containers_table
from .network import NetworkView
from .render import Displayable
from .volumes import volumes_table

__all__ = ["Status", "status"]


class Status(Displayable, Group):
    """A rich Group (heading, containers, volumes, networks) that also shows in a notebook."""


def status(chapter: str | None = None, *, client: docker.DockerClient | None = None) -> Status:
    """What the kit has on the engine for you now (one chapter's, or all of this session's)."""
    client = client or connect()
    flt = kit_filter(chapter)
    with translated("listing the kit's resources"):
        summaries = client.api.containers(all=True, filters=flt)
        nets = [client.api.inspect_network(n["Id"]) for n in client.api.networks(filters=flt)]
    scope = f"chapter {chapter} of " if chapter else ""
    parts: list[RenderableType] = [
        Text.assemble(("dockerlab status", "bold"), f" — {scope}session {session_id()} on {engine_address()}"),
        containers_table(summaries, title="Containers"),
        volumes_table(chapter=chapter, client=client, title="Volumes"),
    ]
    if nets:
        parts += [NetworkView.from_attrs(n, client.api.inspect_container) for n in sorted(nets, key=lambda n: n["Name"])]
    else:
        parts.append(Text.assemble(("Networks", "bold"), ("\nNo networks.", "dim")))
    return Status(*parts)
