"""The live widgets of this kernel, so a notebook's reset cell stops their threads and timers.

A live widget registers :func:`close_all` with ``cleanup.register_reset_hook`` when this module is imported,
so ``dockerlab.reset()`` stops them (no widget of this kernel exists before that import).
"""

from __future__ import annotations

import threading
from typing import Protocol

from ..cleanup import Failed, register_reset_hook
from ..i18n import _

__all__ = ["track", "untrack", "live_widgets", "close_all", "reset_hook"]


class Closable(Protocol):
    def close(self) -> None: ...

    def describe(self) -> str: ...


_lock = threading.Lock()
_live: list[Closable] = []


def track(widget: Closable) -> None:
    """Remember a widget that may run a thread or timer."""
    with _lock:
        if widget not in _live:
            _live.append(widget)


def untrack(widget: Closable) -> None:
    with _lock:
        if widget in _live:
            _live.remove(widget)


def live_widgets() -> list[Closable]:
    """The kit's widgets not closed yet."""
    with _lock:
        return list(_live)


def close_all() -> list[str]:
    """Close every live kit widget (stopping its thread or timer); says what it closed."""
    done = []
    for widget in live_widgets():
        what = widget.describe()
        try:
            widget.close()
            done.append(_("closed {what}").format(what=what))
        except Exception as exc:  # one broken widget must not stop the reset
            done.append(Failed(_("could not close {what}: {error}").format(what=what, error=exc)))
        untrack(widget)
    return done


def reset_hook(chapter: str | None, _client: object = None) -> list[str]:
    """On reset (of this kernel's learner): close this kernel's live widgets."""
    return close_all()


register_reset_hook(reset_hook)
