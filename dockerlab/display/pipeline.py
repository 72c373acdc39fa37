"""A pipeline run as a step table (✔ ok, ✘ failed, – skipped) with its summary, and the table of all runs."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..course.pipeline_runs import PipelineRun
from ..i18n import N_, _
from .render import Displayable

__all__ = ["run_table", "RunView", "run_view", "history_table"]

_ICON = {"ok": "✔", "failed": "✘", "skipped": "–", "running": "…"}
_STYLE = {"ok": "green", "failed": "bold red", "skipped": "dim", "running": "yellow"}
#: a step's status in the learner's words
_WORDS = {"ok": N_("ok"), "failed": N_("failed"), "skipped": N_("skipped"), "running": N_("running")}


def run_table(run: PipelineRun) -> Table:
    """One row per step: name, status, seconds, detail."""
    title = _("Pipeline run #{number} — version {version}").format(number=run.number, version=run.version) + (
        f" ({run.note})" if run.note else "")
    table = Table(title=title, box=box.SIMPLE_HEAVY)
    table.add_column(_("step"))
    table.add_column(_("status"))
    table.add_column(_("seconds"), justify="right")
    table.add_column(_("detail"), overflow="fold")
    for s in run.steps:
        style = _STYLE.get(s.status, "")
        word = _(_WORDS[s.status]) if s.status in _WORDS else s.status
        table.add_row(s.name, f"[{style}]{_ICON.get(s.status, '?')} {word}[/]",
                      f"{s.seconds:.1f}" if s.status != "skipped" else "", s.detail)
    return table


class RunView(Displayable):
    """A run's step table and its one-line summary, in a terminal and in JupyterLab."""

    display_width = 110

    def __init__(self, run: PipelineRun) -> None:
        self.run = run

    def __rich__(self) -> Group:
        return Group(run_table(self.run), Text(self.run.summary(), style="green" if self.run.ok else "bold red"))


def run_view(run: PipelineRun) -> RunView:
    """Show a pipeline run: ``run_view(pipe.run())``."""
    return RunView(run)


def history_table(runs: list[PipelineRun]) -> Table:
    """One row per run: number, note, version, outcome, where it stopped, what the server ran after it."""
    table = Table(title=_("Pipeline runs"), box=box.SIMPLE_HEAVY)
    columns = ("#", N_("note"), N_("version"), N_("outcome"), N_("stopped at"), N_("server after"), N_("seconds"))
    for col in columns:
        table.add_column(_(col) if col != "#" else col, justify="right" if col in ("#", "seconds") else "left")
    for r in runs:
        outcome = "[green]✔ {}[/]".format(_("deployed")) if r.ok else (
            "[red]✘ {}[/]".format(_("rolled back")) if r.rolled_back else "[red]✘ {}[/]".format(_("stopped")))
        table.add_row(str(r.number), r.note, r.version, outcome, r.failed_at or "", r.server_after or "—",
                      f"{r.seconds:.1f}")
    return table
