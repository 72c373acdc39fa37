"""The test runner's stage engine (tools/stage_engine.py) on the real machine: a dockerd in a network namespace of its
own, with the course images copied in and a swarm of its own (so the runner lets the Swarm stages run beside the
stages that make networks on the shared engine), that leaves nothing when stopped."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import docker
import pytest

from conftest import skip_or_fail
from dockerlab.daemon import mounts_below

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tools import stage_engine  # noqa: E402

pytestmark = [pytest.mark.engine, pytest.mark.docker_only(reason="a second dockerd the runner starts")]


@pytest.fixture
def own_engine(engine_client):
    if not stage_engine.possible():
        skip_or_fail("a stage engine needs root, iproute2's `ip`, `nsenter` and dockerd")
    engine = stage_engine.StageEngine(f"t-stage-{uuid.uuid4().hex[:6]}")
    lines: list[str] = []
    engine.start(log=lines.append)
    try:
        yield engine, lines
    finally:
        engine.stop(log=lines.append)


def _netns_exists(name: str) -> bool:
    return name in subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout.split()


def test_a_stage_engine_has_the_course_images_its_own_swarm_and_leaves_nothing(own_engine, engine_client):
    engine, lines = own_engine
    other = docker.DockerClient(base_url=engine.address, version="auto", timeout=120)
    try:
        assert other.info()["DockerRootDir"] != engine_client.info()["DockerRootDir"]
        # its data root: a tmpfs, for this run only
        assert mounts_below(engine.folder).get(other.info()["DockerRootDir"]) == "tmpfs"
        assert other.info()["Driver"] == "overlay2"
        assert _netns_exists(engine.netns)
        # its default bridge takes Docker's first range whatever this machine's routes use (here the shared engine's
        # own; inside a container, its eth0's), which works only in a network namespace of its own
        assert other.networks.get("bridge").attrs["IPAM"]["Config"][0]["Subnet"] == "172.17.0.0/16"
        base = engine_client.images.get("debian:bookworm-slim")
        assert other.images.get("debian:bookworm-slim").id == base.id  # copied, not built: the same image
        assert any(line.startswith("copied ") for line in lines)
        other.containers.run("debian:bookworm-slim", ["true"], remove=True)
        # Swarm mode on it is its own: the shared engine stays out of that swarm
        other.swarm.init(advertise_addr="127.0.0.1", listen_addr="127.0.0.1:2377")
        assert other.info()["Swarm"]["LocalNodeState"] == "active"
        assert engine_client.info()["Swarm"]["LocalNodeState"] == "inactive"
    finally:
        other.close()
    engine.stop(log=lines.append)
    assert not _netns_exists(engine.netns)
    assert not engine.folder.exists() and not engine.exec_root.exists()
    mounts = Path("/proc/mounts").read_text()
    assert str(engine.folder) not in mounts
    for pid in filter(str.isdigit, os.listdir("/proc")):  # no dockerd or containerd of it runs on
        try:
            assert str(engine.folder) not in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
