"""Reliability: engine faults. The engine goes away mid-lesson → the next kit call says so within seconds
(with the engine's address and a hint), not after a long hang; it comes back → the kit works again.
A container killed or removed from outside during a check → a clear Incorrect, not a crash.

The engine stopped here is a SEPARATE throwaway dockerd this test starts (own socket, data root,
exec root, bridge; --iptables=false so the classroom engine's firewall is left alone).
An engine killed hard (a machine's session ended under it) and a new one started with an empty data root → the new
one's containers answer on their published ports (the dead one's network sandboxes are removed first).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

import dockerlab as lab
from dockerlab.checks import Incorrect, NotAttempted, Outcome, Problem
from dockerlab.daemon import Daemon, exited, unmount_below
from dockerlab.errors import EngineUnavailable
from dockerlab.polling import poll
from corekit import BASE, HTTP_SERVER, last_line
from conftest import skip_or_fail

pytestmark = pytest.mark.engine


def _free_cidr() -> str:
    used = subprocess.run(["ip", "-o", "-4", "addr"], capture_output=True, text=True).stdout
    used += subprocess.run(["ip", "-4", "route"], capture_output=True, text=True).stdout
    for third in range(88, 120):
        if f"172.30.{third}." not in used:
            return f"172.30.{third}.1/24"
    skip_or_fail("no free 172.30.x.0/24 for the throwaway engine's bridge")


@pytest.fixture
def fault_daemon(monkeypatch):
    if os.geteuid() != 0 or not shutil.which("dockerd") or not shutil.which("ip"):
        skip_or_fail("starting a throwaway dockerd needs root, dockerd and ip")
    root = Path(tempfile.mkdtemp(prefix="dlt-", dir="/tmp"))  # short: containerd's socket path must fit
    monkeypatch.setenv("DOCKERLAB_STATE", str(root / "state"))
    (root / "daemon.json").write_text("{}\n")
    tag = uuid.uuid4().hex[:6]
    daemon = Daemon(name=f"t-fault-{tag}", socket=str(root / "d.sock"), data_root=str(root / "root"),
                    exec_root=str(root / "exec"), bridge=f"dltf{tag}", bridge_cidr=_free_cidr(),
                    extra_args=["--config-file", str(root / "daemon.json"), "--iptables=false", "--ip-masq=false",
                                "--shutdown-timeout=2", "--log-level=warn"])
    try:
        daemon.start(timeout=60, log=lambda _m: None)
        yield daemon
    finally:
        if daemon.pid() is not None:
            daemon.stop(timeout=60, log=lambda _m: None)
        subprocess.run(["ip", "link", "delete", daemon.bridge], capture_output=True)
        lab.engine.forget_clients()
        unmount_below(root)  # its data roots, and network sandboxes a killed one left
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.slow
def test_engine_stops_and_comes_back(session, engine_client, fault_daemon):
    client = lab.connect(fault_daemon.address)
    client.images.load(engine_client.images.get(BASE).save(named=True))  # no registry: bring the base image over
    victim = lab.run("victim", BASE, ["sleep", "300"], client=client)
    assert victim.status == "running"

    fault_daemon.stop(timeout=60, log=lambda _m: None)
    assert fault_daemon.pid() is None

    calls = {
        "reload": lambda: victim.reload(),
        "exec": lambda: victim.exec("true"),
        "logs": lambda: victim.logs(),
        "run": lambda: lab.run("next", BASE, client=client),
        "build": lambda: lab.build("x:v1", dockerfile=f"FROM {BASE}\n", client=client),
        "leaks": lambda: lab.leaks(client=client),
        "reset": lambda: lab.reset(client=client),
        "ping": lambda: lab.engine.ping(client),
        "connect": lambda: lab.connect(fault_daemon.address, fresh=True),
    }
    slowest = 0.0
    for what, call in calls.items():
        started = time.monotonic()
        with pytest.raises(EngineUnavailable) as info:
            call()
        took = time.monotonic() - started
        slowest = max(slowest, took)
        assert took < 5, f"{what}: {took:.1f} s to say the engine is gone"
        assert fault_daemon.address in info.value.what, (what, info.value.what)
        assert last_line(info.value).startswith("Hint: Start the engine"), what
    print(f"\n[faults] engine-down error after at most {slowest:.2f} s (over {len(calls)} kinds of call)")

    fault_daemon.start(timeout=60, log=lambda _m: None)
    # the same cached client works again: nothing to restart in the notebook
    again = lab.run("victim", BASE, ["sleep", "300"], client=client)
    assert again.reload().status == "running"
    report = lab.reset(client=client)
    assert f"{session}-victim" in [r.name for r in report.removed]
    assert lab.leaks(client=client) == []


def _kill_hard(folder: Path, *pids: int) -> None:
    """SIGKILL, as when a machine's session ends: every process started from ``folder`` (dockerd, its containerd and
    shims), and ``pids``; nothing gets to clean up."""
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(folder).encode() in (entry / "cmdline").read_bytes():
                pids += (int(entry.name),)
        except OSError:
            continue
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert poll(lambda: all(_dead(pid) for pid in pids), timeout=60)


def _dead(pid: int) -> bool:
    """Every thread of ``pid`` has exited. Right after SIGKILL a Go program's leader is a zombie while its other
    threads still exit and hold its files (a containerd started meanwhile waits on the dying one's database); the
    zombie itself may stay: a machine whose PID 1 does not reap orphans (a container's shell) never removes it."""
    if not exited(pid):  # gone, reaped now (our own child, dockerd) or a zombie
        return False
    try:
        return len(list(Path(f"/proc/{pid}/task").iterdir())) <= 1  # the zombie leader, its other threads gone
    except OSError:
        return True  # gone


def test_an_engine_started_after_a_killed_one_reaches_its_containers(session, engine_client, fault_daemon):
    image = b"".join(engine_client.images.get(BASE).save(named=True))
    client = lab.connect(fault_daemon.address)
    client.images.load(image)
    web = lab.run("web", BASE, HTTP_SERVER, client=client, ports={8080: None}, wait="http:/", timeout=30)
    address = web.ip()
    folder = Path(fault_daemon.data_root).parent
    _kill_hard(folder, web.reload().pid)
    assert any((folder / "exec" / "netns").iterdir())  # its sandbox outlives it, its address on the bridge
    # the dead engine's containerd and runc state goes too: a new containerd would first clean up its tasks, which
    # waits until the killed container is reaped, and a machine whose PID 1 is a container's shell never reaps it
    # (measured: the fresh machine). Hours after a kill, as CI met it, that state is harmless; the sandboxes are not.
    for state in ("containerd", "runtime-runc"):
        unmount_below(folder / "exec" / state)
        shutil.rmtree(folder / "exec" / state, ignore_errors=True)

    # the engine again with an empty data root (as CI's engine in memory starts), the same exec root and bridge
    again = replace(fault_daemon, data_root=str(folder / "root-again"))
    lines: list[str] = []
    lab.engine.forget_clients(fault_daemon.address)
    again.start(timeout=60, log=lines.append)
    try:
        client = lab.connect(again.address)
        client.images.load(image)
        web = lab.run("web", BASE, HTTP_SERVER, client=client, ports={8080: None}, wait="http:/", timeout=30)
        assert web.ip() == address  # the address the dead sandbox held
        # one port on the bridge: the new container's (with the dead sandbox's veth still there, the machine's ARP
        # reaches whichever answers first: "Connection reset by peer" on a published port, measured)
        ports = subprocess.run(["ip", "-o", "link", "show", "master", again.bridge], capture_output=True, text=True)
        assert len(ports.stdout.splitlines()) == 1, ports.stdout
        with urllib.request.urlopen(web.url(8080, "/"), timeout=10) as resp:
            assert resp.read().decode().strip() == f"hello from {web.attrs['Config']['Hostname']}"  # this one's
        assert any("network namespace" in line for line in lines), lines
    finally:
        again.stop(timeout=60, log=lambda _m: None)


class WebCheck(Problem):
    """Like a chapter's check: find the learner's container, then look inside it."""

    title = "Exercise: a web container"

    def __init__(self, between=None) -> None:
        self.between = between

    def inspect(self) -> str:
        c = lab.containers.find("web")
        if c is None:
            raise NotAttempted("There is no container named 'web' yet.")
        if self.between:
            self.between(c)  # the container is killed or removed right here, mid-check
        state = c.reload().attrs["State"]
        if state["Status"] != "running":
            raise Incorrect(f"Your container 'web' is {state['Status']} (exit code {state['ExitCode']}), "
                            "not running.")
        if not c.exec("test -d /proc").ok:
            raise Incorrect("It does not answer.")
        return "It runs."


def test_container_killed_or_removed_during_a_check(session, engine_client, monkeypatch):
    monkeypatch.delenv("DOCKERLAB_EXPECT_CHECKS", raising=False)
    assert WebCheck().check().outcome is Outcome.NOT_ATTEMPTED
    lab.run("web", BASE, ["sleep", "300"])
    assert WebCheck().check().correct

    removed = WebCheck(between=lambda c: engine_client.api.remove_container(c.id, force=True)).check()
    assert removed.outcome is Outcome.INCORRECT
    assert "could not look at the engine" in removed.message and "No such container" in removed.message

    lab.run("web", BASE, ["sleep", "300"])
    killed = WebCheck(between=lambda c: subprocess.run(["docker", "kill", c.id], capture_output=True)).check()
    assert killed.outcome is Outcome.INCORRECT and "exited (exit code 137)" in killed.message

    # the course's own check of chapter 00, with 'first' killed from outside before it finished
    from dockerlab.exercises import ch00

    lab.run("first", BASE, ["sleep", "300"])
    engine_client.containers.get(f"{session}-first").kill()
    result = ch00.q2.check()
    assert result.outcome is Outcome.INCORRECT
    lab.reset()
