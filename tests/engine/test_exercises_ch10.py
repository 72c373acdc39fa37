"""Chapter 10's exercise checks on the real engine: untouched, a wrong attempt, the solution."""

from __future__ import annotations

import time

import pytest

import dockerlab as lab
from dockerlab import services, swarm
from dockerlab.checks import Outcome
from dockerlab.exercises import ch10
from conftest import skip_or_fail

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("chapter_under_test"), pytest.mark.docker_only(reason="Swarm mode is Docker's own orchestrator; Podman has none")]
CHAPTER = "10"

FLAKY = ("FROM debian:bookworm-slim\n"
         "CMD [\"bash\", \"-c\", \"trap 'exit 0' TERM; while [ ! -e /tmp/crash ]; do sleep 0.1; done; "
         "rm -f /tmp/crash; exit 1\"]\n")
# tiny stand-ins for the chapter's todo:v1 / todo:v2 (the checks look at tags, not at the app)
TODO = ("FROM debian:bookworm-slim\nLABEL todo.version={v}\n"
        "CMD [\"bash\", \"-c\", \"trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done\"]\n")


@pytest.fixture
def flaky():
    lab.build("flaky:1", dockerfile=FLAKY)


def crash(c: lab.Container) -> None:
    before = c.reload().attrs["RestartCount"]
    c.exec("touch /tmp/crash")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        c.reload()
        if c.attrs["RestartCount"] > before and c.status == "running":
            return
        if c.status == "exited" and time.monotonic() > deadline - 8:
            return
        time.sleep(0.1)


def test_q1_untouched_is_not_attempted():
    assert ch10.q1.check().outcome is Outcome.NOT_ATTEMPTED


def test_q1_without_policy_is_incorrect(flaky):
    c = lab.run("resilient", "flaky:1")
    crash(c)
    result = ch10.q1.check()
    assert result.outcome is Outcome.INCORRECT and "'no'" in result.message


def test_q1_policy_but_no_crash_yet_is_incorrect(flaky):
    lab.run("resilient", "flaky:1", restart="always")
    result = ch10.q1.check()
    assert result.outcome is Outcome.INCORRECT and "not crashed yet" in result.message


def test_q1_stopped_by_hand_is_incorrect(flaky):
    lab.run("resilient", "flaky:1", restart="always").stop()
    result = ch10.q1.check()
    assert result.outcome is Outcome.INCORRECT and "stopping it yourself is not a crash" in result.message


def test_q1_other_image_is_incorrect():
    lab.run("resilient", "debian:bookworm-slim", ["sleep", "infinity"], restart="always")
    result = ch10.q1.check()
    assert result.outcome is Outcome.INCORRECT and "flaky" in result.message


def test_q1_solution_is_correct(flaky):
    c = lab.run("resilient", "flaky:1", restart="on-failure")
    crash(c)
    result = ch10.q1.check()
    assert result.outcome is Outcome.CORRECT, result.message


@pytest.fixture
def web(engine_client):
    if swarm.swarm_active(engine_client):
        skip_or_fail("the engine is already in a swarm (someone else's)")
    for v in (1, 2):
        lab.build(f"todo:v{v}", dockerfile=TODO.format(v=v))
    swarm.ensure_swarm(chapter="10")
    service = services.create("web", "todo:v1", replicas=ch10.WEB_REPLICAS)
    service.update_image("todo:v2")
    return service


def test_q2_q3_without_service_are_not_attempted():
    assert ch10.q2.check().outcome is Outcome.NOT_ATTEMPTED
    assert ch10.q3.check().outcome is Outcome.NOT_ATTEMPTED


def test_q2_q3_setup_only_is_not_attempted(web):
    assert ch10.q2.check().outcome is Outcome.NOT_ATTEMPTED
    assert ch10.q3.check().outcome is Outcome.NOT_ATTEMPTED


def test_q2_double_rollback_is_incorrect(web):
    web.rollback()
    web.rollback()
    result = ch10.q2.check()
    assert result.outcome is Outcome.INCORRECT and "back and forth" in result.message


def test_q2_other_version_is_incorrect(web):
    lab.build("todo:v9", dockerfile=TODO.format(v=9))
    web.update_image("todo:v9")
    result = ch10.q2.check()
    assert result.outcome is Outcome.INCORRECT and "todo:v9" in result.message


def test_q2_q3_solution_is_correct(web):
    web.rollback()
    assert ch10.q2.check().outcome is Outcome.CORRECT
    web.scale(2)
    assert ch10.q3.check().outcome is Outcome.CORRECT
    assert ch10.q2.check().outcome is Outcome.CORRECT  # scaling after the rollback keeps v1


def test_q3_wrong_count_is_incorrect(web):
    web.scale(4)
    result = ch10.q3.check()
    assert result.outcome is Outcome.INCORRECT and "4 replica" in result.message
