"""Chapter 02's exercise checks on the real engine: untouched, wrong attempts, the solution."""

from __future__ import annotations

import pytest

import dockerlab as lab
from dockerlab.checks import Outcome
from dockerlab.exercises import ch02

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("chapter_under_test")]
CHAPTER = "02"

BASE = "debian:bookworm-slim"
GOOD = str(ch02.q2.solution()).split('"""')[1]  # the chapter notebook's solution block
BAD = f'FROM {BASE}\nCOPY app.txt /app/app.txt\n{ch02.SLOW_STEP}\nCMD ["cat", "/app/app.txt"]\n'


def _greeter(cmd: str, tag: str = "greeter:v1") -> lab.images.BuildResult:
    return lab.build(tag, dockerfile=f"FROM {BASE}\nCMD {cmd}\n")


# -- exercise 1: build greeter:v1 --------------------------------------------------------------
def test_q1_untouched_is_not_attempted():
    assert ch02.q1.check().outcome is Outcome.NOT_ATTEMPTED


def test_q1_wrong_greeting_is_incorrect():
    _greeter('["echo", "Hello, world!"]')
    result = ch02.q1.check()
    assert result.outcome is Outcome.INCORRECT
    assert "'Hello, world!'" in result.message and "Hello, Docker!" not in result.message


def test_q1_failing_command_is_incorrect():
    _greeter('["false"]')
    result = ch02.q1.check()
    assert result.outcome is Outcome.INCORRECT and "exited with code 1" in result.message


def test_q1_wrong_tag_is_incorrect():
    _greeter('["echo", "Hello, Docker!"]', tag="greeter")
    result = ch02.q1.check()
    assert result.outcome is Outcome.INCORRECT and "greeter:latest" in result.message


def test_q1_solution_is_correct():
    _greeter('["echo", "Hello, Docker!"]')
    assert ch02.q1.check().outcome is Outcome.CORRECT
    assert lab.leaks(chapter="02") and all(r.kind == "image" for r in lab.leaks(chapter="02"))  # no check container


# -- exercise 2: reorder for the cache ---------------------------------------------------------
def test_q2_untouched_is_not_attempted():
    assert ch02.q2.check("____").outcome is Outcome.NOT_ATTEMPTED


def test_q2_bad_order_is_incorrect_after_a_real_build():
    result = ch02.q2.check(BAD)
    assert result.outcome is Outcome.INCORRECT
    assert "slow RUN step ran again" in result.message
    assert lab.leaks(chapter="02") == []  # the check's own images are gone


def test_q2_dropped_or_changed_instruction_is_incorrect():
    without_copy = "\n".join(line for line in GOOD.splitlines() if not line.startswith("COPY"))
    result = ch02.q2.check(without_copy)
    assert result.outcome is Outcome.INCORRECT and "COPY app.txt" in result.message
    extra = GOOD + "RUN echo more\n"
    result = ch02.q2.check(extra)
    assert result.outcome is Outcome.INCORRECT and "RUN echo more" in result.message


def test_q2_another_good_order_is_correct_and_a_broken_one_is_not():
    cmd_first = f'FROM {BASE}\nCMD ["cat", "/app/app.txt"]\n{ch02.SLOW_STEP}\nCOPY app.txt /app/app.txt\n'
    # still builds, and CMD order does not matter to the image: this is a correct order too
    assert ch02.q2.check(cmd_first).outcome is Outcome.CORRECT
    from_late = f'COPY app.txt /app/app.txt\nFROM {BASE}\n{ch02.SLOW_STEP}\nCMD ["cat", "/app/app.txt"]\n'
    result = ch02.q2.check(from_late)
    assert result.outcome is Outcome.INCORRECT and "does not build" in result.message


def test_q2_solution_is_correct():
    assert ch02.q2.check(GOOD).outcome is Outcome.CORRECT
    assert lab.leaks(chapter="02") == []


# -- exercise 3: a second tag ------------------------------------------------------------------
def test_q3_untouched_is_not_attempted():
    _greeter('["echo", "Hello, Docker!"]')
    assert ch02.q3.check().outcome is Outcome.NOT_ATTEMPTED


def test_q3_rebuilt_instead_of_tagged_is_incorrect():
    _greeter('["echo", "Hello, Docker!"]')
    _greeter('["echo", "Hello, Docker! (again)"]', tag="greeter:stable")
    result = ch02.q3.check()
    assert result.outcome is Outcome.INCORRECT and "two different images" in result.message


def test_q3_without_v1_is_incorrect():
    _greeter('["echo", "Hello, Docker!"]', tag="greeter:stable")
    result = ch02.q3.check()
    assert result.outcome is Outcome.INCORRECT and "greeter:v1" in result.message


def test_q3_solution_is_correct():
    _greeter('["echo", "Hello, Docker!"]')
    lab.images.tag("greeter:v1", "greeter:stable")
    assert ch02.q3.check().outcome is Outcome.CORRECT
