"""Chapter 08's exercise checks on the real engines: untouched, wrong attempts, the solution."""

from __future__ import annotations

import pytest

import dockerlab as lab
from dockerlab.course import cloud_server, registry
from dockerlab.checks import Outcome
from dockerlab.course import ensure_app
from dockerlab.exercises import ch08
from conftest import ship_image_as_file
from learner_cli import cli  # noqa: F401 (fixture: the learner's terminal)

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("chapter_under_test")]
ON_THE_CLOUD_SERVER = pytest.mark.docker_only(reason="exercise 2 runs on the cloud server, a second dockerd the kit starts; "
                                                     "with Podman there is no dockerd to start")
CHAPTER = "08"
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
    assert ch08.q1.check().outcome is Outcome.NOT_ATTEMPTED


def test_q1_untouched_is_not_attempted(reg, backend):
    reg.push(backend, "todo-api", "1.0")  # the chapter's own push is not the answer
    assert ch08.q1.check().outcome is Outcome.NOT_ATTEMPTED


def test_q1_wrong_repository_is_incorrect(reg, backend):
    reg.push(backend, "backend", "v1")
    result = ch08.q1.check()
    assert result.outcome is Outcome.INCORRECT
    assert "backend" in result.message and "no repository named todo-backend" in result.message


def test_q1_wrong_tag_is_incorrect(reg, backend):
    reg.push(backend, "todo-backend", "v2")
    result = ch08.q1.check()
    assert result.outcome is Outcome.INCORRECT
    assert "v2" in result.message and "not v1" in result.message


@pytest.mark.slow
def test_q1_another_image_is_incorrect(reg):
    other = lab.build("other:1", dockerfile=OTHER)
    reg.push(other.tag, "todo-backend", "v1")
    result = ch08.q1.check()
    assert result.outcome is Outcome.INCORRECT
    assert "not the backend" in result.message


def test_q1_solution_is_correct(reg, backend):
    reg.push(backend, "todo-backend", "v1")
    result = ch08.q1.check()
    assert result.outcome is Outcome.CORRECT, result.message


# -- q2: web on the cloud server, from the registry -------------------------------------------------
@ON_THE_CLOUD_SERVER
def test_q2_without_cloud_server_is_not_attempted():
    assert ch08.q2.check().outcome is Outcome.NOT_ATTEMPTED


@pytest.mark.slow
@ON_THE_CLOUD_SERVER
def test_q2_untouched_is_not_attempted(cloud):
    assert ch08.q2.check().outcome is Outcome.NOT_ATTEMPTED


@pytest.mark.slow
@ON_THE_CLOUD_SERVER
def test_q2_web_on_the_local_engine_is_incorrect(cloud, reg, backend):
    pushed = reg.push(backend, "todo-backend", "v1")
    lab.run("web", pushed.ref, ports={8080: None}, wait="log:Started TodoApplication")
    result = ch08.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "local engine" in result.message and "none on the cloud server" in result.message


@pytest.mark.slow
@ON_THE_CLOUD_SERVER
def test_q2_image_shipped_as_a_file_is_incorrect(cloud, reg, backend):
    ship_image_as_file(backend, lab.connect(), cloud)
    lab.run("web", backend, client=cloud, ports={8080: None}, wait="log:Started TodoApplication")
    result = ch08.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "another way" in result.message and "registry" in result.message


@pytest.mark.slow
@ON_THE_CLOUD_SERVER
def test_q2_unpublished_port_is_incorrect(cloud, reg, backend):
    ref = reg.push(backend, "todo-backend", "v1").ref
    registry.pull(ref, client=cloud)
    lab.run("web", ref, client=cloud, wait="log:Started TodoApplication")
    result = ch08.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "8080" in result.message and "publish" in result.message


@pytest.mark.slow
@ON_THE_CLOUD_SERVER
def test_q2_solution_is_correct(cloud, reg, backend):
    ref = reg.push(backend, "todo-backend", "v1").ref
    registry.pull(ref, client=cloud)
    lab.run("web", ref, client=cloud, ports={8080: None}, wait="log:Started TodoApplication")
    result = ch08.q2.check()
    assert result.outcome is Outcome.CORRECT, result.message


# -- q3: where should it run? ------------------------------------------------------------------------
def test_q3_untouched_is_not_attempted():
    assert ch08.q3.check("____").outcome is Outcome.NOT_ATTEMPTED


@pytest.mark.parametrize("wrong", ["on-premise", "private cloud", "Private-Cloud"])
def test_q3_wrong_choice_is_incorrect(wrong):
    result = ch08.q3.check(wrong)
    assert result.outcome is Outcome.INCORRECT
    assert "public cloud" not in result.message.lower().split(":")[0]


def test_q3_unknown_choice_is_incorrect_and_lists_the_choices():
    result = ch08.q3.check("the moon")
    assert result.outcome is Outcome.INCORRECT
    assert "'on-premise'" in result.message and "'public cloud'" in result.message


@pytest.mark.parametrize("bad", [3, ["public cloud"], True])
def test_q3_wrong_type_raises_bad_input(bad):
    with pytest.raises(lab.BadInput):
        ch08.q3.check(bad)


@pytest.mark.parametrize("right", ["public cloud", "Public Cloud", "public-cloud", " public_cloud "])
def test_q3_solution_is_correct(right):
    assert ch08.q3.check(right).outcome is Outcome.CORRECT


# -- the class of beginners: the terminal, both spellings of the registry, half-done work ------------
def test_q1_pushed_in_the_terminal_as_localhost_is_correct(cli, reg, backend):
    ref = f"localhost:{reg.port}/todo-backend:v1"  # the same registry as 127.0.0.1:<port>
    cli("tag", backend, ref)
    cli("push", ref)
    result = ch08.q1.check()
    assert result.outcome is Outcome.CORRECT, result.message


def test_q1_stays_correct_when_the_local_copy_is_removed_after_the_push(cli, reg, backend):
    ref = reg.push(backend, "todo-backend", "v1").ref
    cli("rmi", ref)  # only that name: the course image stays
    other = lab.build("other:1", dockerfile=OTHER)  # nothing of the backend under the registry's name any more
    assert other.image is not None
    result = ch08.q1.check()
    assert result.outcome is Outcome.CORRECT, result.message


@pytest.mark.slow
def test_q2_pulled_as_localhost_is_correct(cloud, reg, backend):
    reg.push(backend, "todo-backend", "v1")
    ref = f"localhost:{reg.port}/todo-backend:v1"
    registry.pull(ref, client=cloud)
    lab.run("web", ref, client=cloud, ports={8080: None}, wait="log:Started TodoApplication")
    result = ch08.q2.check()
    assert result.outcome is Outcome.CORRECT, result.message


@pytest.mark.slow
def test_q2_loaded_by_file_and_tagged_with_the_registrys_name_is_incorrect(cloud, reg, backend):
    ref = reg.push(backend, "todo-backend", "v1").ref
    ship_image_as_file(backend, lab.connect(), cloud)
    cloud.images.get(lab.images.inspect(backend).id).tag(ref.rsplit(":", 1)[0], "v1")  # the name, not the pull
    lab.run("web", ref, client=cloud, ports={8080: None}, wait="log:Started TodoApplication")
    result = ch08.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "never pulled" in result.message and "docker load" in result.message and "docker pull" in result.message


@pytest.mark.slow
def test_earlier_exercises_stay_correct_after_the_later_ones(cloud, reg, backend):
    ref = reg.push(backend, "todo-backend", "v1").ref
    registry.pull(ref, client=cloud)
    lab.run("web", ref, client=cloud, ports={8080: None}, wait="log:Started TodoApplication")
    checks = lambda: [ch08.q1.check().outcome, ch08.q2.check().outcome,  # noqa: E731
                      ch08.q3.check("public cloud").outcome]
    assert checks() == [Outcome.CORRECT] * 3
    assert checks() == [Outcome.CORRECT] * 3  # checked again (a re-run, or grading): the same answers


# -- issue 14 §4, continued: every valid way to deploy web, and what a stopped web is called --------------
def _pulled_on_the_cloud(reg, backend, cloud):
    pushed = reg.push(backend, "todo-backend", "v1")
    registry.pull(pushed.ref, client=cloud)
    return pushed


@pytest.mark.slow
@ON_THE_CLOUD_SERVER
def test_q2_untouched_names_the_exact_container(cloud):
    result = ch08.q2.check()
    assert result.outcome is Outcome.NOT_ATTEMPTED and f"'{lab.name('web')}'" in result.message


@pytest.mark.slow
@ON_THE_CLOUD_SERVER
def test_q2_run_by_digest_is_correct(cloud, reg, backend):
    pushed = reg.push(backend, "todo-backend", "v1")
    by_digest = f"{reg.host}/todo-backend@{pushed.digest}"  # what chapter 11 deploys: a name no push can move
    registry.pull(by_digest, client=cloud)
    lab.run("web", by_digest, client=cloud, ports={8080: None}, wait="log:Started TodoApplication")
    result = ch08.q2.check()
    assert result.outcome is Outcome.CORRECT, result.message


@pytest.mark.slow
@ON_THE_CLOUD_SERVER
def test_q2_run_by_the_pulled_images_id_is_correct(cloud, reg, backend):
    pushed = _pulled_on_the_cloud(reg, backend, cloud)
    image_id = cloud.images.get(pushed.ref).id
    lab.run("web", image_id, client=cloud, ports={8080: None}, wait="log:Started TodoApplication")
    result = ch08.q2.check()
    assert result.outcome is Outcome.CORRECT, result.message


@pytest.mark.slow
@ON_THE_CLOUD_SERVER
def test_q2_the_plain_docker_cli_against_the_cloud_server_is_correct(cloud, reg, backend):
    from learner_cli import LearnerCli

    pushed = reg.push(backend, "todo-backend", "v1")
    terminal = LearnerCli(cloud_server.cloud().address)  # DOCKER_HOST=<the cloud server> docker …
    try:
        terminal("pull", pushed.ref)
        terminal("run", "-d", "--name", lab.name("web"), "-p", "127.0.0.1::8080", pushed.ref)
        assert lab.poll(lambda: "Started TodoApplication" in cloud.containers.get(lab.name("web")).logs().decode(),
                        timeout=90), "the backend did not start on the cloud server"
        result = ch08.q2.check()
        assert result.outcome is Outcome.CORRECT, result.message
    finally:
        terminal.cleanup()


@pytest.mark.slow
@ON_THE_CLOUD_SERVER
def test_q2_a_stopped_web_is_called_stopped(cloud, reg, backend):
    pushed = _pulled_on_the_cloud(reg, backend, cloud)
    lab.run("web", pushed.ref, client=cloud, ports={8080: None}, wait="log:Started TodoApplication").stop()
    result = ch08.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert f"'{lab.name('web')}'" in result.message and "stopped (exit code" in result.message
    assert "engine" not in result.message.split("stopped")[0]  # the learner's stop, not blamed on the engine


def test_q1_pushed_in_the_terminal_by_image_id_is_correct(cli, reg, backend):
    ref = f"{reg.host}/todo-backend:v1"
    cli("tag", lab.images.inspect(backend).id, ref)  # the image by its ID, not by a name
    cli("push", ref)
    result = ch08.q1.check()
    assert result.outcome is Outcome.CORRECT, result.message


@ON_THE_CLOUD_SERVER
def test_the_way_back_names_the_sections_that_start_the_registry_and_the_server():
    """Out of order (a restarted kernel, a reset): each check names the section whose cell to run again — and that
    section of the chapter is the one that starts it."""
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "notebooks" / "src" / "08-ship-it.py").read_text()
    registry_message = ch08.q1.check().message
    assert "registry cell (section 4)" in registry_message
    assert "\n# ## 4. A registry" in source and "registry.start(" in source.split("\n# ## 4. A registry")[1][:2500]
    if cloud_server.running():
        cloud_server.stop(log=lambda _m: None)
    server_message = ch08.q2.check().message
    assert "cell that starts it (section 2)" in server_message
    assert '\n# ## 2. A second server: the "cloud server"' in source
    assert "cloud_server.start(" in source.split('\n# ## 2. A second server')[1][:2500]
