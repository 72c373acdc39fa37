"""Reliability: reset never harms what the kit did not make — not even things named exactly like the
kit's own, nor another learner's. Named kit volumes survive a plain reset; purge lists them first."""

from __future__ import annotations

import uuid

import docker.errors
import pytest

import dockerlab as lab
from dockerlab import labels
from corekit import BASE

pytestmark = pytest.mark.engine


@pytest.fixture
def foreign(session, engine_client):
    """Unlabelled container, volume and network named like kit resources of this session, and another
    learner's (labelled) container: none of them is the session's to remove."""
    made = {
        "container": engine_client.containers.run(BASE, ["sleep", "300"], name=f"{session}-web", detach=True),
        "volume": engine_client.volumes.create(f"{session}-data"),
        "network": engine_client.networks.create(f"{session}-net", driver="bridge"),
    }
    other = f"o{uuid.uuid4().hex[:8]}"
    with labels.acting_as(other):  # made by the kit for that learner, as theirs is: limits and all (a kit-labelled
        # container without them fails test_reliability_security's look at every kit container on the engine)
        theirs = lab.run("web", BASE, ["sleep", "300"], chapter="02", client=engine_client)
    made["other learner"] = theirs.sdk
    assert made["other learner"].labels[labels.SESSION] == other and made["other learner"].attrs["HostConfig"]["Memory"]
    try:
        yield made
    finally:
        for key in ("container", "other learner"):
            try:
                made[key].remove(force=True)
            except docker.errors.NotFound:
                pass
        for key in ("volume", "network"):
            try:
                made[key].remove()
            except docker.errors.NotFound:
                pass


def still_there(engine_client, made) -> None:
    c = engine_client.containers.get(made["container"].id)
    assert c.status == "running" and c.name.endswith("-web")
    assert engine_client.volumes.get(made["volume"].name).name == made["volume"].name
    assert engine_client.networks.get(made["network"].id).name == made["network"].name
    assert engine_client.containers.get(made["other learner"].id).status == "running"


def test_reset_and_purge_leave_foreign_things_alone(session, engine_client, foreign):
    labels.set_chapter("02")
    lab.networks.create("appnet")
    lab.run("app", BASE, ["sleep", "300"], network="appnet", volumes={"todos": "/data"})
    lab.volumes.create("cache")
    lab.build("tool:v1", dockerfile=f"FROM {BASE}\nCMD [\"true\"]\n")
    labels.set_chapter(None)

    report = lab.reset()
    removed = {(r.kind, r.name) for r in report.removed}
    assert removed == {("container", f"{session}-app"), ("network", f"{session}-appnet"),
                       ("image", f"{session}/tool:v1")}
    assert sorted(v.name for v in report.kept_volumes) == [f"{session}-cache", f"{session}-todos"]
    assert engine_client.volumes.get(f"{session}-todos")  # the learner's data survives a plain reset
    still_there(engine_client, foreign)

    lab.run("app", BASE, ["sh", "-c", "echo keep > /data/x"], volumes={"todos": "/data"})
    said: list[tuple[str, set[str]]] = []

    def say(text: str) -> None:  # records what still existed when purge announced itself
        said.append((text, {v.name for v in engine_client.volumes.list()}))

    report = lab.reset(purge_volumes=True, say=say)
    assert len(said) == 1
    text, volumes_then = said[0]
    for vol in (f"{session}-todos", f"{session}-cache"):
        assert vol in text and vol in volumes_then  # named before deletion …
        with pytest.raises(docker.errors.NotFound):
            engine_client.volumes.get(vol)  # … deleted after
    assert f"{session}-data" not in text
    still_there(engine_client, foreign)
    assert lab.leaks() == []


def test_one_chapters_reset_leaves_the_others(session, engine_client):
    labels.set_chapter("03")
    lab.run("three", BASE, ["sleep", "300"])
    labels.set_chapter("04")
    lab.run("four", BASE, ["sleep", "300"])
    labels.set_chapter(None)
    lab.reset("03")
    assert [r.name for r in lab.leaks()] == [f"{session}-four"]
    lab.reset()


def test_kit_refuses_to_reuse_foreign_volume_and_network_names(session, engine_client, foreign):
    with pytest.raises(lab.NameConflict):
        lab.volumes.create("data")
    with pytest.raises(lab.NameConflict):
        lab.networks.create("net")
    with pytest.raises(lab.NameConflict):
        lab.volumes.remove("data")
    with pytest.raises(lab.NameConflict):
        lab.networks.remove("net")
    with pytest.raises(lab.NameConflict):
        lab.run("web", BASE)
    still_there(engine_client, foreign)
    assert lab.leaks() == []
