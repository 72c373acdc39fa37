"""The kit's registry: a labelled container on 127.0.0.1; push and pull give the same digest and image ID."""

from __future__ import annotations

import pytest

import dockerlab as lab
from dockerlab.course import cloud_server, registry
from dockerlab.labels import KIT, SESSION
from conftest import run_removed

pytestmark = [pytest.mark.engine, pytest.mark.slow]

DOCKERFILE = "FROM debian:bookworm-slim\nRUN echo shipped > /shipped.txt\nCMD [\"cat\", \"/shipped.txt\"]\n"


@pytest.fixture(autouse=True)
def clean_up(session):
    """Each test removes what it made (the session fixture then checks nothing leaked)."""
    yield
    lab.reset(purge_volumes=True)


@pytest.fixture
def reg(session):
    lab.labels.set_chapter("08")
    r = registry.start()
    yield r
    registry.stop()


def test_registry_is_a_kit_container_on_loopback(reg, session):
    assert reg.container.labels[KIT] == "1" and reg.container.labels[SESSION] == session
    binding = reg.container.attrs["NetworkSettings"]["Ports"]["5000/tcp"][0]
    assert binding["HostIp"] == "127.0.0.1" and reg.port == int(binding["HostPort"])
    assert reg.catalog() == []
    assert registry.start().container.id == reg.container.id  # reused, not started twice


@pytest.mark.docker_only(reason="the other engine is the cloud server, a second dockerd the kit starts; with Podman "
                                  "there is no dockerd to start")
def test_push_then_pull_on_another_engine_gives_the_same_digest_and_id(reg, engine_client):
    built = lab.build("shipme:1", dockerfile=DOCKERFILE)
    pushed = reg.push(built.tag, "shipme", "1")
    assert pushed.ref == f"{reg.host}/shipme:1" and pushed.digest.startswith("sha256:")
    assert reg.catalog() == ["shipme"] and reg.tags("shipme") == ["1"]
    assert reg.digest("shipme", "1") == pushed.digest
    assert reg.config_digest("shipme", "1") == built.id
    local = engine_client.images.get(pushed.ref)
    assert f"{reg.host}/shipme@{pushed.digest}" in local.attrs["RepoDigests"]

    srv = cloud_server.start(log=lambda _m: None)
    try:
        cloud = srv.client()
        try:
            pulled = registry.pull(pushed.ref, client=cloud)
            assert pulled.id == built.id
            assert pulled.repo_digests == [f"{reg.host}/shipme@{pushed.digest}"]
            out = run_removed(cloud, pushed.ref)
            assert out.strip() == b"shipped"
        finally:
            cloud.close()
    finally:
        srv.stop(log=lambda _m: None)


def test_push_to_a_stopped_registry_fails_with_a_hint(reg):
    built = lab.build("shipme:2", dockerfile=DOCKERFILE)
    ref = f"{reg.host}/shipme:2"
    lab.images.get(built.tag).tag(f"{reg.host}/shipme", "2")
    reg.container.remove()
    with pytest.raises(lab.DockerlabError) as info:
        registry.push(ref)
    assert "Hint:" in str(info.value)
    lab.connect().images.remove(ref)


def test_reset_removes_the_registry_and_the_tags_that_name_it(reg, engine_client):
    built = lab.build("shipme:3", dockerfile=DOCKERFILE)
    pushed = reg.push(built.tag, "shipme", "3")
    report = lab.reset("08")
    assert any("removed the registry" in line for line in report.other)
    assert any(pushed.ref in line for line in report.other)
    assert registry.find_registry() is None
    # the listing's summaries, not images.list(): that one inspects each image after listing, and another stage's
    # image removed in between raises ImageNotFound (CI saw it)
    assert not any(pushed.ref in (img.get("RepoTags") or []) for img in engine_client.api.images())


def test_a_reset_of_another_learner_removes_their_registry_and_leaves_this_ones(reg, engine_client, track_session):
    """A teacher's ``reset(session=…)`` stops that learner's registry, not the one of the kernel it runs in."""
    mine = lab.labels.session_id()
    other = f"{mine}-b"
    track_session(other)
    lab.set_session(other)
    try:
        theirs = registry.start()
    finally:
        lab.set_session(mine)
    assert theirs.container.name != reg.container.name
    report = lab.reset("08", session=other, purge_volumes=True)
    assert any("removed the registry" in line and theirs.container.name in line for line in report.other), report
    assert registry.find_registry() is not None  # this learner's still runs
    assert not lab.leaks(session=other, client=engine_client)
