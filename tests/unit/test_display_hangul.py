"""Offline: rich renderables lay out Hangul (two terminal cells a character) as they lay out English, at width 80.

Rendered to ``Console(file=io.StringIO(), width=80, color_system=None)`` (STYLE.md's display tests): no line is wider
than 80 cells, every row's column borders stand in the same cells as the header's, and no Korean character is cut
in half or lost.
"""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console

from dockerlab.checks import CheckResult, Outcome
from dockerlab.course.doctor import Report
from dockerlab.display.doctor import doctor_table
from dockerlab.i18n import N_, _, set_language

BORDERS = set("│┃┆┊║|")


def render(renderable: object, width: int = 80) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, legacy_windows=False).print(renderable)
    return out.getvalue().rstrip("\n").split("\n")


def border_cells(line: str) -> list[int]:
    """The terminal cells (not characters) where ``line`` has a column border."""
    cells, at = [], 0
    for ch in line:
        if ch in BORDERS:
            cells.append(at)
        at += cell_len(ch)
    return cells


def korean_report() -> Report:
    set_language("ko")
    report = Report()
    report.add(N_("engine"), True, _("{kind} {version} at {address} (API {api}, client speaks {client_api}); "
                                     "{running} running of {containers} containers").format(
        kind="Docker Engine", version="20.10.24", address="unix:///var/run/docker.sock", api="1.41",
        client_api="1.41", running=3, containers=12))
    report.add(N_("root inside"), None, _("is root on the host (rootful engine, no user namespaces): whoever may use "
                                         "this engine is root here"))
    report.add(N_("base image"), False, _("{ref} is missing.").format(ref="debian:bookworm-slim"),
               _("Run `python -m dockerlab prepare`."))
    report.add(N_("free disk"), False, _("{free:.1f} GiB free in {root}").format(free=1.2, root="/var/lib/docker"),
               _("The course's images need about 2 GiB: free some space (`docker system prune` removes unused data "
                 "of all projects — read what it lists first)."))
    return report


@pytest.mark.parametrize("width", [80, 60])
def test_a_korean_doctor_table_keeps_its_columns_at_terminal_width(width):
    report = korean_report()
    lines = render(doctor_table(report), width)
    assert all(cell_len(line) <= width for line in lines), "\n".join(lines)
    header = next(line for line in lines if "항목" in line and "결과" in line)
    columns = border_cells(header)
    assert len(columns) == 4
    body = [line for line in lines if line and line[0] in BORDERS]
    assert len(body) > len(report.findings)  # long Korean findings wrap onto more lines …
    for line in body:
        assert border_cells(line) == columns, f"a row's borders moved:\n{header}\n{line}"  # … inside their column
    text = "".join(line.replace("│", "").replace(" ", "") for line in body)
    for f in report.findings:  # every Korean character shown, none cut in half
        assert f.label.replace(" ", "") in text
        assert f.text.replace(" ", "") in text


def test_a_korean_check_result_prints_whole_in_a_narrow_terminal():
    set_language("ko")
    result = CheckResult(_("Exercise 2: run your first container"), Outcome.CORRECT,
                         _("Your first container ran and said hello. Its output is still there: `docker logs` shows "
                           "it."))
    lines = render(result, 40)
    assert all(cell_len(line) <= 40 for line in lines)
    assert lines[0].startswith("✔ 정답 — 연습 2:")
    assert "".join(lines).replace(" ", "") == str(result).replace(" ", "").replace("정답—", "✔정답—", 1)
