"""LayerExplorer: pick an image or a container, see its layer stack, pick a layer to list the files it adds.

For a container, "Refresh writable layer" re-reads what it has changed since it started (`docker diff`).
Options are strings ``"image:<ref>"`` or ``"container:<name>"``, so a test or a cell can set them.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import docker
import ipywidgets as w

from ..course import APPS, BASE_IMAGES
from ..display.layerstack import LayerFilesView, LayerStack
from ..display.render import escape_pre, to_html
from ..engine import connect
from ..errors import DockerlabError, translated
from ..labels import kit_filter
from ..layers import ImageLayers, container_layers, image_layers, layer_files, writable_layer
from ..refs import familiar
from .live import track, untrack
from ..i18n import N_, _

__all__ = ["LayerExplorer", "explorer_choices"]

_HINT = N_("Pick a layer above to list the files it adds.")


def explorer_choices(refs: Sequence[str] = (), client: docker.DockerClient | None = None,
                     course: bool = True) -> list[tuple[str, str]]:
    """(label, value) options: the refs given, this session's containers and images, then the course's images."""
    client = client or connect()
    image, container, course_image = _("image"), _("container"), _("course image")
    options: list[tuple[str, str]] = [(f"{image}  {ref}", f"image:{ref}") for ref in refs]
    with translated(_("listing your containers and images")):
        for c in sorted(client.api.containers(all=True, filters=kit_filter()), key=lambda c: c["Names"][0]):
            name = c["Names"][0].lstrip("/")
            options.append((f"{container}  {name} ({c.get('State', '?')})", f"container:{name}"))
        mine = sorted(familiar(t) for img in client.api.images(filters=kit_filter()) for t in img.get("RepoTags") or []
                      if t != "<none>:<none>")
        options += [(f"{image}  {t}", f"image:{t}") for t in mine]
        if course:
            present = {familiar(t) for img in client.api.images() for t in img.get("RepoTags") or []}
            options += [(f"{course_image}  {t}", f"image:{t}") for t in [*BASE_IMAGES, *APPS.values()] if t in present]
    return list(dict.fromkeys(options))


class LayerExplorer(w.VBox):
    """Dropdown (image or container) → its layer stack → a layer list → the files the chosen layer adds."""

    def __init__(self, refs: Sequence[str] | str = (), *, value: str | None = None, course: bool = True,
                 client: docker.DockerClient | None = None, width: int = 100) -> None:
        self.client = client or connect()
        self.width = width
        self.stack: ImageLayers | None = None
        refs = [refs] if isinstance(refs, str) else list(refs)
        self.picker = w.Dropdown(description=_("Show"), options=explorer_choices(refs, self.client, course),
                                 value=None, layout=w.Layout(width="60%"))
        self.stack_html = w.HTML()
        self.layer_select = w.Select(description=_("Layers"), options=[], rows=8, layout=w.Layout(width="90%"))
        self.files_html = w.HTML(f"<i>{_(_HINT)}</i>")
        self.refresh_button = w.Button(description=_("Refresh writable layer"), icon="refresh",
                                       tooltip=_("Read again what the container changed (docker diff)"),
                                       layout=w.Layout(display="none"))
        self.message = w.HTML()
        self.picker.observe(self._on_pick, names="value")
        self.layer_select.observe(self._on_layer, names="value")
        self.refresh_button.on_click(lambda _b: self.refresh_writable())
        super().__init__([self.picker, self.message, self.stack_html, self.refresh_button, self.layer_select,
                          self.files_html])
        self.add_class("dockerlab-layer-explorer")
        track(self)
        values = [v for _label, v in self.picker.options]
        first = value if value is not None else (f"image:{refs[0]}" if refs else (values[0] if values else None))
        if first is not None:
            if first not in values:
                self.picker.options = [(first.split(":", 1)[1], first), *self.picker.options]
            self.picker.value = first

    # -- what happens on a pick ---------------------------------------------------------------
    def _on_pick(self, change: dict) -> None:
        self.show(change["new"])

    def _on_layer(self, change: dict) -> None:
        if change["new"] is not None:
            self.show_files(change["new"])

    def show(self, value: str | None) -> None:
        """Show the layer stack of ``image:<ref>`` or ``container:<name>``."""
        self.stack = None
        self.layer_select.options = []
        self.files_html.value = f"<i>{_(_HINT)}</i>"
        if not value:
            self.stack_html.value = ""
            return
        kind, _colon, ref = value.partition(":")
        self.message.value = "<i>" + html.escape(_("Reading the layers of {ref}…").format(ref=ref)) + "</i>"
        try:
            self.stack = container_layers(ref, self.client) if kind == "container" else image_layers(ref, self.client)
        except DockerlabError as err:
            self.message.value = escape_pre(err.message)
            self.stack_html.value = ""
            return
        self.message.value = ""
        self.refresh_button.layout.display = "" if kind == "container" else "none"
        self._render_stack()
        self.layer_select.options = [
            (f"{layer.index:>2}  {layer.instruction[:70]}  ({_size(layer.size)})", layer.index)
            for layer in self.stack.file_layers]

    def _render_stack(self) -> None:
        if self.stack is not None:
            self.stack_html.value = to_html(LayerStack(self.stack), self.width)

    def show_files(self, index: int) -> None:
        """List the files the layer at row ``index`` adds (read from `docker save`, cached)."""
        if self.stack is None:
            return
        layer = self.stack.layers[index]
        self.files_html.value = "<i>" + _("Reading layer {index}…").format(index=index) + "</i>"
        try:
            files = layer_files(self.stack.image_id, layer, self.client)
        except DockerlabError as err:
            self.files_html.value = escape_pre(err.message)
            return
        self.files_html.value = to_html(LayerFilesView(layer, files), self.width)

    def refresh_writable(self) -> None:
        """Read the container's writable layer again and redraw the stack."""
        value = self.picker.value or ""
        if self.stack is None or not value.startswith("container:"):
            return
        try:
            self.stack.writable = writable_layer(value.split(":", 1)[1], self.client)
        except DockerlabError as err:
            self.message.value = escape_pre(err.message)
            return
        self._render_stack()

    # -- lifecycle ---------------------------------------------------------------------------
    def describe(self) -> str:
        picked = self.picker.value or _("nothing picked")
        return f"LayerExplorer ({picked})"

    def close(self) -> None:
        """Close the explorer and its parts (it runs no thread)."""
        untrack(self)
        for child in (self.picker, self.message, self.stack_html, self.refresh_button, self.layer_select,
                      self.files_html):
            child.close()
        super().close()


def _size(n: int) -> str:
    from ..display.render import human_size

    return human_size(n)
