"""dockerlab: live notebook cells that drive a real Docker engine, for teaching Docker.

    import dockerlab as lab
    ch = lab.start_chapter("01", "What a container is")
    web = lab.run("web", "dockerlab/hello:1.0", ports={8080: None})
    print(web.cli)          # the `docker run …` this cell stands for
"""

from __future__ import annotations

from . import checks, cleanup, containers, images, labels, networks, volumes
from .chapter import Chapter, start_chapter
from .cleanup import leaks, reset
from .containers import Container, ExecResult, run
from .containers import get as container
from .doctor import doctor
from .engine import connect, engine_info
from .errors import (BadInput, BuildFailed, ContainerExited, DockerlabError, EngineUnavailable, ImageMissing,
                     NameConflict, NotFound, PortInUse, ReadyTimeout, RunEarlierCell)
from .images import build
from .labels import name, session_id, set_session
from .prepare import prepare
from .waiting import Healthy, Http, LogLine

__version__ = "0.1.0"

__all__ = [
    "BadInput", "BuildFailed", "Chapter", "Container", "ContainerExited", "DockerlabError", "EngineUnavailable",
    "ExecResult", "Healthy", "Http", "ImageMissing", "LogLine", "NameConflict", "NotFound", "PortInUse",
    "ReadyTimeout", "RunEarlierCell", "build", "checks", "cleanup", "connect", "container", "containers",
    "doctor", "engine_info", "images", "labels", "leaks", "name", "networks", "prepare", "reset", "run",
    "session_id", "set_session", "start_chapter", "volumes",
]
