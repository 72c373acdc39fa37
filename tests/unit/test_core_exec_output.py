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
    assert exec_output.exec_kept(lost, "c1", ["cat", "/tmp/f"]) is None  # not a shell line: run as usual


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
