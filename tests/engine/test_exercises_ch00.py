"""Chapter 00's exercise checks on the real engine: untouched, wrong attempts, the solution."""

from __future__ import annotations

import pytest

import dockerlab as lab
from dockerlab.checks import Outcome
from dockerlab.course import ensure_app
from dockerlab.errors import BadInput
from dockerlab.exercises import ch00
from learner_cli import cli  # noqa: F401 (fixture: the learner's terminal)

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


@pytest.mark.parametrize("paused", [False, True], ids=["running", "paused"])
def test_q2_still_running_is_incorrect(hello, paused):
    """A program that has not ended has no exit code: the check says so (a paused one was "exited with code None")."""
    c = lab.run("first", hello, ["sleep", "60"])
    if paused:
        c.sdk.pause()
    result = ch00.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "still running" in result.message, result.message


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


# -- the class of beginners: the terminal, other spellings, half-done work --------------------------
def test_q1_the_terminals_answer_with_its_newline_is_correct(cli):
    said = cli("version", "--format", "{{.Server.Version}}").stdout  # "20.10.24+dfsg1\n"
    assert said.endswith("\n") and ch00.q1.check(said).outcome is Outcome.CORRECT


def test_q2_plain_cli_run_is_correct_and_messages_name_the_exact_container(cli, hello):
    assert lab.name("first") in ch00.q2.check().message  # Not attempted names the container it looks for
    cli("run", "--name", lab.name("first"), "dockerlab/hello:1.0")
    assert ch00.q2.check().outcome is Outcome.CORRECT


def test_q2_the_image_by_id_or_another_tag_is_correct(cli, hello):
    image_id = lab.images.inspect(hello).id
    cli("run", "--name", lab.name("first"), image_id)
    assert ch00.q2.check().outcome is Outcome.CORRECT
    cli("rm", lab.name("first"))
    other_tag = lab.checks.image_ref("my-hello:v1")
    cli("tag", hello, other_tag)
    cli("run", "--name", lab.name("first"), other_tag)
    assert ch00.q2.check().outcome is Outcome.CORRECT


def test_q2_created_but_never_started_is_incorrect(cli, hello):
    cli("create", "--name", lab.name("first"), hello)
    result = ch00.q2.check()
    assert result.outcome is Outcome.INCORRECT and "never started" in result.message


def test_both_exercises_stay_correct_when_checked_again(hello):
    first = lab.run("first", hello)
    first.wait()
    version = lab.connect().version()["Version"]
    outcomes = [ch00.q1.check(version).outcome, ch00.q2.check().outcome]
    assert outcomes == [ch00.q1.check(version).outcome, ch00.q2.check().outcome] == [Outcome.CORRECT] * 2
