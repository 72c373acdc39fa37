"""Engine tier: what the engine says about itself, and an unreachable engine reported in seconds, by address."""

from __future__ import annotations

import time

import pytest

import dockerlab as lab
from dockerlab.engine import connect, engine_info, ping
from dockerlab.errors import EngineUnavailable
from corekit import BASE, last_line

pytestmark = pytest.mark.engine


def test_engine_info(session, engine_client):
    info = engine_info()
    assert info.server_version == engine_client.version()["Version"]
    major, minor = (int(x) for x in info.api_version.split(".")[:2])
    assert (major, minor) >= (1, 41)
    assert info.storage_driver and info.address.startswith(("unix://", "tcp://", "ssh://", "npipe://"))
    assert info.cli == "docker version && docker info"
    ping()
    assert connect() is connect()  # cached per address


def test_unreachable_engine_within_five_seconds(session, engine_client, tmp_path, monkeypatch):
    dead = f"unix://{tmp_path}/dead.sock"
    monkeypatch.setenv("DOCKER_HOST", dead)  # another address: the cached client of the real engine is not used
    calls = {
        "connect": lambda: connect(),
        "run": lambda: lab.run("web", BASE),
        "build": lambda: lab.build("x:v1", dockerfile=f"FROM {BASE}\n"),
        "leaks": lambda: lab.leaks(),
        "reset": lambda: lab.reset(),
        "volume": lambda: lab.volumes.create("data"),
        "engine_info": lambda: engine_info(),
    }
    for what, call in calls.items():
        started = time.monotonic()
        with pytest.raises(EngineUnavailable) as info:
            call()
        took = time.monotonic() - started
        assert took < 5, f"{what} took {took:.1f} s"
        assert dead in info.value.what, what
        assert last_line(info.value).startswith("Hint: Start the engine"), what
    report = lab.doctor(check_registry=False)
    assert not report.engine_ok and dead in str(report) and "Hint:" in str(report)
    monkeypatch.delenv("DOCKER_HOST")
    ping()  # and the real engine still answers once DOCKER_HOST is back


def test_errors_name_the_engine_of_an_explicit_client(session, engine_client, tmp_path):
    import docker

    other = docker.DockerClient(base_url=f"unix://{tmp_path}/other.sock", version="1.41", timeout=3)
    started = time.monotonic()
    with pytest.raises(EngineUnavailable) as info:
        lab.run("web", BASE, client=other)
    assert time.monotonic() - started < 5
    assert f"unix://{tmp_path}/other.sock" in info.value.what
    other.close()
