"""The doctor's findings as a table: ✔ good, ✘ wrong (with its hint), · for information."""

from __future__ import annotations

import docker
from rich.table import Table
from rich.text import Text

from ..course.doctor import Report
from ..course.doctor import doctor as checkup
from ..i18n import _
from .render import Displayable

__all__ = ["DoctorReport", "doctor_table", "doctor"]


def doctor_table(report: Report) -> Table:
    """One row per finding: mark, check, finding (and hint)."""
    table = Table(title="dockerlab doctor", show_lines=False, expand=False)
    table.add_column("", width=2)
    table.add_column(_("check"), style="bold")
    table.add_column(_("finding"), overflow="fold")
    for f in report.findings:
        mark = Text("✔", style="green") if f.ok else Text("✘", style="bold red") if f.ok is False else \
            Text("·", style="dim")
        table.add_row(mark, f.label, Text(f.text))
    return table


class DoctorReport(Report, Displayable):
    """The doctor's report that shows as a table in a terminal and in JupyterLab (``str()``: plain lines)."""

    def __rich__(self) -> Table:
        return doctor_table(self)

    def __str__(self) -> str:
        return Report.__str__(self)


def doctor(client: docker.DockerClient | None = None, *, check_registry: bool = True) -> DoctorReport:
    """Check the engine and the course's needs; the report renders as a table."""
    return DoctorReport(findings=checkup(client, check_registry=check_registry).findings)
