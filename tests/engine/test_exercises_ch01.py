"""Chapter 01's exercise checks on the real engine: untouched, a wrong attempt, the solution."""

from __future__ import annotations

import pytest

import dockerlab as lab
from dockerlab.checks import Outcome
from dockerlab.course import ensure_app
from dockerlab.exercises import ch01
from learner_cli import cli  # noqa: F401 (fixture: the learner's terminal)

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("chapter_under_test")]
CHAPTER = "01"

BASE = "debian:bookworm-slim"


def test_q1_untouched_is_not_attempted():
    assert ch01.q1.check().outcome is Outcome.NOT_ATTEMPTED


def test_q1_default_hostname_is_incorrect():
    lab.run("box", BASE, ["sleep", "infinity"])
    result = ch01.q1.check()
    assert result.outcome is Outcome.INCORRECT
    assert "default" in result.message and "hostname" in result.message


def test_q1_wrong_hostname_is_incorrect():
    lab.run("box", BASE, ["sleep", "infinity"], hostname="my-box")
    result = ch01.q1.check()
    assert result.outcome is Outcome.INCORRECT
    assert "'my-box'" in result.message and "lab-box" not in result.message


def test_q1_exited_container_is_incorrect():
    box = lab.run("box", BASE, ["true"], hostname="lab-box")
    box.sdk.wait()
    result = ch01.q1.check()
    assert result.outcome is Outcome.INCORRECT
    assert "not running" in result.message


def test_q1_solution_is_correct():
    lab.run("box", BASE, ["sleep", "infinity"], hostname="lab-box")
    assert ch01.q1.check().outcome is Outcome.CORRECT


@pytest.fixture
def mystery():
    return lab.run("mystery", ensure_app("backend"))


def test_q2_untouched_is_not_attempted(mystery):
    assert ch01.q2.check("____").outcome is Outcome.NOT_ATTEMPTED


def test_q2_wrong_answers_are_incorrect(mystery):
    result = ch01.q2.check("sleep infinity")
    assert result.outcome is Outcome.INCORRECT and "sleep infinity" in result.message
    result = ch01.q2.check("java")
    assert result.outcome is Outcome.INCORRECT and "whole command line" in result.message
    result = ch01.q2.check("cat /proc/1/cmdline")
    assert result.outcome is Outcome.INCORRECT and "command you ran" in result.message
    result = ch01.q2.check("java -jar app.jar")
    assert result.outcome is Outcome.INCORRECT and "arguments" in result.message


def test_q2_without_the_container_is_incorrect():
    result = ch01.q2.check("java -jar /app/app.jar")
    assert result.outcome is Outcome.INCORRECT and f"'{lab.name('mystery')}'" in result.message
    assert "run the cell that starts it" in result.message  # the way back


def test_q2_solution_is_correct(mystery):
    answer = mystery.exec("cat /proc/1/cmdline | tr '\\0' ' '").output.strip()
    assert ch01.q2.check(answer).outcome is Outcome.CORRECT
    as_list = [w for w in mystery.exec(["cat", "/proc/1/cmdline"]).output.split("\0") if w]
    assert ch01.q2.check(as_list).outcome is Outcome.CORRECT


# -- the class of beginners: the terminal, other spellings, half-done work, the way back -------------
def test_q1_plain_cli_work_is_correct_and_messages_name_the_exact_container(cli):
    assert lab.name("box") in ch01.q1.check().message  # Not attempted names what it looks for
    cli("run", "-d", "--name", lab.name("box"), "--hostname", "lab-box", BASE, "sleep", "infinity")
    assert ch01.q1.check().outcome is Outcome.CORRECT


def test_q1_a_stopped_box_is_called_stopped(cli):
    cli("run", "-d", "--name", lab.name("box"), "--hostname", "lab-box", BASE, "sleep", "infinity")
    cli("stop", "-t", "0", lab.name("box"))
    result = ch01.q1.check()
    assert result.outcome is Outcome.INCORRECT and "is stopped (exit code" in result.message
    assert lab.name("box") in result.message


def test_q2_the_terminals_raw_answer_is_correct(cli, mystery):
    raw = cli("exec", mystery.name, "cat", "/proc/1/cmdline").stdout  # arguments separated by zero bytes
    assert "\0" in raw and ch01.q2.check(raw).outcome is Outcome.CORRECT


def test_q2_a_stopped_mystery_gives_the_way_back(mystery):
    mystery.stop(timeout=1)
    result = ch01.q2.check("java -jar /app/app.jar")
    assert result.outcome is Outcome.INCORRECT and "is stopped" in result.message
    assert "run the cell that starts it again" in result.message


def test_both_exercises_stay_correct_when_checked_again(mystery):
    lab.run("box", BASE, ["sleep", "infinity"], hostname="lab-box")
    answer = mystery.exec("cat /proc/1/cmdline | tr '\\0' ' '").output.strip()
    first = [ch01.q1.check().outcome, ch01.q2.check(answer).outcome]
    assert first == [ch01.q1.check().outcome, ch01.q2.check(answer).outcome] == [Outcome.CORRECT] * 2
