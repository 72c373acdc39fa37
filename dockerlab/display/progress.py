"""Progress tables: a learner's own (chapters × exercises) and the teacher's class grid (learners × exercises).

Both are rich renderables (terminal and JupyterLab). The class grid also exports itself as CSV, JSON and a
static HTML page (the same coloured table the notebook widget shows).
"""

from __future__ import annotations

import csv
import html
import io
import json
import time
from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from ..exercises.catalogue import Exercise
from ..i18n import N_, _, ngettext
from ..progress import ExerciseProgress, LearnerProgress
from .render import Displayable

__all__ = ["LearnerTable", "ClassGrid", "STATUS_STYLE"]

#: status -> (mark, rich style, HTML background, HTML text colour)
STATUS_STYLE = {
    "done": ("✔", "bold green", "#cdebd3", "#1b5e20"),
    "tried": ("✘", "bold red", "#f6cfcb", "#8c1d18"),
    "not started": ("·", "dim", "#f1f1f1", "#777777"),
}
_PROBLEM_STYLE = ("#fff3c4", "#6b5200")
#: a status in the learner's words
STATUS_WORDS = {"done": N_("done"), "tried": N_("tried"), "not started": N_("not started")}


def _columns(exercises: Sequence[Exercise], learners: Sequence[LearnerProgress]) -> list[Exercise]:
    """The catalogue, plus any exercise a file mentions that this kit does not know (kept, at the end)."""
    known = {e.key for e in exercises}
    extra = sorted({(r.chapter, r.exercise, r.title) for lp in learners for k, r in lp.exercises.items()
                    if k not in known})
    return list(exercises) + [Exercise(c, q, t) for c, q, t in extra]


def _cell_text(rec: ExerciseProgress | None) -> Text:
    if rec is None or rec.status == "not started":
        return Text("·", style="dim")
    mark, style, _bg, _fg = STATUS_STYLE[rec.status]
    return Text(f"{mark}{rec.attempts}", style=style)


class LearnerTable(Displayable):
    """``python -m dockerlab progress``: each exercise of the course, done / tried / not started."""

    def __init__(self, progress: LearnerProgress, exercises: Sequence[Exercise]) -> None:
        self.progress = progress
        self.exercises = _columns(exercises, [progress])

    def counts(self) -> dict[str, int]:
        out = {"done": 0, "tried": 0, "not started": 0}
        for e in self.exercises:
            rec = self.progress.get(e.chapter, e.exercise)
            out[rec.status if rec else "not started"] += 1
        return out

    def __rich__(self) -> Table:
        # one row per exercise: chapters have from one to six exercises, and a row fits any terminal
        table = Table(title=_("Your progress ({learner})").format(learner=self.progress.learner), title_justify="left")
        table.add_column(_("chapter"), style="bold", no_wrap=True)
        table.add_column(_("exercise"), overflow="fold")
        table.add_column(_("status"), no_wrap=True)
        for e in sorted(self.exercises, key=lambda e: (e.chapter, int(e.exercise[1:]) if e.exercise[1:].isdigit()
                                                       else 0)):
            rec = self.progress.get(e.chapter, e.exercise)
            if rec is None or rec.status == "not started":
                status = Text("· " + _(STATUS_WORDS["not started"]), style="dim")
            else:
                mark, style, _bg, _fg = STATUS_STYLE[rec.status]
                tries = ngettext("{count} attempt", "{count} attempts", rec.attempts).format(count=rec.attempts)
                status = Text(f"{mark} {_(STATUS_WORDS[rec.status])} ({tries})", style=style)
            table.add_row(e.chapter, _(e.title), status)
        c = self.counts()
        table.caption = _("{done} done, {tried} tried, {not_started} not started").format(
            done=c["done"], tried=c["tried"], not_started=c["not started"])
        if self.progress.problem:
            table.caption += f"\n{self.progress.problem}"
        return table


class ClassGrid(Displayable):
    """The class at a glance: one row per learner, one column per exercise, coloured by outcome, with attempts."""

    display_width = 160

    def __init__(self, learners: Sequence[LearnerProgress], exercises: Sequence[Exercise], *,
                 title: str = N_("Class progress"), generated: float | None = None) -> None:
        self.learners = list(learners)
        self.exercises = _columns(exercises, learners)
        self.title = title
        self.generated = time.time() if generated is None else generated

    @property
    def stamp(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.generated))

    def __rich__(self) -> Table:
        table = Table(title=f"{_(self.title)} — {self._read()}", title_justify="left")
        table.add_column(_("learner"), style="bold", no_wrap=True)
        for e in self.exercises:
            table.add_column(e.short, justify="center", no_wrap=True)
        table.add_column(_(STATUS_WORDS["done"]), justify="right")
        table.add_column(_("note"), overflow="fold")
        for lp in self.learners:
            done = sum(1 for e in self.exercises if (r := lp.get(e.chapter, e.exercise)) and r.status == "done")
            table.add_row(lp.learner, *(_cell_text(lp.get(e.chapter, e.exercise)) for e in self.exercises),
                          f"{done}/{len(self.exercises)}",
                          Text(lp.problem or "", style="yellow" if lp.kind != "missing" else "dim"))
        table.caption = _("✔n done after n attempts · ✘n tried n times, not Correct yet · · not started")
        return table

    def _read(self) -> str:
        """"3 learners, read 2026-11-30 14:00:00" in the teacher's language."""
        return ngettext("{count} learner, read {stamp}", "{count} learners, read {stamp}", len(self.learners)).format(
            count=len(self.learners), stamp=self.stamp)

    # -- exports -----------------------------------------------------------------------------------------------
    def rows(self) -> list[dict[str, object]]:
        """One row per learner × exercise (what the CSV holds)."""
        out = []
        for lp in self.learners:
            for e in self.exercises:
                rec = lp.get(e.chapter, e.exercise)
                out.append({"learner": lp.learner, "chapter": e.chapter, "exercise": e.exercise, "title": e.title,
                            "status": rec.status if rec else "not started",
                            "outcome": rec.outcome if rec else "", "attempts": rec.attempts if rec else 0,
                            "first_attempt": (rec.first_attempt if rec else None) or "",
                            "first_correct": (rec.first_correct if rec else None) or "",
                            "file": lp.kind, "note": lp.problem or ""})
        return out

    def to_csv(self) -> str:
        buf = io.StringIO()
        rows = self.rows()
        fields = ["learner", "chapter", "exercise", "title", "status", "outcome", "attempts", "first_attempt",
                  "first_correct", "file", "note"]
        writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buf.getvalue()

    def to_json(self) -> str:
        data = {"title": self.title, "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.generated)),
                "exercises": [{"chapter": e.chapter, "exercise": e.exercise, "title": e.title}
                              for e in self.exercises],
                "learners": [lp.to_dict() for lp in self.learners]}
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    def table_html(self) -> str:
        """The grid as an HTML table with inline styles (the widget's body and the static page's)."""
        esc = html.escape
        th = "padding:3px 6px;border:1px solid #ccc;background:#fafafa;font-weight:600"
        head = "".join(f'<th title="{esc(_(e.title))}" style="{th}">{esc(e.short)}</th>' for e in self.exercises)
        lines = [f'<table class="dockerlab-class-grid" style="border-collapse:collapse;font-size:13px">'
                 f'<thead><tr><th style="{th};text-align:left">{esc(_("learner"))}</th>{head}'
                 f'<th style="{th}">{esc(_(STATUS_WORDS["done"]))}</th>'
                 f'<th style="{th};text-align:left">{esc(_("note"))}</th></tr></thead><tbody>']
        for lp in self.learners:
            cells = []
            done = 0
            for e in self.exercises:
                rec = lp.get(e.chapter, e.exercise)
                status = rec.status if rec else "not started"
                done += status == "done"
                mark, _style, bg, fg = STATUS_STYLE[status]
                text = f"{mark}{rec.attempts}" if rec and status != "not started" else mark
                tip = f"{_(e.title)}: {_(STATUS_WORDS[status])}"
                if rec:
                    tip += ", " + ngettext("{count} attempt", "{count} attempts", rec.attempts).format(
                        count=rec.attempts)
                if rec and rec.first_correct:
                    tip += ", " + _("first Correct {time}").format(time=rec.first_correct)
                cells.append(f'<td class="cell-{status.replace(" ", "-")}" data-learner="{esc(lp.learner)}" '
                             f'data-exercise="{esc(e.key)}" title="{esc(tip)}" style="padding:3px 6px;'
                             f'border:1px solid #ccc;text-align:center;background:{bg};color:{fg}">{esc(text)}</td>')
            note_bg, note_fg = _PROBLEM_STYLE if lp.problem and lp.kind != "missing" else ("#fff", "#777")
            note = (f'<td class="note-{esc(lp.kind)}" style="padding:3px 6px;border:1px solid #ccc;background:{note_bg};'
                    f'color:{note_fg}">{esc(lp.problem or "")}</td>')
            lines.append(f'<tr data-learner="{esc(lp.learner)}"><th style="{th};text-align:left">{esc(lp.learner)}</th>'
                         f'{"".join(cells)}<td style="padding:3px 6px;border:1px solid #ccc;text-align:right">'
                         f'{done}/{len(self.exercises)}</td>{note}</tr>')
        lines.append("</tbody></table>")
        legend = " · ".join(f'<span style="background:{bg};color:{fg};padding:1px 6px">{mark}{"n" if s != "not started" else ""}'
                            f"</span> {esc(_(STATUS_WORDS[s]))}" for s, (mark, _st, bg, fg) in STATUS_STYLE.items())
        attempts = _("(n = attempts)")
        lines.append(f'<div style="font-size:12px;color:#555;margin-top:4px">{legend} {esc(attempts)} — '
                     f"{esc(self._read())}</div>")
        return "".join(lines)

    def to_html(self) -> str:
        """A static, self-contained HTML page of the grid (no script, no network)."""
        return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                f"<title>{html.escape(_(self.title))}</title></head>"
                '<body style="font-family:sans-serif;margin:16px">'
                f"<h1 style=\"font-size:18px\">{html.escape(_(self.title))}</h1>{self.table_html()}</body></html>\n")
