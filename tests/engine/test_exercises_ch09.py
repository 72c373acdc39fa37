"""Chapter 09's try-it checks on the real engine: untouched, wrong and half-done attempts, the plain docker CLI,
equivalent spellings (an image by ID), the solutions (and exercise 1 still Correct after exercise 2)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

import dockerlab as lab
from dockerlab.checks import Outcome, image_ref
from dockerlab.course import ensure_app
from dockerlab.engine import engine_address
from dockerlab.exercises import ch09
from conftest import skip_or_fail

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("chapter_under_test")]
CHAPTER = "09"

FLAKY = ("FROM debian:bookworm-slim\n"
         "CMD [\"bash\", \"-c\", \"trap 'exit 0' TERM; while [ ! -e /tmp/crash ]; do sleep 0.1; done; "
         "rm -f /tmp/crash; exit 1\"]\n")
OWN_CHECK = {"test": ["CMD", "/usr/local/bin/healthcheck"], "interval": 2, "retries": 2}


@pytest.fixture
def flaky():
    return lab.build("flaky:1", dockerfile=FLAKY)


def crash(c: lab.Container) -> None:
    before = c.reload().restart_count
    c.exec("touch /tmp/crash")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        c.reload()
        if c.restart_count > before and c.status == "running":
            return
        if c.status == "exited" and time.monotonic() > deadline - 8:
            return
        time.sleep(0.1)


def outcome(problem):
    result = problem.check()
    return result.outcome, result.message


def docker(*args: str) -> None:
    if not shutil.which("docker"):
        skip_or_fail("no docker CLI")
    subprocess.run(["docker", *args], check=True, capture_output=True, timeout=120,
                   env=dict(os.environ, DOCKER_HOST=engine_address()))


def test_untouched_is_not_attempted_and_names_the_container():
    for q, name in ((ch09.q1, "resilient"), (ch09.q2, "checked")):
        kind, message = outcome(q)
        assert kind is Outcome.NOT_ATTEMPTED and lab.name(name) in message


def test_q1_without_policy_is_incorrect(flaky):
    crash(lab.run("resilient", "flaky:1"))
    kind, message = outcome(ch09.q1)
    assert kind is Outcome.INCORRECT and "'no'" in message


def test_q1_policy_but_no_crash_yet_is_incorrect(flaky):
    lab.run("resilient", "flaky:1", restart="always")
    kind, message = outcome(ch09.q1)
    assert kind is Outcome.INCORRECT and "not crashed yet" in message


def test_q1_stopped_by_hand_is_a_stop_not_a_crash(flaky):
    lab.run("resilient", "flaky:1", restart="always").stop()
    kind, message = outcome(ch09.q1)
    assert kind is Outcome.INCORRECT and "stopping it yourself is not a crash" in message


def test_q1_other_image_is_incorrect():
    lab.run("resilient", "debian:bookworm-slim", ["sleep", "infinity"], restart="always")
    kind, message = outcome(ch09.q1)
    assert kind is Outcome.INCORRECT and "flaky" in message


def test_q1_the_image_by_its_id_is_accepted(flaky):
    crash(lab.run("resilient", flaky.id, restart="on-failure"))
    assert outcome(ch09.q1)[0] is Outcome.CORRECT


def test_q1_the_plain_docker_cli_is_accepted(flaky):
    name = lab.name("resilient")
    try:
        docker("run", "-d", "--name", name, "--restart", "on-failure:5", image_ref("flaky:1"))
        crash(lab.container("resilient"))
        kind, message = outcome(ch09.q1)
        assert kind is Outcome.CORRECT, message
    finally:
        docker("rm", "-f", name)


def test_solutions_are_correct_and_exercise_1_stays_correct(flaky):
    crash(lab.run("resilient", "flaky:1", restart="on-failure"))
    assert outcome(ch09.q1)[0] is Outcome.CORRECT
    lab.run("checked", ensure_app("backend"), healthcheck=OWN_CHECK, wait="healthy", timeout=60)
    assert outcome(ch09.q2)[0] is Outcome.CORRECT
    assert outcome(ch09.q1)[0] is Outcome.CORRECT


def test_q2_the_images_own_check_is_incorrect():
    lab.run("checked", ensure_app("backend"))
    kind, message = outcome(ch09.q2)
    assert kind is Outcome.INCORRECT and "image's own check" in message


def test_q2_another_interval_is_incorrect():
    lab.run("checked", ensure_app("backend"), healthcheck={**OWN_CHECK, "interval": 5})
    kind, message = outcome(ch09.q2)
    assert kind is Outcome.INCORRECT and "every 5 s" in message


def test_q2_a_test_that_fails_is_incorrect():
    lab.run("checked", ensure_app("backend"), healthcheck={**OWN_CHECK, "test": ["CMD", "false"]})
    time.sleep(4)
    kind, message = outcome(ch09.q2)
    assert kind is Outcome.INCORRECT and "no check has passed" in message and "exit code 1" in message


def test_q2_the_plain_docker_cli_with_the_images_test_is_accepted():
    name = lab.name("checked")
    try:
        docker("run", "-d", "--name", name, "--health-interval", "2s", "--health-retries", "2", ensure_app("backend"))
        lab.container("checked").wait_ready("healthy", timeout=60)
        kind, message = outcome(ch09.q2)
        assert kind is Outcome.CORRECT, message
    finally:
        docker("rm", "-f", "-v", name)  # -v: the backend image declares VOLUME /data


# -- issue 14 §4, continued: a stopped container is called stopped; half-done healthchecks -------------------------
def test_q1_out_of_retries_is_called_stopped_with_its_exit_code(flaky):
    resilient = lab.run("resilient", "flaky:1", restart="on-failure:1")
    crash(resilient)  # restarted once …
    assert resilient.reload().restart_count == 1
    resilient.exec("touch /tmp/crash")  # … and crashed again: no retry left
    assert lab.poll(lambda: resilient.reload().status == "exited", timeout=20)
    kind, message = outcome(ch09.q1)
    assert kind is Outcome.INCORRECT
    assert f"'{lab.name('resilient')}'" in message and "stopped (exit code 1)" in message and "retries" in message


def test_q2_a_stopped_container_is_called_stopped():
    lab.run("checked", ensure_app("backend"), healthcheck=OWN_CHECK, wait="healthy", timeout=60).stop()
    kind, message = outcome(ch09.q2)
    assert kind is Outcome.INCORRECT
    assert f"'{lab.name('checked')}' is stopped (exit code" in message and "docker logs" in message


def test_q2_the_default_retries_are_half_done():
    lab.run("checked", ensure_app("backend"), healthcheck={"test": OWN_CHECK["test"], "interval": 2})
    kind, message = outcome(ch09.q2)
    assert kind is Outcome.INCORRECT and "with 3 retries" in message and "2 retries" in message
