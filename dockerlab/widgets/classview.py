"""The teacher's class view: every learner's progress as a live grid, refreshing by itself.

    from dockerlab.widgets import ClassView
    ClassView()                          # the learners' homes under /home, read every 5 s
    ClassView(learners=["alice", "bob"]) # just these learners (e.g. the hub's class list)

Buttons export the grid as CSV, JSON and a static HTML page into ``export_dir``.
"""

from __future__ import annotations

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
from .refreshing import Refreshing

__all__ = ["ClassView"]


class ClassView(Refreshing, w.VBox):
    """Learners × exercises, coloured by outcome with attempts; re-reads the learners' files every ``interval`` s."""

    thread_name = "dockerlab-classview"

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
        self._setup_refreshing()
        self.grid_html = w.HTML()
        self.message = w.HTML()
        auto = w.Layout(width="auto")
        self.export_buttons = {kind: w.Button(description=_("Export {format}").format(format=kind.upper()),
                                              icon="download", layout=auto)
                               for kind in ("csv", "json", "html")}
        for kind, button in self.export_buttons.items():
            button.on_click(lambda _b, k=kind: self.export(k))
        super().__init__([self.grid_html, w.HBox([self.timer_button, *self.export_buttons.values(),
                                                  self.status_html]), self.message])
        self.add_class("dockerlab-classview")
        self._go(autostart)

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
