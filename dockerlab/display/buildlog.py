"""Build log: each Dockerfile step with CACHED or RAN, its time, and its last output lines folded under it.

``BuildLog(result)`` shows a finished build; ``LiveBuildLog`` fills in while ``images.build`` runs::

    live = LiveBuildLog("hello")
    with rich.live.Live(live, refresh_per_second=4):
        result = dockerlab.build("hello", "images/hello", **live.callbacks())
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

from .render import Displayable

if TYPE_CHECKING:
    from ..images import BuildResult, BuildStep

__all__ = ["BuildLog", "LiveBuildLog", "step_status"]

_STEP = re.compile(r"^(?:\[\d+/\d+\] )?(?:Step|STEP) (\d+)/(\d+)\s?: ?(.*)$")  # Podman: "[1/2] STEP 1/5: …"
_CACHE = re.compile(r"^\s*-+> Using cache")
_PLUMBING = ("Removing intermediate container", "Successfully built", "Successfully tagged", " ---> ", "--> ")
_KIT_LABEL = "LABEL org.dockerlab."


def step_status(step: BuildStep, running: bool = False) -> str:
    """What the learner sees in the result column: FAILED, CACHED, RAN, BASE (a FROM) or RUNNING."""
    if step.failed:
        return "FAILED"
    if running:
        return "RUNNING"
    if step.instruction.upper().startswith("FROM"):
        return "BASE"
    return "CACHED" if step.cached else "RAN"


_STYLES = {"FAILED": "bold white on red", "CACHED": "green", "RAN": "yellow", "BASE": "dim", "RUNNING": "cyan"}


def _steps_table(steps: Sequence[BuildStep], *, tail: int, running: int | None = None,
                 running_seconds: float = 0.0, error: str | None = None) -> Table:
    table = Table(box=None, show_header=True, pad_edge=False, expand=False, header_style="bold")
    table.add_column("step", no_wrap=True)
    table.add_column("instruction", overflow="fold", ratio=1)
    table.add_column("result", no_wrap=True)
    table.add_column("time", justify="right", no_wrap=True)
    for step in steps:
        if step.instruction.startswith(_KIT_LABEL):
            continue
        is_running = running is not None and step.number == running and not step.failed
        status = step_status(step, is_running)
        mark = "✘ " if step.failed else ""
        seconds = running_seconds if is_running else step.seconds
        body: list[Text] = [Text(step.instruction, style="bold red" if step.failed else "")]
        shown = [line for line in step.output if line.strip()]
        if len(shown) > tail:
            body.append(Text(f"│ … {len(shown) - tail} earlier line(s)", style="dim"))
        for line in shown[-tail:] if tail > 0 else []:
            body.append(Text("│ " + line.rstrip(), style="red" if step.failed else "dim"))
        if step.failed and error:
            body.append(Text("│ error: " + error.strip().splitlines()[-1], style="bold red"))
        table.add_row(Text(f"{mark}{step.number}/{step.total}", style="bold red" if step.failed else ""),
                      Group(*body), Text(status, style=_STYLES[status]), f"{seconds:.1f} s")
    return table


def _summary(steps: Sequence[BuildStep]) -> tuple[int, int]:
    mine = [s for s in steps if not s.instruction.startswith(_KIT_LABEL) and not s.instruction.upper().startswith("FROM")]
    return sum(1 for s in mine if s.cached), len(mine)


class BuildLog(Displayable):
    """A finished build: a header (tag, time, steps from cache), the steps, and the `docker build` line."""

    def __init__(self, result: BuildResult, *, tail: int = 3) -> None:
        self.result = result
        self.tail = tail

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        r = self.result
        cached, total = _summary(r.steps)
        failed = r.error is not None or any(s.failed for s in r.steps)
        verdict = Text("FAILED", style="bold red") if failed else Text("built", style="bold green")
        yield Text.assemble(verdict, " ", (r.tag, "bold"), f" in {r.seconds:.1f} s — {cached} of {total} "
                            f"step(s) from cache" + (f" — image {r.id.split(':')[-1][:12]}" if r.id else ""))
        yield _steps_table(r.steps, tail=self.tail, error=r.error)
        if r.error and not any(s.failed for s in r.steps):
            yield Text("error: " + r.error.strip(), style="bold red")
        if r.cli:
            yield Text("$ " + str(r.cli), style="dim")


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
        self.steps: list[BuildStep] = []
        self.error: str | None = None
        self.result: BuildResult | None = None
        self._lock = threading.RLock()
        self._started = clock()
        self._step_started = self._started
        self._running: int | None = None

    # -- fed by images.build ------------------------------------------------------------------
    def on_line(self, line: str) -> None:
        """One line of the builder's output (``images.build(on_line=…)``)."""
        from ..images import BuildStep

        with self._lock:
            m = _STEP.match(line.strip())
            if m:
                self.steps.append(BuildStep(int(m.group(1)), int(m.group(2)), m.group(3).strip()))
                self._running = int(m.group(1))
                self._step_started = self.clock()
            elif self.steps and _CACHE.match(line):
                self.steps[-1].cached = True
            elif self.steps and line.strip() and not line.startswith(_PLUMBING):
                self.steps[-1].output.append(line)
        self._changed()

    def on_step(self, step: BuildStep) -> None:
        """A finished step (``images.build(on_step=…)``): its time and cache hit are now final."""
        with self._lock:
            for i, known in enumerate(self.steps):
                if known.number == step.number:
                    self.steps[i] = step
                    break
            else:
                self.steps.append(step)
            if self._running == step.number:
                self._running = None
        self._changed()

    def callbacks(self) -> dict[str, Callable[[Any], None]]:
        """``images.build(..., **live.callbacks())``."""
        return {"on_line": self.on_line, "on_step": self.on_step}

    def fail(self, error: BaseException | str) -> None:
        """The build stopped: the last step stands out with the error."""
        with self._lock:
            text = str(getattr(error, "what", None) or error)
            where = getattr(error, "step", None)
            if where and f"{where}: " in text:
                text = text.split(f"{where}: ", 1)[1]  # the builder's own words, without the step again
            self.error = text
            if self.steps:
                self.steps[-1].failed = True
                if not self.steps[-1].seconds:
                    self.steps[-1].seconds = round(self.clock() - self._step_started, 3)
            self._running = None
        self._changed()

    def finish(self, result: BuildResult) -> None:
        """The build succeeded: show the final steps (kit label steps hidden)."""
        with self._lock:
            self.result = result
            self.steps = list(result.steps)
            self._running = None
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
            return sum(1 for s in self.steps if s.number != self._running and not s.failed)

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
            running, error = self._running, self.error
            running_seconds = now - self._step_started
            elapsed = now - self._started
        head = "FAILED" if error else "building"
        yield Text.assemble((head, "bold red" if error else "bold cyan"), " ", (self.tag, "bold"),
                            f" — {elapsed:.1f} s, step {self.completed}/{self.total or '?'}")
        yield _steps_table(steps, tail=self.tail, running=running, running_seconds=running_seconds, error=error)
        if error and not steps:
            yield Text("error: " + error, style="bold red")


def _copy(step: BuildStep) -> BuildStep:
    from ..images import BuildStep

    return BuildStep(step.number, step.total, step.instruction, step.cached, step.seconds, list(step.output),
                     step.failed)


def fake_steps(rows: Iterable[tuple[str, bool, float, Sequence[str]]]) -> list[BuildStep]:
    """Steps from (instruction, cached, seconds, output) rows — for examples and offline tests."""
    from ..images import BuildStep

    rows = list(rows)
    return [BuildStep(i + 1, len(rows), instr, cached, secs, list(out)) for i, (instr, cached, secs, out)
            in enumerate(rows)]
