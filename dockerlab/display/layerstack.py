"""Layer stack: one row per layer from the base up — the instruction that made it, its size with a bar, a
"shared" marker when other images on the engine use the same layer — and a container's writable layer on top.

    layer_stack("debian:bookworm-slim")       # an image
    layer_stack(web)                          # a container: its image's layers + what it changed
    layer_files_view("alice/hello", 3)        # the files row 3 adds
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import string

import docker
from docker.models.images import Image
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from ..i18n import N_, _
from ..layers import ImageLayers, Layer, WritableLayer
from ..layertar import LayerFile
from .render import Displayable, human_size

__all__ = ["LayerStack", "LayerFilesView", "layer_stack", "layer_files_view", "BAR_WIDTH"]

BAR_WIDTH = 12
#: LABEL rows the kit adds to every build (plumbing, hidden like in the build log)
KIT_LABEL_ROW = "LABEL org.dockerlab."
_KIND_WORD = {"A": N_("added"), "C": N_("changed"), "D": N_("deleted")}
_KIND_STYLE = {"A": "green", "C": "yellow", "D": "red"}


def _assemble(template: str, style: str = "", **fields: tuple[str, str]) -> Text:
    """A translated ``template`` as rich Text: its words in ``style``, each {field} as (text, style) — so the
    styled parts land where the learner's language puts them."""
    out = Text()
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        if literal:
            out.append(literal, style=style)
        if name is not None:
            out.append(*fields[name])
    return out


def _bar(size: int, largest: int, width: int = BAR_WIDTH) -> Text:
    if size <= 0 or largest <= 0:
        return Text("")
    cells = max(1, round(width * size / largest))
    return Text("█" * cells, style="cyan")


def _shared(names: Sequence[str]) -> Text:
    if not names:
        return Text("")
    shown = names[0] + (f" +{len(names) - 1}" if len(names) > 1 else "")
    return Text("◆ " + shown, style="magenta")


class LayerStack(Displayable):
    """An image's layers (row 0 is the base) and, for a container, its writable layer above them."""

    def __init__(self, stack: ImageLayers, *, config_rows: bool = True, top_first: bool = False,
                 writable_limit: int = 30) -> None:
        self.stack = stack
        self.config_rows = config_rows
        self.top_first = top_first
        self.writable_limit = writable_limit

    def _writable_rows(self, writable: WritableLayer) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = [
            (Text("W", style="bold yellow"), _assemble(_("writable layer of {container}"), "bold yellow",
                                                       container=(writable.container, "bold")),
             Text(_("container"), style="yellow"), Text(""), Text("")),
            ("", Text(f"({writable.status}) " + _("{count} path(s) added/changed/deleted:").format(
                count=len(writable.changes)), style="yellow"), "", "", "")]
        changes = list(writable.changes)
        if not changes:
            rows.append(("", Text(_("(nothing changed yet)"), style="dim"), "", "", ""))
        for kind, path in changes[:self.writable_limit]:
            word = _(_KIND_WORD[kind]) if kind in _KIND_WORD else ""
            rows.append(("", Text.assemble((f"{kind} ", "bold " + _KIND_STYLE.get(kind, "")), path,
                                           (f"  {word}", "dim")), "", "", ""))
        if len(changes) > self.writable_limit:
            more = _("… and {count} more path(s)").format(count=len(changes) - self.writable_limit)
            rows.append(("", Text(more, style="dim"), "", "", ""))
        return rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        s = self.stack
        files = s.file_layers
        head = _assemble(_("Layers of {image} ({id}): {size} in {count} layer(s)"), image=(s.ref, "bold cyan"),
                         id=(s.image_id.split(":")[-1][:12], ""), size=(human_size(s.size), ""),
                         count=(str(len(files)), ""))
        kit_rows = sum(1 for layer in s.layers if layer.empty and layer.instruction.startswith(KIT_LABEL_ROW))
        if self.config_rows:
            head.append(" + " + _("{count} row(s) without files").format(count=len(s.layers) - len(files) - kit_rows),
                        style="dim")
        yield head
        if s.writable is not None:
            yield _assemble(_("and on top, the writable layer of container {container}"),
                            container=(s.writable.container, "bold"))
        table = Table(box=None, header_style="bold", pad_edge=False, expand=False, show_edge=False)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column(_("made by"), overflow="fold", ratio=1, min_width=30)
        table.add_column(_("size"), justify="right", no_wrap=True)
        table.add_column("", no_wrap=True, width=BAR_WIDTH)
        table.add_column(_("shared"), overflow="ellipsis", no_wrap=True, max_width=26)
        largest = max((layer.size for layer in s.layers), default=0)
        rows: list[tuple[Any, ...]] = []
        for layer in s.layers:
            if layer.empty and (not self.config_rows or layer.instruction.startswith(KIT_LABEL_ROW)):
                continue
            if layer.empty:
                rows.append((Text(str(layer.index), style="dim"), Text(layer.instruction, style="dim"),
                             Text(_("no files"), style="dim"), Text(""), Text("")))
            else:
                rows.append((str(layer.index), Text(layer.instruction), human_size(layer.size),
                             _bar(layer.size, largest), _shared(layer.shared_with)))
        writable = self._writable_rows(s.writable) if s.writable is not None else []
        if self.top_first:
            rows = writable + list(reversed(rows))
        else:
            rows = rows + writable
        for row in rows:
            table.add_row(*row)
        yield table
        for note in s.notes:
            yield Text(_("note: {note}").format(note=note), style="dim italic")
        order = _("top layer first") if self.top_first else _("base first, top layer last")
        hidden = "; " + _("{count} LABEL row(s) the kit adds not shown").format(count=kit_rows) if kit_rows else ""
        legend = [f"({order}{hidden})"]
        if self.config_rows and len(s.layers) - len(files) - kit_rows > 0:
            legend.append(_('"{word}": the row changed only settings (or no file), so it made no layer.').format(
                word=_("no files")))
        if any(layer.shared_with for layer in files):
            legend.append(_("◆: other images on this engine use this same layer; it is stored once."))
        yield Text("\n".join(legend), style="dim")


def layer_stack(ref_or_container: Any, *, client: docker.DockerClient | None = None, config_rows: bool = True,
                top_first: bool = False) -> LayerStack:
    """The layer stack of an image (name or docker-py Image) or of a container (its writable layer on top)."""
    from ..layers import container_layers, image_layers

    if isinstance(ref_or_container, ImageLayers):
        return LayerStack(ref_or_container, config_rows=config_rows, top_first=top_first)
    if isinstance(ref_or_container, (str, Image)) and not _is_container_name(ref_or_container, client):
        stack = image_layers(ref_or_container, client)
    else:
        stack = container_layers(ref_or_container, client)
    return LayerStack(stack, config_rows=config_rows, top_first=top_first)


def _is_container_name(ref: Any, client: docker.DockerClient | None) -> bool:
    """A string that names no image but a container of this session (e.g. 'web') means the container."""
    if not isinstance(ref, str) or ":" in ref or "/" in ref:
        return False
    from ..containers import find
    from ..images import exists, resolve
    from ..engine import connect

    client = client or connect()
    return not exists(resolve(ref, client), client) and find(ref, client) is not None


class LayerFilesView(Displayable):
    """The paths one layer holds: + added or replaced, - deleted (a whiteout), dirs ending in /."""

    def __init__(self, layer: Layer | None, files: Sequence[LayerFile], *, limit: int = 60,
                 dirs: bool = False) -> None:
        self.layer = layer
        self.files = list(files)
        self.limit = limit
        self.dirs = dirs

    @property
    def shown(self) -> list[LayerFile]:
        return [f for f in self.files if self.dirs or f.kind != "dir"]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        layer = self.layer
        if layer is not None:
            yield _assemble(_("Layer {index}: {instruction} — {size}"), "bold", index=(str(layer.index), "bold"),
                            instruction=(layer.instruction, "bold cyan"), size=(human_size(layer.size), ""))
            if layer.empty:
                yield Text(_("This row changed only the image's config: it holds no files."), style="dim")
                return
        shown = self.shown
        hidden_dirs = len(self.files) - len(shown)
        folders = " " + _("(+{count} folder entries)").format(count=hidden_dirs) if hidden_dirs else ""
        yield Text(_("{count} path(s)").format(count=len(shown)) + folders, style="dim")
        text = Text()
        for f in shown[:self.limit]:
            if f.kind in ("deleted", "opaque"):
                text.append("- ", style="bold red")
                text.append(f.path + ("/*  " + _("(folder emptied)") if f.kind == "opaque" else "  " + _("(deleted)")),
                            style="red")
            else:
                text.append("+ ", style="bold green")
                text.append(f.path + ("/" if f.kind == "dir" else ""))
                if f.kind == "symlink":
                    text.append("  " + _("(symlink)"), style="dim")
                elif f.kind == "file":
                    text.append(f"  {human_size(f.size)}", style="dim")
            text.append("\n")
        if len(shown) > self.limit:
            text.append(_("… and {count} more").format(count=len(shown) - self.limit) + "\n", style="dim")
        text.rstrip()
        yield text


def layer_files_view(ref: str | Image, layer: int | str | Layer, *, client: docker.DockerClient | None = None,
                     limit: int = 60) -> LayerFilesView:
    """The files one layer of an image adds (row number from :func:`layer_stack`, a Layer, or its digest)."""
    from ..layers import image_layers, layer_files

    stack = image_layers(ref, client, shared=False)
    chosen = layer if isinstance(layer, Layer) else (
        stack.layers[layer] if isinstance(layer, int) else next((x for x in stack.layers if x.digest == layer), None))
    return LayerFilesView(chosen, layer_files(ref, chosen if chosen is not None else layer, client), limit=limit)
