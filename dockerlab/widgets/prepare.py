"""Progress in JupyterLab: a bar with the phase, the detail and the seconds, the finished results listed under it.

``default_progress()`` picks it inside a Jupyter kernel and the terminal spinner elsewhere.
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable

import ipywidgets as widgets

from ..course.baseimage import Progress
from ..display.prepare import RichProgress, failed
from ..display.render import in_notebook
from ..i18n import _

__all__ = ["WidgetProgress", "default_progress", "in_jupyter"]


def in_jupyter() -> bool:
    """True inside a Jupyter kernel (ipykernel), where a widget shows progress better than a spinner."""
    return in_notebook()


def default_progress() -> Progress:
    """A notebook bar inside Jupyter, else a terminal spinner."""
    return WidgetProgress() if in_jupyter() else RichProgress()


class WidgetProgress:
    """A notebook bar with a label (phase · detail · seconds), and the finished results listed under it.

    The label's seconds tick every ``tick`` seconds even while a long step says nothing (None: no ticking).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, show: bool = True,
                 tick: float | None = 1.0) -> None:
        self._clock = clock
        self._started = clock()
        self._phase = _("starting")
        self._detail = ""
        self.bar = widgets.FloatProgress(value=0, min=0, max=1, bar_style="info")
        self.label = widgets.Label(value=self._phase)
        self.results = widgets.HTML(value="")
        self.box = widgets.VBox([widgets.HBox([self.bar, self.label]), self.results])
        self._done = threading.Event()
        if show:
            from IPython.display import display

            display(self.box)
        if tick:
            def ticker() -> None:
                while not self._done.wait(tick):
                    self._label()

            threading.Thread(target=ticker, daemon=True).start()

    def _label(self) -> None:
        detail = f" · {self._detail}" if self._detail else ""
        self.label.value = f"{self._phase}{detail} · {self._clock() - self._started:.0f} s"

    def phase(self, name: str) -> None:
        self._phase, self._detail = name, ""
        self.bar.value = 0
        self._label()

    def update(self, detail: str = "", done: float | None = None, total: float | None = None) -> None:
        if done is not None and total:
            self.bar.value = max(0.0, min(1.0, done / total))
        self._detail = detail
        self._label()

    def note(self, line: str) -> None:
        mark = "✘" if failed(line) else "✔"
        self.results.value += f"<div>{mark} {html.escape(line)}</div>"

    def close(self) -> None:
        self._done.set()
        self.bar.value = 1
        self.bar.bar_style = "success"
        self._phase, self._detail = _("done"), ""
        self._label()
