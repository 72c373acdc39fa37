"""Chapter 11's exercise checks on the real engines (the classroom engine, a registry, a cloud server):
untouched, a wrong attempt, the solution."""

from __future__ import annotations

import pytest

import dockerlab as lab
from dockerlab.course import cloud_server, pipeline, registry
from dockerlab.checks import Outcome
from dockerlab.course import ensure_app
from dockerlab.exercises import ch11

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("chapter_under_test"),
              pytest.mark.docker_only(reason="the pipeline deploys to the cloud server, a second dockerd the kit starts; with Podman there is no dockerd to start")]
CHAPTER = "11"

HEALTH_UP = 'Map.of("status", "UP")'


@pytest.fixture
def pipe():
    """The chapter's set-up: registry, cloud server, workspace, and the demo's first release on the server."""
    ensure_app("backend")
    reg = registry.start(chapter="11")
    server = cloud_server.start(log=lambda _m: None).client()
    p = pipeline.Pipeline(registry=reg, server_client=server, say=None)
    p.checkout(fresh=True)
    first = p.run(note="demo: first release")
    assert first.ok, [(s.name, s.detail) for s in first.steps if s.status == "failed"] + first.log_tail[-6:]
    return p


def controller(p: pipeline.Pipeline):
    path = next(p.workspace.rglob("TodoController.java"))
    assert HEALTH_UP in path.read_text()
    return path


def test_untouched_is_not_attempted():
    assert ch11.q1.check().outcome is Outcome.NOT_ATTEMPTED
    assert ch11.q2.check().outcome is Outcome.NOT_ATTEMPTED


def test_demo_runs_only_are_not_attempted_and_harmless_change_is_incorrect(pipe):
    assert ch11.q1.check().outcome is Outcome.NOT_ATTEMPTED
    assert ch11.q2.check().outcome is Outcome.NOT_ATTEMPTED
    path = controller(pipe)
    path.write_text(path.read_text() + "\n// a comment breaks no test\n")
    run = pipe.run()
    assert run.ok
    result = ch11.q1.check()
    assert result.outcome is Outcome.INCORRECT and "broke no test" in result.message
    assert ch11.q2.check().outcome is Outcome.CORRECT  # that change did ship


def test_broken_test_then_fix(pipe):
    before = pipeline.server_release(pipe.server)
    path = controller(pipe)
    path.write_text(path.read_text().replace(HEALTH_UP, 'Map.of("status", "DOWN")'))
    broken = pipe.run()
    assert broken.failed_at == "test" and "FAIL" in broken.step("test").detail
    assert ch11.q1.check().outcome is Outcome.CORRECT
    result = ch11.q2.check()
    assert result.outcome is Outcome.INCORRECT and "'test'" in result.message
    assert pipeline.server_release(pipe.server) == before
    pipe.checkout(fresh=True)
    assert pipe.run().ok
    assert ch11.q2.check().outcome is Outcome.CORRECT
    # exercise 1 stays Correct after exercise 2 (re-running the notebook, or grading, gives the same answers): the
    # run a failing test stopped is still on record, though the last run now passed
    for _ in range(2):
        result = ch11.q1.check()
        assert result.outcome is Outcome.CORRECT, result.message
        assert f"Run #{broken.number}" in result.message
        assert ch11.q2.check().outcome is Outcome.CORRECT


# -- issue 14 §4, continued: another broken test, a compile error, a stopped app, a stopped server ----------------
def test_q1_another_broken_test_is_correct(pipe):
    service = next(pipe.workspace.rglob("TodoService.java"))
    assert "title.strip()" in service.read_text()
    service.write_text(service.read_text().replace("title.strip()", "title"))  # titles no longer trimmed
    run = pipe.run()
    assert run.failed_at == "test"
    result = ch11.q1.check()
    assert result.outcome is Outcome.CORRECT, result.message


def test_q1_a_compile_error_is_half_done(pipe):
    path = controller(pipe)
    path.write_text(path.read_text() + "\nthis is not Java\n")
    run = pipe.run()
    assert run.failed_at == "build"
    result = ch11.q1.check()
    assert result.outcome is Outcome.INCORRECT
    assert "'build'" in result.message and "must compile" in result.message


def test_a_stopped_app_is_called_stopped_and_a_stopped_server_gives_a_way_back(pipe):
    path = controller(pipe)
    original = path.read_text()
    path.write_text(original.replace(HEALTH_UP, 'Map.of("status", "DOWN")'))
    assert pipe.run().failed_at == "test"
    pipeline.server_container(pipe.server).stop()  # the learner stops the app: a stop is not a deploy
    result = ch11.q1.check()
    assert result.outcome is Outcome.CORRECT, result.message
    path.write_text(original)
    shipped = pipe.run()
    assert shipped.ok
    app = pipeline.server_container(pipe.server)
    app.stop()
    result = ch11.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert f"({app.name}) is stopped (exit code" in result.message and "docker start" in result.message
    app.start()
    assert lab.poll(lambda: ch11.q2.check().outcome is Outcome.CORRECT, timeout=60), ch11.q2.check().message
    cloud_server.stop(log=lambda _m: None)  # e.g. the kernel restarted and the chapter was reset
    result = ch11.q2.check()
    assert result.outcome is Outcome.INCORRECT
    assert "run the cell that starts it, then the pipeline again" in result.message
    assert ch11.q1.check().outcome is Outcome.CORRECT  # the run a failing test stopped is still the proof
