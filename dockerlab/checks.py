"""Exercise checks, after Kaggle's learntools: each exercise is a ``Problem`` whose ``check()``
inspects the engine's real state and says Correct, Incorrect (what is wrong, never the answer)
or Not attempted; ``hint()`` (numbered) and ``solution()`` help a learner who is stuck.

A concrete problem only declares what it inspects (``inspect``); the kinds below decide how.
For nbval, ``DOCKERLAB_EXPECT_CHECKS=correct`` (solution notebooks) or ``=not_attempted``
(learner notebooks) turns an unexpected outcome into a failing cell. Every check of a chapter's
exercise is recorded in the learner's progress file (``dockerlab.progress``).
"""

from __future__ import annotations

import enum
import functools
import html
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import docker.errors
import requests.exceptions

from . import images
from .containers import Container, find
from .course import app_tag
from .errors import BadInput, DockerlabError, EngineUnavailable, ImageMissing, from_exception
from .i18n import N_, _, language
from .labels import image_repo, name as engine_name
from .progress import record as record_progress

__all__ = ["Outcome", "CheckResult", "Problem", "AnswerProblem", "Incorrect", "NotAttempted", "run_check",
           "attempted_container", "course_container", "runs_course_image", "course_image_id", "engine_name", "image_ref",
           "start_failure", "state_words", "path_kind", "PATH_KINDS", "HTTP_TIMEOUT", "exec_answer"]

#: seconds a check's own HTTP request waits for the learner's app: a refused connection answers at once, but an app
#: on a busy machine (a class on one host, a CI run) can take more than a few seconds to answer, and that is no error
HTTP_TIMEOUT = 15.0


class Outcome(enum.Enum):
    CORRECT = N_("Correct")
    INCORRECT = N_("Incorrect")
    NOT_ATTEMPTED = N_("Not attempted")

    @property
    def label(self) -> str:
        """The outcome in the learner's language ("Correct" / "정답")."""
        return _(self.value)


class Incorrect(Exception):
    """Raise inside ``inspect`` to say what is wrong (never the answer)."""


class NotAttempted(Exception):
    """Raise inside ``inspect`` when nothing of the learner's is there yet."""


def image_ref(short_tag: str) -> str:
    """The exact image a check looks for when the learner built ``short_tag`` ('greeter:v1'): ``greeter:v1`` on
    their own engine, ``alice/greeter:v1`` on a shared one (see :func:`dockerlab.labels.naming`)."""
    repo, _colon, version = short_tag.partition(":")
    return f"{image_repo(repo)}:{version or 'latest'}"


def course_image_id(app: str) -> str | None:
    """The ID of the course image of ``app`` (e.g. "notes" → dockerlab/notes:1.0's), None when it is not built."""
    try:
        return images.get(app_tag(app)).id
    except ImageMissing:
        return None


def runs_course_image(container: Container, app: str) -> bool:
    """Was ``container`` made from the course image of ``app`` (e.g. "notes")? By image ID, whatever tag named it;
    by name when that image is not on the engine (or was rebuilt since the container started)."""
    return container.image_id == course_image_id(app) or container.image == app_tag(app)


def course_container(name: str, app: str, *, running: bool = False) -> Container:
    """The learner's container ``name``, made from the course image of ``app`` (and still running with
    ``running=True``); NotAttempted while there is none, Incorrect saying what differs otherwise."""
    c = attempted_container(name)
    if not runs_course_image(c, app):
        raise Incorrect(_("Your container '{name}' runs the image {image!r}, not the course's {app} image ({tag}).")
                        .format(name=engine_name(name), image=c.image, app=app, tag=app_tag(app)))
    if running and c.status != "running":
        raise Incorrect(_("Your container '{name}' is {status}, not running: read `lab.container('{short}').logs()`.")
                        .format(name=engine_name(name), status=c.status, short=name))
    return c


def start_failure(error: object, what: str) -> Incorrect:
    """A container from the learner's image could not start: say why in the learner's words (their Dockerfile's
    mistake, not the engine's), e.g. an exec-form ``CMD ["python3 app.py"]`` whose one string is not a program."""
    text = str(getattr(error, "explanation", None) or getattr(error, "what", None) or error)
    cause = getattr(error, "__cause__", None)
    raw = " ".join([text, str(getattr(cause, "explanation", None) or cause or "")])
    program = (re.search(r'exec: "([^"]*)": (?:executable file not found|stat [^:]*: no such file)', raw)
               or re.search(r"the program '([^']*)' is not in the image", raw))
    if program and " " in program.group(1):
        words = program.group(1).split()
        return Incorrect(_("{what} cannot start: its command is the one string {command!r}, and no program has that "
                           "name. In the exec form (CMD [\"…\"], ENTRYPOINT [\"…\"]) each word is its own string: "
                           "{words}.").format(what=what, command=program.group(1), words=json.dumps(words)))
    if program:
        return Incorrect(_("{what} cannot start: there is no program {program!r} in the image. Is it installed (and "
                           "on the PATH) in your image?").format(what=what, program=program.group(1)))
    first_line = text.strip().splitlines()[0][:300] if text.strip() else _("no reason given")
    return Incorrect(_("{what} cannot start: {reason}").format(what=what, reason=first_line))


def state_words(container: Container) -> str:
    """A container's state in a learner's words: "running", "stopped (exit code 0)", "created but never started"…"""
    status = container.status
    if status == "exited":
        return _("stopped (exit code {code})").format(code=container.exit_code)
    if status == "created":
        return _("created but never started")
    words = {"restarting": N_("restarting after a crash"), "paused": N_("paused"), "running": N_("running"),
             "dead": N_("dead (the engine could not stop it cleanly)"), "removing": N_("being removed")}
    return _(words[status]) if status in words else status


#: what path_kind answers, in the learner's words: ``_(PATH_KINDS[kind])``
PATH_KINDS = {"file": N_("file"), "folder": N_("folder"), "link": N_("link")}


def path_kind(container: Container | object, path: str) -> str | None:
    """What ``path`` is in a container (running or stopped): "file", "folder", "link" or None when it is not there.
    Read like `docker cp` reads it (the archive's stat), so nothing runs inside."""
    sdk = getattr(container, "sdk", container)
    try:
        _stream, stat = sdk.get_archive(path)  # type: ignore[attr-defined]
    except docker.errors.NotFound:
        return None
    mode = int((stat or {}).get("mode") or 0)
    if mode & (1 << 31):  # Go's os.ModeDir
        return "folder"
    if mode & (1 << 27):  # os.ModeSymlink
        return "link"
    return "file"


def exec_answer(container: Container, cmd: str | Sequence[str], attempts: int = 3) -> str:
    """What ``cmd`` prints inside ``container``, for a question that always has an answer (its hostname, PID 1's
    command line). Docker and Podman can drop a short exec's output under load (moby/moby#27289, docker/docker-py#2042;
    a CI run saw `cat /proc/1/cmdline` come back empty once): a shell line keeps its output (dockerlab.exec_output),
    and an empty answer with exit code 0 is asked again."""
    result = container.exec(cmd)
    for _attempt in range(attempts - 1):
        if result.output.strip("\0 \n") or not result.ok:
            break
        result = container.exec(cmd)
    return result.output


def attempted_container(name: str) -> Container:
    """The learner's container ``name`` as the engine sees it now (freshly inspected); NotAttempted while there is
    none yet. The message names the exact container looked for (``first``, or ``alice-first`` on a shared engine)."""
    c = find(name)
    if c is None:
        raise NotAttempted(_("There is no container named '{name}' yet: run your cell above first.")
                           .format(name=engine_name(name)))
    return c


_STYLE = {
    Outcome.CORRECT: ("#1b7f3b", "✔"),
    Outcome.INCORRECT: ("#b3261e", "✘"),
    Outcome.NOT_ATTEMPTED: ("#8a6d00", "…"),
}


@dataclass(frozen=True)
class CheckResult:
    """What a check said: the outcome and a message for the learner."""

    problem: str
    outcome: Outcome
    message: str

    @property
    def correct(self) -> bool:
        return self.outcome is Outcome.CORRECT

    def __str__(self) -> str:
        return f"{self.outcome.label} — {self.problem}: {self.message}"

    def __bool__(self) -> bool:
        return self.correct

    def _repr_html_(self) -> str:
        color, mark = _STYLE[self.outcome]
        return (f'<div class="dockerlab-check" data-outcome="{self.outcome.name.lower()}" '
                f'style="border-left:4px solid {color};padding:4px 10px;margin:4px 0">'
                f'<b style="color:{color}">{mark} {self.outcome.label}</b> — {html.escape(self.problem)}<br>'
                f"{html.escape(self.message)}</div>")

    def __rich__(self) -> str:
        color, mark = _STYLE[self.outcome]
        return f"[bold {color}]{mark} {self.outcome.label}[/] — {self.problem}: {self.message}"


_progress_warned = False


def expected_outcome() -> Outcome | None:
    raw = os.environ.get("DOCKERLAB_EXPECT_CHECKS", "").strip().lower().replace(" ", "_")
    return {"correct": Outcome.CORRECT, "not_attempted": Outcome.NOT_ATTEMPTED,
            "incorrect": Outcome.INCORRECT}.get(raw)


class Problem:
    """One exercise. Subclasses set ``title``, ``hints`` and implement ``inspect``.

    A chapter's exercise (``qN`` of ``dockerlab.exercises.chNN``) shows the solution block of its chapter's notebook
    (``notebooks/src``, via the generated ``exercises/solutions.json``); a problem outside the chapters may set
    ``solution_code``.
    """

    title: str = N_("Exercise")
    hints: Sequence[str] = ()
    solution_code: str = ""

    def inspect(self) -> str:
        """Look at the engine; return a message when correct, raise Incorrect/NotAttempted otherwise."""
        raise NotImplementedError

    def check(self) -> CheckResult:
        """Inspect the engine and say Correct / Incorrect / Not attempted."""
        result = run_check(_(self.title), self.inspect)
        self._record(result)
        expected = expected_outcome()
        if expected is not None and result.outcome is not expected:
            raise AssertionError(f"{_(self.title)}: expected {expected.value}, got {result}")
        return result

    def where(self) -> tuple[str, str] | None:
        """(chapter, exercise) of a course exercise, e.g. ("03", "q2"): its chapter module's number and its name
        there; None for a problem that is not one of a chapter module's ``qN``."""
        module_name = type(self).__module__
        chapter = re.search(r"(?:^|\.)ch(\d\d)$", module_name)
        module = sys.modules.get(module_name)
        if chapter is None or module is None:
            return None
        for name, value in vars(module).items():
            if value is self and re.fullmatch(r"q\d+", name):
                return chapter.group(1), name
        return None

    def _record(self, result: CheckResult) -> None:
        where = self.where()
        if where is None:
            return
        try:
            record_progress(*where, self.title, result.outcome.name.lower())
        except Exception as exc:  # noqa: BLE001 - a full disk or a read-only home must not stop the check
            global _progress_warned
            if not _progress_warned:
                _progress_warned = True
                print(_("(Your progress could not be saved: {error}. The check itself worked.)").format(error=exc),
                      file=sys.stderr)

    def hint(self, n: int = 1) -> str:
        """Hint number n (1 = a nudge; higher numbers say more)."""
        if not self.hints:
            return _Text(_("No hint for this one: read the explanation above the exercise."))
        n = max(1, min(int(n), len(self.hints)))
        more = _(" (hint({next}) says more)").format(next=n + 1) if n < len(self.hints) else ""
        return _Text(_("Hint {n}/{total}: {hint}").format(n=n, total=len(self.hints), hint=_(self.hints[n - 1])) + more)

    def solution(self) -> str:
        """One correct answer, as code to read (not to copy blindly): the chapter notebook's solution cell."""
        where = self.where()
        text = solution_texts(language()).get(where[0], {}).get(where[1]) if where else None
        return _Code((text if text is not None else self.solution_code).strip())

    def __repr__(self) -> str:
        return _("<{title}: use .check(), .hint(), .solution()>").format(title=_(self.title))


class _Text(str):
    def _repr_markdown_(self) -> str:
        return f"💡 {self}"

    def __repr__(self) -> str:
        return str(self)


class _Code(str):
    def _repr_markdown_(self) -> str:
        return f"```python\n{self}\n```"

    def __repr__(self) -> str:
        return str(self)


#: written by tools/notebooks.py from the chapters' solution blocks: {"en": {"03": {"q1": code, …}, …}, "ko": …}
SOLUTIONS_FILE = Path(__file__).resolve().parent / "exercises" / "solutions.json"


@functools.lru_cache(maxsize=1)
def _solution_file() -> dict[str, dict[str, dict[str, str]]]:
    return json.loads(SOLUTIONS_FILE.read_text(encoding="utf-8"))


def solution_texts(lang: str = "en") -> dict[str, dict[str, str]]:
    """Every chapter exercise's solution, as the chapter's notebook source writes it (in ``lang``: the Korean one
    has Korean comments and strings where the chapter's source gives its cells Korean twins)."""
    texts = _solution_file()
    return texts.get(lang) or texts["en"]


def run_check(title: str, inspect: Callable[[], str]) -> CheckResult:
    """Run an inspection and turn its outcome (or a kit error) into a CheckResult."""
    try:
        message = inspect()
        return CheckResult(title, Outcome.CORRECT, message or _("Well done."))
    except Incorrect as wrong:
        return CheckResult(title, Outcome.INCORRECT, str(wrong))
    except NotAttempted as todo:
        return CheckResult(title, Outcome.NOT_ATTEMPTED, str(todo) or _("Write your answer in the cell above, run "
                                                                        "it, then run this check again."))
    except BadInput:
        raise
    except EngineUnavailable:
        raise
    except DockerlabError as err:
        # e.g. a container removed from outside mid-check: a clear result, not a crash
        return CheckResult(title, Outcome.INCORRECT, _("The check could not look at the engine: {what}").format(
            what=err.what))
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        # a check that used docker-py directly: the same, after mapping to the kit's error
        mapped = from_exception(exc, "checking")
        if isinstance(mapped, EngineUnavailable):
            raise mapped from exc
        return CheckResult(title, Outcome.INCORRECT, _("The check could not look at the engine: {what}").format(
            what=mapped.what))


class AnswerProblem(Problem):
    """A question answered with a value: ``q.check(answer)`` compares it (type-checked)."""

    answer: object = None
    answer_type: type | tuple[type, ...] = str
    placeholder: object = None

    def __init__(self) -> None:
        self._given: object = self.placeholder

    def normalize(self, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    def check(self, answer: object = None) -> CheckResult:  # type: ignore[override]
        """Check the answer you give (None or the placeholder means Not attempted)."""
        if answer is not None and answer is not self.placeholder and not isinstance(answer, self.answer_type):
            names = self.answer_type.__name__ if isinstance(self.answer_type, type) else \
                " or ".join(t.__name__ for t in self.answer_type)
            a = "an" if names[0] in "aeiou" else "a"
            raise BadInput(_("{title}: the answer must be {a} {kind}, not {given_kind} ({given!r}).").format(
                title=_(self.title), a=a, kind=names, given_kind=type(answer).__name__, given=answer),
                _("Pass {a} {kind}, e.g. {example!r}.").format(a=a, kind=names, example=self.example()))
        self._given = answer
        return super().check()

    def example(self) -> object:
        return "..."

    def inspect(self) -> str:
        given = self._given
        if given is None or given is self.placeholder or given == "":
            raise NotAttempted(_("Put your answer in the cell above (replace the ____), then run this check."))
        if self.normalize(given) != self.normalize(self.answer):
            raise Incorrect(self.why_wrong(given))
        return self.why_right()

    def why_wrong(self, given: object) -> str:
        return _("{given!r} is not it. Try hint().").format(given=given)

    def why_right(self) -> str:
        return _("Right.")
