"""The second engine ("cloud server"): it starts, answers on its own socket, leaves the first engine's
networking working, labels what the kit runs on it, and stop/reset removes everything."""

from __future__ import annotations

import subprocess
import urllib.request
from pathlib import Path

import pytest

import dockerlab as lab
from dockerlab.course import cloud_server
from dockerlab.daemon import mounts_below
from dockerlab.course import ensure_app
from dockerlab.labels import KIT, SESSION
from conftest import ship_image_as_file

pytestmark = [pytest.mark.engine, pytest.mark.slow, pytest.mark.docker_only(reason="the cloud server is a second dockerd the kit starts beside the engine; with Podman there is no dockerd to start")]


@pytest.fixture(autouse=True)
def clean_up(session):
    """Each test removes what it made (the session fixture then checks nothing leaked)."""
    yield
    lab.reset(purge_volumes=True)


def _link_exists(name: str) -> bool:
    return subprocess.run(["ip", "link", "show", name], capture_output=True).returncode == 0


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.status


@pytest.fixture
def server(session):
    srv = cloud_server.start(log=lambda _m: None)
    yield srv
    cloud_server.stop(log=lambda _m: None)


def test_cloud_server_is_a_separate_engine_on_its_own_socket(server, engine_client):
    assert server.running()
    assert server.address.startswith("unix://") and Path(server.socket).is_socket()
    assert server.docker_host == f"DOCKER_HOST={server.address}"
    client = server.client()
    try:
        info = client.info()
        assert info["DockerRootDir"].startswith(str(server.folder))
        assert info["DockerRootDir"] != engine_client.info()["DockerRootDir"]
        # its disk is a tmpfs of its own (thrown away with it), and images still stack as layers there
        assert mounts_below(server.folder).get(info["DockerRootDir"]) == "tmpfs"
        assert info["Driver"] == engine_client.info()["Driver"] == "overlay2"
        assert client.images.list() == [] and client.containers.list(all=True) == []
        # its own bridge, never --bridge=none (that deletes the first engine's docker0)
        assert _link_exists(server.bridge)
        assert "--bridge=none" not in " ".join(server.daemon().command())
    finally:
        client.close()


def test_first_engine_networking_works_while_and_after_the_cloud_server_runs(session, engine_client):
    backend = ensure_app("backend")
    probe = lab.run("probe", backend, ports={8080: None}, wait="log:Started TodoApplication")
    assert _get(probe.url(8080, "/actuator/health")) == 200
    srv = cloud_server.start(log=lambda _m: None)
    try:
        assert _link_exists("docker0")
        assert _get(probe.url(8080, "/actuator/health")) == 200
        # a new container with a published port on engine 1 while engine 2 runs
        probe2 = lab.run("probe2", backend, ports={8080: None}, wait="log:Started TodoApplication")
        assert _get(probe2.url(8080, "/actuator/health")) == 200
    finally:
        srv.stop(log=lambda _m: None)
    assert _link_exists("docker0")
    assert _get(probe.url(8080, "/actuator/health")) == 200
    probe3 = lab.run("probe3", backend, ports={8080: None}, wait="log:Started TodoApplication")
    assert _get(probe3.url(8080, "/actuator/health")) == 200


def test_containers_on_the_cloud_server_are_labelled_and_published_on_loopback(server, engine_client, session):
    client = lab.connect(server.address)
    image = engine_client.images.get(ensure_app("backend"))
    loaded = ship_image_as_file(ensure_app("backend"), engine_client, client)
    assert loaded[0].id == image.id  # same image ID on both engines
    api = lab.run("api", ensure_app("backend"), client=client, ports={8080: None}, wait="log:Started TodoApplication")
    assert api.labels[KIT] == "1" and api.labels[SESSION] == session
    binding = api.attrs["NetworkSettings"]["Ports"]["8080/tcp"][0]
    assert binding["HostIp"] == "127.0.0.1"
    assert _get(api.url(8080, "/actuator/health")) == 200
    assert not lab.containers.find("api")  # it is not on the first engine


def test_stop_removes_daemon_bridge_and_data(session):
    srv = cloud_server.start(log=lambda _m: None)
    pid = srv.daemon().pid()
    assert pid is not None
    assert mounts_below(srv.folder).get(str(srv.data_root)) == "tmpfs"
    done = srv.stop(log=lambda _m: None)
    assert any("stopped" in line for line in done)
    assert mounts_below(srv.folder) == {}  # its tmpfs unmounted: the memory is free again
    assert not srv.running()
    assert not srv.folder.exists()
    assert not _link_exists(srv.bridge)
    assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
    assert srv.stop(log=lambda _m: None) == []  # stopping twice is harmless


def test_reset_stops_the_cloud_server_for_its_chapter_only(session):
    srv = cloud_server.start(log=lambda _m: None)
    try:
        report = lab.reset("05")
        assert srv.running() and not any("cloud server" in line for line in report.other)
        report = lab.reset(cloud_server.CHAPTER)
        assert any("stopped the cloud server" in line for line in report.other)
        assert not srv.running() and not srv.folder.exists()
    finally:
        srv.stop(log=lambda _m: None)
