"""Progress: every ``check()`` writes its result to a small file in the learner's home.

One JSON file per learner, ``~/.dockerlab/progress.json`` (``DOCKERLAB_PROGRESS`` names another path;
``DOCKERLAB_PROGRESS=off`` turns recording off). It holds, per exercise: the last outcome, the number of
attempts (checks that said Correct or Incorrect), the time of the first attempt and of the first Correct.
Nothing leaves the machine. On a hub the teachers' group reads these files
(:func:`dockerlab.course.teachers.share_progress`); other learners cannot.

Reading is defensive: a garbled, foreign or hand-edited file gives a :class:`LearnerProgress` with a
``problem`` that says so for that learner, never an exception that stops the class view. The digest in
the file makes hand edits visible; it is not a lock (the learner owns the file): the grade that counts
is nbgrader's, which re-runs the notebook against the engine.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import pwd
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .course.teachers import PROGRESS_FILE, PROGRESS_FOLDER
from .errors import BadInput
from .i18n import N_, _
from .labels import session_id

__all__ = ["ExerciseProgress", "LearnerProgress", "progress_path", "record", "load", "read_file", "read_class",
           "FORMAT", "VERSION"]

FORMAT = "dockerlab-progress"
VERSION = 1
_SALT = b"dockerlab-progress-v1\n"
_OUTCOMES = ("correct", "incorrect", "not_attempted")
#: a file bigger than this is not one the kit wrote (a few hundred exercises fit in 100 kB)
MAX_BYTES = 1_000_000
#: how far in the future a time may be (clock skew between kernels) before the file is called edited
_FUTURE_SLACK = 300


@dataclass
class ExerciseProgress:
    """One exercise of one learner: the last outcome, attempts and the first times (ISO 8601, UTC)."""

    chapter: str
    exercise: str
    title: str = ""
    outcome: str = "not_attempted"
    attempts: int = 0
    checks: int = 0
    first_attempt: str | None = None
    first_correct: str | None = None
    last_check: str | None = None

    @property
    def key(self) -> str:
        return f"{self.chapter}/{self.exercise}"

    @property
    def status(self) -> str:
        """done (was Correct once), tried (checked with an answer, never Correct) or not started."""
        if self.first_correct:
            return "done"
        return "tried" if self.attempts else "not started"


@dataclass
class LearnerProgress:
    """A learner's exercises, or the ``problem`` that kept the kit from reading them (``kind`` names it)."""

    learner: str
    path: str = ""
    exercises: dict[str, ExerciseProgress] = field(default_factory=dict)
    problem: str | None = None
    kind: str = "ok"  # ok | missing | unreadable | garbled | foreign | tampered
    modified: float | None = None
    set_aside: list[str] = field(default_factory=list)

    def get(self, chapter: str, exercise: str) -> ExerciseProgress | None:
        return self.exercises.get(f"{chapter}/{exercise}")

    def to_dict(self) -> dict:
        return {"learner": self.learner, "path": self.path, "kind": self.kind, "problem": self.problem,
                "set_aside": list(self.set_aside),
                "exercises": [asdict(e) | {"status": e.status} for e in self.exercises.values()]}


class _Unusable(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


# -- where -------------------------------------------------------------------------------------------------------

def progress_path() -> Path | None:
    """The learner's progress file, or None when recording is off (``DOCKERLAB_PROGRESS=off``)."""
    raw = os.environ.get("DOCKERLAB_PROGRESS", "").strip()
    if raw.lower() in ("off", "0", "no", "false", "none"):
        return None
    if raw:
        return Path(raw).expanduser()
    return Path.home() / PROGRESS_FOLDER / PROGRESS_FILE


def _iso(t: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def _epoch(text: str) -> float:
    import calendar

    return float(calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ")))


def _digest(learner: str, records: dict) -> str:
    body = json.dumps({"learner": learner, "records": records}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(_SALT + body.encode()).hexdigest()


# -- parsing (shared by the learner's writer and the teacher's reader) -------------------------------------------

def _parse(raw: bytes, *, now: float) -> tuple[str, dict[str, ExerciseProgress]]:
    """The learner and the exercises of a file's bytes; _Unusable says what is wrong with it."""
    if len(raw) > MAX_BYTES:
        raise _Unusable("foreign", _("the file is {size} kB, far more than the kit ever writes").format(
            size=len(raw) // 1000))
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, json.JSONDecodeError):
            raise _Unusable("garbled", _("the file is not readable JSON (line {line}): cut short or overwritten")
                            .format(line=exc.lineno)) from None
        raise _Unusable("garbled", _("the file is not readable JSON: cut short or overwritten")) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _Unusable("foreign", _("the file is not a dockerlab progress file"))
    if data.get("version") != VERSION:
        raise _Unusable("foreign", _("the file is in format version {found!r}; this kit reads version {version}")
                        .format(found=data.get("version"), version=VERSION))
    learner, records = data.get("learner"), data.get("records")
    if not isinstance(learner, str) or not isinstance(records, dict):
        raise _Unusable("garbled", _("the file lacks its learner or its records"))
    if data.get("digest") != _digest(learner, records):
        raise _Unusable("tampered", _("the file was changed by hand (its digest does not match its records)"))
    exercises: dict[str, ExerciseProgress] = {}
    for key, rec in records.items():
        exercises[key] = _exercise(key, rec, now)
    return learner, exercises


def _exercise(key: str, rec: object, now: float) -> ExerciseProgress:
    def bad(message: str, **fields: str) -> _Unusable:
        return _Unusable("tampered", _(message).format(key=key, **fields))

    if not isinstance(rec, dict):
        raise bad(N_("the record for {key} is not a record"))
    if set(rec) - set(ExerciseProgress.__dataclass_fields__):
        raise bad(N_("the record for {key} has unknown fields"))
    try:
        e = ExerciseProgress(**rec)
    except TypeError:
        raise bad(N_("the record for {key} lacks fields")) from None
    if key != e.key or not isinstance(e.attempts, int) or not isinstance(e.checks, int):
        raise bad(N_("the record for {key} does not hold together"))
    if e.outcome not in _OUTCOMES or e.attempts < 0 or e.checks < e.attempts:
        raise bad(N_("the record for {key} has impossible counts or outcome"))
    times = {}
    for name in ("first_attempt", "first_correct", "last_check"):
        value = getattr(e, name)
        if value is None:
            continue
        try:
            times[name] = _epoch(value)
        except (TypeError, ValueError):
            raise bad(N_("the record for {key} has a {name} that is not a time"), name=name) from None
        if times[name] > now + _FUTURE_SLACK:
            raise bad(N_("the record for {key} has a {name} in the future"), name=name)
    if (e.attempts > 0) != ("first_attempt" in times):
        raise bad(N_("the record for {key} has attempts without a first attempt (or the other way round)"))
    if "first_correct" in times and times["first_correct"] < times.get("first_attempt", float("inf")):
        raise bad(N_("the record for {key} says Correct before its first attempt"))
    if e.outcome == "correct" and "first_correct" not in times:
        raise bad(N_("the record for {key} is Correct but has no first Correct"))
    return e


# -- the learner's side ------------------------------------------------------------------------------------------

@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Two kernels of one learner never write the file at the same time (a lock on the folder itself)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _write(path: Path, learner: str, exercises: dict[str, ExerciseProgress]) -> None:
    records = {k: asdict(e) for k, e in sorted(exercises.items())}
    data = {"format": FORMAT, "version": VERSION, "learner": learner, "records": records,
            "digest": _digest(learner, records)}
    fd, tmp = tempfile.mkstemp(prefix=".progress-", dir=path.parent)
    try:
        os.fchmod(fd, 0o640)  # the folder's group (the teachers', on a hub) may read it; nobody else
        with os.fdopen(fd, "w") as out:
            json.dump(data, out, indent=1, sort_keys=True)
            out.write("\n")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _set_aside(path: Path, kind: str, now: float) -> Path:
    aside = path.with_name(f"{path.name}.{kind}-{time.strftime('%Y%m%dT%H%M%S', time.gmtime(now))}")
    os.replace(path, aside)
    return aside


def record(chapter: str, exercise: str, title: str, outcome: str, *, path: Path | None = None,
           clock: Callable[[], float] = time.time, learner: str | None = None) -> ExerciseProgress | None:
    """Add one check's outcome ("correct", "incorrect" or "not_attempted") to the learner's file.

    Returns the exercise's updated progress, or None when recording is off. A file the kit cannot use
    (garbled, foreign, edited) is moved aside as ``progress.json.<kind>-<time>`` (the teacher sees that it
    was) and a new one is started.
    """
    if outcome not in _OUTCOMES:
        raise BadInput(_("'{outcome}' is not an outcome.").format(outcome=outcome),
                       _("Use one of {choices}.").format(choices=", ".join(_OUTCOMES)))
    path = path or progress_path()
    if path is None:
        return None
    learner = learner or session_id()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    now = clock()
    with _locked(path.parent):
        exercises: dict[str, ExerciseProgress] = {}
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raw = None
        if raw is not None:
            try:
                owner, exercises = _parse(raw, now=now)
                if owner != learner:
                    raise _Unusable("foreign", _("the file belongs to learner '{owner}'").format(owner=owner))
            except _Unusable as bad:
                _set_aside(path, bad.kind, now)
                exercises = {}
        key = f"{chapter}/{exercise}"
        e = exercises.get(key) or ExerciseProgress(chapter=chapter, exercise=exercise)
        e.title = title or e.title
        e.checks += 1
        e.last_check = _iso(now)
        e.outcome = outcome
        if outcome != "not_attempted":
            e.attempts += 1
            e.first_attempt = e.first_attempt or _iso(now)
        if outcome == "correct" and not e.first_correct:
            e.first_correct = _iso(now)
        exercises[key] = e
        _write(path, learner, exercises)
    return e


def load(path: Path | None = None) -> LearnerProgress:
    """The learner's own progress (empty when there is no file yet)."""
    path = path or progress_path()
    if path is None:
        return LearnerProgress(session_id(), "", kind="missing",
                               problem=_("Recording is off here (DOCKERLAB_PROGRESS=off)."))
    return read_file(path, session_id())


# -- the teacher's side ------------------------------------------------------------------------------------------

def read_file(path: Path, learner: str, *, owner_uid: int | None = None, now: float | None = None) -> LearnerProgress:
    """One learner's file, read defensively: any problem is described in the result, never raised.

    ``learner`` is who the file should belong to; ``owner_uid`` (when known) the Unix user whose home holds it.
    """
    now = time.time() if now is None else now
    result = LearnerProgress(learner, str(path))
    with contextlib.suppress(OSError):
        result.set_aside = sorted(p.name for p in path.parent.glob(path.name + ".*-*"))
    try:
        st = path.lstat()
        result.modified = st.st_mtime
        if not stat.S_ISREG(st.st_mode):
            raise _Unusable("foreign", _("the progress path is not a plain file (a link, a folder or a pipe)"))
        if owner_uid is not None and st.st_uid != owner_uid:
            raise _Unusable("foreign", _("the file is owned by {user}, not by the learner").format(
                user=_user_name(st.st_uid)))
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
        owner, result.exercises = _parse(raw, now=now)
        if owner != learner:
            raise _Unusable("foreign", _("the file says it belongs to learner '{owner}'").format(owner=owner))
    except FileNotFoundError:
        result.kind, result.problem = "missing", _("no check run yet (no progress file)")
    except PermissionError:
        result.kind = "unreadable"
        result.problem = _("the teacher may not read this file. Hint: share the learner's progress folder with the "
                           "teachers' group (`python -m dockerlab progress share USER --group GROUP`, as root).")
    except _Unusable as bad:
        result.exercises = {}
        result.kind, result.problem = bad.kind, _("{problem}. Hint: ask the learner; their next check starts a new "
                                                  "file.").format(problem=bad)
    except OSError as exc:
        result.kind, result.problem = "unreadable", _("the file cannot be read ({error}).").format(error=exc.strerror)
    if result.set_aside and result.kind == "ok":
        result.problem = _("an earlier file was set aside ({files})").format(files=", ".join(result.set_aside))
    return result


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _learner_id(login: str) -> str:
    from .labels import _sanitize

    return _sanitize(login)


def read_class(homes: str | Path = "/home", *, learners: list[str] | None = None,
               relative: str = f"{PROGRESS_FOLDER}/{PROGRESS_FILE}", now: float | None = None) -> list[LearnerProgress]:
    """Every learner's progress: one home per folder under ``homes`` (or just ``learners``' homes).

    A learner's id is their login name as the kit would write it (``JUPYTERHUB_USER``, cleaned); the file must
    be owned by the home's owner. Problems are per learner; one bad file never hides the others.
    """
    root = Path(homes)
    found: list[tuple[str, Path, int | None]] = []
    if learners:
        for login in learners:
            try:
                entry = pwd.getpwnam(login)
                found.append((login, Path(entry.pw_dir), entry.pw_uid))
            except KeyError:
                found.append((login, root / login, None))
    else:
        try:
            homes_found = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        except OSError as exc:
            raise BadInput(_("The class folder {path} cannot be listed ({error}).").format(path=root,
                                                                                          error=exc.strerror),
                           _("Pass the folder that holds the learners' homes, e.g. --homes /home.")) from None
        for home in homes_found:
            uid = home.stat().st_uid
            login = home.name
            found.append((login, home, uid if _user_name(uid) == login else None))
    return [read_file(home / relative, _learner_id(login), owner_uid=uid, now=now) for login, home, uid in found]
