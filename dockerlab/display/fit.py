"""A table that fits its width without breaking a value in the middle.

Names, image references, ports and paths are words a learner copies: a column too narrow for them would cut
``alice/frontend:1.0`` into ``alice/fron`` / ``tend:1.0``. :func:`fitting_table` lays the rows out as columns when
every value fits on its line, and otherwise as one small card per row (the first value as its heading, then
``label  value`` lines) — the way an 80-column terminal can show them whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Union

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.table import Table
from rich.text import Text

__all__ = ["Cell", "fitting_table"]

#: a cell: text, or several lines (one value per line, e.g. one published port per line)
Cell = Union[str, Text, Sequence[Union[str, Text]]]


def _lines(cell: Cell) -> list[Text]:
    if isinstance(cell, (str, Text)):
        cell = [cell]
    return [c if isinstance(c, Text) else Text(str(c)) for c in cell] or [Text("—", style="dim")]


def _natural_width(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> int:
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], *(line.cell_len for line in _lines(cell)))
    return sum(widths) + 3 * len(widths) + 1  # SIMPLE_HEAD: padding 1 on each side and a separator


def fitting_table(console: Console, options: ConsoleOptions, title: str | None, headers: Sequence[str],
                  rows: Sequence[Sequence[Cell]]) -> RenderableType:
    """Columns when every value fits on its line within the width, else one card per row."""
    if _natural_width(headers, rows) <= options.max_width:
        table = Table(title=title, title_justify="left", title_style="bold", header_style="bold",
                      box=box.SIMPLE_HEAD, expand=False)
        for header in headers:
            table.add_column(header, no_wrap=True)
        for row in rows:
            table.add_row(*(Text("\n").join(_lines(cell)) for cell in row))
        return table
    label_width = max(len(h) for h in headers[1:]) if len(headers) > 1 else 0
    parts: list[RenderableType] = [Text(title, style="bold")] if title else []
    for row in rows:
        first, *rest = row
        parts.append(Text("\n").join(_lines(first)))
        for header, cell in zip(headers[1:], rest):
            for n, line in enumerate(_lines(cell)):
                label = header if n == 0 else ""
                parts.append(Text.assemble(("  " + label.ljust(label_width) + "  ", "dim"), line))
    return Group(*parts)
