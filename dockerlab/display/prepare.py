"""What `prepare` did, as a table, and its progress in a terminal: a spinner line with the phase and the time."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.progress import Progress as RichBar
from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Column, Table
from rich.text import Text

from ..course.prepare import KIND_WORDS, OUTCOME_WORDS, PrepareReport
from ..i18n import N_, _
from .render import Displayable

__all__ = ["prepare_table", "PrepareView", "RichProgress", "failed"]


def failed(line: str) -> bool:
    """Does a prepare note report a failure (``<image>: failed — …``, in either language)?"""
    return "failed" in line or _(OUTCOME_WORDS["failed"]) in line


def prepare_table(report: PrepareReport) -> Table:
    """One row per image: image, kind (base or course), outcome, detail."""
    table = Table(title="dockerlab prepare")
    for col in (N_("image"), N_("kind"), N_("outcome"), N_("detail")):
        table.add_column(_(col), overflow="fold")
    for i in report.items:
        style = "red" if i.outcome == "failed" else "yellow" if i.outcome == "skipped" else "green"
        word = _(OUTCOME_WORDS[i.outcome]) if i.outcome in OUTCOME_WORDS else i.outcome
        kind = _(KIND_WORDS[i.kind]) if i.kind in KIND_WORDS else i.kind
        table.add_row(i.ref, kind, Text(word, style=style), i.summary)
    return table


class PrepareView(PrepareReport, Displayable):
    """The prepare report that shows as a table in a terminal and in JupyterLab (``str()``: one line per image)."""

    def __rich__(self) -> Table:
        return prepare_table(self)

    def __str__(self) -> str:
        return PrepareReport.__str__(self)


class RichProgress:
    """A terminal line: spinner, current phase, detail, time elapsed; notes print above it."""

    def __init__(self, console: object | None = None, clock: Callable[[], float] | None = None) -> None:
        self.console = console if console is not None else Console()
        self._bar = RichBar(SpinnerColumn(), TimeElapsedColumn(),
                            TextColumn("[bold]{task.description}", table_column=Column(no_wrap=True)),
                            TextColumn("{task.fields[detail]}", table_column=Column(no_wrap=True, overflow="ellipsis")),
                            console=self.console, transient=True, get_time=clock)  # type: ignore[arg-type]
        self._task = self._bar.add_task(_("starting"), detail="", total=None)
        self._bar.start()

    def phase(self, name: str) -> None:
        self._bar.update(self._task, description=name, detail="")

    def update(self, detail: str = "", done: float | None = None, total: float | None = None) -> None:
        room = max(12, self.console.width - 48)  # type: ignore[attr-defined]
        self._bar.update(self._task, detail=detail if len(detail) <= room else detail[:room - 1] + "…")

    def note(self, line: str) -> None:
        self._bar.console.print(Text("✘ " if failed(line) else "✔ ") + Text(line), highlight=False)

    def close(self) -> None:
        self._bar.stop()
