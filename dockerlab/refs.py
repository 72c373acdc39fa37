"""Image names: the one rule every kit call follows.

A learner names their images the short way (``hello:v1``). On an engine shared by several learners the kit
keeps them apart by putting them in the learner's own repository (``alice/hello:v1``, see
:func:`dockerlab.labels.naming`), so a short name means:

- for a **new** name (``build``, ``tag``'s new name, ``commit``): the learner's own — :func:`own`;
- for an **existing** image (``run``, ``tag``, ``history``, ``push``, ``save``, ``remove``, ``exists``…): the
  learner's own when they have it, else the name as written (a base image such as ``debian:bookworm-slim``)
  — :func:`resolve`. A name with a ``/`` (``dockerlab/hello:1.0``, ``127.0.0.1:5000/x:1``) or a digest is
  always taken as written.
"""

from __future__ import annotations

import re

import docker
import docker.errors

from .errors import BadInput, ImageMissing, NotFound, translated
from .i18n import _
from .labels import image_repo

__all__ = ["valid", "own", "resolve", "get", "missing", "familiar"]

# [registry:port/]repo[:tag] — the reference format the engine accepts, lower case
_REF_RE = re.compile(r"^(?:[a-z0-9.-]+(?::\d+)?/)?[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_.-]{1,128})?$")


def valid(ref: object) -> str:
    """``ref`` with its tag (``:latest`` when it has none); BadInput when the engine would refuse it."""
    if not isinstance(ref, str) or not _REF_RE.match(ref) or "//" in ref:
        raise BadInput(_("{value} is not a valid image name.").format(value=repr(ref)),
                       _("Use lowercase letters, digits and '.', '_', '-', like 'hello:v1' or 'alice/hello:v1'."))
    return ref if ":" in ref.rsplit("/", 1)[-1] else f"{ref}:latest"


#: what Podman writes in front of a name that Docker shows without it (``docker.io/alice/hello:v1``, ``localhost/x:1``)
_QUALIFIED = ("docker.io/library/", "docker.io/", "localhost/")


def familiar(name: str) -> str:
    """``name`` the way `docker images` shows it: Podman answers with fully qualified names
    (``docker.io/alice/hello:v1`` for an image built as ``alice/hello:v1``, ``localhost/…`` for a loaded one)."""
    for prefix in _QUALIFIED:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _is_short(ref: str) -> bool:
    return "/" not in ref and "@" not in ref and not ref.startswith("sha256:")


def own(ref: object) -> str:
    """The name a NEW image of the learner's gets: ``hello:v1`` → ``alice/hello:v1`` on a shared engine."""
    if isinstance(ref, str) and _is_short(ref):
        repo, sep, version = ref.partition(":")
        return valid(image_repo(repo) + sep + version)
    return valid(ref)


def resolve(ref: object, client: docker.DockerClient) -> str:
    """The image an EXISTING name means: the learner's own when it exists, else ``ref`` as written."""
    if not isinstance(ref, str) or not ref:
        raise BadInput(_("An image name such as 'hello:v1' is needed, not {value}.").format(value=repr(ref)))
    if not _is_short(ref):
        return ref
    mine = own(ref)
    if mine == valid(ref):
        return mine  # plain names: the learner's own name is the name itself
    try:
        with translated(_("looking for image {image}").format(image=mine), client):
            client.api.inspect_image(mine)
        return mine
    except (ImageMissing, NotFound):
        return ref


def missing(ref: str, looked_for: str) -> ImageMissing:
    """The one "no such image" error: which names the kit looked for, and what to do."""
    names = looked_for if looked_for == ref else _("{image} (for {ref})").format(image=looked_for, ref=ref)
    return ImageMissing(_("There is no image {names} on this engine.").format(names=names),
                        _("Check the name (`lab.images.list()` or `docker images` lists them), or build it first."))


def get(ref: str, client: docker.DockerClient) -> docker.models.images.Image:
    """The docker-py image an existing name means (see :func:`resolve`); ImageMissing names what was looked for."""
    found = resolve(ref, client)
    try:
        with translated(_("looking for image {image}").format(image=found), client):
            return client.images.get(found)
    except ImageMissing:
        raise missing(ref, found) from None
