"""A widget that refreshes itself: a background thread calls ``refresh()`` every ``interval`` seconds.

The Dashboard (your containers) and the ClassView (the class's progress) both use it: one timer button (stop /
start refreshing), one status line ("refreshing every 2 s — last read 10:42:07"), one ``close()`` that stops the
thread, forgets the widget (:mod:`.live`: ``dockerlab.reset()`` closes what is left) and closes its children.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import ipywidgets as w

from ..i18n import _
from .live import track, untrack

__all__ = ["Refreshing"]


class Refreshing:
    """Mix into an ipywidgets box (``class Dashboard(Refreshing, w.VBox)``) that has ``refresh()``, ``interval``
    and ``clock``; call :meth:`_setup_refreshing` in ``__init__`` before the box is built, :meth:`_go` after."""

    interval: float
    clock: Callable[[], float]
    thread_name = "dockerlab-widget"

    def refresh(self) -> object:
        raise NotImplementedError

    def _setup_refreshing(self) -> None:
        """The timer's state, its button and its status line (``self.timer_button``, ``self.status_html``)."""
        self.refreshes = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.status_html = w.HTML()
        self.timer_button = w.Button(description=_("Stop refreshing"), icon="pause", layout=w.Layout(width="auto"))
        self.timer_button.on_click(lambda _b: self.toggle_refresh())

    def _go(self, autostart: bool) -> None:
        """Track the widget (a reset closes it), draw it once, and start refreshing unless told not to."""
        track(self)
        self.refresh()
        if autostart:
            self.start()

    def _show_state(self) -> None:
        when = time.strftime("%H:%M:%S", time.localtime(self.clock()))
        how = _("refreshing every {seconds:g} s").format(seconds=self.interval) if self.running else \
            _("not refreshing")
        self.status_html.value = "<span>" + _("{how} — last read {when}").format(how=how, when=when) + "</span>"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._stop.is_set()

    def start(self) -> None:
        """Refresh every ``interval`` seconds in a background thread."""
        if self.running:
            return
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, args=(self._stop,), name=self.thread_name, daemon=True)
        self._thread.start()
        self.timer_button.description, self.timer_button.icon = _("Stop refreshing"), "pause"
        self._show_state()

    def _loop(self, stop: threading.Event) -> None:
        while not stop.wait(self.interval):
            try:
                self.refresh()
            except Exception:  # a closed widget or a passing engine error must not kill the timer noisily
                if stop.is_set():
                    return

    def stop(self, timeout: float = 5.0) -> None:
        """Stop refreshing (what is shown stays as it is)."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        self.timer_button.description, self.timer_button.icon = _("Start refreshing"), "play"
        self._show_state()

    def toggle_refresh(self) -> None:
        if self.running:
            self.stop()
        else:
            self.start()

    def describe(self) -> str:
        name = type(self).__name__
        return _("{widget} (its refresh thread)").format(widget=name) if self.running else name

    def close(self) -> None:
        """Stop the refresh thread and close the widget."""
        self.stop()
        untrack(self)
        for child in list(self.children):  # type: ignore[attr-defined]
            for grandchild in getattr(child, "children", ()):
                grandchild.close()
            child.close()
        super().close()  # type: ignore[misc]
