"""Chapter 03's exercise checks on the real engine: untouched, wrong attempts, the solution."""

from __future__ import annotations

import pytest

import dockerlab as lab
from dockerlab.checks import Outcome
from dockerlab.course import ensure_app
from dockerlab.exercises import ch03
from learner_cli import cli  # noqa: F401 (fixture: the learner's terminal)

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("chapter_under_test")]
CHAPTER = "03"

OTHER = "debian:bookworm-slim"


@pytest.fixture(scope="module")
def notes(engine_client):
    return ensure_app("notes")


# -- exercise 1: write into a container ----------------------------------------------------------
def test_q1_untouched_is_not_attempted():
    assert ch03.q1.check().outcome is Outcome.NOT_ATTEMPTED


def test_q1_nothing_written_is_incorrect(notes):
    lab.run("scratchpad", notes)
    result = ch03.q1.check()
    assert result.outcome is Outcome.INCORRECT
    assert "writable layer" in result.message and "mine.txt" in result.message


def test_q1_file_in_wrong_folder_is_incorrect(notes):
    pad = lab.run("scratchpad", notes)
    assert pad.exec("echo hi > /tmp/mine.txt").ok
    result = ch03.q1.check()
    assert result.outcome is Outcome.INCORRECT
    assert "/tmp/mine.txt" in result.message


def test_q1_wrong_image_is_incorrect(notes):
    pad = lab.run("scratchpad", OTHER, ["sleep", "infinity"])
    pad.exec("mkdir -p /app/notes && echo hi > /app/notes/mine.txt")
    result = ch03.q1.check()
    assert result.outcome is Outcome.INCORRECT
    assert "notes image" in result.message


def test_q1_solution_is_correct(notes):
    pad = lab.run("scratchpad", notes)
    assert pad.exec("echo 'my own note' > /app/notes/mine.txt").ok
    result = ch03.q1.check()
    assert result.outcome is Outcome.CORRECT, result.message


# -- exercise 2: read-only root with a tmpfs -----------------------------------------------------
def test_q2_untouched_is_not_attempted():
    assert ch03.q2.check().outcome is Outcome.NOT_ATTEMPTED


def test_q2_writable_root_is_incorrect(notes):
    lab.run("locked", notes, tmpfs={"/tmp": ""})
    result = ch03.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "writable" in result.message and "ReadonlyRootfs" in result.message


@pytest.mark.docker_only(reason="Podman's --read-only mounts a tmpfs on /tmp, /var/tmp and /run by default "
                                "(read_only_tmpfs), so the container has a tmpfs without the learner's")
def test_q2_missing_tmpfs_is_incorrect(notes):
    lab.run("locked", notes, read_only=True, tmpfs={"/scratch": ""})
    result = ch03.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "no tmpfs" in result.message and "/scratch" in result.message


def test_q2_app_that_cannot_write_is_incorrect(notes):
    lab.run("locked", notes, read_only=True, tmpfs={"/tmp": "size=16m"})
    result = ch03.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "stopped" in result.message and "cannot write" in result.message and "NOTES_FILE" in result.message


def test_q2_solution_is_correct(notes):
    lab.run("locked", notes, read_only=True, tmpfs={"/tmp": "size=16m"}, env={"NOTES_FILE": "/tmp/notes.txt"})
    result = ch03.q2.check()
    assert result.outcome is Outcome.CORRECT, result.message


# -- exercise 3: commit ----------------------------------------------------------------------------
def test_q3_untouched_is_not_attempted():
    assert ch03.q3.check().outcome is Outcome.NOT_ATTEMPTED


def test_q3_a_new_tag_is_not_a_new_image(notes, engine_client):
    ref = lab.labels.image_repo("notes-snapshot") + ":v1"
    engine_client.api.tag(notes, *ref.rsplit(":", 1))  # by name: Podman 4.3 refuses to tag an image given by ID
    try:
        result = ch03.q3.check()
    finally:
        engine_client.images.remove(ref)  # only the tag: the course image stays
    assert result.outcome is Outcome.INCORRECT
    assert "same ID" in result.message


def test_q3_commit_without_the_file_is_incorrect(notes):
    pad = lab.run("scratchpad", notes)
    pad.exec("echo hi > /app/notes/other.txt")
    pad.commit("notes-snapshot:v1")
    result = ch03.q3.check()
    assert result.outcome is Outcome.INCORRECT
    assert "/app/notes/mine.txt" in result.message


def test_q3_solution_is_correct(notes, engine_client):
    pad = lab.run("scratchpad", notes)
    assert pad.exec("echo 'my own note' > /app/notes/mine.txt").ok
    before = engine_client.images.get(notes).id
    lab.container("scratchpad").commit("notes-snapshot:v1")
    result = ch03.q3.check()
    assert result.outcome is Outcome.CORRECT, result.message
    assert engine_client.images.get(notes).id == before


# -- the class of beginners: the terminal, other spellings, half-done work, later exercises ----------
def test_q1_plain_cli_work_is_correct(cli, notes):
    assert lab.name("scratchpad") in ch03.q1.check().message
    cli("run", "-d", "--name", lab.name("scratchpad"), notes)
    cli("exec", lab.name("scratchpad"), "sh", "-c", "echo mine > /app/notes/mine.txt")
    assert ch03.q1.check().outcome is Outcome.CORRECT


def test_q1_a_folder_where_a_file_was_asked_is_incorrect(notes):
    pad = lab.run("scratchpad", notes)
    assert pad.exec("mkdir /app/notes/mine.txt").ok
    result = ch03.q1.check()
    assert result.outcome is Outcome.INCORRECT and "is a folder, not a file" in result.message


def test_q2_the_mount_spelling_of_a_tmpfs_is_correct(cli, notes):
    cli("run", "-d", "--name", lab.name("locked"), "--read-only", "--mount", "type=tmpfs,destination=/tmp",
        "-e", "NOTES_FILE=/tmp/notes.txt", notes)
    result = ch03.q2.check()
    assert result.outcome is Outcome.CORRECT, result.message


def test_q2_a_read_only_tmpfs_for_an_app_that_must_write_is_incorrect(cli, notes):
    cli("run", "-d", "--name", lab.name("locked"), "--read-only", "--tmpfs", "/tmp:ro",
        "-e", "NOTES_FILE=/tmp/notes.txt", notes)
    result = ch03.q2.check()
    assert result.outcome is Outcome.INCORRECT and "cannot write" in result.message


def test_q2_a_stopped_container_is_called_stopped_not_cannot_write(notes):
    locked = lab.run("locked", notes, read_only=True, tmpfs={"/tmp": "size=16m"}, env={"NOTES_FILE": "/tmp/notes.txt"},
                     wait="log:note 1")
    locked.stop(timeout=1)
    result = ch03.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "is stopped" in result.message and "cannot write" not in result.message and "docker start" in result.message


@pytest.mark.docker_only(reason="Podman 4.3 answers the docker CLI's `docker commit` with \"Decode(): EOF\"")
def test_q3_committed_in_the_terminal_is_correct(cli, notes):
    cli("run", "-d", "--name", lab.name("scratchpad"), notes)
    cli("exec", lab.name("scratchpad"), "sh", "-c", "echo mine > /app/notes/mine.txt")
    cli("commit", lab.name("scratchpad"), lab.checks.image_ref(ch03.SNAPSHOT))
    assert ch03.q3.check().outcome is Outcome.CORRECT


def test_q3_the_chapters_own_snapshot_under_the_exercises_name_is_incorrect(notes):
    pad = lab.run("pad", notes)
    assert pad.exec("echo 'keep me' > /app/notes/keep.txt").ok
    demo = pad.commit("notes-snapshot:demo")  # what section 6 of the chapter makes
    lab.images.tag(demo.id, ch03.SNAPSHOT)
    result = ch03.q3.check()
    assert result.outcome is Outcome.INCORRECT and "exercise 1" in result.message  # the way back


def test_earlier_exercises_stay_correct_after_the_later_ones(notes):
    pad = lab.run("scratchpad", notes)
    assert pad.exec("echo 'my own note' > /app/notes/mine.txt").ok
    lab.run("locked", notes, read_only=True, tmpfs={"/tmp": "size=16m"}, env={"NOTES_FILE": "/tmp/notes.txt"})
    pad.commit(ch03.SNAPSHOT)
    checks = lambda: [ch03.q1.check().outcome, ch03.q2.check().outcome, ch03.q3.check().outcome]  # noqa: E731
    assert checks() == [Outcome.CORRECT] * 3
    assert checks() == [Outcome.CORRECT] * 3  # checked again (a re-run, or grading): the same answers
