"""The engine's streamed answers, read in one place: the error in a build, push or pull stream, and the
build's output parsed into steps (cache hit or not, time, output, image) once, for ``images.build`` and
the live build log alike.

Docker's classic builder prints ``Step 2/5 : RUN make``, `` ---> Using cache``, `` ---> Running in 1a2b…``,
the step's own output (stderr wrapped in terminal colour codes), ``Removing intermediate container …``
and `` ---> 3c4d…`` (the step's image); Podman prints ``STEP 2/5: RUN make``, ``--> Using cache …`` and
``--> 3c4d…``. Both give a JSON message with ``error``/``errorDetail`` when the build stops.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .i18n import _

__all__ = ["BuildStep", "BuildStream", "stream_error", "strip_ansi", "KIT_LABEL_STEP"]

#: what the builder prints for a label the kit passes through the API (one step per label, at the end)
KIT_LABEL_STEP = "LABEL org.dockerlab."

# Docker: "Step 2/5 : RUN make"; Podman: "STEP 2/5: RUN make", in a multi-stage build "[1/2] STEP 2/5: …" (per stage)
_STEP_RE = re.compile(r"^(\[\d+/\d+\] )?(Step|STEP) (\d+)/(\d+)\s?: ?(.*)$")
#: a label the kit passed through the API: both builders turn it into a step of their own at the end (Podman quotes it)
_KIT_LABEL_RE = re.compile(r'^LABEL "?org\.dockerlab\.')
_CACHE_RE = re.compile(r"^\s*-+> Using cache")
_IMAGE_RE = re.compile(r"^\s*-+> ([0-9a-f]{12,64})$")
_PLUMBING_RE = re.compile(r"^(\s*-+> |Removing intermediate container |Successfully (built|tagged) |(\[\d+/\d+\] )?COMMIT )")
_BARE_ID_RE = re.compile(r"^[0-9a-f]{64}$")  # Podman ends with the image id alone on a line
# CSI sequences (colours, cursor moves) and the two-byte escapes some tools print
_ANSI_RE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")


def strip_ansi(text: str) -> str:
    """``text`` without terminal colour codes (the builder wraps a RUN step's stderr in red)."""
    return _ANSI_RE.sub("", text)


def stream_error(chunk: Mapping[str, object]) -> str | None:
    """The error one JSON message of a build, push or pull stream carries (``errorDetail.message``, else
    ``error``), colour codes removed; None when it carries none."""
    if "error" not in chunk and "errorDetail" not in chunk:
        return None
    detail = chunk.get("errorDetail")
    message = (detail.get("message") if isinstance(detail, Mapping) else None) or chunk.get("error")
    return strip_ansi(str(message or _("the engine reported an error without a message"))).strip()


@dataclass
class BuildStep:
    """One Dockerfile instruction as the builder ran it: cached or not, its time, its output, its image."""

    number: int
    total: int
    instruction: str
    cached: bool = False
    seconds: float = 0.0
    output: list[str] = field(default_factory=list)
    failed: bool = False
    image: str = ""  # the image this step made (short id), "" until it is done

    @property
    def label(self) -> str:
        return f"Step {self.number}/{self.total} : {self.instruction}"

    @property
    def is_from(self) -> bool:
        return self.instruction.upper().startswith("FROM")


class BuildStream:
    """Reads a build's output once. Feed it the engine's JSON messages (:meth:`feed`) or text (:meth:`feed_text`).

    ``kit_label_steps``: how many ``LABEL …`` steps Docker's builder appends for the labels the kit passed
    through the API (one per label); they are hidden, and the totals count only the Dockerfile's instructions, in
    the steps and in :attr:`log` alike. ``on_line`` gets each line of :attr:`log` as it comes, ``on_step`` each
    step once it is finished (its cache hit, time and output final).
    """

    def __init__(self, *, kit_label_steps: int = 0, clock: Callable[[], float] = time.monotonic,
                 on_line: Callable[[str], None] | None = None,
                 on_step: Callable[[BuildStep], None] | None = None) -> None:
        self.kit_label_steps = kit_label_steps
        self.clock = clock
        self.on_line = on_line
        self.on_step = on_step
        self.steps: list[BuildStep] = []
        self.log: list[str] = []  # what the learner's Dockerfile made the builder say (colour codes removed)
        self.raw: list[str] = []  # every line, the kit's own label steps included
        self.image_id: str | None = None
        self.error: str | None = None
        self.started = clock()
        self._step_started = self.started
        self._open = False  # the last step is still running
        self._hidden = False  # inside one of the kit's label steps
        self._partial = ""
        self._staged = False  # Podman's per-stage numbering: totals are known only at the end

    # -- input ---------------------------------------------------------------------------------------
    def feed(self, chunk: Mapping[str, object]) -> None:
        """One decoded JSON message of the engine's /build stream."""
        error = stream_error(chunk)
        if error is not None:
            self.fail(error)
            return
        aux = chunk.get("aux")
        if isinstance(aux, Mapping) and aux.get("ID"):
            self.image_id = str(aux["ID"])  # one per finished stage; the last one is the image
        text = chunk.get("stream")
        if isinstance(text, str) and text:
            self.feed_text(text)

    def feed_text(self, text: str) -> None:
        """Output text, in whatever pieces it arrives: lines are cut at newlines."""
        text = self._partial + text
        *complete, self._partial = text.split("\n")
        for line in complete:
            self.line(line)

    def line(self, raw: str) -> None:
        """One complete line of the builder's output."""
        line = strip_ansi(raw).rstrip()
        if "\r" in line:  # a progress bar redrawn in place: what it finally showed
            line = ([part for part in line.split("\r") if part.strip()][-1:] or [""])[0]
        if not line.strip():
            return
        self.raw.append(line)
        m = _STEP_RE.match(line.strip())
        if m:
            self._close_step()
            instruction = m.group(5).strip()
            number, total = int(m.group(3)), int(m.group(4)) - self.kit_label_steps  # the API's labels: steps too
            # per-stage totals say nothing about the labels: there only the kit's own quoted form is plumbing
            self._hidden = bool(_KIT_LABEL_RE.match(instruction)) or (
                not m.group(1) and number > total and instruction.upper().startswith("LABEL "))
            if self._hidden:
                return
            if m.group(1):  # Podman numbers a multi-stage build's steps per stage: number them through the build
                self._staged = True
                number = total = len(self.steps) + 1
            total = max(total, number)
            self.steps.append(BuildStep(number, total, instruction))
            self._step_started = self.clock()
            self._open = True
            word = m.group(2)
            self._emit(f"{word} {number}/{total}{' :' if word == 'Step' else ':'} {instruction}")
            return
        if _BARE_ID_RE.match(line.strip()):
            self.image_id = self.image_id or line.strip()
            return
        if line.startswith("Successfully "):  # the builder's summary: after the last step, the kit's ones too
            self._close_step()
            self._hidden = False
            built = re.match(r"^Successfully built ([0-9a-f]+)", line)
            if built and not self.image_id:
                self.image_id = built.group(1)
        if self._hidden:
            return
        self._emit(line)
        step = self.steps[-1] if self.steps else None
        if step is None:
            return
        if _CACHE_RE.match(line):
            step.cached = True
        image = _IMAGE_RE.match(line)
        if image and self._open:
            step.image = image.group(1)[:12]
        if not _PLUMBING_RE.match(line) and self._open:
            step.output.append(line)

    def close(self) -> None:
        """The stream ended: the last partial line and the open step are done."""
        if self._partial:
            partial, self._partial = self._partial, ""
            self.line(partial)
        self._close_step()
        if self._staged:
            for step in self.steps:
                step.total = len(self.steps)

    def fail(self, error: str) -> None:
        """The build stopped with ``error``: the running step (if any) is the one that failed."""
        if self._partial:
            partial, self._partial = self._partial, ""
            self.line(partial)
        self.error = error
        step = self.steps[-1] if self.steps and not self._hidden else None
        if step is not None and (self._open or not step.image):
            step.failed = True
        self._close_step()

    def finished(self, step: BuildStep) -> None:
        """``step`` is done, as someone else read it (``images.build``'s ``on_step``): it replaces ours."""
        for i, known in enumerate(self.steps):
            if known.number == step.number and known.instruction == step.instruction:
                if i == len(self.steps) - 1:
                    self._open = False
                self.steps[i] = step
                return
        self.steps.append(step)

    # -- what it found -------------------------------------------------------------------------------
    @property
    def running(self) -> BuildStep | None:
        """The step the builder is running now, if any."""
        return self.steps[-1] if self.steps and self._open else None

    @property
    def failed_step(self) -> BuildStep | None:
        return next((s for s in reversed(self.steps) if s.failed), None)

    @property
    def stage_images(self) -> list[str]:
        """The image each finished build stage ended with (short ids), the last stage's included — but not a
        stage a later one is built FROM (``FROM build AS test``): that one lives on inside the later stage."""
        bases = {step.image for step in self.steps if step.is_from and step.image}
        ends: list[str] = []
        for i, step in enumerate(self.steps):
            last_of_stage = i + 1 == len(self.steps) or self.steps[i + 1].is_from
            if last_of_stage and step.image and (step.image not in bases or i + 1 == len(self.steps)):
                ends.append(step.image)
        return ends

    # -- inside ------------------------------------------------------------------------------------------
    def _emit(self, line: str) -> None:
        self.log.append(line)
        if self.on_line is not None:
            self.on_line(line)

    def _close_step(self) -> None:
        if self.steps and self._open:
            step = self.steps[-1]
            step.seconds = round(self.clock() - self._step_started, 3)
            self._open = False
            if self.on_step is not None:
                self.on_step(step)
        self._open = False
