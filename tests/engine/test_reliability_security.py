"""Reliability: the safety defaults, read back from the real containers' HostConfig and the real images.

Ports bind to 127.0.0.1 unless host_ip is given; nothing is privileged; the engine's socket is never
mounted; every kit container has a memory and a pids limit; the course's app images run as non-root.
"""

from __future__ import annotations

import docker.errors
import pytest

import dockerlab as lab
from dockerlab.course import APPS, ensure_app
from corekit import BASE, HTTP_SERVER

pytestmark = pytest.mark.engine

SOCKETS = ("docker.sock", "podman.sock")


def assert_safe(attrs: dict, *, loopback_only: bool = True) -> None:
    name = attrs["Name"].lstrip("/")
    host = attrs["HostConfig"]
    assert host.get("Privileged") is False, f"{name} is privileged"
    assert host.get("Memory"), f"{name} has no memory limit"
    assert host.get("PidsLimit") and host["PidsLimit"] > 0, f"{name} has no pids limit"
    binds = list(host.get("Binds") or []) + [m.get("Source", "") for m in attrs.get("Mounts") or []]
    assert not [b for b in binds if any(s in b for s in SOCKETS)], f"{name} mounts an engine socket: {binds}"
    assert not host.get("CapAdd"), f"{name} adds capabilities {host.get('CapAdd')}"
    for port, bindings in (host.get("PortBindings") or {}).items() if loopback_only else ():
        for b in bindings or []:
            assert b.get("HostIp") in ("127.0.0.1", "::1"), f"{name} publishes {port} on {b.get('HostIp')!r}"


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
    """Whatever module made them (run, the course's helpers, other chapters' tests running now)."""
    lab.run("mine", BASE, ["sleep", "300"])
    checked = 0
    for summary in engine_client.api.containers(all=True, filters={"label": "org.dockerlab.kit"}):
        try:
            attrs = engine_client.api.inspect_container(summary["Id"])
        except docker.errors.NotFound:
            continue  # removed by its owner meanwhile
        assert_safe(attrs, loopback_only=False)  # a chapter may pass host_ip explicitly
        checked += 1
    assert checked >= 1
    lab.reset()


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
