"""Offline: where the kit connects, how fast it says "no engine", and the dockerd command it would start."""

from __future__ import annotations

import socket
import time

import pytest

from dockerlab import engine
from dockerlab.daemon import Daemon
from dockerlab.errors import EngineUnavailable


@pytest.fixture(autouse=True)
def no_cached_clients():
    engine.forget_clients()
    yield
    engine.forget_clients()


def test_address_precedence(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "tcp://10.0.0.5:2375")
    assert engine.engine_address("unix:///explicit.sock") == "unix:///explicit.sock"
    assert engine.engine_address() == "tcp://10.0.0.5:2375"
    monkeypatch.delenv("DOCKER_HOST")

    class Ctx:
        Host = "unix:///from/context.sock"

    import docker.context

    monkeypatch.setattr(docker.context.ContextAPI, "get_current_context", classmethod(lambda cls: Ctx()))
    assert engine.engine_address() == "unix:///from/context.sock"

    def broken(cls):
        raise ValueError("broken ~/.docker/config.json")

    monkeypatch.setattr(docker.context.ContextAPI, "get_current_context", classmethod(broken))
    assert engine.engine_address() == "unix:///var/run/docker.sock"


@pytest.mark.parametrize("kind", ["missing", "stale"])
def test_dead_socket_fails_fast_with_its_address(tmp_path, monkeypatch, kind):
    path = tmp_path / "d.sock"
    if kind == "stale":  # a socket file nobody listens on (a dockerd that died)
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(path))
        s.close()
    monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
    started = time.monotonic()
    with pytest.raises(EngineUnavailable) as info:
        engine.connect()
    assert time.monotonic() - started < 5
    assert f"unix://{path}" in info.value.what
    assert str(info.value).splitlines()[-1].startswith("Hint: Start the engine")


def test_silent_tcp_engine_times_out_within_the_ping_timeout(monkeypatch):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)  # accepts connections, never answers: a hung engine
    port = server.getsockname()[1]
    monkeypatch.setattr(engine, "PING_TIMEOUT", 1)
    started = time.monotonic()
    try:
        with pytest.raises(EngineUnavailable) as info:
            engine.connect(f"tcp://127.0.0.1:{port}")
    finally:
        server.close()
    assert time.monotonic() - started < 5
    assert f"127.0.0.1:{port}" in info.value.what


def test_old_api_is_refused():
    class Api:
        api_version = "1.40"

    class Client:
        api = Api()

    with pytest.raises(EngineUnavailable) as info:
        engine._check_api(Client(), "unix:///x.sock")
    assert "1.40" in info.value.what and "1.41" in info.value.what


def test_daemon_command_for_a_second_engine(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_STATE", str(tmp_path / "state"))
    d = Daemon(name="t-fault", socket=str(tmp_path / "d.sock"), data_root=str(tmp_path / "root"),
               exec_root=str(tmp_path / "exec"), bridge="dltfault0", bridge_cidr="172.30.88.1/24")
    cmd = d.command()
    assert cmd[:3] == ["dockerd", "--pidfile", str(tmp_path / "state" / "t-fault" / "dockerd.pid")]
    assert cmd[cmd.index("-H") + 1] == f"unix://{tmp_path}/d.sock"
    assert cmd[cmd.index("--bridge") + 1] == "dltfault0" and "none" not in cmd
    assert d.address == f"unix://{tmp_path}/d.sock"
    assert d.pid() is None and d.answers(timeout=1) is False
    assert d.stop(log=lambda *_: None) is False


def test_ping_uses_its_own_timeout_and_leaves_the_client_alone():
    from fakes import FakeClient

    fake = FakeClient()
    fake.api.timeout = 30
    engine.ping(fake)
    assert fake.engine.calls[-1] == ("get", "/_ping", engine.PING_TIMEOUT) and fake.api.timeout == 30
    fake.engine.up = False
    with pytest.raises(EngineUnavailable) as info:
        engine.ping(fake)
    assert "unix:///fake/docker.sock" in info.value.what


@pytest.mark.parametrize("security, driver_status, limits, expect", [
    (["name=seccomp,profile=default"], [["Backing Filesystem", "extfs"]], (True, True),
     dict(rootless=False, userns=False, seccomp=True, image_store="classic", root_is_host_root=True)),
    (["name=seccomp,profile=default", "name=rootless"], [], (False, False),
     dict(rootless=True, userns=False, image_store="classic", root_is_host_root=False, memory_limit=False)),
    (["name=userns"], [["driver-type", "io.containerd.snapshotter.v1"]], (True, True),
     dict(rootless=False, userns=True, seccomp=False, image_store="containerd", root_is_host_root=False)),
])
def test_engine_info_says_how_the_engine_isolates(security, driver_status, limits, expect):
    """Rootless or user namespaces (is root inside root outside?), seccomp, the image store, enforced limits."""
    from fakes import FakeClient

    fake = FakeClient()
    real_info = fake.info
    fake.info = lambda: dict(real_info(), SecurityOptions=security, DriverStatus=driver_status,
                             MemoryLimit=limits[0], PidsLimit=limits[1])
    info = engine.engine_info(fake)
    for field, value in expect.items():
        assert getattr(info, field) == value, field


@pytest.mark.parametrize("info, version, kind", [
    ({"OperatingSystem": "Debian GNU/Linux 12 (bookworm)"}, {"Version": "20.10.24"}, "Docker Engine"),
    ({"OperatingSystem": "Docker Desktop"}, {"Version": "27.3.1", "Platform": {"Name": "Docker Desktop 4.36.0"}},
     "Docker Desktop"),
    ({"OperatingSystem": "debian"}, {"Version": "4.3.1", "Platform": {"Name": "linux/amd64/debian-12"},
                                     "Components": [{"Name": "Podman Engine", "Version": "4.3.1"}]}, "Podman"),
])
def test_engine_info_names_the_engine_kind_and_doctor_says_it(info, version, kind):
    from fakes import FakeClient

    from dockerlab.course.doctor import doctor

    fake = FakeClient()
    real_info, real_version = fake.info, fake.version
    fake.info = lambda: dict(real_info(), **info)
    fake.version = lambda: dict(real_version(), **version)
    assert engine.engine_info(fake).kind == kind
    line = next(f for f in doctor(fake, check_registry=False).findings if f.check == "engine")
    assert line.detail.startswith(f"{kind} {version['Version']} at ")


def test_patient_client_waits_longer_for_a_slow_create(monkeypatch):
    """A container's create copies the image on vfs (rootless in a container) and took over 30 s under load: the
    kit's create waits PATIENT_TIMEOUT on a client of its own to the same engine; its other requests do not."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import docker
    import requests

    class SlowCreate(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(201 if self.command == "POST" else 200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path.endswith("/version"):
                self._answer({"ApiVersion": "1.41", "Version": "20.10.24"})
            else:  # the container's inspect after create
                self._answer({"Id": "c0ffee", "Name": "/box", "Config": {"Labels": {}}, "State": {}})

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            time.sleep(2)  # the engine copies the image
            self._answer({"Id": "c0ffee", "Warnings": []})

    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowCreate)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"tcp://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setattr(engine, "DEFAULT_TIMEOUT", 1)
    monkeypatch.setattr(engine, "PATIENT_TIMEOUT", 6)
    try:
        client = engine.connect(address)
        assert client.api.timeout == 1
        with pytest.raises(requests.exceptions.ReadTimeout):
            client.containers.create("dockerlab/base:1.0", name="box")
        slow = engine.patient(client)
        assert slow is not client and slow.api.timeout == 6 and slow.api._dockerlab_address == address
        assert slow.containers.create("dockerlab/base:1.0", name="box").id == "c0ffee"
        assert engine.patient(client) is slow and engine.patient(slow) is slow  # one patient client per engine
        assert client.api.timeout == 1  # the learner's other requests still give up after DEFAULT_TIMEOUT
        foreign = docker.DockerClient(base_url=address, version="1.41", timeout=1)
        assert engine.patient(foreign) is foreign  # a client the kit did not make is left as it is
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("preset, expected", [(None, "400"), ("100", "100")])
def test_the_engine_the_kit_starts_collects_garbage_less_often(tmp_path, monkeypatch, preset, expected):
    """dockerd (and what inherits its environment: containerd, the shims, dockerd's one-job copies of itself) starts
    with GOGC=400 (daemon.GO_GC: 8–16 % less CPU for the same work, measured); a GOGC someone set is kept."""
    from dockerlab import daemon

    monkeypatch.setenv("DOCKERLAB_STATE", str(tmp_path / "state"))
    if preset is None:
        monkeypatch.delenv("GOGC", raising=False)
    else:
        monkeypatch.setenv("GOGC", preset)
    started: list[dict] = []
    answers = iter([False, True])
    monkeypatch.setattr(Daemon, "answers", lambda self, timeout=3: next(answers))
    monkeypatch.setattr(daemon.shutil, "which", lambda name: f"/usr/sbin/{name}")
    monkeypatch.setattr(daemon.os, "geteuid", lambda: 0)
    monkeypatch.setattr(daemon, "clear_stale", lambda exec_root: [])
    monkeypatch.setattr(daemon.subprocess, "Popen", lambda cmd, **kw: started.append(kw["env"]))
    Daemon(name="t-gc", socket=str(tmp_path / "d.sock")).start(log=lambda *_: None)
    assert [env["GOGC"] for env in started] == [expected]
    assert started[0]["PATH"] == daemon.os.environ["PATH"]  # the rest of the environment as it was
