"""One chapter of the course: labels what its cells create, resets it, and says which cell to run first."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .errors import DockerlabError, ImageMissing, NotFound, RunEarlierCell
from .labels import set_chapter

__all__ = ["Chapter", "start_chapter"]

T = TypeVar("T")


class Chapter:
    """``ch = lab.start_chapter("03", "The read-only image model")`` at the top of a notebook."""

    def __init__(self, number: str, title: str) -> None:
        self.number = number
        self.title = title
        set_chapter(number)

    def reset(self, purge: bool = False) -> object:
        """Remove what this chapter created for you (volumes too with purge=True)."""
        from .cleanup import reset

        return reset(self.number, purge_volumes=purge, say=print)

    def need(self, make: Callable[[], T], cell: str) -> T:
        """``make()`` or, when what it looks up is not there yet, a clear "run <cell> first"."""
        try:
            return make()
        except (NotFound, ImageMissing) as err:  # a container/volume/network, or an image built earlier
            raise RunEarlierCell(f"{err.what.rstrip('.')}: run the cell “{cell}” first.",
                                 f"Scroll up to “{cell}”, run it, then run this cell again.") from None
        except DockerlabError:
            raise

    def __repr__(self) -> str:
        return f"Chapter {self.number}: {self.title}"


def start_chapter(number: str, title: str) -> Chapter:
    return Chapter(number, title)
