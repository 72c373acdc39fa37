"""Two tiers: offline tests (fakes, no engine) and `engine` tests against a real Docker engine.

In CI (CI set) or with DOCKERLAB_REQUIRE_ENGINE=1 a missing engine FAILS the engine tier
instead of skipping it. Every engine test runs under its own learner session, and a fixture
fails any test that leaves resources labelled with that session behind.
"""

from __future__ import annotations

import os
import uuid

import pytest

import dockerlab
from dockerlab.errors import DockerlabError

REQUIRE_ENGINE = bool(os.environ.get("CI") or os.environ.get("DOCKERLAB_REQUIRE_ENGINE"))


def _engine_error() -> str | None:
    try:
        from dockerlab.engine import connect, ping

        ping(connect())
        return None
    except DockerlabError as err:
        return err.message


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
        left = dockerlab.leaks(session=sid, client=engine_client)
        dockerlab.reset(session=sid, purge_volumes=True, client=engine_client)
        dockerlab.set_session(None)
        dockerlab.labels.set_chapter(None)
        if left:
            pytest.fail(f"test left kit resources behind: {[(r.kind, r.name) for r in left]}", pytrace=False)


def pytest_collection_modifyitems(config, items):
    """Engine tests get the session fixture (engine + leak check) automatically."""
    for item in items:
        if item.get_closest_marker("engine") and "session" not in getattr(item, "fixturenames", []):
            item.fixturenames.insert(0, "session")
