"""Labels and names: how the kit marks, finds and namespaces what it creates.

Everything the kit creates carries ``org.dockerlab.kit`` plus the chapter and the
session (learner) id. Cleanup finds resources by these labels only, never by name.
Names are plain (``web`` is ``web``, as in every tutorial) on an engine the learner owns, and
prefixed by the session (``alice-web``) only where several learners share one engine: see
:func:`naming`, the one place that decides.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import re
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .errors import BadInput
from .i18n import N_, _

__all__ = [
    "KIT",
    "SESSION",
    "CHAPTER",
    "ROLE",
    "session_id",
    "set_session",
    "acting_as",
    "set_chapter",
    "current_chapter",
    "kit_labels",
    "kit_filter",
    "Naming",
    "naming",
    "names_prefixed",
    "name",
    "image_repo",
    "validate_name",
    "owned",
    "matches",
]

KIT = "org.dockerlab.kit"
SESSION = "org.dockerlab.session"
CHAPTER = "org.dockerlab.chapter"
ROLE = "org.dockerlab.role"

_NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$")
_session_override: str | None = None
_acting = threading.local()  # acting_as: one reset's learner, in the reset's own thread (a widget's keeps its own)
_chapter: str | None = None


def _clean(raw: str) -> str:
    return re.sub(r"[^a-z0-9_.-]+", "-", raw.strip().lower()).strip("-._")


def _sanitize(raw: str) -> str:
    """A learner id that is safe in engine names and unique per raw id: when cleaning loses something
    (characters replaced, or longer than 24), a short hash of the raw id keeps two learners apart
    ("jupyter-averylongname1" and "…2" would otherwise both become "jupyter-averylongname")."""
    base = raw.strip().lower()
    cleaned = _clean(raw) or "learner"
    if cleaned != base or len(cleaned) > 24:
        digest = hashlib.sha1(base.encode()).hexdigest()[:6]  # case-insensitive, like "Alice" and "alice"
        cleaned = f"{cleaned[:17].rstrip('-._') or 'learner'}-{digest}"
    return cleaned


def session_id() -> str:
    """The learner's id: DOCKERLAB_SESSION, else the JupyterHub user, else the login name."""
    if getattr(_acting, "session", None):
        return _acting.session
    if _session_override:
        return _session_override
    raw = os.environ.get("DOCKERLAB_SESSION") or os.environ.get("JUPYTERHUB_USER")
    if not raw:
        try:
            raw = getpass.getuser()
        except Exception:  # no passwd entry in some containers
            raw = "learner"
    return _sanitize(raw)


def set_session(session: str | None) -> str:
    """Use ``session`` as this kernel's learner id (None goes back to the default)."""
    global _session_override
    _session_override = _sanitize(session) if session else None
    return session_id()


@contextmanager
def acting_as(session: str) -> Iterator[str]:
    """Within the block, in this thread, :func:`session_id` is ``session`` (an id as the labels carry it): a teacher's
    reset of a learner, or the test runner's reset of an earlier run, acts as that learner in everything it calls; a
    widget's thread meanwhile stays this kernel's learner. How names are made (:func:`naming`) stays this kernel's: the
    engine is the same one."""
    before = getattr(_acting, "session", None)
    _acting.session = session
    try:
        yield session
    finally:
        _acting.session = before


def set_chapter(chapter: str | None) -> None:
    """Label what this kernel creates from now on with ``chapter`` (e.g. "03")."""
    global _chapter
    _chapter = chapter


def current_chapter() -> str | None:
    return _chapter


def kit_labels(chapter: str | None = None, *, role: str | None = None, session: bool = True,
               extra: dict[str, str] | None = None) -> dict[str, str]:
    """The labels for a new resource: kit, session, chapter (and role for course images)."""
    labels = {KIT: "1"}
    if session:
        labels[SESSION] = session_id()
    chapter = chapter if chapter is not None else _chapter
    if chapter:
        labels[CHAPTER] = str(chapter)
    if role:
        labels[ROLE] = role
    if extra:
        labels.update(extra)
    return labels


def kit_filter(chapter: str | None = None, *, session: str | None | bool = True) -> dict[str, list[str]]:
    """A docker-py ``filters`` dict that matches the kit's resources (this session's by default)."""
    wanted = [KIT]
    if session is True:
        wanted.append(f"{SESSION}={session_id()}")
    elif isinstance(session, str):
        wanted.append(f"{SESSION}={session}")
    if chapter:
        wanted.append(f"{CHAPTER}={chapter}")
    return {"label": wanted}


def matches(labels: dict[str, str] | None, filters: dict[str, list[str]]) -> bool:
    """Do ``labels`` carry every ``key`` / ``key=value`` of a ``kit_filter`` (what the engine's filter should do)?

    Listings check their answers with it: Podman 4.3 answers a volume listing with two label filters by either.
    """
    labels = labels or {}
    for wanted in filters.get("label", []):
        key, eq, value = wanted.partition("=")
        if key not in labels or (eq and labels[key] != value):
            return False
    return True


def owned(labels: dict[str, str] | None) -> bool:
    """True when these labels say the kit made the resource for this learner's session (ours to replace/remove)."""
    labels = labels or {}
    return bool(labels.get(KIT)) and labels.get(SESSION) == session_id()


def validate_name(value: object, what: str = N_("name")) -> str:
    """Check a container/volume/network name the way the engine would, with a kind message."""
    if not isinstance(value, str):
        raise BadInput(_("The {what} must be a string, not {type} ({value}).").format(
            what=_(what), type=type(value).__name__, value=repr(value)), _("Pass a short text such as 'web'."))
    if not _NAME_RE.match(value):
        raise BadInput(_("'{value}' is not a valid {what}: use letters, digits, '_', '.' or '-', starting with a "
                         "letter or digit.").format(value=value, what=_(what)),
                       _("Try something like '{example}'.").format(example=_clean(value) or "web"))
    return value


@dataclass(frozen=True)
class Naming:
    """The naming rule's answer for this kernel: are names prefixed, and why (doctor shows the reason)."""

    prefixed: bool
    reason: str

    def example(self, base: str = "web") -> str:
        return f"{session_id()}-{base}" if self.prefixed else base


def _own_socket(address: str) -> bool:
    """Is ``address`` a unix socket that belongs to this (non-root) user: a rootless engine, Docker Desktop's
    socket in the home, rootless Podman? Nobody else can reach such an engine."""
    uid = os.geteuid()
    if uid == 0 or not address.startswith("unix://"):
        return False
    try:
        st = os.stat(address[len("unix://"):])
    except OSError:
        return False
    return stat.S_ISSOCK(st.st_mode) and st.st_uid == uid


def naming() -> Naming:
    """THE plain-names rule: does the kit prefix the names it makes with the learner's id on this engine?

    In this order:
    1. ``DOCKERLAB_NAMES=plain`` or ``=prefixed``: the teacher's explicit choice wins.
    2. The engine's socket belongs to this user, who is not root (the learner's own rootless engine, Docker
       Desktop, rootless Podman): only this learner can reach it, so names are **plain**.
    3. A learner id was given (``DOCKERLAB_SESSION``, ``JUPYTERHUB_USER`` or :func:`set_session`): that is how
       several learners share one engine (a teacher's demo machine, the test suite), so names are **prefixed**.
    4. Otherwise one person uses their own engine (a laptop, a VM): names are **plain**.

    Plain: ``lab.run("first", …)`` makes ``first``, the same name ``docker run --name first …`` gives in a
    terminal. Prefixed: ``alice-first``. Labels (kit, session, chapter) are the same either way, and cleanup
    goes by them.
    """
    choice = os.environ.get("DOCKERLAB_NAMES", "").strip().lower()
    if choice in ("plain", "prefixed"):
        return Naming(choice == "prefixed", f"DOCKERLAB_NAMES={choice}")
    from .engine import engine_address  # the engine module does not import this one: no cycle

    address = engine_address()
    if _own_socket(address):
        return Naming(False, _("your own engine ({address} belongs to you)").format(address=address))
    if _session_override or os.environ.get("DOCKERLAB_SESSION") or os.environ.get("JUPYTERHUB_USER"):
        return Naming(True, _("a shared engine: learner id {learner!r} set, engine {address}").format(
            learner=session_id(), address=address))
    return Naming(False, _("one person's engine: no learner id set"))


def names_prefixed() -> bool:
    """True where the kit prefixes names with the learner id (see :func:`naming`)."""
    return naming().prefixed


def name(base: str) -> str:
    """The engine name for ``base``: ``web`` on the learner's own engine, ``alice-web`` on a shared one."""
    validate_name(base)
    if not names_prefixed():
        return base
    prefix = session_id() + "-"
    return base if base.startswith(prefix) else prefix + base


def image_repo(repo: str) -> str:
    """The image repository for ``repo``: ``hello`` on the learner's own engine, ``alice/hello`` on a shared one."""
    if not isinstance(repo, str) or not re.match(r"^[a-z0-9]+([._-][a-z0-9]+)*$", repo):
        raise BadInput(_("'{repo}' is not a valid image name: lowercase letters, digits and '-', '_', '.'.").format(
            repo=repo), _("Try a name like 'hello'."))
    return f"{session_id()}/{repo}" if names_prefixed() else repo
