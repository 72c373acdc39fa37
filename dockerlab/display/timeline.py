"""The engine's events as a timeline: a table (seconds since the first event, type, action, name, detail) and a plot
with one lane per container or service.

    recorder = events.Recorder(chapter="10").start()
    …
    timeline = Timeline(recorder.stop())     # shows as a table; timeline.plot() draws the lanes
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from collections.abc import Callable, Sequence
from typing import Any

from rich import box
from rich.table import Table

from ..events import EventRow
from ..i18n import N_, _, language
from .render import Displayable

__all__ = ["timeline_table", "timeline_plot", "Timeline", "hangul_font", "HANGUL_FONTS"]

_STYLE = {"start": "green", "restart": "green", "create": "cyan", "die": "red", "kill": "bold red", "oom": "bold red",
          "stop": "yellow", "destroy": "dim", "health_status": "magenta", "update": "blue", "remove": "dim"}


def timeline_table(rows: Sequence[EventRow], *, title: str = N_("Engine events"), start: dt.datetime | None = None,
                   limit: int | None = 60) -> Table:
    """A rich table: seconds since the first event, type, action, name, detail (headers in the learner's language)."""
    table = Table(title=_(title), box=box.SIMPLE_HEAVY, show_lines=False)
    for col, just in ((N_("t (s)"), "right"), (N_("type"), "left"), (N_("action"), "left"), (N_("name"), "left"),
                      (N_("detail"), "left")):
        table.add_column(_(col), justify=just)  # type: ignore[arg-type]
    if not rows:
        return table
    origin = start or rows[0].time
    shown = list(rows) if limit is None or len(rows) <= limit else list(rows[: limit - 1]) + [rows[-1]]
    for i, row in enumerate(shown):
        if limit is not None and len(rows) > limit and i == limit - 1:
            table.add_row("…", "", _("({count} more)").format(count=len(rows) - limit + 1), "", "")
        style = _STYLE.get(row.verb, "")
        table.add_row(f"{(row.time - origin).total_seconds():7.2f}", row.type,
                      f"[{style}]{row.verb}[/]" if style else row.verb, row.name, row.detail)
    return table


class Timeline(Displayable):
    """Rows plus how to show them: a table in a terminal and in JupyterLab; ``.plot()`` for a chart."""

    display_width = 110

    def __init__(self, rows: Sequence[EventRow], title: str = N_("Engine events")) -> None:
        self.rows = list(rows)
        self.title = title

    def __rich__(self) -> Table:
        return timeline_table(self.rows, title=self.title)

    def __len__(self) -> int:
        return len(self.rows)

    def where(self, keep: Callable[[EventRow], bool], title: str | None = None) -> Timeline:
        """Only the rows ``keep(row)`` accepts (e.g. ``lambda r: r.type == "service"``)."""
        return Timeline([r for r in self.rows if keep(r)], title=title or self.title)

    def count(self, verb: str, name: str | None = None) -> int:
        """How many events of this kind (for one name when given)."""
        return sum(1 for r in self.rows if r.verb == verb and (name is None or name in r.name))

    def plot(self, **kwargs: Any) -> Any:
        return timeline_plot(self.rows, title=self.title, **kwargs)


_MARKERS = {"create": ("o", "tab:cyan"), "start": ("^", "tab:green"), "restart": ("^", "tab:green"),
            "kill": ("x", "tab:red"), "die": ("v", "tab:red"), "oom": ("X", "darkred"), "stop": ("s", "tab:orange"),
            "destroy": ("D", "grey"), "health_status": ("*", "tab:purple"), "update": ("P", "tab:blue"),
            "remove": ("D", "grey")}


#: fonts with Hangul, the first one installed draws the plot's Korean (Debian's fonts-nanum gives NanumGothic)
HANGUL_FONTS = ("NanumGothic", "NanumBarunGothic", "Noto Sans CJK KR", "Noto Sans KR", "Source Han Sans KR",
                "UnDotum", "Malgun Gothic", "Apple SD Gothic Neo", "AppleGothic")


def hangul_font() -> str | None:
    """The first font of HANGUL_FONTS on this machine (None: Hangul would draw as empty boxes). A font installed after
    matplotlib made its font cache is looked for among the system's fonts and added."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    known = {f.name for f in manager.ttflist}
    found = next((name for name in HANGUL_FONTS if name in known), None)
    if found is None:
        files = {Path(path).stem.replace("-Regular", "").replace("-", "").lower(): path
                 for path in font_manager.findSystemFonts()}
        path = next((files[k] for k in (n.replace(" ", "").lower() for n in HANGUL_FONTS) if k in files), None)
        if path is not None:
            manager.addfont(path)
            found = font_manager.FontProperties(fname=path).get_name()
    return found


def timeline_plot(rows: Sequence[EventRow], *, title: str = N_("Engine events"), width: float = 10.0) -> Any:
    """A matplotlib figure: one lane per container/service, a marker per event, seconds on the x axis. Title and axis
    in the learner's language, drawn with a Hangul font when one is installed (else the kit's words stay English)."""
    import matplotlib.pyplot as plt

    korean = hangul_font()
    words = _ if korean or language() == "en" else (lambda message: message)
    names = list(dict.fromkeys(r.name for r in rows))
    # Latin from DejaVu, Hangul from the other
    with plt.rc_context({"font.family": ["DejaVu Sans", korean]} if korean else None):
        fig, ax = plt.subplots(figsize=(width, 0.45 * max(3, len(names)) + 1.2))
        if rows:
            _draw(ax, rows, names)
        ax.set_xlabel(words(N_("seconds since the first event")))
        ax.set_title(words(title))
        ax.grid(axis="x", alpha=0.3)
        fig.tight_layout()
    plt.close(fig)
    return fig


def _draw(ax: Any, rows: Sequence[EventRow], names: list[str]) -> None:
    origin = rows[0].time
    seen: set[str] = set()
    for row in rows:
        marker, color = _MARKERS.get(row.verb, (".", "black"))
        label = row.verb if row.verb not in seen else None
        seen.add(row.verb)
        if row.verb == "health_status" and row.detail == "unhealthy":
            color = "tab:red"
        ax.scatter((row.time - origin).total_seconds(), names.index(row.name), marker=marker, color=color,
                   s=60, label=label, zorder=3)
    for i, name in enumerate(names):  # a thin line from a lane's first event to its last
        times = [(r.time - origin).total_seconds() for r in rows if r.name == name]
        ax.hlines(i, min(times), max(times), color="lightgrey", linewidth=2, zorder=1)
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()  # the first container on top, like the table
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
