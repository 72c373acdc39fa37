"""dockerlab: live notebook cells that drive a real Docker engine, for teaching Docker.

    import dockerlab as lab
    ch = lab.start_chapter("01", "What a container is")
    web = lab.run("web", "dockerlab/hello:1.0", ports={8080: None})
    print(web.cli)          # the `docker run …` this cell stands for
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import checks, cleanup, containers, images, labels, limits, networks, volumes
from .chapter import Chapter, reset, start_chapter
from .cleanup import leaks
from .containers import Container, ExecResult, ps
from .containers import get as container
from .docker_run import run
from .display.doctor import doctor
from .engine import connect, engine_info
from .errors import (BadInput, BuildFailed, ContainerExited, DockerlabError, EngineUnavailable, ImageMissing,
                     NameConflict, NotFound, PortInUse, ReadyTimeout, RunEarlierCell)
from .display.buildlog import build
from .inspect import inspect
from .labels import name, session_id, set_session
from .polling import poll
from .waiting import Healthy, Http, LogLine

if TYPE_CHECKING:
    from .course.baseimage import Progress
    from .display.prepare import PrepareView

__version__ = "0.1.0"


def prepare(apps: bool = False, force: bool = False, progress: Progress | None = None, **kwargs: object) -> PrepareView:
    """Make sure the course's base images exist (and its app images with ``apps=True``), showing progress as a bar
    in JupyterLab or a spinner in a terminal; returns the report, shown as a table."""
    from .course.prepare import prepare as prepare_images
    from .display.prepare import PrepareView
    from .widgets.prepare import default_progress

    sink = progress or default_progress()
    try:
        report = prepare_images(apps=apps, force=force, progress=sink, **kwargs)  # type: ignore[arg-type]
    finally:
        if progress is None:
            sink.close()
    return PrepareView(items=report.items)


__all__ = [
    "BadInput", "BuildFailed", "Chapter", "Container", "ContainerExited", "DockerlabError", "EngineUnavailable",
    "ExecResult", "Healthy", "Http", "ImageMissing", "LogLine", "NameConflict", "NotFound", "PortInUse",
    "ReadyTimeout", "RunEarlierCell", "build", "checks", "cleanup", "connect", "container", "containers",
    "doctor", "engine_info", "images", "inspect", "labels", "leaks", "limits", "name", "networks", "poll", "prepare", "ps", "reset",
    "run",
    "session_id", "set_session", "start_chapter", "volumes",
]
