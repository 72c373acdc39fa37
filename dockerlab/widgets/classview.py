"""The teacher's class view: every learner's progress as a live grid, refreshing by itself.

    from dockerlab.widgets import ClassView
    ClassView()                          # the learners' homes under /home, read every 5 s
    ClassView(learners=["alice", "bob"]) # just these learners (e.g. the hub's class list)

Buttons export the grid as CSV, JSON and a static HTML page into ``export_dir``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import ipywidgets as w

from ..display.progress import ClassGrid
from ..display.render import escape_pre
from ..errors import DockerlabError
from ..i18n import _
from ..exercises.catalogue import Exercise, catalogue
from ..progress import LearnerProgress, read_class
from .live import track, untrack

__all__ = ["ClassView"]


class ClassView(w.VBox):
    """Learners × exercises, coloured by outcome with attempts; re-reads the learners' files every ``interval`` s."""

    def __init__(self, homes: str | Path = "/home", *, learners: Sequence[str] | None = None,
                 interval: float = 5.0, autostart: bool = True, export_dir: str | Path = ".",
                 exercises: Sequence[Exercise] | None = None, clock: Callable[[], float] = time.time,
                 reader: Callable[[], list[LearnerProgress]] | None = None) -> None:
        self.homes = homes
        self.learners = list(learners) if learners else None
        self.interval = interval
        self.export_dir = Path(export_dir)
        self.exercises = list(exercises) if exercises is not None else catalogue()
        self.clock = clock
        self._reader = reader or (lambda: read_class(self.homes, learners=self.learners))
        self.grid: ClassGrid | None = None
        self.refreshes = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.grid_html = w.HTML()
        self.status_html = w.HTML()
        self.message = w.HTML()
        auto = w.Layout(width="auto")
        self.timer_button = w.Button(description=_("Stop refreshing"), icon="pause", layout=auto)
        self.export_buttons = {kind: w.Button(description=_("Export {format}").format(format=kind.upper()),
                                              icon="download", layout=auto)
                               for kind in ("csv", "json", "html")}
        self.timer_button.on_click(lambda _b: self.toggle_refresh())
        for kind, button in self.export_buttons.items():
            button.on_click(lambda _b, k=kind: self.export(k))
        super().__init__([self.grid_html, w.HBox([self.timer_button, *self.export_buttons.values(),
                                                  self.status_html]), self.message])
        self.add_class("dockerlab-classview")
        track(self)
        self.refresh()
        if autostart:
            self.start()

    def refresh(self) -> ClassGrid | None:
        """Read every learner's file once and redraw the grid."""
        with self._lock:
            try:
                learners = self._reader()
            except DockerlabError as err:  # the class folder itself is unreadable: say so, keep the last grid
                self.message.value = escape_pre(err.message)
                return self.grid
            self.grid = ClassGrid(learners, self.exercises, generated=self.clock())
            self.grid_html.value = self.grid.table_html()
            self.refreshes += 1
            self._show_state()
            return self.grid

    def export(self, kind: str, path: str | Path | None = None) -> Path:
        """Write the grid as ``csv``, ``json`` or ``html`` (default: class-progress.<kind> in export_dir)."""
        grid = self.grid or self.refresh()
        assert grid is not None
        text = {"csv": grid.to_csv, "json": grid.to_json, "html": grid.to_html}[kind]()
        target = Path(path) if path else self.export_dir / f"class-progress.{kind}"
        target.write_text(text, encoding="utf-8")
        self.message.value = escape_pre(_("Wrote {path} ({size} bytes).").format(path=target, size=len(text.encode())))
        return target

    def _show_state(self) -> None:
        when = time.strftime("%H:%M:%S", time.localtime(self.clock()))
        how = _("refreshing every {seconds:g} s").format(seconds=self.interval) if self.running else \
            _("not refreshing")
        self.status_html.value = "<span>" + _("{how} — last read {when}").format(how=how, when=when) + "</span>"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._stop.is_set()

    def start(self) -> None:
        """Re-read the files every ``interval`` seconds in a background thread."""
        if self.running:
            return
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, args=(self._stop,), name="dockerlab-classview",
                                        daemon=True)
        self._thread.start()
        self.timer_button.description, self.timer_button.icon = _("Stop refreshing"), "pause"
        self._show_state()

    def _loop(self, stop: threading.Event) -> None:
        while not stop.wait(self.interval):
            try:
                self.refresh()
            except Exception:  # a closed widget must not kill the timer noisily
                if stop.is_set():
                    return

    def stop(self, timeout: float = 5.0) -> None:
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
        return _("{widget} (its refresh thread)").format(widget="ClassView") if self.running else "ClassView"

    def close(self) -> None:
        self.stop()
        untrack(self)
        for child in list(self.children):
            for grandchild in getattr(child, "children", ()):
                grandchild.close()
            child.close()
        super().close()
