"""Chapter 04's exercise checks on the real engine: untouched, wrong attempts, the solution."""

from __future__ import annotations

import pytest

import dockerlab as lab
from dockerlab.checks import Outcome
from dockerlab.course import ensure_app
from dockerlab.exercises import ch04

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
    _incorrect(ch04.q1, "other-notes", "not your volume 'my-notes'")


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
    _incorrect(ch04.q2, "/data", "not your volume 'todos'")


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
