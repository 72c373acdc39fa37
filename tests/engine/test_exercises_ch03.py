"""Chapter 03's exercise checks on the real engine: untouched, wrong attempts, the solution."""

from __future__ import annotations

import pytest

import dockerlab as lab
from dockerlab.checks import Outcome
from dockerlab.course import ensure_app
from dockerlab.exercises import ch03

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


def test_q2_missing_tmpfs_is_incorrect(notes):
    lab.run("locked", notes, read_only=True, tmpfs={"/scratch": ""})
    result = ch03.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "no tmpfs" in result.message and "/scratch" in result.message


def test_q2_app_that_cannot_write_is_incorrect(notes):
    lab.run("locked", notes, read_only=True, tmpfs={"/tmp": "size=16m"})
    result = ch03.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "stopped" in result.message and "logs" in result.message


def test_q2_solution_is_correct(notes):
    lab.run("locked", notes, read_only=True, tmpfs={"/tmp": "size=16m"}, env={"NOTES_FILE": "/tmp/notes.txt"})
    result = ch03.q2.check()
    assert result.outcome is Outcome.CORRECT, result.message


# -- exercise 3: commit ----------------------------------------------------------------------------
def test_q3_untouched_is_not_attempted():
    assert ch03.q3.check().outcome is Outcome.NOT_ATTEMPTED


def test_q3_a_new_tag_is_not_a_new_image(notes, engine_client):
    ref = lab.labels.image_repo("notes-snapshot") + ":v1"
    engine_client.images.get(notes).tag(ref)
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
