"""Offline: two learners starting cloud servers at the same moment never get the same /24 — each range is claimed
in the kit's state folder before any bridge exists, and given back when the server's data goes."""

from __future__ import annotations

import ipaddress
import threading

import pytest

from dockerlab.course import cloud_server


@pytest.fixture
def state(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_STATE", str(tmp_path))  # the kit's state folder (the servers' and their daemons')
    monkeypatch.setattr(cloud_server, "_used_networks", lambda: [ipaddress.ip_network("172.17.0.0/16")])
    return tmp_path


def test_servers_started_together_get_ranges_of_their_own(state):
    servers = [cloud_server.CloudServer(f"learner{i}") for i in range(8)]
    got: dict[str, str] = {}
    barrier = threading.Barrier(len(servers))

    def start(server: cloud_server.CloudServer) -> None:
        barrier.wait()  # no route shows any of them yet: only the claims keep them apart
        got[server.name] = server._cidr()

    threads = [threading.Thread(target=start, args=(s,)) for s in servers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    nets = {str(ipaddress.ip_interface(c).network) for c in got.values()}
    assert len(nets) == len(servers)
    assert "172.30.77.0/24" in nets  # the preferred range went to one of them
    assert servers[0]._cidr() == got[servers[0].name]  # a server keeps its range (bridge.json)


def test_a_private_network_is_a_range_of_its_own_and_the_claims_go_with_the_data(state, monkeypatch):
    monkeypatch.setattr(cloud_server, "reserve", lambda subnet, session: subnet)
    monkeypatch.setattr(cloud_server, "release", lambda session: [])
    monkeypatch.setattr(cloud_server, "_run_ip", lambda *a: type("R", (), {"returncode": 1, "stdout": ""})())
    server = cloud_server.CloudServer("alice")
    bridge = ipaddress.ip_interface(server._cidr()).network
    private = ipaddress.ip_network(server.private_network())
    assert private != bridge and not private.overlaps(bridge)
    assert len(list((state / "cloud-subnets").iterdir())) == 2
    server.stop(log=lambda _m: None)
    assert list((state / "cloud-subnets").iterdir()) == []


def test_a_claim_whose_server_is_gone_is_dropped(state):
    claims = state / "cloud-subnets"
    claims.mkdir()
    (claims / "172.30.77.0_24").write_text("cloud-crashed")  # its data folder is gone: a crash left the claim
    assert cloud_server.CloudServer("bob")._cidr() == "172.30.77.1/24"
