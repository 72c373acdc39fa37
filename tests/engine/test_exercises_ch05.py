"""Chapter 05's exercise checks on the real engine: untouched, wrong attempts, the solution."""

from __future__ import annotations

import pytest

import dockerlab as lab
from dockerlab.checks import Outcome
from dockerlab.course import ensure_app
from dockerlab.exercises import ch05

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("chapter_under_test")]
CHAPTER = "05"
RESET_PURGES_VOLUMES = True


@pytest.fixture(scope="module")
def images():
    return ensure_app("backend"), ensure_app("frontend")


@pytest.fixture
def app(images):
    """The chapter's network and backend, as sections 3–5 leave them."""
    backend_image, _ = images
    lab.networks.create("todo-net")
    lab.run("backend", backend_image, network="todo-net", volumes={"todo-data": "/data"},
            wait="log:Started TodoApplication")
    return f"http://{lab.name('backend')}:8080"


def _frontend2(images, **kwargs):
    _, frontend_image = images
    kwargs.setdefault("ports", {8080: None})
    return lab.run("frontend2", frontend_image, wait=lab.Http("/", 8080), **kwargs)


def test_q1_untouched_is_not_attempted(app):
    assert ch05.q1.check().outcome is Outcome.NOT_ATTEMPTED


def test_q1_frontend_off_the_network_is_incorrect(app, images):
    _frontend2(images, env={"BACKEND_URL": app})  # on the default bridge: the name does not resolve there
    result = ch05.q1.check()
    assert result.outcome is Outcome.INCORRECT
    assert "not on" in result.message and lab.name("todo-net") in result.message


def test_q1_wrong_backend_host_is_incorrect(app, images):
    _frontend2(images, network="todo-net", env={"BACKEND_URL": "http://backend:8080"})
    result = ch05.q1.check()
    assert result.outcome is Outcome.INCORRECT
    assert "'backend'" in result.message and "host" in result.message


def test_q1_unpublished_port_is_incorrect(app, images):
    _, frontend_image = images
    lab.run("frontend2", frontend_image, network="todo-net", env={"BACKEND_URL": app})
    result = ch05.q1.check()
    assert result.outcome is Outcome.INCORRECT
    assert "publish" in result.message and "8080" in result.message


def test_q1_solution_is_correct(app, images):
    _frontend2(images, network="todo-net", env={"BACKEND_URL": app})
    result = ch05.q1.check()
    assert result.outcome is Outcome.CORRECT, result.message


def test_q2_untouched_is_not_attempted():
    assert ch05.q2.check().outcome is Outcome.NOT_ATTEMPTED


def test_q2_port_set_but_wrong_port_published_is_incorrect(images):
    backend_image, _ = images
    lab.run("backend9090", backend_image, env={"SERVER_PORT": "9090"}, ports={8080: None},
            wait="log:Started TodoApplication")
    result = ch05.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "does not publish its port 9090" in result.message


def test_q2_published_without_server_port_is_incorrect(images):
    backend_image, _ = images
    lab.run("backend9090", backend_image, ports={9090: None}, wait="log:Started TodoApplication")
    result = ch05.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "SERVER_PORT" in result.message


def test_q2_wrong_server_port_is_incorrect(images):
    backend_image, _ = images
    lab.run("backend9090", backend_image, env={"SERVER_PORT": "9091"}, ports={9090: None},
            wait="log:Started TodoApplication")
    result = ch05.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "'9091'" in result.message


def test_q2_solution_is_correct(images):
    backend_image, _ = images
    lab.run("backend9090", backend_image, env={"SERVER_PORT": "9090"}, ports={9090: None},
            wait=lab.Http("/actuator/health", 9090))
    result = ch05.q2.check()
    assert result.outcome is Outcome.CORRECT, result.message
