"""A build's context: the folder the builder gets, and the Dockerfile in it — the same one `docker build` sends.

A build from a folder sends that folder (minus what its ``.dockerignore`` leaves out), like the CLI. A build
from a Dockerfile **text** (``dockerfile="FROM …"``, with ``files={…}`` for the rest) is written to a folder
of the kit's first (``<state>/contexts/<learner>/<chapter>/<image>/``): the build's ``.cli`` names that
folder, so the `docker build` line it shows runs as it is and makes the same image.

``files`` values are the file's text or bytes (mode 0644), a :class:`~pathlib.Path` of a file to copy with
its mode (an executable script stays executable), or ``(content, mode)``, e.g. ``(script, 0o755)``.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Union

from docker.utils.build import exclude_paths

from .daemon import state_dir
from .errors import BadInput, BuildFailed
from .i18n import _

__all__ = ["FileContent", "BuildContext", "prepare", "contexts_dir", "remove_contexts"]

FileContent = Union[str, bytes, Path, "tuple[str | bytes, int]"]


@dataclass(frozen=True)
class BuildContext:
    """The folder sent to the builder and the Dockerfile it builds (``dockerfile`` may lie outside ``folder``)."""

    folder: Path
    dockerfile: Path
    text: str
    written_by_kit: bool = False

    @property
    def dockerfile_in_context(self) -> str | None:
        """The Dockerfile's path inside the folder ('Dockerfile', 'dev/Dockerfile'), None when it is outside."""
        try:
            return self.dockerfile.resolve().relative_to(self.folder.resolve()).as_posix()
        except ValueError:
            return None

    def tar(self) -> tuple[io.BytesIO, str]:
        """The context as the CLI sends it (files as root:root, .dockerignore applied; a Dockerfile kept outside
        the folder is added under a name of its own), and the Dockerfile's name inside it."""
        inside = self.dockerfile_in_context
        name = inside or f".dockerfile.{hashlib.sha256(self.text.encode()).hexdigest()[:20]}"
        ignore = self.folder / ".dockerignore"
        excludes = [line.strip() for line in ignore.read_text().splitlines()
                    if line.strip() and not line.strip().startswith("#")] if ignore.exists() else []
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            for rel in sorted(exclude_paths(str(self.folder), excludes, dockerfile=inside or "Dockerfile")):
                info = tar.gettarinfo(str(self.folder / rel), arcname=rel)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                if info.isfile():
                    with open(self.folder / rel, "rb") as fh:
                        tar.addfile(info, fh)
                else:
                    tar.addfile(info)
            if inside is None:
                data = self.text.encode()
                info = tarfile.TarInfo(name)
                info.size, info.mode = len(data), 0o644
                tar.addfile(info, io.BytesIO(data))
        buf.seek(0)
        return buf, name


def contexts_dir(session: str, chapter: str | None = None) -> Path:
    """Where the kit writes the contexts of the learner's text builds (one folder per chapter)."""
    return state_dir() / "contexts" / session / (chapter or "any")


def remove_contexts(session: str, chapter: str | None = None) -> list[str]:
    """Remove the learner's written contexts (of one chapter, or all); what it removed."""
    folder = contexts_dir(session, chapter) if chapter else state_dir() / "contexts" / session
    if not folder.is_dir():
        return []
    shutil.rmtree(folder, ignore_errors=True)
    return [_("removed the build contexts in {folder}").format(folder=folder)]


def _relative(name: object) -> str:
    if not isinstance(name, str) or not name or name.startswith("/") or ".." in PurePosixPath(name).parts:
        raise BadInput(_("files= names a file inside the build context, like 'app/run.sh', not {value}.").format(
            value=repr(name)), _("Use a relative path without '..'."))
    return str(PurePosixPath(name))


def _write(folder: Path, name: str, content: object) -> None:
    target = folder / _relative(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = 0o644
    if isinstance(content, tuple) and len(content) == 2 and isinstance(content[1], int):
        content, mode = content
    if isinstance(content, Path):
        if not content.is_file():
            raise BadInput(_("files[{name}]: {path} is not a file.").format(name=repr(name), path=content),
                           _("Pass the path of an existing file."))
        shutil.copy2(content, target)  # its bytes and its mode (an executable stays executable)
        return
    if isinstance(content, str):
        content = content.encode()
    if not isinstance(content, bytes):
        raise BadInput(_("files[{name}] must be text, bytes, a Path or (content, mode), not {type}.").format(
            name=repr(name), type=type(content).__name__), _("Example: files={'run.sh': (script, 0o755)}."))
    if not 0 <= mode <= 0o7777:
        raise BadInput(_("files[{name}]: {mode} is not a file mode.").format(name=repr(name), mode=repr(mode)),
                       _("Example: 0o755 for a script."))
    target.write_bytes(content)
    target.chmod(mode)


def _slug(tag: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", tag).strip("_") or "image"


def prepare(tag: str, session: str, chapter: str | None, *, path: str | os.PathLike[str] | None,
            dockerfile: str | None, dockerfile_path: str | os.PathLike[str] | None,
            files: Mapping[str, FileContent] | None) -> BuildContext:
    """The context for a build (see the module's text); BuildFailed/BadInput say what is missing."""
    if dockerfile is not None and (not isinstance(dockerfile, str) or not dockerfile.strip()):
        raise BuildFailed(_("The Dockerfile is empty: there is nothing to build."),
                          _("Start it with a FROM line, e.g. 'FROM debian:bookworm-slim'."), step="Dockerfile")
    if dockerfile is not None and dockerfile_path is not None:
        raise BadInput(_("Pass the Dockerfile's text (dockerfile=) or its path (dockerfile_path=), not both."))
    source: Path | None = None
    if path is not None:
        source = Path(path).expanduser()
        if not source.is_dir():
            raise BuildFailed(_("The build context {path} does not exist (or is not a folder).").format(path=source),
                              _("Pass the folder that holds the Dockerfile, e.g. 'images/hello'."),
                              step="build context")
    elif dockerfile is None:
        raise BadInput(_("build needs a folder (path=…) or a Dockerfile text (dockerfile=…)."))
    if dockerfile_path is not None:
        given = Path(dockerfile_path).expanduser()
        dockerfile_file = given if given.is_absolute() or source is None else source / given
        if not dockerfile_file.is_file():
            raise BuildFailed(_("There is no Dockerfile at {path}.").format(path=dockerfile_file),
                              _("dockerfile_path= is the Dockerfile's path inside the context, like 'dev/Dockerfile'."),
                              step="build context")
    elif source is not None and dockerfile is None:
        dockerfile_file = source / "Dockerfile"
        if not dockerfile_file.is_file():
            raise BuildFailed(_("There is no Dockerfile in {path}.").format(path=source),
                              _("Add one, or pass dockerfile='FROM …'."), step="build context")
    if source is not None and not files:
        if dockerfile is None:
            return BuildContext(source, dockerfile_file, dockerfile_file.read_text(errors="replace"))
        # the text replaces the folder's Dockerfile: it is written beside the contexts, the folder is sent as it is
        written = contexts_dir(session, chapter) / f"{_slug(tag)}.Dockerfile"
        written.parent.mkdir(parents=True, exist_ok=True)
        written.write_text(dockerfile)
        return BuildContext(source, written, dockerfile, written_by_kit=True)
    folder = contexts_dir(session, chapter) / _slug(tag)
    if folder.exists():
        shutil.rmtree(folder)
    if source is not None:  # a folder plus extra files: the folder's context (what .dockerignore lets through)
        for rel in exclude_paths(str(source), _ignores(source)):
            src = source / rel
            if src.is_file() or src.is_symlink():
                (folder / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, folder / rel, follow_symlinks=False)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in (files or {}).items():
        _write(folder, name, content)
    if dockerfile is not None:
        (folder / "Dockerfile").write_text(dockerfile)
        return BuildContext(folder, folder / "Dockerfile", dockerfile, written_by_kit=True)
    inside = dockerfile_file.resolve().relative_to(source.resolve()) if source is not None else Path("Dockerfile")
    return BuildContext(folder, folder / inside, (folder / inside).read_text(errors="replace"), written_by_kit=True)


def _ignores(folder: Path) -> list[str]:
    ignore = folder / ".dockerignore"
    if not ignore.exists():
        return []
    return [line.strip() for line in ignore.read_text().splitlines() if line.strip() and not line.startswith("#")]
