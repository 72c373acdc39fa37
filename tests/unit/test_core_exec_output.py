"""Offline: a shell line run by exec keeps its output in the container, so an answer the engine lost is read again
(dockerlab/exec_output.py; Docker 20.10 and Podman 4.3 both lose some under load)."""

from __future__ import annotations

import pytest

from dockerlab import exec_output
from dockerlab.docker_run import run

from conftest import IMAGE


@pytest.mark.parametrize("script, output, code", [
    ("echo one; echo two >&2; exit 3", b"one\ntwo\n", 3),
    ("printf 'no newline'", b"no newline", 0),
    ("cat <<EOF\nheredoc\nEOF", b"heredoc\n", 0),
])
def test_a_kept_exec_script_says_what_the_script_says_then_the_mark_and_its_code(tmp_path, monkeypatch, script,
                                                                                 output, code):
    """The wrapper a shell line runs in, run here by sh: the script's output (both streams, in order), then the
    mark and the exit code, and the same output kept in the file a lost answer is read again from (here in a
    temporary folder instead of the container's /dev/shm)."""
    import subprocess

    monkeypatch.setattr(exec_output, "_KEPT", f"{tmp_path}/.dockerlab-exec-")
    (tmp_path / ".dockerlab-exec-earlier").write_text("an earlier exec's output")
    ran = subprocess.run(["sh", "-c", exec_output.kept_exec_script(script, "k1")], capture_output=True)
    assert ran.returncode == code
    assert ran.stdout == exec_output.START_MARK + output + exec_output.EXEC_MARK + str(code).encode()
    assert [p.name for p in tmp_path.iterdir()] == [".dockerlab-exec-k1"]  # the earlier one removed
    assert (tmp_path / ".dockerlab-exec-k1").read_bytes() == output


class _ExecApi:
    """exec_create/exec_start/exec_inspect of an engine whose first answer is ``first``; a re-read finds ``kept``."""

    def __init__(self, first: bytes, kept: bytes) -> None:
        self.first, self.kept, self.created = first, kept, []

    def exec_create(self, cid, argv, **kw):
        self.created.append((argv, kw))
        return {"Id": str(len(self.created))}

    def exec_start(self, eid, demux=False):
        return self.first if eid == "1" else exec_output.START_MARK + self.kept + exec_output.EXEC_MARK + b"0"

    def exec_inspect(self, eid):
        return {"ExitCode": 2}


def test_an_exec_answer_the_engine_lost_is_read_again_from_the_container():
    whole = _ExecApi(exec_output.START_MARK + b"line 1\nline 40\n" + exec_output.EXEC_MARK + b"2", b"")
    assert exec_output.exec_kept(whole, "c1", ["sh", "-c", "cat /tmp/f"], user="app") == (b"line 1\nline 40\n", 2)
    assert len(whole.created) == 1 and whole.created[0][1] == {"user": "app"}
    lost = _ExecApi(b"", b"line 1\nline 40\n")  # under load: an empty answer for a command that ran
    assert exec_output.exec_kept(lost, "c1", ["sh", "-c", "cat /tmp/f"]) == (b"line 1\nline 40\n", 2)
    assert len(lost.created) == 2 and lost.created[1][0][2].startswith("test -f /dev/shm/.dockerlab-exec-")


@pytest.mark.parametrize("argv, output, code", [
    (["printf", "%s|", "a b", "c'd", "$HOME", "*"], b"a b|c'd|$HOME|*|", 0),  # each word as it is: no quoting to undo
    (["sh", "-c", "echo \"$0\" $1; exit 4", "zero", "one"], b"zero one\n", 4),  # a list whose program is a shell
    (["no-such-program"], None, 127),
])
def test_a_list_runs_as_its_own_words_in_the_kept_wrapper(tmp_path, monkeypatch, argv, output, code):
    """A list goes through /bin/sh's ``exec "$@"``, the list as the shell's arguments, run here by sh: the program
    gets exactly its words, its output is kept in the file, then the mark and its exit code."""
    import subprocess

    monkeypatch.setattr(exec_output, "_KEPT", f"{tmp_path}/.dockerlab-exec-")
    ran = subprocess.run(["sh", "-c", exec_output.kept_exec_script(exec_output._LIST, "k2"), "sh", *argv],
                         capture_output=True)
    kept = (tmp_path / ".dockerlab-exec-k2").read_bytes()
    assert ran.returncode == code and ran.stdout == exec_output.START_MARK + kept + exec_output.EXEC_MARK + \
        str(code).encode()
    assert kept == output if output is not None else b"no-such-program" in kept and b"not found" in kept


def test_a_lists_answer_the_engine_lost_is_read_again_too():
    """Chapters 05, 06 and 10 read `getent hosts` from a list's answer; the fresh machine's Podman lost one (an
    empty answer: IndexError in a test). A list runs in /bin/sh's kept wrapper, its words as the shell's arguments."""
    lost = _ExecApi(b"", b"10.0.0.2  api\n")
    assert exec_output.exec_kept(lost, "c1", ["getent", "hosts", "api"], user="app") == (b"10.0.0.2  api\n", 2)
    sent, options = lost.created[0]
    assert sent[:2] == ["/bin/sh", "-c"] and 'exec "$@"' in sent[2] and sent[3:] == ["sh", "getent", "hosts", "api"]
    assert options == {"user": "app"} and lost.created[1][0][2].startswith("test -f /dev/shm/.dockerlab-exec-")


@pytest.mark.parametrize("refusal, code", [
    (b'OCI runtime exec failed: exec failed: unable to start container process: exec: "/bin/sh": stat /bin/sh: no '
     b'such file or directory: unknown\r\n', 126),  # Docker (runc)
    (b'Error: runc: exec failed: unable to start container process: exec: "/bin/sh": stat /bin/sh: no such file or '
     b'directory: OCI runtime attempted to invoke a command that was not found\nError: read unixpacket '
     b'@->/proc/self/fd/13/attach: read: connection reset by peer\n', 127),  # Podman 4.3 (runc)
    (b"Error: crun: executable file `/bin/sh` not found in $PATH: No such file or directory: OCI runtime attempted to "
     b"invoke a command that was not found\n", 127),  # Podman with crun (its words: containers/crun#445)
])
def test_a_container_without_a_shell_runs_a_list_as_it_is(monkeypatch, refusal, code):
    """An image FROM scratch has no /bin/sh: the runtime refused to start the wrapper, so nothing ran; the list runs
    as it is (None: the caller's plain exec), and that container's next list is not wrapped again."""
    monkeypatch.setattr(exec_output, "_NO_SHELL", set())
    api = _ExecApi(refusal, b"")
    api.exec_inspect = lambda eid: {"ExitCode": code}  # type: ignore[method-assign]
    assert exec_output.exec_kept(api, "scratch-box", ["/registry", "--version"]) is None
    assert len(api.created) == 1  # not read again: there is no file, no shell to read it
    assert exec_output.exec_kept(api, "scratch-box", ["/registry", "--version"]) is None and len(api.created) == 1
    assert exec_output._NO_SHELL == {"scratch-box"}  # only that container
    lost = _ExecApi(b"", b"")  # under load the refusal itself was lost: the re-read, refused the same way, says it
    lost.exec_start = lambda eid, demux=False: b"" if eid == "1" else refusal  # type: ignore[method-assign]
    lost.exec_inspect = lambda eid: {"ExitCode": code}  # type: ignore[method-assign]
    assert exec_output.exec_kept(lost, "scratch-2", ["/registry", "--version"]) is None
    assert exec_output._NO_SHELL == {"scratch-box", "scratch-2"} and len(lost.created) == 2
    program_said = _ExecApi(b"sh: 3: exec: /bin/shx: not found\n", b"")  # the shell ran: its own answer, no refusal
    program_said.exec_inspect = lambda eid: {"ExitCode": 127}  # type: ignore[method-assign]
    assert exec_output.exec_kept(program_said, "box", ["/bin/shx"]) is not None


def test_a_containers_exec_keeps_its_output_on_any_engine(fake):
    """Container.exec of a shell line goes through the kept protocol on Docker too (not only on Podman): the answer
    the engine lost comes back from the container's file, with the exit code the engine reports."""
    c = run("web", IMAGE, client=fake)
    fake.engine.exec_output, fake.engine.exec_code = b"java\0-jar\0/app/app.jar\0", 0
    assert c.exec("cat /proc/1/cmdline").output == "java\0-jar\0/app/app.jar\0"
    wrapped = fake.engine.calls[-1][2]
    assert wrapped[:2] == ["sh", "-c"] and "cat /proc/1/cmdline" in wrapped[2] and wrapped[2].endswith('exit "$rc"')
    fake.engine.exec_output, fake.engine.exec_kept_output, fake.engine.exec_code = b"", b"lab-box\n", 0  # lost
    res = c.exec("hostname")
    assert (res.output, res.exit_code) == ("lab-box\n", 0)
    assert res.cli == "docker exec alice-web sh -c hostname"  # the learner's command, not the wrapper


class _StillRunningApi(_ExecApi):
    """An engine whose lost answer came back while the command still ran (its inspect says Running twice)."""

    def __init__(self, kept: bytes) -> None:
        super().__init__(b"", kept)
        self.events: list[str] = []

    def exec_create(self, cid, argv, **kw):
        self.events.append("create")
        return super().exec_create(cid, argv, **kw)

    def exec_inspect(self, eid):
        self.events.append("inspect")
        running = self.events.count("inspect") < 3
        return {"Running": running, "ExitCode": None if running else 2}


def test_a_lost_answer_is_read_again_only_after_its_command_ended():
    """Read while the command still ran, the kept file was empty (2 of 2,000 execs under load): wait for its end."""
    api = _StillRunningApi(b"line 1\n")
    assert exec_output.exec_kept(api, "c1", ["sh", "-c", "cat /tmp/f"]) == (b"line 1\n", 2)
    assert api.events == ["create", "inspect", "inspect", "inspect", "create"]


def test_an_answer_whose_beginning_was_lost_is_read_again():
    """Docker 20.10 under load (1 of 1,600 execs): the end mark and the code arrived, the output before them did not.
    Without the start mark that answer read as an empty output with exit code 0."""
    cut = _ExecApi(exec_output.EXEC_MARK + b"0", b"sleep\0infinity\0")
    assert exec_output.exec_kept(cut, "c1", ["sh", "-c", "cat /proc/1/cmdline"]) == (b"sleep\0infinity\0", 2)
    assert len(cut.created) == 2  # read again
    never = _ExecApi(b"partial" + exec_output.EXEC_MARK + b"0", b"")
    never.exec_start = lambda eid, demux=False: never.first  # type: ignore[method-assign]  # every answer cut short
    assert exec_output.exec_kept(never, "c1", ["sh", "-c", "cat /tmp/f"]) == (b"partial", 2)  # no mark left in it


def test_a_command_that_stops_its_container_is_answered_with_what_came():
    """Chapter 09's `touch /tmp/crash` makes the container's program exit: the wrapper dies before its marks, and the
    container can no longer be asked again (CI: "Container … is not running"). What came and the exec's code stand."""
    import docker.errors

    stopped = _ExecApi(b"", b"")
    created = stopped.exec_create

    def refuse_after_the_first(cid, argv, **kw):
        if stopped.created:
            raise docker.errors.APIError("409 Client Error: Conflict", explanation=f"Container {cid} is not running")
        return created(cid, argv, **kw)

    stopped.exec_create = refuse_after_the_first  # type: ignore[method-assign]
    assert exec_output.exec_kept(stopped, "c1", ["sh", "-c", "touch /tmp/crash"]) == (b"", 2)
