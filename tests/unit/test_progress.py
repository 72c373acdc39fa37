"""Offline: the progress file — what a check records, and how the teacher's reader copes with bad files."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from dockerlab import progress
from dockerlab.errors import BadInput
from dockerlab.progress import read_class, read_file, record

T0 = 1_780_000_000.0  # 2026-05-28


class Clock:
    def __init__(self, t: float = T0) -> None:
        self.t = t

    def __call__(self) -> float:
        self.t += 60
        return self.t


@pytest.fixture
def path(tmp_path):
    return tmp_path / "home" / ".dockerlab" / "progress.json"


def test_a_check_records_outcome_attempts_and_first_times(path):
    clock = Clock()
    record("03", "q2", "Exercise 2: read-only", "not_attempted", path=path, clock=clock, learner="alice")
    e = record("03", "q2", "Exercise 2: read-only", "incorrect", path=path, clock=clock, learner="alice")
    assert (e.status, e.attempts, e.checks, e.outcome) == ("tried", 1, 2, "incorrect")
    first_attempt = e.first_attempt
    assert first_attempt == progress._iso(T0 + 120) and e.first_correct is None
    record("03", "q2", "Exercise 2: read-only", "correct", path=path, clock=clock, learner="alice")
    e = record("03", "q2", "Exercise 2: read-only", "incorrect", path=path, clock=clock, learner="alice")
    # a later wrong attempt does not undo the first Correct; the last outcome is kept too
    assert (e.status, e.attempts, e.checks, e.outcome) == ("done", 3, 4, "incorrect")
    assert e.first_attempt == first_attempt and e.first_correct == progress._iso(T0 + 180)
    back = read_file(path, "alice", now=T0 + 1000)
    assert back.kind == "ok" and back.problem is None
    assert back.get("03", "q2") == e


def test_only_checks_with_an_answer_count_as_attempts(path):
    e = record("00", "q1", "Exercise 1", "not_attempted", path=path, learner="alice")
    assert (e.status, e.attempts, e.checks, e.first_attempt) == ("not started", 0, 1, None)


def test_the_file_is_private_to_the_learner_and_the_folders_group(path):
    record("00", "q1", "Exercise 1", "correct", path=path, learner="alice")
    assert path.stat().st_mode & 0o777 == 0o640
    assert path.parent.stat().st_mode & 0o777 == 0o700  # a folder the kit makes itself: the learner's only
    assert [p.name for p in path.parent.iterdir()] == ["progress.json"]  # no temp file left


def test_recording_can_be_turned_off(monkeypatch, tmp_path):
    monkeypatch.setenv("DOCKERLAB_PROGRESS", "off")
    assert progress.progress_path() is None
    assert record("00", "q1", "Exercise 1", "correct") is None
    monkeypatch.setenv("DOCKERLAB_PROGRESS", str(tmp_path / "p.json"))
    assert progress.progress_path() == tmp_path / "p.json"
    monkeypatch.delenv("DOCKERLAB_PROGRESS")
    assert progress.progress_path() == Path.home() / ".dockerlab" / "progress.json"


def test_an_unknown_outcome_is_bad_input(path):
    with pytest.raises(BadInput, match="Hint:"):
        record("00", "q1", "Exercise 1", "sort of", path=path)


def test_two_kernels_writing_at_once_lose_no_attempt(path):
    def many():
        for _ in range(40):
            record("02", "q1", "Exercise 1", "incorrect", path=path, learner="alice")

    threads = [threading.Thread(target=many) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert read_file(path, "alice").get("02", "q1").attempts == 120


# -- files the kit cannot use ------------------------------------------------------------------------------------

def good_file(path: Path, learner: str = "alice") -> dict:
    record("00", "q1", "Exercise 1", "incorrect", path=path, learner=learner, clock=Clock())
    record("00", "q2", "Exercise 2", "correct", path=path, learner=learner, clock=Clock(T0 + 600))
    return json.loads(path.read_text())


@pytest.mark.parametrize("content, kind, words", [
    (b"", "garbled", "not readable JSON"),
    (b'{"format": "dockerlab-progress", "version": 1, "lear', "garbled", "cut short"),
    (b"\xff\xfe\x00garbage", "garbled", "not readable JSON"),
    (b'{"cells": [], "nbformat": 4}', "foreign", "not a dockerlab progress file"),
    (b"[1, 2, 3]", "foreign", "not a dockerlab progress file"),
    (b'{"format": "dockerlab-progress", "version": 7}', "foreign", "version 7"),
    (b"x" * (progress.MAX_BYTES + 10), "foreign", "far more than the kit ever writes"),
])
def test_garbled_and_foreign_files_are_described_not_raised(path, content, kind, words):
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    got = read_file(path, "alice")
    assert got.kind == kind and words in got.problem and "Hint:" in got.problem
    assert got.exercises == {}


def test_another_learners_file_is_foreign(path):
    good_file(path, learner="bob")
    got = read_file(path, "alice", now=T0 + 10_000)
    assert got.kind == "foreign" and "'bob'" in got.problem


def edit(path: Path, change) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def resign(data: dict) -> None:
    data["digest"] = progress._digest(data["learner"], data["records"])


@pytest.mark.parametrize("change, words", [
    (lambda d: d["records"]["00/q1"].update(outcome="correct"), "changed by hand"),
    (lambda d: d["records"]["00/q1"].update(attempts=1, first_correct="2026-05-28T20:00:00Z") or resign(d),
     "Correct before its first attempt"),
    (lambda d: d["records"]["00/q1"].update(outcome="correct") or resign(d), "no first Correct"),
    (lambda d: d["records"]["00/q1"].update(first_attempt="2099-01-01T00:00:00Z") or resign(d), "in the future"),
    (lambda d: d["records"]["00/q1"].update(attempts=-2) or resign(d), "impossible counts"),
    (lambda d: d["records"]["00/q1"].update(attempts="many") or resign(d), "does not hold together"),
    (lambda d: d["records"]["00/q1"].update(first_attempt="yesterday") or resign(d), "not a time"),
    (lambda d: d["records"]["00/q1"].update(grade=100) or resign(d), "unknown fields"),
    (lambda d: d["records"].update({"00/q9": d["records"].pop("00/q1")}) or resign(d), "does not hold together"),
])
def test_a_hand_edited_file_is_called_tampered(path, change, words):
    good_file(path)
    edit(path, change)
    got = read_file(path, "alice", now=T0 + 10_000)
    assert got.kind == "tampered" and words in got.problem, got.problem


def test_the_learners_next_check_sets_a_bad_file_aside_and_the_teacher_sees_it(path):
    good_file(path)
    edit(path, lambda d: d["records"]["00/q1"].update(outcome="correct"))
    record("01", "q1", "Exercise 1", "incorrect", path=path, learner="alice", clock=Clock(T0 + 2000))
    aside = [p.name for p in path.parent.iterdir() if p.name != "progress.json"]
    assert aside == ["progress.json.tampered-" + progress.time.strftime("%Y%m%dT%H%M%S", progress.time.gmtime(T0 + 2060))]
    got = read_file(path, "alice", now=T0 + 10_000)
    assert got.kind == "ok" and list(got.exercises) == ["01/q1"]
    assert "set aside" in got.problem and aside[0] in got.problem


def test_a_pipe_or_a_link_in_place_of_the_file_neither_blocks_nor_leaks(path, tmp_path):
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    got = read_file(path, "alice")  # would block forever if opened as a file
    assert got.kind == "foreign" and "not a plain file" in got.problem
    path.unlink()
    secret = tmp_path / "secret.txt"
    secret.write_text("the teacher's private notes")
    path.symlink_to(secret)
    got = read_file(path, "alice")
    assert got.kind == "foreign" and "private notes" not in got.problem


def test_a_file_owned_by_someone_else_is_foreign(path):
    good_file(path)
    got = read_file(path, "alice", owner_uid=path.stat().st_uid + 1, now=T0 + 10_000)
    assert got.kind == "foreign" and "owned by" in got.problem


def test_the_class_reader_reports_each_learner_and_one_bad_file_hides_no_other(tmp_path):
    homes = tmp_path / "home"
    for name in ("alice", "bob", "carol", "dave", "eve"):
        (homes / name).mkdir(parents=True)
    rel = ".dockerlab/progress.json"
    good_file(homes / "alice" / rel, "alice")
    (homes / "bob" / ".dockerlab").mkdir()
    (homes / "bob" / rel).write_text("{ this is not json")
    good_file(homes / "carol" / rel, "alice")  # carol copied alice's file
    good_file(homes / "eve" / rel, "eve")
    edit(homes / "eve" / rel, lambda d: d["records"]["00/q1"].update(attempts=1, outcome="correct"))
    got = {lp.learner: lp for lp in read_class(homes, now=T0 + 10_000)}
    assert sorted(got) == ["alice", "bob", "carol", "dave", "eve"]
    assert {k: v.kind for k, v in got.items()} == {"alice": "ok", "bob": "garbled", "carol": "foreign",
                                                  "dave": "missing", "eve": "tampered"}
    assert got["alice"].get("00", "q2").status == "done" and got["alice"].get("00", "q1").status == "tried"
    just = read_class(homes, learners=["nosuchuser-xyz"], now=T0)
    assert [(lp.learner, lp.kind) for lp in just] == [("nosuchuser-xyz", "missing")]


def test_an_unlistable_class_folder_is_bad_input(tmp_path):
    with pytest.raises(BadInput, match="Hint:"):
        read_class(tmp_path / "nowhere")


# -- what check() records ----------------------------------------------------------------------------------------

def test_every_check_of_a_chapter_exercise_is_recorded(monkeypatch, tmp_path):
    import sys
    import types

    from dockerlab.checks import Incorrect, Problem
    from dockerlab.exercises import ch00

    monkeypatch.setenv("DOCKERLAB_PROGRESS", str(tmp_path / "p.json"))
    monkeypatch.delenv("DOCKERLAB_EXPECT_CHECKS", raising=False)
    monkeypatch.setenv("DOCKERLAB_SESSION", "mia")
    assert ch00.q1.where() == ("00", "q1")
    ch00.q1.check("____")  # the placeholder: Not attempted, no engine needed

    class Wrong(Problem):
        title = "Exercise 2: always wrong"

        def inspect(self):
            raise Incorrect("nope")

    module = types.ModuleType("dockerlab_fake_course.ch42")
    Wrong.__module__ = module.__name__
    module.q2 = Wrong()
    monkeypatch.setitem(sys.modules, module.__name__, module)
    assert module.q2.check().outcome.name == "INCORRECT"
    loose = Wrong()  # not one of a chapter module's qN: nothing to record it under
    assert loose.where() is None and loose.check().outcome.name == "INCORRECT"
    got = read_file(tmp_path / "p.json", "mia")
    assert got.kind == "ok" and sorted(got.exercises) == ["00/q1", "42/q2"]
    assert got.get("00", "q1").outcome == "not_attempted" and got.get("42", "q2").attempts == 1
    assert got.get("42", "q2").title == "Exercise 2: always wrong"


def test_a_progress_file_that_cannot_be_written_does_not_stop_the_check(monkeypatch, tmp_path, capsys):
    from dockerlab import checks
    from dockerlab.exercises import ch00

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("DOCKERLAB_PROGRESS", str(blocker / "p.json"))
    monkeypatch.delenv("DOCKERLAB_EXPECT_CHECKS", raising=False)
    monkeypatch.setattr(checks, "_progress_warned", False)
    assert ch00.q1.check("____").outcome.name == "NOT_ATTEMPTED"
    assert ch00.q1.check("____").outcome.name == "NOT_ATTEMPTED"
    err = capsys.readouterr().err
    assert err.count("Your progress could not be saved") == 1
