"""Layers: which Dockerfile instruction made each layer of an image, how big it is, which other
images share it, what files it adds (from `docker save`), and a container's writable layer on top.

Docker 20.10's history API does not say which rows made a layer (``empty_layer`` lives only in the
image config): rows are matched to ``RootFS.Layers`` by size and instruction, and a zero-size
RUN/COPY/WORKDIR row by asking its intermediate image how many layers it has (see map_history).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import docker
import docker.errors
from docker.models.containers import Container as SdkContainer
from docker.models.images import Image

from .engine import connect
from .errors import BadInput, NotFound, translated
from .i18n import _
from .images import resolve
from .layertar import ChunkReader, LayerFile, digest_members, read_image_tar
from .refs import familiar

__all__ = ["Layer", "ImageLayers", "WritableLayer", "clean_instruction", "map_history", "image_layers",
           "container_layers", "writable_layer", "layer_files", "saved_digests", "forget_caches"]

_NOP = re.compile(r"^/bin/(?:ba)?sh -c #\(nop\)\s*")
_SHELL = re.compile(r"^/bin/(?:ba)?sh -c\s+")
_ARGS = re.compile(r"^\|(\d+)\s+")
_HASH = re.compile(r"((?:file|dir|multi):)([0-9a-f]{12})[0-9a-f]{40,}")
_GLUED = re.compile(r"(--chown=\S+?)((?:file|dir|multi):[0-9a-f])")  # Docker writes "--chown=1:1file:…"
#: instructions that only change the image's config and never make a layer of files
METADATA = frozenset({"ENV", "LABEL", "CMD", "ENTRYPOINT", "EXPOSE", "USER", "VOLUME", "ARG", "HEALTHCHECK",
                      "STOPSIGNAL", "SHELL", "ONBUILD", "MAINTAINER"})


@dataclass(frozen=True)
class Layer:
    """One history row of an image; ``digest`` is None when the row changed only the config."""

    index: int  # 0 is the bottom row
    instruction: str
    size: int
    created: int
    digest: str | None
    history_id: str = ""
    shared_with: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self.digest is None


@dataclass(frozen=True)
class WritableLayer:
    """A container's own layer: (A|C|D, path) for what it added, changed or deleted."""

    container: str
    status: str
    changes: tuple[tuple[str, str], ...]

    def paths(self, kind: str | None = None) -> list[str]:
        return [p for k, p in self.changes if kind is None or k == kind]


@dataclass
class ImageLayers:
    """An image's layers bottom to top (``layers``), plus the container's writable layer if any."""

    ref: str
    image_id: str
    tags: list[str]
    layers: list[Layer]
    writable: WritableLayer | None = None
    uncertain: bool = False  # history and RootFS could not be matched exactly
    notes: list[str] = field(default_factory=list)

    @property
    def file_layers(self) -> list[Layer]:
        """Only the rows that hold files (what `docker save` has a tar for)."""
        return [layer for layer in self.layers if not layer.empty]

    @property
    def size(self) -> int:
        return sum(layer.size for layer in self.layers)


def _short_hashes(text: str) -> str:
    return _HASH.sub(lambda m: m.group(1) + m.group(2) + "…", _GLUED.sub(r"\1 \2", text))


def clean_instruction(created_by: str, comment: str = "") -> str:
    """'/bin/sh -c #(nop)  CMD ["bash"]' -> 'CMD ["bash"]'; '/bin/sh -c apt-get …' -> 'RUN apt-get …'."""
    text = " ".join((created_by or "").split())
    if not text:
        return "(base layer, imported)" if "import" in (comment or "").lower() else "(base layer)"
    text = re.sub(r"\s*# buildkit$", "", text)
    m = _ARGS.match(text)
    if m:  # "|2 A=1 B=2 /bin/sh -c …": build args the RUN saw
        rest = text[m.end():].split(" ")
        text = " ".join(rest[int(m.group(1)):])
    if _NOP.match(text):
        text = _NOP.sub("", text)
    elif _SHELL.match(text):
        text = "RUN " + _SHELL.sub("", text)
    elif text.startswith("RUN /bin/sh -c "):
        text = "RUN " + text[len("RUN /bin/sh -c "):]
    return _short_hashes(text)


def _keyword(instruction: str) -> str:
    return instruction.split(" ", 1)[0].upper()


def map_history(history: Sequence[Mapping[str, Any]], diff_ids: Sequence[str],
                layer_count: Callable[[str], int | None] | None = None) -> tuple[list[str | None], bool]:
    """For each history row (oldest first) the RootFS layer it made, or None; and whether that was a guess.

    A row with Size>0 made a layer; a config-only instruction (ENV, CMD, …) did not. For a zero-size
    RUN/COPY/WORKDIR row either is possible (a WORKDIR that made a folder, a RUN that changed nothing):
    ``layer_count(id)`` (how many layers the intermediate image ``id`` has, None when unknown) decides —
    the row made a layer when the count grew. Rows still unknown fill whatever layers are left, in order.
    """
    makes: list[bool | None] = []
    for row in history:
        instruction = clean_instruction(str(row.get("CreatedBy") or ""), str(row.get("Comment") or ""))
        makes.append(True if int(row.get("Size") or 0) > 0 else False if _keyword(instruction) in METADATA else None)

    def count(i: int) -> int | None:
        if i < 0:
            return 0
        rid = str(history[i].get("Id") or "")
        return layer_count(rid) if layer_count and rid.startswith("sha256:") else None

    maybes: list[int] = []
    for i, make in enumerate(makes):
        if make is None:
            now, before = count(i), count(i - 1)
            if now is not None and before is not None:
                makes[i] = now > before
            else:
                maybes.append(i)
    missing = len(diff_ids) - sum(1 for m in makes if m)
    for n, i in enumerate(maybes):
        makes[i] = n < missing
    uncertain = sum(1 for m in makes if m) != len(diff_ids)
    out: list[str | None] = []
    layers = iter(diff_ids)
    for make in makes:
        out.append(next(layers, None) if make else None)
    return out, uncertain


# -- caches (image ids and layer digests are content addresses: they never change) -----------
_lock = threading.Lock()
_rootfs: dict[str, tuple[str, ...]] = {}
_files: dict[str, tuple[LayerFile, ...]] = {}
_listing: dict[str, tuple[float, list[dict[str, Any]]]] = {}
#: how long the list of the engine's images is reused (listing 100 images takes ~0.2 s on Docker 20.10)
LISTING_TTL = 10.0


def forget_caches() -> None:
    """Drop cached RootFS and file lists (tests; after `docker image prune`)."""
    with _lock:
        _rootfs.clear()
        _files.clear()
        _listing.clear()


def _rootfs_of(client: docker.DockerClient, image_id: str) -> tuple[str, ...] | None:
    with _lock:
        if image_id in _rootfs:
            return _rootfs[image_id]
    try:
        attrs = client.api.inspect_image(image_id)
    except docker.errors.NotFound:
        return None
    layers = tuple((attrs.get("RootFS") or {}).get("Layers") or ())
    with _lock:
        _rootfs[image_id] = layers
    return layers


def _image_summaries(client: docker.DockerClient) -> list[dict[str, Any]]:
    key = str(client.api.base_url)
    now = time.monotonic()
    with _lock:
        cached = _listing.get(key)
    if cached is not None and now - cached[0] < LISTING_TTL:
        return cached[1]
    with translated(_("listing the images on the engine")):
        summaries = client.api.images()
    with _lock:
        _listing[key] = (now, summaries)
    return summaries


def _sharing(client: docker.DockerClient, image_id: str, diff_ids: Sequence[str]) -> dict[int, tuple[str, ...]]:
    """For each layer position, the other images whose layers start with the same chain up to it."""
    others = [s for s in _image_summaries(client) if s["Id"] != image_id]
    with ThreadPoolExecutor(max_workers=8) as pool:  # first time only: RootFS is cached by image id
        chains = list(pool.map(lambda s: _rootfs_of(client, s["Id"]), others))
    shared: dict[int, list[tuple[bool, bool, int, str]]] = {}
    for summary, their in zip(others, chains):
        if not their:
            continue
        name = next((familiar(t) for t in summary.get("RepoTags") or [] if t != "<none>:<none>"), None) \
            or "<none> " + summary["Id"].split(":")[-1][:12]
        for pos, digest in enumerate(diff_ids):
            if pos >= len(their) or their[pos] != digest:
                break
            # an image that ends with this very layer is named first, the oldest of them first: the base image
            # itself, not an image built on it later that only changed settings (a CMD, an ENV: no layer of its own)
            shared.setdefault(pos, []).append((name.startswith("<none>"), len(their) != pos + 1,
                                               int(summary.get("Created") or 0), name))
    return {pos: tuple(name for *_rest, name in sorted(names)) for pos, names in shared.items()}


def _image(ref: str | Image, client: docker.DockerClient) -> Image:
    if isinstance(ref, Image):
        return ref
    if not isinstance(ref, str) or not ref:
        raise BadInput(_("Expected an image name such as 'debian:bookworm-slim', not {value}.").format(value=repr(ref)))
    with translated(_("looking for image {image}").format(image=ref)):
        return client.images.get(resolve(ref, client))


def image_layers(ref: str | Image, client: docker.DockerClient | None = None, *, shared: bool = True) -> ImageLayers:
    """The image's layers bottom to top: instruction, size, digest, and which other images share each."""
    client = client or connect()
    image = _image(ref, client)
    with translated(_("reading the history of {image}").format(image=ref)):
        history = list(reversed(client.api.history(image.id)))
    diff_ids = list((image.attrs.get("RootFS") or {}).get("Layers") or [])

    def count(rid: str) -> int | None:
        found = _rootfs_of(client, rid)
        return None if found is None else len(found)

    digests, uncertain = map_history(history, diff_ids, count)
    sharing = _sharing(client, image.id, diff_ids) if shared else {}
    position = {digest: pos for pos, digest in enumerate(diff_ids)}
    layers = []
    for i, (row, digest) in enumerate(zip(history, digests)):
        layers.append(Layer(
            index=i, instruction=clean_instruction(str(row.get("CreatedBy") or ""), str(row.get("Comment") or "")),
            size=int(row.get("Size") or 0), created=int(row.get("Created") or 0), digest=digest,
            history_id=str(row.get("Id") or ""),
            shared_with=sharing.get(position[digest], ()) if digest is not None else ()))
    notes = [_("History rows and layers did not match exactly: the layer shown for a row is a best guess.")] \
        if uncertain else []
    name = ref if isinstance(ref, str) else familiar((image.tags or [image.short_id])[0])
    return ImageLayers(ref=name, image_id=image.id, tags=[familiar(t) for t in image.tags], layers=layers,
                       uncertain=uncertain, notes=notes)


def _sdk_container(container: Any, client: docker.DockerClient) -> SdkContainer:
    sdk = getattr(container, "sdk", container)
    if isinstance(sdk, SdkContainer) or (hasattr(sdk, "attrs") and hasattr(sdk, "diff")):  # docker-py's, or alike
        return sdk
    if isinstance(container, str):
        with translated(_("looking for container {name}").format(name=container)):
            return client.containers.get(container)
    raise BadInput(_("Expected a container, not {value}.").format(value=repr(container)))


def writable_layer(container: Any, client: docker.DockerClient | None = None) -> WritableLayer:
    """The container's writable layer (`docker diff`): what it added, changed or deleted."""
    from .containers import Container

    client = client or connect()
    sdk = _sdk_container(container, client)
    changes = Container(sdk).diff()
    with translated(_("reading container {name}").format(name=sdk.name)):
        sdk.reload()
    return WritableLayer(container=sdk.name, status=sdk.status, changes=tuple(sorted(changes, key=lambda c: c[1])))


def container_layers(container: Any, client: docker.DockerClient | None = None) -> ImageLayers:
    """The container's image layers with its writable layer on top."""
    client = client or connect()
    sdk = _sdk_container(container, client)
    stack = image_layers(sdk.attrs["Image"], client)
    stack.ref = (sdk.attrs.get("Config") or {}).get("Image") or stack.ref
    stack.writable = writable_layer(sdk, client)
    return stack


def layer_files(ref: str | Image, layer: int | str | Layer, client: docker.DockerClient | None = None) -> list[LayerFile]:
    """The paths one layer adds, changes (as a new copy) or deletes, read from `docker save` (cached by digest).

    ``layer`` is a Layer, its digest, or a row index of :func:`image_layers` (0 is the bottom).
    """
    client = client or connect()
    if isinstance(layer, Layer):
        digest = layer.digest
    elif isinstance(layer, int):
        rows = image_layers(ref, client, shared=False).layers
        if not -len(rows) <= layer < len(rows):
            raise NotFound(_("{image} has {count} history rows; there is no row {layer}.").format(
                image=ref, count=len(rows), layer=layer), _("Count from 0 at the bottom (the base image)."))
        digest = rows[layer].digest
    else:
        digest = layer
    if digest is None:
        return []  # a config-only row: no files
    with _lock:
        if digest in _files:
            return list(_files[digest])
    image = _image(ref, client)
    if digest not in ((image.attrs.get("RootFS") or {}).get("Layers") or []):
        raise NotFound(_("The layer {digest}… is not one of {image}'s layers.").format(digest=digest[:19], image=ref),
                       _("Pick a layer from its stack."))
    with translated(_("reading the layers of {image} (like `docker save`)").format(image=ref)):
        chunks = client.api.get_image(image.id, chunk_size=1 << 20)
        try:
            for found, entries in read_image_tar(ChunkReader(chunks), want=digest):
                with _lock:
                    _files[found] = entries
        finally:
            close = getattr(chunks, "close", None)
            if close:
                close()  # stop the export early: the engine sees the connection go
    with _lock:
        if digest not in _files:
            raise NotFound(_("`docker save` of {image} had no layer {digest}…").format(image=ref, digest=digest[:19]),
                           _("Try again; is the image still there?"))
        return list(_files[digest])


def saved_digests(ref: str | Image, client: docker.DockerClient | None = None) -> dict[str, str]:
    """The sha256 of every file in `docker save <ref>`, by its name in the archive (streamed: nothing is kept).

    A layer tar's digest is its diff id (``RootFS.Layers``: the digest of the *uncompressed* tar); one JSON file's
    digest is the image ID (the config on the classic image store, the manifest on the containerd store).
    """
    client = client or connect()
    image = _image(ref, client)
    with translated(_("reading {image} as `docker save` writes it").format(image=image.short_id)):
        return digest_members(ChunkReader(client.api.get_image(image.id, chunk_size=1 << 20)))
