"""Chapter 06's exercise checks on the real engines: untouched, wrong attempts, the solution."""

from __future__ import annotations

import pytest

import dockerlab as lab
from dockerlab.course import cloud_server, registry
from dockerlab.checks import Outcome
from dockerlab.course import ensure_app
from dockerlab.exercises import ch06
from conftest import ship_image_as_file

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("chapter_under_test")]
ON_THE_CLOUD_SERVER = pytest.mark.docker_only(reason="exercise 2 runs on the cloud server, a second dockerd the kit starts; "
                                                     "with Podman there is no dockerd to start")
CHAPTER = "06"
RESET_PURGES_VOLUMES = True

OTHER = "FROM debian:bookworm-slim\nLABEL purpose=not-the-backend\n"


@pytest.fixture(scope="module")
def backend():
    return ensure_app("backend")


@pytest.fixture
def reg():
    return registry.start()


@pytest.fixture
def cloud():
    server = cloud_server.start(log=lambda _m: None)
    return lab.connect(server.address)


# -- q1: push the backend as todo-backend:v1 --------------------------------------------------------
def test_q1_without_registry_is_not_attempted():
    assert ch06.q1.check().outcome is Outcome.NOT_ATTEMPTED


def test_q1_untouched_is_not_attempted(reg, backend):
    reg.push(backend, "todo-api", "1.0")  # the chapter's own push is not the answer
    assert ch06.q1.check().outcome is Outcome.NOT_ATTEMPTED


def test_q1_wrong_repository_is_incorrect(reg, backend):
    reg.push(backend, "backend", "v1")
    result = ch06.q1.check()
    assert result.outcome is Outcome.INCORRECT
    assert "backend" in result.message and "no repository named todo-backend" in result.message


def test_q1_wrong_tag_is_incorrect(reg, backend):
    reg.push(backend, "todo-backend", "v2")
    result = ch06.q1.check()
    assert result.outcome is Outcome.INCORRECT
    assert "v2" in result.message and "not v1" in result.message


@pytest.mark.slow
def test_q1_another_image_is_incorrect(reg):
    other = lab.build("other:1", dockerfile=OTHER)
    reg.push(other.tag, "todo-backend", "v1")
    result = ch06.q1.check()
    assert result.outcome is Outcome.INCORRECT
    assert "not the backend" in result.message


def test_q1_solution_is_correct(reg, backend):
    reg.push(backend, "todo-backend", "v1")
    result = ch06.q1.check()
    assert result.outcome is Outcome.CORRECT, result.message


# -- q2: web on the cloud server, from the registry -------------------------------------------------
@ON_THE_CLOUD_SERVER
def test_q2_without_cloud_server_is_not_attempted():
    assert ch06.q2.check().outcome is Outcome.NOT_ATTEMPTED


@pytest.mark.slow
@ON_THE_CLOUD_SERVER
def test_q2_untouched_is_not_attempted(cloud):
    assert ch06.q2.check().outcome is Outcome.NOT_ATTEMPTED


@pytest.mark.slow
@ON_THE_CLOUD_SERVER
def test_q2_web_on_the_local_engine_is_incorrect(cloud, reg, backend):
    pushed = reg.push(backend, "todo-backend", "v1")
    lab.run("web", pushed.ref, ports={8080: None}, wait="log:Started TodoApplication")
    result = ch06.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "local engine" in result.message and "none on the cloud server" in result.message


@pytest.mark.slow
@ON_THE_CLOUD_SERVER
def test_q2_image_shipped_as_a_file_is_incorrect(cloud, reg, backend):
    ship_image_as_file(lab.connect().images.get(backend), cloud)
    lab.run("web", backend, client=cloud, ports={8080: None}, wait="log:Started TodoApplication")
    result = ch06.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "another way" in result.message and "registry" in result.message


@pytest.mark.slow
@ON_THE_CLOUD_SERVER
def test_q2_unpublished_port_is_incorrect(cloud, reg, backend):
    ref = reg.push(backend, "todo-backend", "v1").ref
    registry.pull(ref, client=cloud)
    lab.run("web", ref, client=cloud, wait="log:Started TodoApplication")
    result = ch06.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "8080" in result.message and "publish" in result.message


@pytest.mark.slow
@ON_THE_CLOUD_SERVER
def test_q2_solution_is_correct(cloud, reg, backend):
    ref = reg.push(backend, "todo-backend", "v1").ref
    registry.pull(ref, client=cloud)
    lab.run("web", ref, client=cloud, ports={8080: None}, wait="log:Started TodoApplication")
    result = ch06.q2.check()
    assert result.outcome is Outcome.CORRECT, result.message


# -- q3: where should it run? ------------------------------------------------------------------------
def test_q3_untouched_is_not_attempted():
    assert ch06.q3.check("____").outcome is Outcome.NOT_ATTEMPTED


@pytest.mark.parametrize("wrong", ["on-premise", "private cloud", "Private-Cloud"])
def test_q3_wrong_choice_is_incorrect(wrong):
    result = ch06.q3.check(wrong)
    assert result.outcome is Outcome.INCORRECT
    assert "public cloud" not in result.message.lower().split(":")[0]


def test_q3_unknown_choice_is_incorrect_and_lists_the_choices():
    result = ch06.q3.check("the moon")
    assert result.outcome is Outcome.INCORRECT
    assert "'on-premise'" in result.message and "'public cloud'" in result.message


@pytest.mark.parametrize("bad", [3, ["public cloud"], True])
def test_q3_wrong_type_raises_bad_input(bad):
    with pytest.raises(lab.BadInput):
        ch06.q3.check(bad)


@pytest.mark.parametrize("right", ["public cloud", "Public Cloud", "public-cloud", " public_cloud "])
def test_q3_solution_is_correct(right):
    assert ch06.q3.check(right).outcome is Outcome.CORRECT
