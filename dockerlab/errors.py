"""One error hierarchy for the whole kit.

Every message says what happened in a learner's words and ends with ``Hint: …``
telling them what to do next. Errors from docker-py and requests are mapped into
these classes by :func:`translated`, so a notebook never shows a raw traceback
wall for a failure the kit can explain.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence

import docker.errors
import requests.exceptions

from .endpoint import DEFAULT_SOCKET, engine_address
from .i18n import N_, _

__all__ = [
    "DockerlabError",
    "EngineUnavailable",
    "EnginePermissionDenied",
    "BuildFailed",
    "PortInUse",
    "NameConflict",
    "ImageMissing",
    "NotFound",
    "ReadyTimeout",
    "ContainerExited",
    "ContainerStopped",
    "BadInput",
    "DiskFull",
    "RunEarlierCell",
    "start_failure",
    "translated",
]


class DockerlabError(Exception):
    """Base class: ``what`` happened, and a ``hint`` on what to try next."""

    default_hint = N_("Run `python -m dockerlab doctor` to see what the kit can find.")

    def __init__(self, what: str, hint: str | None = None, *, details: Sequence[str] = ()) -> None:
        self.what = what.rstrip()
        self.hint = (hint or _(self.default_hint)).strip()
        self.details = list(details)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        parts = [self.what]
        if self.details:
            parts.append("\n".join("    " + line for line in self.details))
        parts.append(_("Hint: {hint}").format(hint=self.hint))
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.message

    def _render_traceback_(self) -> list[str]:
        """IPython shows only this message, not a traceback wall."""
        return [f"{type(self).__name__}: {self.message}"]


class EngineUnavailable(DockerlabError):
    default_hint = N_(
        "Start the engine (`python -m dockerlab engine start`, Docker Desktop, or `sudo systemctl start docker`), "
        "or point DOCKER_HOST at one that runs, then re-run this cell."
    )


class EnginePermissionDenied(EngineUnavailable):
    default_hint = N_(
        "Your user may not use the engine's socket. Add yourself to the `docker` group "
        "(`sudo usermod -aG docker $USER`, then log in again) or use rootless Docker."
    )


class BuildFailed(DockerlabError):
    """A build stopped; ``step`` is like ``Step 3/5 : RUN false`` when known, ``output`` that step's whole output,
    ``log`` the build's whole log; the message shows ``log_tail`` (the output's telling lines)."""

    default_hint = N_("Fix the Dockerfile line named above and build again.")

    def __init__(self, what: str, hint: str | None = None, *, step: str | None = None,
                 log_tail: Sequence[str] = (), output: Sequence[str] = (), log: Sequence[str] = ()) -> None:
        self.step = step
        self.log_tail = list(log_tail)
        if hint is None and any(w in (what + " ".join(self.log_tail)).lower() for w in _DISK_WORDS):
            hint = _("The engine's disk is full. ") + _(DiskFull.default_hint)
        self.output = list(output)
        self.log = list(log)
        super().__init__(what, hint, details=self.log_tail)


class PortInUse(DockerlabError):
    default_hint = N_("Pick another host port (or None for a free one), or stop what uses this port.")

    @property
    def port(self) -> int | None:
        """The host port the message names, when it names one."""
        m = re.search(r"(?:host port|호스트 포트) (\d+)", self.what)
        return int(m.group(1)) if m else None


class NameConflict(DockerlabError):
    default_hint = N_("Choose another name: the kit never removes what it did not create.")


class ImageMissing(DockerlabError):
    default_hint = N_("Build it first (or run `python -m dockerlab prepare` for the course's base images).")


class NotFound(DockerlabError):
    default_hint = N_("Check the name, or run the cell that creates it first.")


class ReadyTimeout(DockerlabError):
    default_hint = N_("Read the container's last log lines above; fix the cause, then run the cell again.")


class ContainerExited(ReadyTimeout):
    default_hint = N_("The program in the container stopped: its last log lines above say why.")


class ContainerStopped(DockerlabError):
    default_hint = N_("Find out why it stopped: its logs (`docker logs NAME`) and its exit code (`docker inspect "
                    "--format '{{.State.ExitCode}}' NAME`). To look at its files, start a new container from the same "
                    "image with a shell (`docker run --rm -it --entrypoint sh IMAGE`).")


class DiskFull(DockerlabError):
    default_hint = N_("Free space in your engine: `python -m dockerlab reset` removes what the kit made for you "
                    "(`--purge` its volumes too), `docker image prune` unused images; then re-run the cell.")


class BadInput(DockerlabError, ValueError):
    default_hint = N_("Check the value passed to the function; its docstring shows an example.")


class RunEarlierCell(DockerlabError):
    default_hint = N_("Run the chapter's cells from the top (or the cell named above) first.")


# "Bind for 127.0.0.1:8080 failed: port is already allocated" (Docker), "listen tcp4 127.0.0.1:8080: bind: address
# already in use" (Docker's userland proxy, Podman). Anchored on those words: the endpoint id before them is hex.
_PORT_RE = re.compile(r"(?:Bind for|listen (?:tcp|udp)[46]?) (\S*?):(\d+)(?::? (?:failed|bind))", re.I)
# "exec: \"nosuchprogram\": executable file not found in $PATH" (Docker/runc), "… no such file or directory" (crun)
_NOT_FOUND_RE = re.compile(r'exec: "([^"]+)": executable file not found in \$PATH')
_PORT_WORDS = ("address already in use", "port is already allocated")
#: urllib3's ReadTimeout: "… Read timed out. (read timeout=30)"
_READ_TIMEOUT_RE = re.compile(r"read timeout=(\d+(?:\.\d+)?)")


def _engine_address(client: object = None) -> str:
    """The address the kit talks to: the client's own, else DOCKER_HOST / the CLI context / the default socket."""
    api = getattr(client, "api", client)
    if api is not None:
        known = getattr(api, "_dockerlab_address", None)
        if known:
            return str(known)
        socket_path = getattr(getattr(api, "_custom_adapter", None), "socket_path", None)
        if socket_path:
            return f"unix://{socket_path}"
        base = getattr(api, "base_url", None)
        if isinstance(base, str) and base.startswith(("http://", "https://")):
            return base
    try:
        return engine_address()
    except Exception:  # never let the error path fail
        return DEFAULT_SOCKET


def _own_engine(where: str) -> bool:
    """Whether ``where`` is the learner's own rootless engine (a socket in a folder of theirs, not root's)."""
    import os

    if os.geteuid() == 0 or not where.startswith("unix://") or not where.endswith("/docker.sock"):
        return False
    try:
        return os.stat(os.path.dirname(where[len("unix://"):])).st_uid == os.geteuid()
    except OSError:
        return False


def _busy_hint(where: str) -> str:
    """The hint for an engine that took too long to answer: busy (most often) or hung; the learner's own rootless
    engine is theirs to restart."""
    hung = (_("If `docker info` in a terminal answers nothing either, your engine hangs: restart it with `python -m "
              "dockerlab engine stop --rootless`, then `python -m dockerlab engine start --rootless` (your images and "
              "volumes are kept).") if _own_engine(where) else
            _("If `docker info` in a terminal answers nothing either, the engine hangs and needs a restart."))
    return _("Run the cell again in a minute: on a busy machine (`uptime` shows its load) the engine answers "
             "slowly.") + " " + hung


def _down_hint(where: str) -> str | None:
    """The hint for an engine that no longer answers at all: the learner's own rootless engine is theirs to restart."""
    if not _own_engine(where):
        return None
    return _("This is your own engine, and it stopped. Start it again in a terminal: `python -m dockerlab engine "
             "start --rootless` (your images and volumes are kept), then re-run the chapter from its start cell.")


_DISK_WORDS = ("no space left on device",)
_EXEC_RE = re.compile(r'exec(?::| format error:)? "?([^":\s]+)"?: ')


def start_failure(text: str, name: str) -> ContainerExited | None:
    """The engine's "cannot start the container's program" answers, in the learner's words (None: not one)."""
    program = _EXEC_RE.search(text)
    if not program:
        return None
    if "permission denied" in text.lower():
        return ContainerExited(_("Container {name} could not start: the engine may not execute {program} (permission "
                                 "denied): the file is not executable in the image.").format(
                                     name=name, program=program.group(1)),
                               _("Give it the executable mode and build again: `chmod +x` it before COPY (git keeps "
                                 "the mode), `RUN chmod +x …`, or files={{'name': (text, 0o755)}} in lab.build."))
    if "no such file or directory" in text.lower():
        return ContainerExited(_("Container {name} could not start: {program}, or the interpreter its first line "
                                 "names (#!), is not in the image.").format(name=name, program=program.group(1)),
                               _("Check the path, the #! line, and Windows line endings (CRLF) in the script."))
    return None


def from_exception(exc: BaseException, doing: str = "", *, client: object = None,
                   address: str | None = None) -> DockerlabError:
    """Map a docker-py / requests / OS exception to the kit's error (``client``/``address``: which engine)."""
    if isinstance(exc, DockerlabError):
        return exc
    where = address or _engine_address(client)
    prefix = _("While {doing}: ").format(doing=doing) if doing else ""
    text = str(getattr(exc, "explanation", None) or exc)
    if isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                        ConnectionError, FileNotFoundError)) or (
            isinstance(exc, docker.errors.DockerException)
            and "Error while fetching server API version" in text):
        if "Permission denied" in text or "PermissionError" in text:
            return EnginePermissionDenied(prefix + _("permission denied on the Docker engine at {where}.").format(
                where=where))
        if isinstance(exc, requests.exceptions.ReadTimeout):  # connected, asked, and no answer came in time
            limit = _READ_TIMEOUT_RE.search(text)
            return EngineUnavailable(prefix + (
                _("the Docker engine at {where} did not answer within {seconds} s: it is busy, or it hangs.").format(
                    where=where, seconds=limit.group(1)) if limit else
                _("the Docker engine at {where} did not answer in time: it is busy, or it hangs.").format(
                    where=where)), _busy_hint(where))
        return EngineUnavailable(prefix + _("no Docker engine answers at {where}.").format(where=where),
                                 _down_hint(where))
    if isinstance(exc, PermissionError):
        return EnginePermissionDenied(prefix + _("permission denied on the Docker engine at {where}.").format(
            where=where))
    if isinstance(exc, docker.errors.ImageNotFound):
        return ImageMissing(prefix + _("image not found: {text}").format(text=text))
    if isinstance(exc, docker.errors.NotFound):
        return NotFound(f"{prefix}{text}")
    if isinstance(exc, docker.errors.APIError):
        missing = _NOT_FOUND_RE.search(text)
        if missing:  # the learner's command names a program the image does not have: not the engine's fault
            program = missing.group(1)
            spaced = " " in program
            return BadInput(
                prefix + _("the program {program!r} is not in the image, so the container could not start (a shell "
                           "would say: command not found, exit code 127).").format(program=program),
                (_("In exec form each word is its own string: write {words}, not [{program!r}].").format(
                    words=repr(program.split()), program=program)
                 if spaced else _("Check the spelling, and that the image has that program (look with "
                                  "`docker run --rm --entrypoint ls IMAGE /usr/bin`).")))
        if (exc.status_code == 409 and "is not running" in text) \
                or "can only create exec sessions on running containers" in text:  # Podman's words (500)
            return ContainerStopped(prefix + _("the container is stopped, and a command can only run in a running "
                                               "container."))
        m = _PORT_RE.search(text)
        if m and any(w in text.lower() for w in _PORT_WORDS):
            host = _(" on {address}").format(address=m.group(1)) \
                if m.group(1) and m.group(1) not in ("0.0.0.0", "[::]", "::") else ""
            return PortInUse(prefix + _("host port {port}{host} is already in use. The engine said: {text}").format(
                port=m.group(2), host=host, text=text))
        if any(w in text.lower() for w in _PORT_WORDS):
            return PortInUse(prefix + _("a host port is already in use ({text}).").format(text=text))
        if name_in_use(exc):
            return NameConflict(f"{prefix}{text}")
        if any(w in text.lower() for w in _DISK_WORDS):
            return DiskFull(prefix + _("the engine's disk is full: {text}").format(text=text))
        if "invalid" in text.lower() and exc.status_code in (400, 500):
            return BadInput(prefix + _("the engine refused a value: {text}").format(text=text))
    return DockerlabError(f"{prefix}{type(exc).__name__}: {text}")


def name_in_use(exc: docker.errors.APIError) -> bool:
    """The engine refused a name another object has: Docker answers 409 "… is already in use", Podman 500
    "… that name is already in use"."""
    text = str(getattr(exc, "explanation", None) or exc).lower()
    return "already in use" in text and (exc.status_code == 409 or "name is already in use" in text)


@contextlib.contextmanager
def translated(doing: str = "", client: object = None) -> Iterator[None]:
    """Run engine calls, re-raising their failures as kit errors (``client``: which engine, for the message)."""
    try:
        yield
    except DockerlabError:
        raise
    except (docker.errors.DockerException, requests.exceptions.RequestException, ConnectionError,
            PermissionError) as exc:
        raise from_exception(exc, doing, client=client) from exc
