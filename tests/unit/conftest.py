"""The offline tier's fake engine (`fakes.FakeClient`) as the one ``fake`` fixture: learner ``alice``, no chapter,
DOCKER_HOST unset, a state folder of the test's own, the course's base image on the engine. A test module may extend it (``def fake(fake): …``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dockerlab import labels
from fakes import FakeClient

#: the base image the fake engine holds
IMAGE = "debian:bookworm-slim"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeClient]:
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    # the kit's state folder (a text build's written context, …): the test's own, never the machine's
    monkeypatch.setenv("DOCKERLAB_STATE", str(tmp_path_factory.mktemp("state")))
    labels.set_session("alice")
    labels.set_chapter(None)
    client = FakeClient()
    client.engine.add_image(IMAGE)
    yield client
    labels.set_session(None)
    labels.set_chapter(None)
