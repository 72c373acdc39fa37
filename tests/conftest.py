"""Two tiers: offline tests (fakes, no engine) and `engine` tests against a real Docker engine.

In CI (CI set) or with DOCKERLAB_REQUIRE_ENGINE=1 a missing engine FAILS the engine tier
instead of skipping it. Every engine test runs under its own learner session, and a fixture
fails any test that leaves resources labelled with that session behind.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import docker
import pytest

import dockerlab
from dockerlab.errors import DockerlabError

REQUIRE_ENGINE = bool(os.environ.get("CI") or os.environ.get("DOCKERLAB_REQUIRE_ENGINE"))


def pytest_configure(config):
    """Under pytest-xdist each worker is a learner of its own: ``DOCKERLAB_SESSION`` gets the worker's id (gw0, gw1…),
    so the names the workers' notebooks-style defaults make never meet on the shared engine."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    session = os.environ.get("DOCKERLAB_SESSION")
    if worker and session and not session.endswith(f"-{worker}"):
        os.environ["DOCKERLAB_SESSION"] = f"{session}-{worker}"


@pytest.fixture(scope="session", autouse=True)
def progress_file_of_this_run(tmp_path_factory):
    """The checks the tests run record progress into a file of this run, never into the tester's home."""
    if os.environ.get("DOCKERLAB_PROGRESS"):
        yield
        return
    os.environ["DOCKERLAB_PROGRESS"] = str(tmp_path_factory.mktemp("progress") / "progress.json")
    yield
    os.environ.pop("DOCKERLAB_PROGRESS", None)


@pytest.fixture(autouse=True)
def kit_language(monkeypatch):
    """Every test starts in the kit's default language (English), whatever the shell's locale or DOCKERLAB_LANG; a
    test that chooses Korean (``set_language("ko")``, a chapter started with lang="ko") leaves it behind."""
    from dockerlab.i18n import set_language

    monkeypatch.setenv("DOCKERLAB_LANG", "en")
    set_language(None)
    yield
    set_language(None)


def _engine_error() -> str | None:
    try:
        from dockerlab.engine import connect, ping

        ping(connect())
        return None
    except DockerlabError as err:
        return err.message


def skip_or_fail(reason: str) -> None:
    """A test that cannot run here: skipped on a learner's machine, a FAILURE in CI (nothing may hide there)."""
    if REQUIRE_ENGINE:
        pytest.fail(f"cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def engine_client():
    """The real engine's docker-py client; skip (or fail in CI) when none answers."""
    problem = _engine_error()
    if problem:
        if REQUIRE_ENGINE:
            pytest.fail(f"The engine tier needs a Docker engine and none answers:\n{problem}", pytrace=False)
        pytest.skip(f"no Docker engine: {problem.splitlines()[0]}")
    from dockerlab.engine import connect

    return connect()


#: every learner session this pytest run used on the engine (engine tests, multi-learner workers)
_SESSIONS: list[str] = []


@pytest.fixture(scope="session")
def track_session():
    """``track_session(sid)``: add a session (e.g. a worker process's) to the end-of-suite leak check."""
    return _SESSIONS.append


@pytest.fixture(scope="session", autouse=True)
def no_leaks_after_suite(request):
    """After the whole suite: nothing labelled with any of this run's sessions is left on the engine.

    Counts the kit's resources (course images excluded) before and after, and fails the run
    (an error at the last test's teardown) when one of this run's sessions still owns something.
    """
    if not any(item.get_closest_marker("engine") for item in request.session.items):
        yield  # an offline run never talks to the engine
        return
    before = _kit_resource_count()
    yield
    if not _SESSIONS or before is None:
        return
    from dockerlab.engine import connect

    client = connect()
    left = [r for sid in sorted(set(_SESSIONS)) for r in dockerlab.leaks(session=sid, client=client)]
    after = _kit_resource_count()
    print(f"\n[leak check] kit resources on the engine: {before} before the suite, {after} after; "
          f"{len(set(_SESSIONS))} test sessions, {len(left)} of their resources left")
    if left:
        pytest.fail(f"the suite left kit resources behind: {[(r.session, r.kind, r.name) for r in left]}",
                    pytrace=False)


def _kit_resource_count() -> int | None:
    if _engine_error():
        return None
    return len(dockerlab.leaks(session=None))


@pytest.fixture
def session(request, engine_client):
    """A fresh learner session for one test; fails the test if it leaks labelled resources."""
    sid = f"t{uuid.uuid4().hex[:8]}"
    _SESSIONS.append(sid)
    dockerlab.set_session(sid)
    dockerlab.labels.set_chapter(None)
    try:
        yield sid
    finally:
        # what the reset removes (or could not) is what the test left: one listing of the engine, not two
        report = dockerlab.reset(session=sid, purge_volumes=True, client=engine_client)
        dockerlab.set_session(None)
        dockerlab.labels.set_chapter(None)
        left = [(r.kind, r.name) for r in report.removed] + report.failed
        if left:
            pytest.fail(f"test left kit resources behind: {left}", pytrace=False)


@pytest.fixture
def chapter_under_test(request, session, monkeypatch):
    """The test module's chapter, ``CHAPTER = "NN"``, as the current one; reset it afterwards.

    A module opts in with ``pytest.mark.usefixtures("chapter_under_test")``; ``RESET_PURGES_VOLUMES = True``
    also removes the chapter's volumes at the reset. The checks report their outcomes (the tests assert
    them), so a ``DOCKERLAB_EXPECT_CHECKS`` from the environment is cleared.
    """
    chapter = request.module.CHAPTER
    monkeypatch.delenv("DOCKERLAB_EXPECT_CHECKS", raising=False)
    dockerlab.labels.set_chapter(chapter)
    yield chapter
    if getattr(request.module, "RESET_PURGES_VOLUMES", False):
        dockerlab.reset(chapter, purge_volumes=True)
    else:
        dockerlab.reset(chapter)


@pytest.fixture
def module_session_client(request, engine_client):
    """The engine under the test module's own fixed learner session, ``SESSION = "..."``.

    Fails the test if it leaves a labelled container behind; resets the session and restores the previous one.
    """
    sid = request.module.SESSION
    previous = dockerlab.labels.session_id()
    dockerlab.set_session(sid)
    try:
        yield engine_client
    finally:
        report = dockerlab.reset(session=sid, client=engine_client)
        dockerlab.set_session(previous)
        left = [r.name for r in report.removed if r.kind == "container"] + report.failed
        assert not left, f"left containers behind: {left}"


#: the limits the kit gives every container it runs (`lab.run`'s defaults), for the containers tests make with the SDK
#: and the kit's labels: without them, test_reliability_security's look at every kit container on the engine fails
#: when that test runs meanwhile
KIT_LIMITS = {"mem_limit": dockerlab.limits.DEFAULT_MEMORY, "pids_limit": dockerlab.limits.DEFAULT_PIDS}


def run_removed(client, image: str, command: list[str] | None = None, **run_options) -> bytes:
    """``docker run --rm``: a throw-away, labelled container of ``image``; its output (stdout). An image's ``VOLUME``
    (the backend's /data, the registry's) goes with the container: docker-py's ``containers.run(remove=True)`` keeps
    such anonymous volumes, unlike the CLI's ``--rm``. A non-zero exit raises ``ContainerError`` as there. It gets
    ``KIT_LIMITS`` unless ``run_options`` say otherwise."""
    box = client.containers.run(image, command, detach=True, labels=dockerlab.labels.kit_labels(),
                                **{**KIT_LIMITS, **run_options})
    try:
        code = int(box.wait(timeout=300)["StatusCode"])
        out = box.logs(stdout=True, stderr=False)
        if code != 0:
            raise docker.errors.ContainerError(box, code, command, image, box.logs(stdout=False, stderr=True))
        return out
    finally:
        box.remove(force=True, v=True)


def run_as_root(client, image: str, script: str, **run_options) -> str:
    """Run a shell line as root in a throw-away, labelled container of ``image`` (entrypoint bypassed); its output.

    ``run_options`` go to ``containers.run`` (e.g. ``network_mode="none"``).
    """
    # the script as the entrypoint: Podman keeps an image's entrypoint when given an empty one
    return run_removed(client, image, entrypoint=["sh", "-c", script], user="0", **run_options).decode()


def ship_image_as_file(ref: str, source, client) -> list:
    """``docker save ref`` from the ``source`` engine to a tar file, ``docker load`` into ``client``'s engine. The tar
    names ``ref``: an image has several names while other tests tag it, and the first one need not be ``ref``."""
    with tempfile.TemporaryDirectory() as tmp:
        tar = Path(tmp) / "image.tar"
        with open(tar, "wb") as out:
            for chunk in source.images.get(ref).save(named=ref):
                out.write(chunk)
        with open(tar, "rb") as f:
            return client.images.load(f)


def _engine_kind() -> str | None:
    try:
        from dockerlab.engine import connect, engine_info

        return engine_info(connect()).kind
    except DockerlabError:
        return None


#: (test id, reason) of the Docker-only tests left out because the engine is Podman
_NOT_ON_PODMAN: list[tuple[str, str]] = []


def pytest_collection_modifyitems(config, items):
    """Engine tests get the session fixture (engine + leak check) automatically. On Podman, the tests marked
    ``docker_only(reason)`` are left out, each named with its reason at the end of the run (never skipped quietly)."""
    for item in items:
        if item.get_closest_marker("engine") and "session" not in getattr(item, "fixturenames", []):
            item.fixturenames.insert(0, "session")
    marked = [item for item in items if item.get_closest_marker("docker_only")]
    if not marked or _engine_kind() != "Podman":
        return
    for item in marked:
        marker = item.get_closest_marker("docker_only")
        reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
        assert reason, f"{item.nodeid}: docker_only needs a reason"
        _NOT_ON_PODMAN.append((item.nodeid, reason))
    config.hook.pytest_deselected(items=marked)
    items[:] = [item for item in items if not item.get_closest_marker("docker_only")]


def pytest_terminal_summary(terminalreporter):
    if _NOT_ON_PODMAN:
        terminalreporter.section(f"Docker-only: {len(_NOT_ON_PODMAN)} tests not run on Podman")
        for nodeid, reason in _NOT_ON_PODMAN:
            terminalreporter.write_line(f"{nodeid} — {reason}")
