"""Offline: the cloud server's private network — a rule that lets its containers talk inside their /24 through this
machine's firewall (DOCKER-USER, or FORWARD when it drops), tagged for the learner and removed again."""

from __future__ import annotations

import shlex
import subprocess

import pytest

from dockerlab.course import cloud_network


class FakeIptables:
    """iptables -w -S/-C/-I/-D on in-memory chains."""

    def __init__(self, chains: dict[str, list[str]], policy: str = "DROP") -> None:
        self.chains = chains
        self.policy = policy

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        op, chain, *rest = args
        ok = subprocess.CompletedProcess(args, 0, "", "")
        if chain not in self.chains:
            return subprocess.CompletedProcess(args, 1, "", f"iptables: No chain/target/match by that name ({chain})")
        rules = self.chains[chain]
        spec = shlex.join(rest[1:] if op == "-I" else rest)
        if op == "-S":
            head = [f"-P {chain} {self.policy}"] if chain == "FORWARD" else [f"-N {chain}"]
            # iptables -S prints a comment in double quotes
            ok.stdout = "\n".join(head + [f"-A {chain} {r}".replace("'", '"') for r in rules]) + "\n"
            return ok
        if op == "-C":
            return ok if spec in rules else subprocess.CompletedProcess(args, 1, "", "")
        if op == "-I":
            rules.insert(int(rest[0]) - 1, spec)
            return ok
        if op == "-D":
            rules.remove(shlex.join(rest))
            return ok
        raise AssertionError(op)


@pytest.fixture
def fake(monkeypatch):
    table = FakeIptables({"DOCKER-USER": ["-j RETURN"], "FORWARD": ["-j DOCKER-USER"]})
    monkeypatch.setattr(cloud_network, "_iptables", table)
    monkeypatch.setattr(cloud_network.shutil, "which", lambda name: "/usr/sbin/iptables")
    return table


def test_a_private_network_opens_only_its_own_range_once(fake):
    net = cloud_network.reserve("172.30.3.0/24", "alice")
    again = cloud_network.reserve("172.30.3.0/24", "alice")
    assert net.chain == again.chain == "DOCKER-USER"
    rules = fake.chains["DOCKER-USER"]
    assert len(rules) == 2 and rules[-1] == "-j RETURN"  # first, before Docker's RETURN, and only once
    assert "-s 172.30.3.0/24 -d 172.30.3.0/24" in rules[0] and "'dockerlab cloud alice'" in rules[0]
    assert net.address(10) == "172.30.3.10"
    with pytest.raises(ValueError):
        net.address(255)


def test_release_removes_the_learners_rules_and_no_others(fake):
    cloud_network.reserve("172.30.3.0/24", "alice")
    cloud_network.reserve("172.30.4.0/24", "bob")
    assert cloud_network.release("alice") == ["172.30.3.0/24"]
    assert len(fake.chains["DOCKER-USER"]) == 2 and "bob" in fake.chains["DOCKER-USER"][0]
    assert cloud_network.release("alice") == []


def test_without_dockers_chain_a_dropping_forward_gets_the_rule(monkeypatch):
    table = FakeIptables({"FORWARD": []}, policy="DROP")
    monkeypatch.setattr(cloud_network, "_iptables", table)
    monkeypatch.setattr(cloud_network.shutil, "which", lambda name: "/usr/sbin/iptables")
    assert cloud_network.reserve("172.30.5.0/24", "carol").chain == "FORWARD"
    assert table.chains["FORWARD"]


def test_nothing_to_open_where_nothing_drops(monkeypatch):
    table = FakeIptables({"FORWARD": []}, policy="ACCEPT")
    monkeypatch.setattr(cloud_network, "_iptables", table)
    monkeypatch.setattr(cloud_network.shutil, "which", lambda name: "/usr/sbin/iptables")
    assert cloud_network.reserve("172.30.5.0/24", "carol").chain is None and table.chains["FORWARD"] == []


def test_dockers_chain_gets_nothing_when_forward_accepts(monkeypatch):
    # a dockerd in a container whose IP forwarding was on already leaves the policy ACCEPT: nothing drops the range
    table = FakeIptables({"DOCKER-USER": ["-j RETURN"], "FORWARD": ["-j DOCKER-USER"]}, policy="ACCEPT")
    monkeypatch.setattr(cloud_network, "_iptables", table)
    monkeypatch.setattr(cloud_network.shutil, "which", lambda name: "/usr/sbin/iptables")
    assert cloud_network.reserve("172.30.6.0/24", "dave").chain is None
    assert table.chains["DOCKER-USER"] == ["-j RETURN"]
