"""Chapter 07's exercise checks on the real engine: untouched, set-up only, half-done and wrong fixes, the plain
docker CLI, a clean stop that is not a crash, the solutions (and exercise 1 still Correct after exercise 2)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

import dockerlab as lab
from dockerlab.checks import Outcome, image_ref
from dockerlab.engine import engine_address
from dockerlab.exercises import ch07
from conftest import skip_or_fail
from learner_cli import cli  # noqa: F401 (fixture: the learner's terminal)

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("chapter_under_test")]
CHAPTER = "07"
URL = "postgres://todo@db:5432/todo"


def outcome(problem):
    result = problem.check()
    return result.outcome, result.message


def docker(*args: str) -> None:
    """The plain docker CLI, as a learner types it in a terminal (no kit labels)."""
    if not shutil.which("docker"):
        skip_or_fail("no docker CLI")
    subprocess.run(["docker", *args], check=True, capture_output=True, timeout=120,
                   env=dict(os.environ, DOCKER_HOST=engine_address()))


@pytest.fixture
def set_up():
    ch07.set_up()


def test_untouched_is_not_attempted():
    assert outcome(ch07.q1)[0] is Outcome.NOT_ATTEMPTED
    assert outcome(ch07.q2)[0] is Outcome.NOT_ATTEMPTED


def test_the_set_up_alone_is_not_attempted(set_up):
    kind, message = outcome(ch07.q1)
    assert kind is Outcome.NOT_ATTEMPTED and "keeps exiting" in message and lab.name(ch07.APP) in message
    kind, message = outcome(ch07.q2)
    assert kind is Outcome.NOT_ATTEMPTED and "32m" in message


def test_solutions_are_correct_and_exercise_1_stays_correct(set_up):
    lab.run(ch07.APP, ch07.APP_IMAGE, restart="on-failure", env={"DATABASE_URL": URL}, wait="healthy", timeout=30)
    assert outcome(ch07.q1)[0] is Outcome.CORRECT
    lab.run(ch07.JOB, ch07.JOB_IMAGE, mem_limit="256m").wait()
    assert outcome(ch07.q2)[0] is Outcome.CORRECT
    assert outcome(ch07.q1)[0] is Outcome.CORRECT


def test_q1_a_wrong_value_quotes_the_programs_own_error(set_up):
    lab.run(ch07.APP, ch07.APP_IMAGE, restart="on-failure", env={"DATABASE_URL": "db:5432"})
    kind, message = outcome(ch07.q1)
    assert kind is Outcome.INCORRECT and "must start with postgres://" in message


def test_q1_another_command_is_not_a_fix(set_up):
    lab.run(ch07.APP, ch07.APP_IMAGE, ["sleep", "infinity"], restart="on-failure", env={"DATABASE_URL": URL})
    kind, message = outcome(ch07.q1)
    assert kind is Outcome.INCORRECT and "never said it was ready" in message


def test_q1_a_clean_stop_is_called_a_stop_not_a_crash(set_up):
    lab.run(ch07.APP, ch07.APP_IMAGE, restart="on-failure", env={"DATABASE_URL": URL}, wait="healthy",
            timeout=30).stop()
    kind, message = outcome(ch07.q1)
    assert kind is Outcome.INCORRECT and "it was stopped, it did not crash" in message


def test_q1_another_image_is_incorrect(set_up):
    lab.run(ch07.APP, "debian:bookworm-slim", ["sleep", "infinity"], restart="on-failure", env={"DATABASE_URL": URL})
    kind, message = outcome(ch07.q1)
    assert kind is Outcome.INCORRECT and "todo-report:1.0" in message


def test_q1_the_plain_docker_cli_is_accepted(set_up):
    name, image = lab.name(ch07.APP), image_ref(ch07.APP_IMAGE)
    docker("rm", "-f", name)
    try:
        docker("run", "-d", "--name", name, "--restart", "on-failure", "-e", f"DATABASE_URL={URL}", image)
        lab.container(ch07.APP).wait_ready("healthy", timeout=30)
        kind, message = outcome(ch07.q1)
        assert kind is Outcome.CORRECT, message
    finally:
        docker("rm", "-f", name)


def test_q2_no_limit_at_all_is_incorrect(set_up):
    name = lab.name(ch07.JOB)
    docker("rm", "-f", name)
    try:
        docker("run", "--name", name, image_ref(ch07.JOB_IMAGE))
        kind, message = outcome(ch07.q2)
        assert kind is Outcome.INCORRECT and "no memory limit at all" in message
    finally:
        docker("rm", "-f", name)


def test_q2_a_limit_still_too_small_is_killed_again(set_up, engine_client):
    if not lab.engine_info().memory_limit:
        skip_or_fail("this engine does not enforce memory limits")
    lab.run(ch07.JOB, ch07.JOB_IMAGE, mem_limit="48m").wait()
    kind, message = outcome(ch07.q2)
    assert kind is Outcome.INCORRECT and "killed again" in message and "48 MiB" in message


def test_q2_the_plain_docker_cli_is_accepted(set_up):
    name = lab.name(ch07.JOB)
    docker("rm", "-f", name)
    try:
        docker("run", "--name", name, "-m", "200m", image_ref(ch07.JOB_IMAGE))
        kind, message = outcome(ch07.q2)
        assert kind is Outcome.CORRECT, message
    finally:
        docker("rm", "-f", name)


def test_q2_another_image_is_incorrect(set_up):
    lab.run(ch07.JOB, "debian:bookworm-slim", ["true"], mem_limit="256m").wait()
    kind, message = outcome(ch07.q2)
    assert kind is Outcome.INCORRECT and "nightly-report:1.0" in message


# -- the class of beginners (issue 14 §4): spellings, half-done fixes, the learner's own mistakes, ways back ---------
def test_q1_a_restart_policy_with_a_retry_count_is_the_same_policy(set_up, cli):
    name = lab.name(ch07.APP)
    cli("rm", "-f", name)
    cli("run", "-d", "--name", name, "--restart", "on-failure:5", "--env", f"DATABASE_URL={URL}",
        image_ref(ch07.APP_IMAGE))
    lab.container(ch07.APP).wait_ready("healthy", timeout=30)
    kind, message = outcome(ch07.q1)
    assert kind is Outcome.CORRECT, message


def test_q1_the_image_by_its_id_is_the_same_image(set_up):
    image_id = lab.images.inspect(ch07.APP_IMAGE).id
    lab.run(ch07.APP, image_id, restart="on-failure", env={"DATABASE_URL": URL}, wait="healthy", timeout=30)
    kind, message = outcome(ch07.q1)
    assert kind is Outcome.CORRECT, message


def test_q1_the_fix_without_the_restart_policy_is_half_done(set_up):
    lab.run(ch07.APP, ch07.APP_IMAGE, env={"DATABASE_URL": URL}, wait="healthy", timeout=30)
    kind, message = outcome(ch07.q1)
    assert kind is Outcome.INCORRECT and "'no'" in message and "on-failure" in message


def test_q1_a_fixed_copy_under_another_name_names_the_container_the_check_reads(set_up, cli):
    other = lab.name("todo-report-fixed")
    cli("run", "-d", "--name", other, "--restart", "on-failure", "-e", f"DATABASE_URL={URL}",
        image_ref(ch07.APP_IMAGE))
    kind, message = outcome(ch07.q1)
    assert kind is Outcome.NOT_ATTEMPTED
    assert other in message and f"'{lab.name(ch07.APP)}'" in message and "keeps exiting" in message


def test_q1_a_command_as_one_string_is_the_learners_mistake_not_the_engines(set_up, cli):
    name = lab.name(ch07.APP)
    cli("rm", "-f", name)
    done = cli("run", "-d", "--name", name, "--restart", "on-failure", "-e", f"DATABASE_URL={URL}",
               image_ref(ch07.APP_IMAGE), "bash /usr/local/bin/todo-report.sh", ok=False)
    assert done.returncode != 0  # docker run itself refuses to start it: the container stays created
    kind, message = outcome(ch07.q1)
    assert kind is Outcome.INCORRECT
    assert "one string" in message and '["bash", "/usr/local/bin/todo-report.sh"]' in message
    assert "engine" not in message.lower()


def test_q2_a_created_job_is_called_created_not_killed(set_up, cli):
    name = lab.name(ch07.JOB)
    cli("rm", "-f", name)
    cli("create", "--name", name, "--memory", "256m", image_ref(ch07.JOB_IMAGE))
    kind, message = outcome(ch07.q2)
    assert kind is Outcome.INCORRECT and "created but never started" in message and f"docker start {name}" in message


def test_q2_docker_update_and_start_of_the_same_container_is_a_fix(set_up, cli):
    if not lab.engine_info().memory_limit:
        skip_or_fail("this engine does not enforce memory limits")
    name = lab.name(ch07.JOB)
    cli("update", "--memory", "256m", "--memory-swap", "512m", name)  # the set-up's container, fixed in place
    cli("start", "--attach", name, timeout=120)
    kind, message = outcome(ch07.q2)
    assert kind is Outcome.CORRECT, message


def test_after_a_reset_the_checks_point_at_the_set_up_cell(set_up):
    lab.reset(CHAPTER)
    for q in (ch07.q1, ch07.q2):
        kind, message = outcome(q)
        assert kind is Outcome.NOT_ATTEMPTED and "ex.set_up()" in message


def test_the_set_up_runs_again_and_puts_the_broken_containers_back(set_up):
    lab.run(ch07.APP, ch07.APP_IMAGE, restart="on-failure", env={"DATABASE_URL": URL}, wait="healthy", timeout=30)
    assert outcome(ch07.q1)[0] is Outcome.CORRECT
    ch07.set_up()  # the way back after an out-of-order step: the set-up again
    assert outcome(ch07.q1)[0] is Outcome.NOT_ATTEMPTED
    assert outcome(ch07.q2)[0] is Outcome.NOT_ATTEMPTED


def test_checked_again_the_answers_are_the_same(set_up):
    lab.run(ch07.APP, ch07.APP_IMAGE, restart="on-failure", env={"DATABASE_URL": URL}, wait="healthy", timeout=30)
    lab.run(ch07.JOB, ch07.JOB_IMAGE, mem_limit="256m").wait()
    for _ in range(2):
        assert [outcome(ch07.q1)[0], outcome(ch07.q2)[0]] == [Outcome.CORRECT, Outcome.CORRECT]
