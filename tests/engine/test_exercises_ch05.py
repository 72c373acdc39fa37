"""Chapter 05's exercise checks on the real engine: untouched, wrong attempts, the solution."""

from __future__ import annotations

import pytest

import dockerlab as lab
from dockerlab.checks import Outcome
from dockerlab.course import ensure_app
from dockerlab.exercises import ch05
from learner_cli import cli  # noqa: F401 (fixture: the learner's terminal)

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


# -- exercise 3: write the runtime stage -------------------------------------------------------
def _solution_stage() -> str:
    """The runtime stage of the chapter's solution block (a Python string literal there)."""
    import ast

    code = str(ch05.q3.solution())
    start = code.index('"""')
    return ast.literal_eval(code[start:code.index('"""', start + 3) + 3])


STAGE = _solution_stage()


def _slim(stage: str) -> lab.images.BuildResult:
    from dockerlab.course import app_dir

    return lab.build(ch05.SLIM_TAG, app_dir("backend"), dockerfile=ch05.BUILD_STAGES + stage)


def test_q3_untouched_is_not_attempted_and_names_the_image():
    result = ch05.q3.check()
    assert result.outcome is Outcome.NOT_ATTEMPTED and lab.checks.image_ref(ch05.SLIM_TAG) in result.message


def test_q3_the_chapters_own_image_under_the_exercises_name_is_incorrect(images, engine_client):
    lab.images.tag(images[0], ch05.SLIM_TAG)
    try:
        result = ch05.q3.check()
    finally:  # only the tag: a course image is shared, so the chapter's reset keeps it (and would keep this name)
        engine_client.images.remove(lab.checks.image_ref(ch05.SLIM_TAG))
    assert result.outcome is Outcome.INCORRECT and "the chapter's own image" in result.message


def test_q3_shipping_the_build_stage_is_incorrect(images):
    _slim('\nFROM build\nENTRYPOINT ["java", "-jar", "/src/app.jar"]\n')
    result = ch05.q3.check()
    assert result.outcome is Outcome.INCORRECT and "javac" in result.message and "ships build tools" in result.message


def test_q3_a_whole_jdk_copied_off_the_path_is_found(images):
    _slim(STAGE.replace("COPY --from=jdk /opt/java /opt/java",
                        "COPY --from=jdk /usr/lib/jvm /usr/lib/jvm\nCOPY --from=jdk /opt/java /opt/java"))
    result = ch05.q3.check()
    assert result.outcome is Outcome.INCORRECT and "javac" in result.message


def test_q3_an_entrypoint_of_one_string_is_the_learners_mistake(images):
    entry = next(line for line in STAGE.splitlines() if line.startswith("ENTRYPOINT"))
    _slim(STAGE.replace(entry, 'ENTRYPOINT ["' + " ".join(entry[len("ENTRYPOINT "):].strip('[]').replace('"', '')
                                                          .split(", ")) + '"]'))
    result = ch05.q3.check()
    assert result.outcome is Outcome.INCORRECT and "each word is its own string" in result.message


def test_q3_an_app_that_cannot_start_is_incorrect(images):
    _slim(STAGE.replace("COPY --from=build /src/app.jar /app/app.jar", ""))  # no jar: java exits at once
    result = ch05.q3.check()
    assert result.outcome is Outcome.INCORRECT and "did not answer GET /actuator/health" in result.message


def test_q3_solution_is_correct_and_leaves_only_the_learners_image(images):
    _slim(STAGE)
    result = ch05.q3.check()
    assert result.outcome is Outcome.CORRECT, result.message
    assert "no compiler" in result.message
    assert {r.kind for r in lab.leaks(chapter="05")} == {"image"}  # the check's own containers are gone


# -- the class of beginners: the terminal, the way back, later exercises -----------------------------
def test_q1_plain_cli_work_is_correct_and_messages_name_the_exact_container(cli, app, images):
    assert lab.name("frontend2") in ch05.q1.check().message
    cli("run", "-d", "--name", lab.name("frontend2"), "--network", lab.name("todo-net"), "-e", f"BACKEND_URL={app}",
        "-p", "127.0.0.1::8080", images[1])
    lab.container("frontend2").wait_ready(lab.Http("/", 8080))
    result = ch05.q1.check()
    assert result.outcome is Outcome.CORRECT, result.message


def test_q1_without_the_chapters_backend_names_the_cells_to_run_again(app, images):
    _frontend2(images, network="todo-net", env={"BACKEND_URL": app})
    lab.container("backend").remove()  # the kernel restarted, or the learner cleaned up too much
    result = ch05.q1.check()
    assert result.outcome is Outcome.INCORRECT and "run the section 3 cells again" in result.message


def test_q2_plain_cli_work_is_correct(cli, images):
    cli("run", "-d", "--name", lab.name("backend9090"), "-e", "SERVER_PORT=9090", "-p", "127.0.0.1::9090", images[0])
    lab.container("backend9090").wait_ready(lab.Http("/actuator/health", 9090), timeout=90)
    result = ch05.q2.check()
    assert result.outcome is Outcome.CORRECT, result.message


def test_q3_built_in_the_terminal_is_correct(cli, images):
    from dockerlab.course import app_dir

    cli("build", "-t", lab.checks.image_ref(ch05.SLIM_TAG), "-f", "-", str(app_dir("backend")),
        stdin=ch05.BUILD_STAGES + STAGE, timeout=900)
    result = ch05.q3.check()
    assert result.outcome is Outcome.CORRECT, result.message


def test_earlier_exercises_stay_correct_after_the_later_ones(app, images):
    _frontend2(images, network="todo-net", env={"BACKEND_URL": app})
    lab.run("backend9090", images[0], env={"SERVER_PORT": "9090"}, ports={9090: None},
            wait=lab.Http("/actuator/health", 9090), timeout=90)
    _slim(STAGE)
    checks = lambda: [ch05.q1.check().outcome, ch05.q2.check().outcome, ch05.q3.check().outcome]  # noqa: E731
    assert checks() == [Outcome.CORRECT] * 3
    assert checks() == [Outcome.CORRECT] * 3  # checked again (a re-run, or grading): the same answers
