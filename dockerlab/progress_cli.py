"""`python -m dockerlab progress [--class …]`: the learner's table, or the teacher's class grid and its exports."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.console import Console

from .errors import BadInput
from .i18n import _

__all__ = ["progress_command", "read_class_list"]


def read_class_list(path: str | Path) -> list[str]:
    """User names from a class list: one per line (the first word), blank lines and ``#`` comments skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(_("The class list {path} cannot be read ({error}).").format(path=path, error=exc),
                       _("Give a text file with one user name per line.")) from None
    names = [line.split("#", 1)[0].split()[0] for line in text.splitlines() if line.split("#", 1)[0].strip()]
    if not names:
        raise BadInput(_("The class list {path} names no learner.").format(path=path),
                       _("Put one user name per line."))
    return names


def progress_command(args: argparse.Namespace, console: Console) -> int:
    from .exercises.catalogue import catalogue
    from .course.teachers import share_progress
    from .progress import load, read_class

    if args.share:
        folder = share_progress(args.share, args.group)
        console.print(_("{learner}'s progress folder {folder} is readable by the group {group} (and by no other "
                        "learner).").format(learner=args.share, folder=folder, group=args.group))
        return 0
    exercises = catalogue()
    if not args.whole_class:
        from .display.progress import LearnerTable

        console.print(LearnerTable(load(), exercises))
        return 0
    from .display.progress import ClassGrid

    learners = read_class_list(args.learners) if args.learners else None

    def grid() -> ClassGrid:
        return ClassGrid(read_class(args.homes, learners=learners), exercises)

    current = grid()
    for kind in ("csv", "json", "html"):
        target = getattr(args, kind)
        if target:
            Path(target).write_text({"csv": current.to_csv, "json": current.to_json, "html": current.to_html}[kind](),
                                    encoding="utf-8")
            console.print(_("wrote {path}").format(path=target))
    if args.watch is None:
        console.print(current)
        return 0
    from rich.live import Live

    with Live(current, console=console, refresh_per_second=1, screen=False) as live:
        while True:
            time.sleep(max(0.5, args.watch))
            live.update(grid())
