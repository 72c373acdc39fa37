"""Chapter 10's try-it checks on the real engine (Swarm: run under the Swarm lock): untouched, wrong and out-of-order
steps with a way back, the plain docker CLI, the solutions in order with every earlier check still Correct, and the
Kubernetes answer's spellings."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

import dockerlab as lab
from dockerlab import services, swarm
from dockerlab.checks import Outcome, image_ref
from dockerlab.engine import engine_address
from dockerlab.errors import BadInput
from dockerlab.exercises import ch10
from conftest import skip_or_fail
from learner_cli import cli  # noqa: F401 (fixture: the learner's terminal)

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("chapter_under_test"), pytest.mark.docker_only(reason="Swarm mode is Docker's own orchestrator; Podman has none")]
CHAPTER = "10"

# tiny stand-ins for the chapter's todo:v1 / todo:v2 (the checks look at tags, specs and tasks, not at the app)
TODO = ("FROM debian:bookworm-slim\nLABEL todo.version={v}\n"
        "CMD [\"bash\", \"-c\", \"trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done\"]\n")


def outcome(problem, *args):
    result = problem.check(*args)
    return result.outcome, result.message


@pytest.fixture
def in_swarm(engine_client):
    if swarm.swarm_active(engine_client):
        skip_or_fail("the engine is already in a swarm (someone else's): run under the Swarm lock")
    for v in (1, 2):
        lab.build(f"todo:v{v}", dockerfile=TODO.format(v=v))
    swarm.ensure_swarm(chapter=CHAPTER)


@pytest.fixture
def web(in_swarm):
    return services.create("web", "todo:v1", replicas=ch10.REPLICAS)


def test_untouched_is_not_attempted_and_names_the_service():
    for q in (ch10.q1, ch10.q2, ch10.q3, ch10.q4, ch10.q5):
        kind, message = outcome(q)
        assert kind is Outcome.NOT_ATTEMPTED and lab.name("web") in message
    assert outcome(ch10.q2)[1].endswith("create it first (exercise 1).")


def test_solutions_in_order_and_every_earlier_check_stays_correct(web):
    done = [ch10.q1]
    assert outcome(ch10.q1)[0] is Outcome.CORRECT
    victim = web.containers()[0]
    victim.kill()
    web.wait_replaced(victim.id, timeout=60)
    done.append(ch10.q2)
    web.scale(ch10.SCALED)
    done.append(ch10.q3)
    web.update_image("todo:v2")
    done.append(ch10.q4)
    web.rollback()
    done.append(ch10.q5)
    for q in done:
        kind, message = outcome(q)
        assert kind is Outcome.CORRECT, (q.title, message)


def test_q1_one_replica_is_incorrect(in_swarm):
    services.create("web", "todo:v1", replicas=1)
    kind, message = outcome(ch10.q1)
    assert kind is Outcome.INCORRECT and "1 replica" in message


def test_q1_another_image_is_incorrect(in_swarm):
    lab.build("todo:v9", dockerfile=TODO.format(v=9))
    services.create("web", "todo:v9", replicas=2)
    kind, message = outcome(ch10.q1)
    assert kind is Outcome.INCORRECT and "todo:v9" in message


def test_q2_untouched_then_a_kill_from_a_terminal(web):
    kind, message = outcome(ch10.q2)
    assert kind is Outcome.NOT_ATTEMPTED and "killed yet" in message
    if not shutil.which("docker"):
        skip_or_fail("no docker CLI")
    victim = web.containers()[0]
    subprocess.run(["docker", "kill", victim.name], check=True, capture_output=True, timeout=60,
                   env=dict(os.environ, DOCKER_HOST=engine_address()))
    web.wait_replaced(victim.id, timeout=60)
    kind, message = outcome(ch10.q2)
    assert kind is Outcome.CORRECT, message


def test_q3_another_count_is_incorrect(web):
    assert outcome(ch10.q3)[0] is Outcome.NOT_ATTEMPTED
    web.scale(4)
    kind, message = outcome(ch10.q3)
    assert kind is Outcome.INCORRECT and "4 replica" in message


def test_q4_not_yet_updated_and_a_failed_update(web):
    assert outcome(ch10.q4)[0] is Outcome.NOT_ATTEMPTED
    lab.build("todo:v3-broken", dockerfile="FROM debian:bookworm-slim\nCMD [\"sh\", \"-c\", \"exit 1\"]\n")
    assert web.update_image("todo:v3-broken") == "rollback_completed"
    kind, message = outcome(ch10.q4)
    assert kind is Outcome.INCORRECT and "todo:v3-broken" in message and "rolled back" in message


def test_q5_before_any_update_says_do_exercise_4_first(web):
    kind, message = outcome(ch10.q5)
    assert kind is Outcome.NOT_ATTEMPTED and "do exercise 4 first" in message


def test_q5_a_rollback_of_the_scale_gives_a_way_back(web):
    web.scale(ch10.SCALED)
    web.rollback()  # undoes the scale, not an update
    kind, message = outcome(ch10.q5)
    assert kind is Outcome.INCORRECT and "Re-run exercise 3's and exercise 4's cells" in message


def test_q5_rolled_back_twice_is_incorrect(web):
    web.update_image("todo:v2")
    web.rollback()
    web.rollback()
    kind, message = outcome(ch10.q5)
    assert kind is Outcome.INCORRECT and "back and forth" in message


def test_q5_updated_back_by_hand_is_correct(web):
    web.update_image("todo:v2")
    web.update_image("todo:v1")
    kind, message = outcome(ch10.q5)
    assert kind is Outcome.CORRECT and "updated back" in message


@pytest.mark.parametrize("answer", ["kubectl rollout undo deployment/web", "kubectl rollout undo deploy web",
                                    "  Kubectl Rollout Undo deployments/web "])
def test_q6_spellings_of_the_undo_are_correct(answer):
    assert outcome(ch10.q6, answer)[0] is Outcome.CORRECT


@pytest.mark.parametrize("answer, word", [("docker service rollback web", "Swarm's"),
                                          ("nothing, it rolls back by itself", "does not roll back by itself"),
                                          ("kubectl rollout status deployment/web", "Close"),
                                          ("kubectl rollout undo deployment/api", "something else")])
def test_q6_wrong_answers_say_why(answer, word):
    kind, message = outcome(ch10.q6, answer)
    assert kind is Outcome.INCORRECT and word in message


def test_q6_placeholder_and_wrong_type():
    assert outcome(ch10.q6, "____")[0] is Outcome.NOT_ATTEMPTED
    with pytest.raises(BadInput):
        ch10.q6.check(42)


# -- issue 14 §4, continued: the terminal's `docker service …`, and the same image under another name --------------
def test_q1_created_in_the_terminal_is_correct(in_swarm, cli):
    cli("service", "create", "--name", lab.name("web"), "--replicas", str(ch10.REPLICAS), "--detach",
        image_ref("todo:v1"), timeout=120)
    kind, message = outcome(ch10.q1)
    assert kind is Outcome.CORRECT, message
    cli("service", "scale", "--detach", f"{lab.name('web')}={ch10.SCALED}")
    kind, message = outcome(ch10.q3)
    assert kind is Outcome.CORRECT, message


def test_q1_another_tag_of_the_same_image_is_correct(in_swarm):
    lab.images.tag("todo:v1", "todo:stable")  # the very image of todo:v1, under another name
    services.create("web", "todo:stable", replicas=ch10.REPLICAS)
    kind, message = outcome(ch10.q1)
    assert kind is Outcome.CORRECT, message


def test_q4_and_q5_with_v2_given_by_its_id_are_correct(web):
    v2 = lab.images.inspect("todo:v2").id
    web.update_image(v2)  # `docker service update --image <the ID of todo:v2>`
    kind, message = outcome(ch10.q4)
    assert kind is Outcome.CORRECT, message
    web.rollback()
    for q in (ch10.q4, ch10.q5):
        kind, message = outcome(q)
        assert kind is Outcome.CORRECT, (q.title, message)
