"""A root filesystem as one plain archive: `docker export` a container, `docker import` an archive as an image.

An imported image has ONE layer and no build history: the third way to make an image, beside `commit` and
`build` (the kit's local base image is made this way, from mmdebstrap's archive).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Sequence
from typing import IO

import docker
from docker.models.images import Image

from . import docker_cli, refs
from .containers import Container
from .engine import connect
from .errors import BadInput, translated
from .i18n import _
from .labels import ROLE, kit_labels

__all__ = ["import_image"]


def _label_changes(chapter: str | None) -> list[str]:
    """The kit's labels as import changes, one LABEL line each: Podman reads only a line's first key=value."""
    labels = kit_labels(chapter, extra={ROLE: "import"})
    return [f"LABEL {key}={value}" for key, value in labels.items()]


def _imported_id(answer: object) -> str | None:
    """The new image's ID from the engine's answer to an import (a JSON status line, or several)."""
    for line in reversed(answer.splitlines() if isinstance(answer, str) else [answer]):
        try:
            status = json.loads(line) if isinstance(line, str) else line
        except ValueError:
            continue
        found = status.get("id") or status.get("status") if isinstance(status, dict) else None
        if isinstance(found, str) and found.startswith("sha256:"):
            return found
    return None


def import_image(tag: str, source: Container | Iterable[bytes] | IO[bytes], *, changes: Sequence[str] = (),
                 chapter: str | None = None, client: docker.DockerClient | None = None) -> Image:
    """Make an image from an archive of files (like `docker import`); a kit Container is exported first
    (`docker export <container> | docker import - <tag>`). ``changes`` are Dockerfile lines for its settings
    (``'CMD ["notes", "run"]'``, ``"USER 10001"``…): an archive holds files only. A short tag means your own image.

    The image gets ``.cli``, the command line it stands for.
    """
    if not isinstance(tag, str) or not tag:
        raise BadInput(_("tag must be an image name such as 'flat:v1', not {value}.").format(value=repr(tag)))
    if isinstance(changes, str) or not all(isinstance(c, str) for c in changes):
        raise BadInput(_("changes must be a list of Dockerfile lines, not {value}.").format(value=repr(changes)),
                       _("Example: changes=['CMD [\"notes\", \"run\"]', 'USER 10001']."))
    ref = refs.own(tag)  # a new image: a short name is the learner's own, as for build, tag and commit
    client = client or connect()
    all_changes = [*changes, *_label_changes(chapter)]  # the kit's labels, so that reset finds the image
    shown = [a for c in all_changes for a in ("--change", c)]  # the exact twin: the kit's LABEL lines too
    if isinstance(source, Container):
        with translated(_("exporting {name}").format(name=source.name), client):
            data: object = source.sdk.export(chunk_size=1 << 20)
        cli = docker_cli.CliCommand(docker_cli.join(["docker", "export", source.name]) + " | "
                                    + docker_cli.join(["docker", "import", *shown, "-", ref]))
    else:
        data = source
        cli = docker_cli.CliCommand(docker_cli.join(["docker", "import", *shown, "-", ref]))
    with translated(_("importing an archive as {image}").format(image=ref), client):
        # the name with its tag as one repository, as `docker import` sends it (Podman ignores a separate tag)
        answer = client.api.import_image(src=data, repository=ref, changes=all_changes)
        try:
            image = client.images.get(ref)
        except docker.errors.ImageNotFound:
            made = _imported_id(answer)
            if made:  # imported under another name: nothing half-made stays behind
                with contextlib.suppress(docker.errors.APIError):
                    client.images.remove(made, force=True)
            raise
    image.cli = cli  # type: ignore[attr-defined]
    return image
