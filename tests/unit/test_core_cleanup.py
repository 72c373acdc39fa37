"""Offline: reset removes by label only, in dependency order; volumes only with purge, announced first."""

from __future__ import annotations

import pytest

from dockerlab import labels, networks, volumes
from dockerlab.cleanup import leaks, register_reset_hook, reset
from dockerlab.docker_run import run
from dockerlab.errors import NameConflict, NotFound

IMAGE = "debian:bookworm-slim"


def make_kit_things(fake, chapter="02"):
    labels.set_chapter(chapter)
    networks.create("appnet", client=fake)
    run("web", IMAGE, network="appnet", volumes={"todos": "/data"}, client=fake)
    run("worker", IMAGE, client=fake)
    fake.engine.add_image("alice/hello:v1", labels=labels.kit_labels(role="learner"))
    fake.engine.add_image("dockerlab/hello:1.0", labels=labels.kit_labels(role="course", session=False))
    labels.set_chapter(None)


def make_foreign_things(fake):
    fake.containers.create(IMAGE, name="alice-web-foreign")
    fake.containers.create(IMAGE, name="bob-web", labels={labels.KIT: "1", labels.SESSION: "bob"})
    fake.volumes.create("alice-data")  # no labels: not the kit's, even with the learner's prefix
    fake.networks.create("alice-net")
    fake.engine.add_image("someone/else:1")


def test_reset_order_and_volumes_kept(fake):
    make_kit_things(fake)
    make_foreign_things(fake)
    fake.engine.calls.clear()
    report = reset(client=fake)
    removed = [c for c in fake.engine.calls if c[0].startswith("remove_")]
    kinds = [c[0] for c in removed]
    assert kinds == ["remove_container", "remove_container", "remove_network", "remove_image"]
    assert {c[1] for c in removed} == {"alice-web", "alice-worker", "alice-appnet", "alice/hello:v1"}
    assert [v.name for v in report.kept_volumes] == ["alice-todos"]
    assert "alice-todos" in fake.engine.volumes and "Kept volume(s) alice-todos" in str(report)
    # foreign things, another learner's and course images: untouched
    assert {c.name for c in fake.engine.containers.values()} == {"alice-web-foreign", "bob-web"}
    assert "alice-data" in fake.engine.volumes
    assert [n.name for n in fake.engine.networks.values()] == ["alice-net"]
    assert {t for i in fake.engine.images.values() for t in i.tags} == {IMAGE, "dockerlab/hello:1.0", "someone/else:1"}


def test_purge_says_what_it_deletes_before_deleting(fake):
    make_kit_things(fake)
    make_foreign_things(fake)
    said = []

    def say(text):
        said.append((text, set(fake.engine.volumes)))

    fake.engine.calls.clear()
    report = reset(purge_volumes=True, client=fake, say=say)
    assert len(said) == 1
    text, volumes_when_said = said[0]
    assert "alice-todos" in text and "alice-todos" in volumes_when_said  # told before it was gone
    kinds = [c[0] for c in fake.engine.calls if c[0].startswith("remove_")]
    assert kinds[-1] == "remove_volume" and kinds.index("remove_volume") > kinds.index("remove_image")
    assert "alice-todos" not in fake.engine.volumes and "alice-data" in fake.engine.volumes
    assert report.kept_volumes == []


def test_reset_one_chapter(fake):
    make_kit_things(fake, chapter="02")
    labels.set_chapter("03")
    run("other", IMAGE, client=fake)
    labels.set_chapter(None)
    reset("02", client=fake)
    assert [c.name for c in fake.engine.containers.values()] == ["alice-other"]
    assert leaks(chapter="03", client=fake)[0].name == "alice-other"


def test_reset_another_session_and_leaks(fake):
    make_kit_things(fake)
    assert {r.kind for r in leaks(client=fake)} == {"container", "network", "image", "volume"}
    assert leaks(session="bob", client=fake) == []
    with_course = leaks(include_course_images=True, session=None, client=fake)
    assert "dockerlab/hello:1.0" in [r.name for r in with_course]
    reset(session="bob", client=fake)  # a teacher resetting bob leaves alice alone
    assert len(fake.engine.containers) == 2


def test_reset_survives_things_vanishing_and_reports_other_failures(fake, monkeypatch):
    make_kit_things(fake)
    from fakes import api_error

    real = fake.api.remove_network

    def busy(nid):
        raise api_error(403, "error while removing network: network alice-appnet has active endpoints")

    monkeypatch.setattr(fake.api, "remove_network", busy)
    del fake.engine.containers[next(iter(fake.engine.containers))]  # removed from outside meanwhile
    report = reset(client=fake)
    assert any("could not remove network alice-appnet" in o for o in report.other)
    assert report.failed == [o for o in report.other if "could not remove" in o]  # what the CLI's exit code reads
    monkeypatch.setattr(fake.api, "remove_network", real)
    assert reset(client=fake).other == []


def test_a_failed_removal_is_a_failure_in_korean_too(fake, monkeypatch):
    """`python -m dockerlab reset` exits 1 on a failure line: found by its kind, not by English words."""
    make_kit_things(fake)
    from fakes import api_error

    def busy(nid):
        raise api_error(403, "error while removing network: network alice-appnet has active endpoints")

    monkeypatch.setenv("DOCKERLAB_LANG", "ko")
    monkeypatch.setattr(fake.api, "remove_network", busy)
    report = reset(client=fake)
    assert len(report.failed) == 1 and report.failed[0].startswith("네트워크 alice-appnet을(를) 지우지 못했습니다")
    assert "could not" not in str(report)


def test_nothing_to_remove_and_hooks(fake):
    calls = []

    def hook(chapter, client):
        calls.append(chapter)
        return ["stopped the second engine"]

    register_reset_hook(hook)
    register_reset_hook(hook)  # registered once
    try:
        report = reset("06", client=fake)
        assert calls == ["06"] and report.other == ["stopped the second engine"]
        assert "stopped the second engine" in str(report)
    finally:
        from dockerlab import cleanup

        cleanup._hooks.remove(hook)
    assert str(reset(client=fake)) == "Nothing of the kit's to remove."


def test_volume_and_network_helpers_never_touch_foreign_ones(fake):
    fake.volumes.create("alice-data")
    fake.networks.create("alice-net")
    with pytest.raises(NameConflict):
        volumes.create("data", client=fake)
    with pytest.raises(NameConflict):
        volumes.remove("data", client=fake)
    with pytest.raises(NameConflict):
        networks.create("net", client=fake)
    with pytest.raises(NameConflict):
        networks.remove("net", client=fake)
    assert "alice-data" in fake.engine.volumes and len(fake.engine.networks) == 1
    mine = volumes.create("todos", client=fake)
    assert volumes.create("todos", client=fake).sdk is mine.sdk  # idempotent
    assert mine.cli == "docker volume create --label org.dockerlab.kit=1 --label org.dockerlab.session=alice alice-todos"
    net = networks.create("appnet", client=fake)
    assert networks.create("appnet", client=fake).sdk is net.sdk
    assert net.cli == ("docker network create --driver bridge --label org.dockerlab.kit=1 "
                       "--label org.dockerlab.session=alice alice-appnet")
    volumes.remove("todos", client=fake)
    networks.remove("appnet", client=fake)
    volumes.remove("todos", client=fake)  # already gone: fine
    networks.remove("appnet", client=fake)
    with pytest.raises(NotFound):
        volumes.get("todos", client=fake)
    with pytest.raises(NotFound):
        networks.get("appnet", client=fake)


def test_a_network_podman_could_not_place_while_an_interface_went_away_is_asked_again(fake, monkeypatch):
    """Podman's free-subnet search lists the machine's addresses, then its links; an interface removed in between
    (CI: another stage's network going away) fails the create with "no such network interface". Asked again, it
    works; any other refusal is not repeated."""
    import docker

    from dockerlab.errors import DockerlabError

    real, refusals = fake.networks.create, ["route ip+net: no such network interface"]

    def flaky(name, **options):
        if refusals:
            raise docker.errors.APIError("500 Server Error", explanation=refusals.pop())
        return real(name, **options)

    monkeypatch.setattr(fake.networks, "create", flaky)
    assert networks.create("appnet", client=fake).name == "alice-appnet" and len(fake.engine.networks) == 1
    refusals.append("subnet 10.89.0.0/24 is already used")
    with pytest.raises(DockerlabError) as info:
        networks.create("othernet", client=fake)
    assert "already used" in str(info.value) and len(fake.engine.networks) == 1 and not refusals


def test_services_go_first_when_swarm_is_on(fake):
    make_kit_things(fake)
    fake.engine.swarm = True
    fake.services.create(IMAGE, name="alice-web-svc", labels=labels.kit_labels())
    fake.services.create(IMAGE, name="bob-svc", labels={labels.KIT: "1", labels.SESSION: "bob"})
    fake.engine.calls.clear()
    reset(purge_volumes=True, client=fake)
    kinds = [c[0] for c in fake.engine.calls if c[0].startswith("remove_")]
    assert kinds == ["remove_service", "remove_container", "remove_container", "remove_network", "remove_image",
                     "remove_volume"]
    assert [s.name for s in fake.engine.services.values()] == ["bob-svc"]


def test_an_image_goes_after_the_ones_made_from_it(fake):
    """A commit of a container is a child of its image; the engine refuses to remove the parent first, even with
    force. Reset removes the child, then the parent (whatever order the engine lists them in)."""
    labels.set_chapter("18")
    parent = fake.engine.add_image("alice/curl:1", labels=labels.kit_labels(role="learner"))
    child = fake.engine.add_image("alice/dev-snapshot:1", labels=labels.kit_labels(role="commit"))
    child.parent = parent.id
    listed = list(fake.engine.images)
    assert listed.index(parent.id) < listed.index(child.id)  # listed parent first: the first try fails
    report = reset("18", client=fake)
    assert report.other == [] and {r.name for r in report.removed} == {"alice/curl:1", "alice/dev-snapshot:1"}
    assert [c[1] for c in fake.engine.calls if c[0] == "remove_image"] == ["alice/dev-snapshot:1", "alice/curl:1"]
    assert leaks(client=fake) == []
    labels.set_chapter(None)


def test_an_image_that_cannot_go_is_reported_once(fake):
    labels.set_chapter("18")
    parent = fake.engine.add_image("alice/base:1", labels=labels.kit_labels(role="learner"))
    fake.engine.add_image("someone/else:1").parent = parent.id  # not the kit's: reset leaves it, so the parent stays
    report = reset("18", client=fake)
    assert report.removed == [] and len(report.other) == 1 and "dependent child images" in report.other[0]
    labels.set_chapter(None)


def test_a_swarm_another_learner_ends_meanwhile_leaves_no_service_to_list(fake, monkeypatch):
    """Between "is the engine in a swarm?" and the listing, another learner on the same engine may leave Swarm mode
    (the engine then answers 503: no control socket). Their services went with it: reset carries on with the rest."""
    from fakes import api_error

    from dockerlab import swarm

    make_kit_things(fake)
    fake.engine.swarm = True
    listing = fake.services.list

    def swarm_leaves_now(*args, **kwargs):
        fake.engine.swarm = False
        raise api_error(503, "rpc error: code = Unavailable desc = dial unix /var/run/docker/swarm/control.sock")

    monkeypatch.setattr(fake.services, "list", swarm_leaves_now)
    assert {r.kind for r in leaks(client=fake)} == {"container", "network", "image", "volume"}
    fake.engine.swarm = True
    report = reset(purge_volumes=True, client=fake)
    assert {r.kind for r in report.removed} == {"container", "network", "image", "volume"}
    fake.engine.swarm = True
    assert swarm.listed_services(fake) == []

    calls = []

    def manager_starting(*args, **kwargs):  # 503 while another learner's swarm manager starts: asked again
        calls.append(1)
        if len(calls) < 3:
            raise api_error(503, "rpc error: code = Unavailable desc = dial unix /var/run/docker/swarm/control.sock")
        return listing(*args, **kwargs)

    monkeypatch.setattr(fake.services, "list", manager_starting)
    fake.engine.swarm = True
    fake.services.create(IMAGE, name="alice-svc", labels=labels.kit_labels())
    assert [r.name for r in leaks(client=fake) if r.kind == "service"] == ["alice-svc"] and len(calls) == 3

    def engine_fails(*args, **kwargs):  # any other failure while the swarm is there is the engine's: it is raised
        raise api_error(500, "the manager is broken")

    monkeypatch.setattr(fake.services, "list", engine_fails)
    with pytest.raises(Exception, match="broken"):
        leaks(client=fake)
    monkeypatch.setattr(fake.services, "list", listing)


def test_a_reset_of_another_learner_runs_its_hooks_as_that_learner_and_leaves_this_kernels_own(fake):
    """A teacher's reset of bob: the hooks (registry, swarm, cloud server, …) act for bob on the reset's engine, and
    this kernel's own hooks (its live widgets) are not bob's to close."""
    from dockerlab import cleanup, labels

    seen: list[tuple[str | None, str, object]] = []
    kernel: list[str] = []

    def course_hook(chapter, client):
        seen.append((chapter, labels.session_id(), client))
        return []

    def kernel_hook(chapter, client):
        kernel.append(labels.session_id())
        return []

    labels.set_session("alice")
    register_reset_hook(kernel_hook)
    try:
        reset("08", session="bob", client=fake, hooks=[course_hook])
        assert seen == [("08", "bob", fake)] and kernel == []
        assert labels.session_id() == "alice"  # the reset's learner was for the reset only
        reset("08", client=fake, hooks=[course_hook])
        assert seen[-1] == ("08", "alice", fake) and kernel == ["alice"]
    finally:
        cleanup._hooks.remove(kernel_hook)
        labels.set_session(None)


def test_a_reset_on_a_stopped_engine_says_the_engine_is_gone_whatever_its_hooks_ask(fake):
    """The hooks ask the reset's engine now (not the default one): when it is down, the registry's and the other hooks
    say nothing, and the reset's own listing says which engine is gone (CI's test_engine_stops_and_comes_back)."""
    from dockerlab.chapter import reset_hooks
    from dockerlab.errors import EngineUnavailable

    fake.engine.up = False
    with pytest.raises(EngineUnavailable) as info:
        reset(client=fake, hooks=reset_hooks())
    assert "unix:///fake/docker.sock" in info.value.what
