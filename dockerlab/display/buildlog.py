"""Build log: each Dockerfile step with CACHED or RAN, its time, and its last output lines folded under it.

``BuildLog(result)`` shows a finished build; ``LiveBuildLog`` fills in while ``images.build`` runs (it reads the
lines with the same parser, :class:`dockerlab.streams.BuildStream`)::

    live = LiveBuildLog("hello")
    with rich.live.Live(live, refresh_per_second=4):
        result = dockerlab.images.build("hello", "images/hello", **live.callbacks())

:func:`build` — ``lab.build`` in a notebook — shows that live log by default. A failed build shows the failing
step's telling lines; in JupyterLab its whole output unfolds under "the whole output of step N".
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypedDict

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

from ..builder import BuildResult, shown_output
from ..errors import BuildFailed
from ..i18n import _
from ..streams import BuildStep, BuildStream, strip_ansi
from .render import Displayable, in_notebook, mimebundle

__all__ = ["BuildLog", "LiveBuildLog", "step_status", "build"]


def step_status(step: BuildStep, running: bool = False) -> str:
    """What the learner sees in the result column: FAILED, CACHED, RAN, BASE (a FROM) or RUNNING."""
    if step.failed:
        return "FAILED"
    if running:
        return "RUNNING"
    if step.is_from:
        return "BASE"
    return "CACHED" if step.cached else "RAN"


_STYLES = {"FAILED": "bold white on red", "CACHED": "green", "RAN": "yellow", "BASE": "dim", "RUNNING": "cyan"}


def _steps_table(steps: Sequence[BuildStep], *, tail: int, running: int | None = None,
                 running_seconds: float = 0.0, error: str | None = None) -> Table:
    table = Table(box=None, show_header=True, pad_edge=False, expand=False, header_style="bold")
    table.add_column(_("step"), no_wrap=True)
    table.add_column(_("instruction"), overflow="fold", ratio=1)
    table.add_column(_("result"), no_wrap=True)
    table.add_column(_("time"), justify="right", no_wrap=True)
    for step in steps:
        is_running = running is not None and step.number == running and not step.failed
        status = step_status(step, is_running)
        seconds = running_seconds if is_running else step.seconds
        body: list[Text] = [Text(step.instruction, style="bold red" if step.failed else "")]
        lines = [strip_ansi(line).rstrip() for line in step.output if line.strip()]
        if step.failed:  # the cause may be far from the end: the lines that tell, then the last ones
            shown = shown_output(lines)
        else:
            shown = lines[-tail:] if tail > 0 else []
            if len(lines) > len(shown):
                body.append(Text("│ " + _("… {count} earlier line(s)").format(count=len(lines) - len(shown)),
                                 style="dim"))
        body += [Text("│ " + line, style="red" if step.failed else "dim") for line in shown]
        if step.failed and error:
            body.append(Text("│ " + _("error: {error}").format(error=strip_ansi(error).strip().splitlines()[-1]),
                             style="bold red"))
        table.add_row(Text(f"{'✘ ' if step.failed else ''}{step.number}/{step.total}",
                           style="bold red" if step.failed else ""),
                      Group(*body), Text(status, style=_STYLES[status]), f"{seconds:.1f} s")
    return table


def _summary(steps: Sequence[BuildStep]) -> tuple[int, int]:
    mine = [s for s in steps if not s.is_from]
    return sum(1 for s in mine if s.cached), len(mine)


def _whole_output_html(steps: Sequence[BuildStep]) -> str:
    """The failing step's whole output, folded (JupyterLab shows the summary line; a click unfolds it)."""
    failed = next((s for s in steps if s.failed), None)
    if failed is None or not failed.output:
        return ""
    body = html.escape("\n".join(strip_ansi(line) for line in failed.output))
    summary = _("The whole output of step {number}/{total} ({count} lines)").format(
        number=failed.number, total=failed.total, count=len(failed.output))
    return (f"<details><summary>{html.escape(summary)}</summary>"
            f"<pre style=\"white-space:pre-wrap\">{body}</pre></details>")


class BuildLog(Displayable):
    """A finished build: a header (tag, time, steps from cache), the steps, and the `docker build` line."""

    def __init__(self, result: BuildResult, *, tail: int = 3) -> None:
        self.result = result
        self.tail = tail

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        r = self.result
        cached, total = _summary(r.steps)
        failed = r.error is not None or any(s.failed for s in r.steps)
        verdict = Text("FAILED", style="bold red") if failed else Text(_("built"), style="bold green")
        image = " — " + _("image {id}").format(id=r.id.split(":")[-1][:12]) if r.id else ""
        yield Text.assemble(verdict, " ", (r.tag, "bold"), " " + _("in {seconds:.1f} s — {cached} of {total} step(s) "
                                                                   "from cache").format(
            seconds=r.seconds, cached=cached, total=total) + image)
        yield _steps_table(r.steps, tail=self.tail, error=r.error)
        if r.error and not any(s.failed for s in r.steps):
            yield Text(_("error: {error}").format(error=strip_ansi(r.error).strip()), style="bold red")
        if r.cli:
            yield Text("$ " + str(r.cli), style="dim")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict[str, str]:
        bundle = mimebundle(self, self.display_width)
        bundle["text/html"] += _whole_output_html(self.result.steps)
        return bundle


class BuildCallbacks(TypedDict):
    """What ``images.build`` calls as the build goes: each line of output, each step as it starts."""

    on_line: Callable[[str], None]
    on_step: Callable[[BuildStep], None]


class LiveBuildLog(Displayable):
    """A build log that fills in while the build runs: pass ``**live.callbacks()`` to ``images.build``.

    Thread-safe: the build may run in another thread while a notebook or ``rich.live.Live`` renders it.
    """

    def __init__(self, tag: str = "", *, tail: int = 3, clock: Callable[[], float] = time.monotonic,
                 on_change: Callable[[LiveBuildLog], None] | None = None) -> None:
        self.tag = tag
        self.tail = tail
        self.clock = clock
        self.on_change = on_change
        self.error: str | None = None
        self.result: BuildResult | None = None
        self._lock = threading.RLock()
        self._stream = BuildStream(clock=clock)  # the lines images.build passes on are the learner's own

    @property
    def steps(self) -> list[BuildStep]:
        return self._stream.steps

    # -- fed by images.build ------------------------------------------------------------------
    def on_line(self, line: str) -> None:
        """One line of the build's log (``images.build(on_line=…)``)."""
        with self._lock:
            self._stream.line(line)
        self._changed()

    def on_step(self, step: BuildStep) -> None:
        """A finished step (``images.build(on_step=…)``): its time and cache hit are now final."""
        with self._lock:
            self._stream.finished(step)
        self._changed()

    def callbacks(self) -> BuildCallbacks:
        """``images.build(..., **live.callbacks())``."""
        return {"on_line": self.on_line, "on_step": self.on_step}

    def fail(self, error: BaseException | str) -> None:
        """The build stopped: the failing step stands out with the error (and its whole output, when known)."""
        with self._lock:
            text = str(getattr(error, "what", None) or error)
            where = getattr(error, "step", None)
            if where and f"{where}: " in text:
                text = text.split(f"{where}: ", 1)[1]  # the builder's own words, without the step again
            self.error = text
            self._stream.fail(text)
            failed = self._stream.failed_step or (self.steps[-1] if self.steps else None)
            if failed is not None:
                failed.failed = True
                if len(getattr(error, "output", ())) > len(failed.output):
                    failed.output = list(error.output)  # type: ignore[union-attr]
        self._changed()

    def finish(self, result: BuildResult) -> None:
        """The build succeeded: show the final steps."""
        with self._lock:
            self.result = result
        self._changed()

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change(self)

    # -- what the learner sees ---------------------------------------------------------------
    @property
    def total(self) -> int:
        """Steps the builder announced (``Step n/TOTAL``), 0 before the first."""
        with self._lock:
            return self.steps[-1].total if self.steps else 0

    @property
    def completed(self) -> int:
        """Steps finished so far."""
        with self._lock:
            if self.result is not None:
                return self.total
            running = self._stream.running
            return sum(1 for s in self.steps if s is not running and not s.failed)

    @property
    def done(self) -> bool:
        return self.result is not None or self.error is not None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        with self._lock:
            if self.result is not None:
                yield from BuildLog(self.result, tail=self.tail).__rich_console__(console, options)
                return
            now = self.clock()
            steps = [_copy(s) for s in self.steps]
            running = self._stream.running
            error = self.error
            running_seconds = now - self._stream._step_started
            elapsed = now - self._stream.started
        head = "FAILED" if error else _("building")
        where = _("{seconds:.1f} s, step {done}/{total}").format(seconds=elapsed, done=self.completed,
                                                                  total=self.total or "?")
        yield Text.assemble((head, "bold red" if error else "bold cyan"), " ", (self.tag, "bold"), " — " + where)
        yield _steps_table(steps, tail=self.tail, running=running.number if running else None,
                           running_seconds=running_seconds, error=error)
        if error and not steps:
            yield Text(_("error: {error}").format(error=error), style="bold red")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict[str, str]:
        bundle = mimebundle(self, self.display_width)
        with self._lock:
            steps = self.result.steps if self.result is not None else list(self.steps)
        bundle["text/html"] += _whole_output_html(steps)
        return bundle


def _copy(step: BuildStep) -> BuildStep:
    return BuildStep(step.number, step.total, step.instruction, step.cached, step.seconds, list(step.output),
                     step.failed, step.image)


def fake_steps(rows: Iterable[tuple[str, bool, float, Sequence[str]]]) -> list[BuildStep]:
    """Steps from (instruction, cached, seconds, output) rows — for examples and offline tests."""
    rows = list(rows)
    return [BuildStep(i + 1, len(rows), instr, cached, secs, list(out)) for i, (instr, cached, secs, out)
            in enumerate(rows)]


def build(tag: str, path: Any = None, *, live: bool | None = None, **kwargs: Any) -> BuildResult:
    """``lab.build``: :func:`dockerlab.images.build`, shown live (steps, cache hits, output) in a notebook.

    ``live=None`` shows it inside Jupyter and not elsewhere; a failed build leaves its log on screen, the
    failing step's whole output folded under it, and raises BuildFailed as usual.
    """
    from .. import images

    if live is None:
        live = in_notebook() and "on_line" not in kwargs and "on_step" not in kwargs
    if not live:
        return images.build(tag, path, **kwargs)
    from IPython.display import display

    log = LiveBuildLog(tag)
    handle = display(log, display_id=True)
    shown = [0.0]

    def refresh(_: LiveBuildLog, *, force: bool = False) -> None:
        if force or time.monotonic() - shown[0] >= 0.3:
            shown[0] = time.monotonic()
            handle.update(log)

    log.on_change = refresh
    try:
        result = images.build(tag, path, **log.callbacks(), **kwargs)
    except BaseException as exc:
        log.fail(exc if isinstance(exc, BuildFailed) else _("stopped: {error}").format(
            error=f"{type(exc).__name__} {exc}".strip()))
        refresh(log, force=True)
        raise
    log.finish(result)
    refresh(log, force=True)
    return result
