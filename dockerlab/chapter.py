"""One chapter of the course: labels what its cells create, resets it, and says which cell to run first."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import docker

from .cleanup import ResetHook, ResetReport
from .cleanup import reset as reset_by_label
from .errors import BadInput, DockerlabError, ImageMissing, NotFound, RunEarlierCell
from .i18n import LANGUAGES, _, set_language
from .labels import set_chapter

__all__ = ["Chapter", "start_chapter", "reset", "reset_hooks"]

T = TypeVar("T")


class Chapter:
    """``ch = lab.start_chapter("03", "The read-only image model", lang="en")`` at the top of a notebook: the
    chapter's resources get its label, and the kit speaks the notebook's language (``lang``; None keeps
    ``DOCKERLAB_LANG`` / the locale)."""

    def __init__(self, number: str, title: str, lang: str | None = None) -> None:
        self.number = number
        self.title = title
        try:
            self.lang = set_language(lang)
        except ValueError:
            raise BadInput(_("The kit does not speak {lang!r}.").format(lang=lang),
                           _("Use one of: {choices}.").format(choices=", ".join(LANGUAGES))) from None
        set_chapter(number)

    def reset(self, purge: bool = False) -> ResetReport:
        """Remove what this chapter created for you (volumes too with purge=True)."""
        return reset(self.number, purge_volumes=purge, say=print)

    def need(self, make: Callable[[], T], cell: str) -> T:
        """``make()`` or, when what it looks up is not there yet, a clear "run <cell> first"."""
        try:
            return make()
        except (NotFound, ImageMissing) as err:  # a container/volume/network, or an image built earlier
            raise RunEarlierCell(_("{what}: run the cell “{cell}” first.").format(what=err.what.rstrip('.'), cell=cell),
                                 _("Scroll up to “{cell}”, run it, then run this cell again.").format(cell=cell)
                                 ) from None
        except DockerlabError:
            raise

    def __repr__(self) -> str:
        return _("Chapter {number}: {title}").format(number=self.number, title=self.title)


def start_chapter(number: str, title: str, lang: str | None = None) -> Chapter:
    """Start chapter ``number`` in ``lang`` ('en' or 'ko'; None: DOCKERLAB_LANG, the locale, else English)."""
    return Chapter(number, title, lang)


def reset_hooks() -> list[ResetHook]:
    """What a reset stops beyond the labelled resources: Swarm mode, the cloud server, the registry, the pipeline's
    workspace, the written build contexts. Listed here, not registered on import, so a fresh kernel's reset stops what an earlier one started."""
    from . import builder, swarm
    from .course import cloud_server, pipeline, registry

    return [swarm.reset_hook, cloud_server.reset_hook, registry.reset_hook, pipeline.reset_hook, builder.reset_hook]


def reset(chapter: str | None = None, *, purge_volumes: bool = False, session: str | None = None,
          client: docker.DockerClient | None = None, say: Callable[[str], None] | None = None) -> ResetReport:
    """Remove what the kit made for you (one chapter's, or everything), by label; volumes too with purge_volumes=True."""
    return reset_by_label(chapter, purge_volumes=purge_volumes, session=session, client=client, say=say,
                          hooks=reset_hooks())
