"""An exec's output that cannot be lost: a shell line run by `docker exec` also keeps its output in the container.

Docker and Podman can both answer an exec with less than it wrote: the attach races a short command (moby/moby#27289,
docker/docker-py#2042). Measured here, 4 containers at a time beside 8 busy processes and a loop of container starts:
Docker 20.10 answered 145 of 4,000 `sh -c 'cat /proc/1/cmdline'` execs with nothing, and some answers lost only their
beginning (the end arrived); Podman 4.3 answered 1 of 150 `cat` execs with nothing. So a shell line also writes its
output to a file in the container's /dev/shm (a tmpfs, writable even when the root file system is read-only), and the
answer is a start mark, the output, an end mark and the exit code: an answer without both marks is read again from
that file once the command has ended. Through this module: 0 of 4,000 answers wrong, same load. Each such exec removes
the files earlier ones of its container left; the container's /dev/shm goes with the container.

A command given as a list (``["getent", "hosts", "api"]``) is kept the same way: the container's /bin/sh runs the
wrapper, whose line is ``exec "$@"`` with the list as its arguments (no quoting; the command replaces the subshell,
so nothing runs beside it but the wrapper). A container without /bin/sh (an image ``FROM scratch``) runs the list as
it is: the engine's answer for the missing shell says so, before the command could run, and the container is
remembered as one without a shell.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

import docker.errors

from .polling import poll

__all__ = ["START_MARK", "EXEC_MARK", "kept_exec_script", "exec_kept"]

START_MARK = b"\x02"  # the answer's first byte
EXEC_MARK = b"\x1e"  # before the exit code, at the answer's end
_SHELLS = ("sh", "bash", "/bin/sh", "/bin/bash")
_KEPT = "/dev/shm/.dockerlab-exec-"
_SHELL = "/bin/sh"  # the shell that runs a list's wrapper
_LIST = 'exec "$@"'  # the wrapper's line for a list: its words are the shell's arguments
#: containers whose exec found no /bin/sh (their lists run as they are); ids, kept while the kernel runs
_NO_SHELL: set[str] = set()


def kept_exec_script(script: str, key: str) -> str:
    """``script`` wrapped so that its output is also kept in ``/dev/shm``, and the answer is the start mark, the output,
    the end mark and the exit code; where that file cannot be written (no /dev/shm), the script runs as it is, between
    the same marks."""
    kept = _KEPT + key
    return (f"rm -f {_KEPT}* 2>/dev/null\n"
            f"if : 2>/dev/null >{kept}; then (\n{script}\n) >{kept} 2>&1; rc=$?; printf '\\002'; cat {kept}\n"
            f"else printf '\\002'; (\n{script}\n) 2>&1; rc=$?; fi\n"
            f"printf '\\036%d' \"$rc\"; exit \"$rc\"")


def _split_mark(out: bytes) -> tuple[bytes, int] | None:
    """(output, exit code) of a whole answer; None when its beginning or its end was lost."""
    if not out.startswith(START_MARK):
        return None
    head, mark, tail = out[1:].rpartition(EXEC_MARK)
    return (head, int(tail)) if mark and tail.isdigit() else None


def _unmarked(out: bytes) -> bytes:
    """What came of an answer that stayed incomplete, without the marks that did arrive."""
    out = out[1:] if out.startswith(START_MARK) else out
    head, mark, tail = out.rpartition(EXEC_MARK)
    return head if mark and tail.isdigit() else out


def _ended(api, exec_id: str, timeout: float = 30.0) -> dict:
    """The exec's inspect once its command has ended: the file is complete only then, and an answer cut short says
    nothing about whether the command is done."""
    seen: list[dict] = []

    def ended() -> bool:
        try:
            seen.append(api.exec_inspect(exec_id))
        except docker.errors.NotFound:  # its container is gone, and the exec with it
            seen.append({})
        return not seen[-1].get("Running")

    poll(ended, timeout=timeout, interval=0.05)
    return seen[-1]


def _no_shell(out: bytes, code: int | None) -> bool:
    """The engine's answer when the wrapper's /bin/sh is not in the container: the runtime refused to start it
    (``exec: "/bin/sh": stat /bin/sh: no such file or directory``: Docker 20.10 with exit code 126, Podman 4.3 with
    127; crun says ``executable file `/bin/sh` not found``, containers/crun#445), so nothing ran: no mark, the
    shell's path quoted as the runtimes quote it, their exit code. A shell's own "not found" (the list's program)
    comes between marks and quotes nothing."""
    return (code in (126, 127) and not out.startswith(START_MARK) and EXEC_MARK not in out
            and re.search(rb'["`]' + re.escape(_SHELL.encode()) + rb'["`]', out) is not None
            and any(w in out.lower() for w in (b"no such file", b"not found")))


def _shell_missing(container_id: str, answer: bytes | None, code: int | None) -> bool:
    """Is ``answer`` the runtime's refusal of the wrapper's /bin/sh? Then the container is remembered as one without."""
    if _no_shell(answer or b"", code):
        _NO_SHELL.add(container_id)
        return True
    return False


def exec_kept(api, container_id: str, argv: Sequence[str], **create: object) -> tuple[bytes, int | None] | None:
    """Run ``argv`` so that its output cannot be lost (see the module's text): a shell line ``[sh|bash, -c,
    script]`` in its own shell, a list through /bin/sh's ``exec "$@"``. Its output and exit code; None where the
    container has no /bin/sh for a list (it runs as usual)."""
    if len(argv) == 3 and argv[0] in _SHELLS and argv[1] == "-c":
        shell, script, args = argv[0], argv[2], []
    elif container_id in _NO_SHELL or not argv:
        return None
    else:
        shell, script, args = _SHELL, _LIST, ["sh", *argv]  # "$0", then the list as "$@"
    key = uuid.uuid4().hex[:12]
    ex = api.exec_create(container_id, [shell, "-c", kept_exec_script(script, key), *args], **create)
    out = api.exec_start(ex["Id"], demux=False)
    found = _split_mark(out or b"")
    if found is not None:  # the whole answer, both marks: its last word is the exit code
        return found
    code = _ended(api, ex["Id"]).get("ExitCode")
    if args and _shell_missing(container_id, out, code):
        return None
    for _attempt in range(2):  # the answer's beginning or end was lost: read the output again from the file
        try:
            reread = f"test -f {_KEPT}{key} && printf '\\002' && cat {_KEPT}{key} && printf '\\036%d' 0"
            again = api.exec_create(container_id, [shell, "-c", reread], user=create.get("user") or "")
            answer = api.exec_start(again["Id"], demux=False)
        except docker.errors.APIError:  # the container stopped (the command made it: chapter 09's crash) or is gone
            break
        found = _split_mark(answer or b"")
        if found is not None:
            return found[0], code
        if args and _shell_missing(container_id, answer, code):  # the refusal came only now: the first was lost
            return None
    return _unmarked(out or b""), code
