"""Chapter 00's exercise checks on the real engine: untouched, wrong attempts, the solution."""

from __future__ import annotations

import pytest

import dockerlab as lab
from dockerlab.checks import Outcome
from dockerlab.course import ensure_app
from dockerlab.errors import BadInput
from dockerlab.exercises import ch00

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("chapter_under_test")]
CHAPTER = "00"


@pytest.fixture(scope="module")
def hello(engine_client):
    return ensure_app("hello")


def test_q1_untouched_is_not_attempted():
    assert ch00.q1.check("____").outcome is Outcome.NOT_ATTEMPTED


def test_q1_api_version_is_incorrect_and_says_why():
    result = ch00.q1.check(lab.connect().version()["ApiVersion"])
    assert result.outcome is Outcome.INCORRECT
    assert "API version" in result.message


def test_q1_made_up_version_is_incorrect():
    result = ch00.q1.check("99.0.0")
    assert result.outcome is Outcome.INCORRECT
    assert "'99.0.0'" in result.message


def test_q1_wrong_type_is_bad_input():
    with pytest.raises(BadInput) as err:
        ch00.q1.check(20.10)
    assert "must be a str" in err.value.what and err.value.message.splitlines()[-1].startswith("Hint:")


def test_q1_solution_is_correct():
    assert ch00.q1.check(lab.connect().version()["Version"]).outcome is Outcome.CORRECT


def test_q2_untouched_is_not_attempted():
    assert ch00.q2.check().outcome is Outcome.NOT_ATTEMPTED


def test_q2_wrong_image_is_incorrect():
    c = lab.run("first", "debian:bookworm-slim", ["echo", "Hello"])
    c.sdk.wait()
    result = ch00.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "debian:bookworm-slim" in result.message


def test_q2_still_running_is_incorrect(hello):
    lab.run("first", hello, ["sleep", "60"])
    result = ch00.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "still running" in result.message


def test_q2_failed_program_is_incorrect(hello):
    c = lab.run("first", hello, ["sh", "-c", "exit 4"])
    c.sdk.wait()
    result = ch00.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "code 4" in result.message


def test_q2_solution_is_correct(hello):
    first = lab.run("first", "dockerlab/hello:1.0")
    first.sdk.wait()
    assert ch00.q2.check().outcome is Outcome.CORRECT
