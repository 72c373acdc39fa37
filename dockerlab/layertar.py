"""Reading layer tars as streams: the files each layer adds, changes or deletes (whiteouts), and its diff id.

A layer is a tar of paths; its sha256 is the layer's *diff id* (``RootFS.Layers`` of the image). `docker save`
gives one tar holding a tar per layer; :func:`read_image_tar` walks it without holding more than one member.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["LayerFile", "ChunkReader", "list_layer_tar", "read_image_tar", "digest_members"]


@dataclass(frozen=True)
class LayerFile:
    """A path in a layer: kind is file, dir, symlink, hardlink, deleted (a whiteout) or opaque."""

    path: str
    size: int
    kind: str


class _HashingReader(io.RawIOBase):
    """Reads a file object and hashes every byte read (the layer tar's sha256 is its diff id)."""

    def __init__(self, raw: Any) -> None:
        self.raw, self.sha = raw, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        self.sha.update(data)
        buffer[:len(data)] = data
        return len(data)

    def drain(self) -> str:
        while self.raw.read(1 << 20):
            pass
        return "sha256:" + self.sha.hexdigest()


class ChunkReader(io.RawIOBase):
    """A file object over a generator of byte chunks (what `client.api.get_image` yields)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self.chunks, self.pending = iter(chunks), memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not len(self.pending):
            chunk = next(self.chunks, b"")
            if not chunk:
                return 0
            self.pending = memoryview(chunk)
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


def list_layer_tar(fileobj: Any) -> tuple[str, tuple[LayerFile, ...]]:
    """(diff id, entries) of one layer tar read as a stream; whiteouts become 'deleted'/'opaque'."""
    reader = _HashingReader(fileobj)
    with tarfile.open(fileobj=reader, mode="r|") as tar:
        entries = tuple(_entry(member) for member in tar)
    return reader.drain(), entries


def _entry(member: tarfile.TarInfo) -> LayerFile:
    raw = member.name[2:] if member.name.startswith("./") else member.name
    name = "/" + raw.strip("/")
    head, _, base = name.rpartition("/")
    if base == ".wh..wh..opq":
        return LayerFile((head or "/"), 0, "opaque")
    if base.startswith(".wh."):
        return LayerFile(f"{head}/{base[4:]}", 0, "deleted")
    kind = ("dir" if member.isdir() else "symlink" if member.issym() else "hardlink" if member.islnk()
            else "file" if member.isfile() else "other")
    return LayerFile(name, member.size if member.isfile() else 0, kind)


def read_image_tar(stream: Any, want: str | None = None) -> Iterator[tuple[str, tuple[LayerFile, ...]]]:
    """Walk a `docker save` tar stream, yielding (diff id, entries) for each layer tar in it.

    Works for Docker's layouts (``<id>/layer.tar`` and OCI ``blobs/sha256/…``) and Podman's (``<diff id>.tar`` at the
    top, with ``<id>/layer.tar`` linking to it); never holds more than one member in memory. Stops after ``want``.
    """
    with tarfile.open(fileobj=stream, mode="r|") as outer:
        for member in outer:
            if not member.isfile():
                continue  # symlinked duplicate layers, folders
            name = member.name
            top_level_tar = "/" not in name and name.endswith(".tar")  # Podman's
            if not (name.endswith("layer.tar") or name.startswith("blobs/") or top_level_tar):
                continue
            inner = outer.extractfile(member)
            if inner is None:
                continue
            try:
                digest, entries = list_layer_tar(inner)
            except tarfile.ReadError:
                continue  # a JSON blob (config, manifest) in the OCI layout
            yield digest, entries
            if want is not None and digest == want:
                return


def digest_members(stream: Any) -> dict[str, str]:
    """The sha256 of every regular file in a tar stream (e.g. `docker save`'s), by name; one block in memory at a time."""
    digests: dict[str, str] = {}
    with tarfile.open(fileobj=io.BufferedReader(stream, 1 << 20), mode="r|") as tar:
        for member in tar:
            data = tar.extractfile(member) if member.isfile() else None
            if data is None:
                continue
            sha = hashlib.sha256()
            while block := data.read(1 << 20):
                sha.update(block)
            digests[member.name] = "sha256:" + sha.hexdigest()
    return digests
