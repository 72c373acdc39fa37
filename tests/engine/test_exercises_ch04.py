"""Chapter 04's exercise checks on the real engine: untouched, wrong attempts, the solution."""

from __future__ import annotations

import pytest

import dockerlab as lab
from dockerlab.checks import Outcome
from dockerlab.course import ensure_app
from dockerlab.exercises import ch04
from learner_cli import cli  # noqa: F401 (fixture: the learner's terminal)

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("chapter_under_test")]
CHAPTER = "04"
RESET_PURGES_VOLUMES = True


@pytest.fixture(scope="module")
def notes(engine_client):
    return ensure_app("notes")


@pytest.fixture(scope="module")
def backend(engine_client):
    return ensure_app("backend")


def _incorrect(problem, *words):
    result = problem.check()
    assert result.outcome is Outcome.INCORRECT, result
    for word in words:
        assert word in result.message, (word, result.message)
    return result


# -- exercise 1: a named volume at /app/notes ---------------------------------------------------
def test_q1_untouched_is_not_attempted():
    assert ch04.q1.check().outcome is Outcome.NOT_ATTEMPTED


def test_q1_volume_alone_is_not_attempted_yet():
    lab.volumes.create("my-notes")
    result = ch04.q1.check()
    assert result.outcome is Outcome.NOT_ATTEMPTED and "keeper" in result.message


def test_q1_bind_mount_is_incorrect(notes, tmp_path):
    lab.run("keeper", notes, volumes={str(tmp_path): "/app/notes"})
    _incorrect(ch04.q1, "bind", "not a named volume")


def test_q1_volume_elsewhere_is_incorrect(notes):
    lab.run("keeper", notes, volumes={"my-notes": "/data"})
    _incorrect(ch04.q1, "Nothing is mounted at /app/notes", "volume at /data")


def test_q1_other_volume_is_incorrect(notes):
    lab.run("keeper", notes, volumes={"other-notes": "/app/notes"})
    _incorrect(ch04.q1, "other-notes", f"not your volume '{lab.name('my-notes')}'")


def test_q1_nothing_written_is_incorrect(notes):
    lab.run("keeper", notes, volumes={"my-notes": "/app/notes"})
    _incorrect(ch04.q1, "keep.txt")


def test_q1_solution_is_correct(notes):
    lab.volumes.create("my-notes")
    keeper = lab.run("keeper", notes, volumes={"my-notes": "/app/notes"})
    assert keeper.exec("echo 'this outlives keeper' > /app/notes/keep.txt").ok
    result = ch04.q1.check()
    assert result.outcome is Outcome.CORRECT, result.message


# -- exercise 2: the backend with a volume and a loopback port ---------------------------------
def test_q2_untouched_is_not_attempted():
    assert ch04.q2.check().outcome is Outcome.NOT_ATTEMPTED


def test_q2_no_volume_is_incorrect(backend):
    lab.run("api", backend, ports={8080: None})
    # the image declares VOLUME /data: without ours, the engine mounts an anonymous volume there
    _incorrect(ch04.q2, "/data", "an anonymous volume", f"not your volume '{lab.name('todos')}'")


def test_q2_unpublished_port_is_incorrect(backend):
    lab.run("api", backend, volumes={"todos": "/data"})
    _incorrect(ch04.q2, "8080", "not published")


def test_q2_all_interfaces_is_incorrect(backend):
    lab.run("api", backend, volumes={"todos": "/data"}, ports={8080: None}, host_ip="0.0.0.0")
    _incorrect(ch04.q2, "0.0.0.0", "127.0.0.1")


def test_q2_wrong_image_is_incorrect(notes):
    lab.run("api", notes, volumes={"todos": "/data"}, ports={8080: None})
    _incorrect(ch04.q2, "dockerlab/backend:1.0")


def test_q2_solution_is_correct(backend):
    lab.volumes.create("todos")
    lab.run("api", backend, ports={8080: None}, volumes={"todos": "/data"}, wait="http:/actuator/health")
    result = ch04.q2.check()
    assert result.outcome is Outcome.CORRECT, result.message


# -- exercise 3: a read-only bind mount -------------------------------------------------------
def test_q3_untouched_is_not_attempted():
    assert ch04.q3.check().outcome is Outcome.NOT_ATTEMPTED


def test_q3_read_write_is_incorrect(notes, tmp_path):
    lab.run("viewer", notes, volumes={str(tmp_path): "/srv/shared"})
    _incorrect(ch04.q3, "read-write")


def test_q3_named_volume_is_incorrect(notes):
    lab.run("viewer", notes, volumes={"shared": "/srv/shared:ro"})
    _incorrect(ch04.q3, "named volume", "not a folder of the host")


def test_q3_wrong_path_is_incorrect(notes, tmp_path):
    lab.run("viewer", notes, volumes={str(tmp_path): "/srv:ro"})
    _incorrect(ch04.q3, "Nothing is mounted at /srv/shared", "bind at /srv")


def test_q3_solution_is_correct(notes, tmp_path):
    lab.run("viewer", notes, volumes={str(tmp_path): "/srv/shared:ro"})
    result = ch04.q3.check()
    assert result.outcome is Outcome.CORRECT, result.message


# -- the class of beginners: the terminal, other spellings, half-done work, later exercises ----------
def test_q1_plain_cli_work_is_correct(cli, notes):
    assert lab.name("keeper") in ch04.q1.check().message
    cli("volume", "create", lab.name("my-notes"))  # no kit labels: made in a terminal
    cli("run", "-d", "--name", lab.name("keeper"), "-v", f"{lab.name('my-notes')}:/app/notes", notes)
    cli("exec", lab.name("keeper"), "sh", "-c", "echo kept > /app/notes/keep.txt")
    result = ch04.q1.check()
    assert result.outcome is Outcome.CORRECT, result.message


def test_q1_the_mount_spelling_and_a_volume_made_on_the_fly_are_correct(cli, notes):
    cli("run", "-d", "--name", lab.name("keeper"), "--mount",
        f"type=volume,source={lab.name('my-notes')},target=/app/notes", notes)
    cli("exec", lab.name("keeper"), "sh", "-c", "echo kept > /app/notes/keep.txt")
    result = ch04.q1.check()
    assert result.outcome is Outcome.CORRECT, result.message


def test_q1_a_read_only_volume_for_an_app_that_must_write_is_incorrect(notes):
    lab.run("keeper", notes, volumes={"my-notes": "/app/notes:ro"})
    _incorrect(ch04.q1, "mounted read-only", lab.name("my-notes"))


def test_q1_a_folder_where_a_file_was_asked_is_incorrect(notes):
    keeper = lab.run("keeper", notes, volumes={"my-notes": "/app/notes"})
    assert keeper.exec("mkdir /app/notes/keep.txt").ok
    _incorrect(ch04.q1, "is a folder, not a file")


def test_q2_plain_cli_work_is_correct(cli, backend):
    cli("run", "-d", "--name", lab.name("api"), "-p", "127.0.0.1::8080", "--mount",
        f"type=volume,source={lab.name('todos')},target=/data", backend)
    result = ch04.q2.check()
    assert result.outcome is Outcome.CORRECT, result.message


def test_q2_a_read_only_volume_for_an_app_that_must_write_is_incorrect(backend):
    lab.run("api", backend, ports={8080: None}, volumes={"todos": "/data:ro"})
    _incorrect(ch04.q2, "mounted read-only", "must write")


def test_q2_a_stopped_api_is_called_stopped(backend):
    api = lab.run("api", backend, ports={8080: None}, volumes={"todos": "/data"})
    api.stop(timeout=1)
    _incorrect(ch04.q2, "is stopped", lab.name("api"))


def test_q3_the_mount_spelling_of_a_read_only_bind_is_correct(cli, notes, tmp_path):
    cli("run", "-d", "--name", lab.name("viewer"), "--mount",
        f"type=bind,source={tmp_path},target=/srv/shared,readonly", notes)
    result = ch04.q3.check()
    assert result.outcome is Outcome.CORRECT, result.message


def test_earlier_exercises_stay_correct_after_the_later_ones(notes, backend, tmp_path):
    keeper = lab.run("keeper", notes, volumes={"my-notes": "/app/notes"})
    assert keeper.exec("echo kept > /app/notes/keep.txt").ok
    lab.run("api", backend, ports={8080: None}, volumes={"todos": "/data"})
    lab.run("viewer", notes, volumes={str(tmp_path): "/srv/shared:ro"})
    checks = lambda: [ch04.q1.check().outcome, ch04.q2.check().outcome, ch04.q3.check().outcome]  # noqa: E731
    assert checks() == [Outcome.CORRECT] * 3
    assert checks() == [Outcome.CORRECT] * 3  # checked again (a re-run, or grading): the same answers
