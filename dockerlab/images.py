"""Images: build (see :mod:`dockerlab.builder`), look up, tag, history, remove, save to a file and load from one.

Every call takes image names by one rule (:mod:`dockerlab.refs`): a short name means the learner's own image
when they have it, and a missing image is said to be missing. Each call that stands for a `docker` command
gives that command back (``.cli``).
"""

from __future__ import annotations

import builtins
import os
import re
from dataclasses import dataclass
from pathlib import Path

import docker
import docker.errors
from docker.models.images import Image

from . import docker_cli, refs
from .builder import BuildResult, build
from .engine import connect
from .errors import BadInput, ImageMissing, from_exception, translated
from .hostca import host_ca_bundle
from .i18n import _
from .image_info import ImageInfo
from .refs import resolve
from .streams import BuildStep, stream_error

__all__ = ["BuildStep", "BuildResult", "build", "history", "tag", "remove", "exists", "get", "resolve", "inspect",
           "list", "save", "load", "SavedImages", "LoadedImages", "host_ca_bundle", "image_repo_tag"]

#: ``image_repo_tag("hello")`` == "hello:latest" (kept for callers of the earlier name; see refs.valid)
image_repo_tag = refs.valid


def exists(ref: str, client: docker.DockerClient | None = None) -> bool:
    """Is there an image ``ref`` (the learner's own first, see :func:`dockerlab.refs.resolve`)?"""
    try:
        refs.get(ref, client or connect())
        return True
    except ImageMissing:
        return False


def get(ref: str, client: docker.DockerClient | None = None) -> Image:
    """The image ``ref`` names (the learner's own first); ImageMissing says which names were looked for."""
    return refs.get(ref, client or connect())


#: the earlier name of :func:`get` (which now resolves every name)
get_resolved = get


def history(ref: str, client: docker.DockerClient | None = None) -> builtins.list[dict]:
    """The image's layers, newest first, as `docker history` lists them."""
    client = client or connect()
    image = refs.get(ref, client)
    with translated(_("reading the history of {image}").format(image=ref), client):
        return image.history()


def tag(ref: str, new_tag: str, client: docker.DockerClient | None = None) -> docker_cli.CliCommand:
    """Give an image another name (like `docker tag`); a short new name is the learner's own, as in build()."""
    client = client or connect()
    source = refs.resolve(ref, client)
    image = refs.get(ref, client)
    new = refs.own(new_tag)
    repo, _sep, version = new.rpartition(":")
    with translated(_("tagging {image} as {new}").format(image=source, new=new), client):
        image.tag(repo, version)
    return docker_cli.simple("tag", source, new)


def remove(ref: str, client: docker.DockerClient | None = None, *, force: bool = False,
           missing_ok: bool = False) -> docker_cli.CliCommand:
    """Remove the name ``ref`` (and the image, when no other name points to it), like `docker rmi`.

    A missing image is an error (ImageMissing) unless ``missing_ok``: "make sure it is gone".
    """
    client = client or connect()
    found = refs.resolve(ref, client)
    cli = docker_cli.simple("rmi", *(["-f"] if force else []), found)
    try:
        client.images.remove(found, force=force)
    except docker.errors.ImageNotFound:
        if not missing_ok:
            raise refs.missing(ref, found) from None
    except Exception as exc:
        raise from_exception(exc, _("removing image {image}").format(image=found), client=client) from exc
    return cli


@dataclass(frozen=True)
class SavedImages:
    """What :func:`save` wrote: the file, the images in it, its size and the `docker save` line."""

    path: Path
    images: builtins.list[str]
    size: int
    cli: docker_cli.CliCommand


@dataclass(frozen=True)
class LoadedImages:
    """What :func:`load` put on the engine: the names (and ids of unnamed images) and the `docker load` line."""

    path: Path
    images: builtins.list[str]
    cli: docker_cli.CliCommand


def save(images: str | builtins.list[str], path: str | os.PathLike[str],
         client: docker.DockerClient | None = None) -> SavedImages:
    """Write images with all their layers and names to a tar file, like `docker save -o FILE IMAGE…`."""
    client = client or connect()
    names = [images] if isinstance(images, str) else builtins.list(images)
    if not names:
        raise BadInput(_("save needs at least one image name."),
                       _("Example: lab.images.save('hello:v1', 'hello.tar')."))
    found = []
    for name in names:
        refs.get(name, client)  # a missing image is said to be missing, before any file is written
        found.append(refs.resolve(name, client))
    target = Path(path).expanduser()
    if target.is_dir():
        raise BadInput(_("{path} is a folder; save writes one file.").format(path=target),
                       _("Pass a file name, e.g. {path}/images.tar.").format(path=target))
    partial = target.with_name(target.name + ".partial")
    api = client.api
    try:
        with translated(_("saving {images}").format(images=", ".join(found)), client):
            response = api._get(api._url("/images/get"), params={"names": found}, stream=True)
            api._raise_for_status(response)
            with open(partial, "wb") as out:
                for chunk in response.iter_content(chunk_size=1 << 20):
                    out.write(chunk)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)  # nothing half-written is left (Ctrl-C, a full disk)
    return SavedImages(target, found, target.stat().st_size, docker_cli.simple("save", "-o", str(path), *found))


_LOADED = re.compile(r"^Loaded image(?: ID)?: (\S+)")


def load(path: str | os.PathLike[str], client: docker.DockerClient | None = None) -> LoadedImages:
    """Put the images of a `docker save` file on the engine ``client`` talks to, like `docker load -i FILE`."""
    client = client or connect()
    source = Path(path).expanduser()
    if not source.is_file():
        raise BadInput(_("There is no file {path} to load.").format(path=source),
                       _("Pass the file `lab.images.save(…)` wrote."))
    loaded: builtins.list[str] = []
    with translated(_("loading {path}").format(path=source), client), open(source, "rb") as data:
        for chunk in client.api.load_image(data):
            error = stream_error(chunk)
            if error:
                raise ImageMissing(_("Loading {path} failed: {error}").format(path=source, error=error),
                                   _("Is it a file `docker save` (or lab.images.save) wrote, and complete?"))
            m = _LOADED.match(str(chunk.get("stream", "")).strip())
            if m:  # Docker says a line per name; Podman one line per image, its names joined by commas
                loaded.extend(refs.familiar(name) for name in m.group(1).split(",") if name)
    return LoadedImages(source, loaded, docker_cli.simple("load", "-i", str(path)))


def inspect(ref: str, client: docker.DockerClient | None = None) -> ImageInfo:
    """The image ``ref`` (your short tag or any name) as the engine describes it: `docker image inspect`."""
    return ImageInfo(get(ref, client))


def list(name: str | None = None, client: docker.DockerClient | None = None) -> builtins.list[ImageInfo]:  # noqa: A001
    """The images of repository ``name`` (your short name, e.g. 'greeter', means your own), or all: `docker images`."""
    client = client or connect()
    repo = refs.own(name).rsplit(":", 1)[0] if name and "/" not in name and ":" not in name else name
    with translated(_("listing images"), client):
        return [ImageInfo(i) for i in client.images.list(name=repo)]
