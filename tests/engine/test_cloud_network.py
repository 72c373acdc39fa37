"""The cloud server's private network on the real machine: two containers on it reach each other (this machine's
firewall lets the range through); stopping the server removes the network's bridge and the firewall rule."""

from __future__ import annotations

import subprocess

import docker
import pytest

import dockerlab as lab
from dockerlab.course import cloud_network, cloud_server, ensure_app
from conftest import ship_image_as_file

pytestmark = [pytest.mark.engine, pytest.mark.slow]

PROBE = "timeout 5 bash -c \"exec 3<>/dev/tcp/{ip}/5000 && printf 'GET /v2/ HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3\""


@pytest.fixture
def server(session, engine_client):
    lab.labels.set_chapter(cloud_server.CHAPTER)
    srv = cloud_server.start(log=lambda _m: None)
    yield srv
    lab.reset(cloud_server.CHAPTER, purge_volumes=True)
    lab.labels.set_chapter(None)


def test_containers_on_a_private_network_reach_each_other_and_nothing_is_left(server, engine_client, session):
    private = server.private_network()
    cloud = server.client()
    try:
        for ref in ("debian:bookworm-slim", ensure_app("registry")):
            ship_image_as_file(ref, engine_client, cloud)
        ipam = docker.types.IPAMConfig(pool_configs=[docker.types.IPAMPool(subnet=private.subnet)])
        net = cloud.networks.create(lab.name("private"), driver="bridge", ipam=ipam, labels=lab.labels.kit_labels())
        bridge = "br-" + net.id[:12]
        reg = cloud.containers.run(ensure_app("registry"), detach=True, labels=lab.labels.kit_labels(),
                                   network=net.name)
        reg.reload()
        ip = reg.attrs["NetworkSettings"]["Networks"][net.name]["IPAddress"]

        def probe() -> str:
            box = cloud.containers.run("debian:bookworm-slim", ["bash", "-c", PROBE.format(ip=ip)], detach=True,
                                       network=net.name, labels=lab.labels.kit_labels())
            box.wait(timeout=30)
            out = box.logs().decode()
            box.remove(force=True)
            return out

        assert " 200 " in probe()  # container to container, through this machine's firewall
        if private.chain is not None:  # the rule is what lets it through: without it, this machine drops the traffic
            cloud_network.release(session)
            assert " 200 " not in probe()
            cloud_network.reserve(private.subnet, session)
    finally:
        cloud.close()
    rules = subprocess.run(["iptables", "-w", "-S", private.chain or "FORWARD"], capture_output=True, text=True).stdout
    assert (private.chain is None) or private.subnet in rules
    said = server.stop(log=lambda _m: None)
    assert subprocess.run(["ip", "link", "show", bridge], capture_output=True).returncode != 0  # its bridge is gone
    rules = subprocess.run(["iptables", "-w", "-S"], capture_output=True, text=True).stdout
    assert cloud_network.COMMENT.format(session=session) not in rules
    assert private.chain is None or any(private.subnet in line for line in said)
