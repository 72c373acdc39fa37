"""The course's images: which base images its Dockerfiles name, and the apps it builds from `images/`."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["BASE_IMAGES", "COURSE_IMAGES", "APPS", "RECIPE_LABEL", "built_base_recipe", "images_dir", "app_tag",
           "app_dir", "ensure_app", "copy_compose_example", "work_folder", "copy_app"]

#: base images the course's Dockerfiles name in FROM lines
BASE_IMAGES: list[str] = ["debian:bookworm-slim"]
#: the label that says an image was built locally by the kit, and from which recipe (a hash)
RECIPE_LABEL = "org.dockerlab.recipe"


def built_base_recipe(labels: dict[str, str] | None) -> str | None:
    """The recipe hash when these labels are a base image's the kit built, else None.

    The kit's base carries only its recipe label (no kit or role label: every image built FROM it, every build
    step's container and every stage left by a multi-stage build would inherit those). Images built FROM it
    inherit the recipe label too, but they get a role of their own (learner, course, stage).
    """
    labels = labels or {}
    return labels.get(RECIPE_LABEL) if labels.get("org.dockerlab.role") in (None, "base") else None


#: the course's own images (folder under images/ → tag)
APPS: dict[str, str] = {
    "hello": "dockerlab/hello:1.0",
    "notes": "dockerlab/notes:1.0",
    "backend": "dockerlab/backend:1.0",
    "frontend": "dockerlab/frontend:1.0",
    "registry": "dockerlab/registry:2.8",
}
COURSE_IMAGES: list[str] = [APPS["backend"], APPS["frontend"]]


def images_dir() -> Path:
    """The `images/` folder of the course (DOCKERLAB_IMAGES overrides)."""
    raw = os.environ.get("DOCKERLAB_IMAGES")
    if raw:
        return Path(raw)
    return Path(__file__).resolve().parents[2] / "images"


def app_dir(app: str) -> Path:
    return images_dir() / app


def app_tag(app: str) -> str:
    return APPS[app]


def ensure_app(app: str, *, rebuild: bool = False, **build_kwargs: object) -> str:
    """Build the course image of ``app`` from images/<app> unless it is already there; returns its tag."""
    from ..engine import connect
    from ..images import build, exists

    tag = app_tag(app)
    if rebuild or not exists(tag, connect()):
        build(tag, app_dir(app), role="course", **build_kwargs)  # type: ignore[arg-type]
    return tag


def copy_compose_example(dest: str | os.PathLike[str] | None = None, *, fresh: bool = True) -> Path:
    """Copy the course's compose file (images/todo-app/compose.yaml) into ``dest`` — by default the learner's work
    folder ``todo-app`` (see :func:`work_folder`), where JupyterLab's file browser opens it; ``fresh=True`` puts the
    original back over your edits. Returns the folder."""
    folder = Path(dest) if dest is not None else work_folder("todo-app")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "compose.yaml"
    if fresh or not target.exists():
        shutil.copyfile(images_dir() / "todo-app" / "compose.yaml", target)
    return folder


def work_folder(name: str) -> Path:
    """The learner's own folder ``name`` for the files an exercise asks them to write (a Dockerfile…):
    ``<work>/<session>/<name>``, where <work> is DOCKERLAB_WORK, else the course's ``notebooks/work`` (JupyterLab's
    file browser shows it), else ``~/dockerlab-work`` when the course's folder is not the learner's to write."""
    from ..i18n import N_
    from ..labels import session_id, validate_name

    validate_name(name, N_("folder name"))
    raw = os.environ.get("DOCKERLAB_WORK")
    notebooks = images_dir().parent / "notebooks"
    if raw:
        root = Path(raw).expanduser()
    elif notebooks.is_dir() and os.access(notebooks, os.W_OK):
        root = notebooks / "work"
    else:
        root = Path.home() / "dockerlab-work"
    return root / session_id() / name


def copy_app(app: str, name: str | None = None) -> Path:
    """A fresh copy of ``images/<app>`` in the learner's work folder (see :func:`work_folder`); returns the folder.

    A Dockerfile the learner wrote there before is kept as ``Dockerfile.old`` (the copy itself has none).
    """
    folder = work_folder(name or app)
    old = folder / "Dockerfile"
    kept = old.read_bytes() if old.is_file() else None
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(app_dir(app), folder)
    if kept is not None:
        (folder / "Dockerfile.old").write_bytes(kept)
    return folder
