"""Reliability: the safety defaults, read back from the real containers' HostConfig and the real images.

Ports bind to 127.0.0.1 unless host_ip is given; nothing is privileged; the engine's socket is never
mounted; every kit container has a memory and a pids limit; the course's app images run as non-root.
"""

from __future__ import annotations

import re
import threading

import docker.errors
import pytest

import dockerlab as lab
from dockerlab import limits
from dockerlab.course import APPS, ensure_app
from dockerlab.polling import poll
from corekit import BASE, HTTP_SERVER

pytestmark = pytest.mark.engine

SOCKETS = ("docker.sock", "podman.sock")


def assert_safe(attrs: dict, *, loopback_only: bool = True) -> None:
    name = attrs["Name"].lstrip("/")
    host = attrs["HostConfig"]
    assert host.get("Privileged") is False, f"{name} is privileged"
    assert host.get("Memory"), f"{name} has no memory limit"
    if not (host.get("PidsLimit") or 0) > 0:
        assert_a_confined_build_step(attrs)
    binds = list(host.get("Binds") or []) + [m.get("Source", "") for m in attrs.get("Mounts") or []]
    assert not [b for b in binds if any(s in b for s in SOCKETS)], f"{name} mounts an engine socket: {binds}"
    assert not host.get("CapAdd"), f"{name} adds capabilities {host.get('CapAdd')}"
    for port, bindings in (host.get("PortBindings") or {}).items() if loopback_only else ():
        for b in bindings or []:
            assert b.get("HostIp") in ("127.0.0.1", "::1"), f"{name} publishes {port} on {b.get('HostIp')!r}"


BUILD_CGROUP = re.compile(rf"^/{limits.PARENT}/builds-[^/]+$")


def assert_a_confined_build_step(attrs: dict) -> None:
    """A container without a pids limit of its own must be a build step's (`docker build` takes no pids limit), and
    run in the learner's build cgroup, whose pids limit every step of their builds shares. Its memory limit is the
    build's (checked by the caller). On an engine where the kit cannot make that cgroup (the kit says why) a build
    step has its memory limit only: it must still be a build step's container."""
    name, host, state = attrs["Name"].lstrip("/"), attrs["HostConfig"], attrs["State"]
    parent = host.get("CgroupParent") or ""
    why = limits.build_cgroup_unavailable(lab.connect())
    if why:
        assert (attrs["Config"].get("Cmd") or [""])[:2] == ["/bin/sh", "-c"] and not parent, \
            f"{name} has no pids limit and is not a build step ({why})"
        return
    assert BUILD_CGROUP.match(parent), f"{name} has no pids limit and does not run in a learner's build cgroup"
    if state.get("Running"):  # its processes are in that cgroup now: it must have its limit
        assert limits.parent_pids_max(parent), f"{name} runs in {parent}, which has no pids limit"


def made_outside_the_kit(client, attrs: dict) -> bool:
    """A container whose kit labels all come from its image, with no limit at all: a terminal's `docker run` or
    `docker build` of a learner's image (the kit gives every container it makes a memory limit, every build step
    too). Containers of course images carry no session label: the listing leaves them out already."""
    host = attrs["HostConfig"]
    if host.get("Memory") or host.get("PidsLimit") or host.get("CgroupParent"):
        return False
    image_labels = (client.api.inspect_image(attrs["Image"])["Config"] or {}).get("Labels") or {}
    return (attrs["Config"].get("Labels") or {}).items() <= image_labels.items()


def test_defaults_on_a_real_container(session, engine_client):
    web = lab.run("web", BASE, HTTP_SERVER, ports={8080: None, 9000: None}, wait="log:Listening")
    attrs = engine_client.api.inspect_container(web.id)
    assert_safe(attrs)
    assert attrs["HostConfig"]["Memory"] == 512 * 2**20 and attrs["HostConfig"]["PidsLimit"] == 256
    for port in ("8080/tcp", "9000/tcp"):
        assert attrs["HostConfig"]["PortBindings"][port][0]["HostIp"] == "127.0.0.1"
        assert attrs["NetworkSettings"]["Ports"][port][0]["HostIp"] == "127.0.0.1"
    assert attrs["Config"]["Labels"]["org.dockerlab.kit"] == "1"
    lab.reset()


def test_only_an_explicit_host_ip_opens_a_port_wider(session, engine_client):
    web = lab.run("open", BASE, HTTP_SERVER, ports={8080: None}, host_ip="0.0.0.0")
    bindings = engine_client.api.inspect_container(web.id)["HostConfig"]["PortBindings"]["8080/tcp"]
    assert bindings[0]["HostIp"] == "0.0.0.0"
    assert "-p 0.0.0.0::8080" in web.cli  # the command line shows it too
    lab.reset()


def test_limits_can_be_changed_but_not_removed_by_accident(session, engine_client):
    big = lab.run("big", BASE, ["sleep", "300"], mem_limit="1g", pids_limit=512)
    host = engine_client.api.inspect_container(big.id)["HostConfig"]
    assert host["Memory"] == 2**30 and host["PidsLimit"] == 512
    lab.reset()


def test_every_kit_container_on_the_engine_is_confined(session, engine_client):
    """Whatever module made them (run, builds, the course's helpers, other chapters' tests running now). A build of
    this test runs meanwhile: its RUN step's container (labelled by the kit through its parent image) is one of them."""
    lab.labels.set_chapter("18")
    base = lab.images.build("confined-base:1", dockerfile="FROM debian:bookworm-slim\nCMD [\"true\"]\n")  # a kit image
    built: list = []
    builder = threading.Thread(target=lambda: built.append(lab.images.build(
        "confined:1", dockerfile=f"FROM {base.tag}\nRUN sleep 8\n", nocache=True)))
    builder.start()
    try:
        def a_running_step() -> str | None:
            for summary in engine_client.api.containers(filters={"label": f"org.dockerlab.session={session}"}):
                if "sleep 8" in summary.get("Command", ""):
                    return summary["Id"]
            return None

        step = poll(a_running_step, timeout=120)
        assert step, "the build's RUN step never ran"
        lab.run("mine", BASE, ["sleep", "300"])
        checked, steps = 0, 0
        for summary in engine_client.api.containers(all=True, filters={"label": ["org.dockerlab.kit",
                                                                                 "org.dockerlab.session"]}):
            try:
                attrs = engine_client.api.inspect_container(summary["Id"])
                if made_outside_the_kit(engine_client, attrs):
                    continue
            except docker.errors.NotFound:
                continue  # removed by its owner meanwhile
            assert_safe(attrs, loopback_only=False)  # a chapter may pass host_ip explicitly
            checked += 1
            steps += not (attrs["HostConfig"].get("PidsLimit") or 0) > 0
        assert checked >= 2 and steps >= 1
        mine = engine_client.api.inspect_container(step)["HostConfig"]
        assert mine["Memory"] == limits.memory_bytes(limits.BUILD_MEMORY)
    finally:
        builder.join(timeout=180)
    assert built and built[0].limits["memory"] == limits.BUILD_MEMORY
    lab.reset()
    lab.labels.set_chapter(None)


@pytest.mark.slow
@pytest.mark.parametrize("app", ["backend", "frontend"])
def test_course_app_images_run_as_non_root(session, engine_client, app):
    tag = ensure_app(app)  # builds it when missing (minutes)
    assert tag == APPS[app]
    user = engine_client.images.get(tag).attrs["Config"].get("User") or ""
    assert user and user.split(":")[0] not in ("root", "0"), f"{tag} runs as {user or 'root (no USER)'}"
    # and a container of it really runs as that user
    c = lab.run(app, tag, ["id", "-u"], entrypoint="")
    c.sdk.wait(timeout=60)
    assert c.logs().strip() not in ("0", "")
    lab.reset()
