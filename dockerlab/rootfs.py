"""A root filesystem as one plain archive: `docker export` a container, `docker import` an archive as an image.

An imported image has ONE layer and no build history: the third way to make an image, beside `commit` and
`build` (the kit's local base image is made this way, from mmdebstrap's archive).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO

import docker
from docker.models.images import Image

from . import docker_cli
from .containers import Container
from .engine import connect
from .errors import BadInput, translated
from .images import image_repo_tag
from .labels import ROLE, image_repo, kit_labels

__all__ = ["import_image"]


def _labels_change(chapter: str | None) -> str:
    labels = kit_labels(chapter, extra={ROLE: "import"})
    return "LABEL " + " ".join(f"{key}={value}" for key, value in labels.items())


def import_image(tag: str, source: Container | Iterable[bytes] | IO[bytes], *, changes: Sequence[str] = (),
                 chapter: str | None = None, client: docker.DockerClient | None = None) -> Image:
    """Make an image from an archive of files (like `docker import`); a kit Container is exported first
    (`docker export <container> | docker import - <tag>`). ``changes`` are Dockerfile lines for its settings
    (``'CMD ["notes", "run"]'``, ``"USER 10001"``…): an archive holds files only. A short tag means your own image.

    The image gets ``.cli``, the command line it stands for.
    """
    if not isinstance(tag, str) or not tag:
        raise BadInput(f"tag must be an image name such as 'flat:v1', not {tag!r}.")
    if isinstance(changes, str) or not all(isinstance(c, str) for c in changes):
        raise BadInput(f"changes must be a list of Dockerfile lines, not {changes!r}.",
                       "Example: changes=['CMD [\"notes\", \"run\"]', 'USER 10001'].")
    name, _, version = tag.partition(":")
    ref = image_repo_tag(f"{name if '/' in name else image_repo(name)}:{version or 'latest'}")
    repo, _, version = ref.rpartition(":")
    client = client or connect()
    all_changes = [*changes, _labels_change(chapter)]  # the kit's labels, so that reset finds the image
    shown = [a for c in changes for a in ("--change", c)]
    if isinstance(source, Container):
        with translated(f"exporting {source.name}", client):
            data: object = source.sdk.export(chunk_size=1 << 20)
        cli = docker_cli.CliCommand(docker_cli.join(["docker", "export", source.name]) + " | "
                                    + docker_cli.join(["docker", "import", *shown, "-", ref]))
    else:
        data = source
        cli = docker_cli.CliCommand(docker_cli.join(["docker", "import", *shown, "-", ref]))
    with translated(f"importing an archive as {ref}", client):
        client.api.import_image(src=data, repository=repo, tag=version, changes=all_changes)
        image = client.images.get(ref)
    image.cli = cli  # type: ignore[attr-defined]
    return image
