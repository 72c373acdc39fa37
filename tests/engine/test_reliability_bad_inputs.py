"""Reliability: a catalogue of bad inputs. Each one gives the kit's error type, a message that names the
thing at fault, a last line starting with ``Hint:``, and changes nothing: the learner's other
containers, images, volumes and networks (and any foreign ones) are exactly as before.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import dockerlab as lab
from dockerlab.errors import (BadInput, BuildFailed, ContainerExited, DockerlabError, EnginePermissionDenied,
                              EngineUnavailable, ImageMissing, NameConflict, PortInUse)
from corekit import BASE, HTTP_SERVER, last_line, snapshot
from conftest import skip_or_fail

pytestmark = pytest.mark.engine
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def world_session(engine_client, track_session):
    """The learner's other work, which no bad input may touch (made once for the module, under a session
    of its own): a running container on a network with a volume, and an image."""
    sid = f"w{uuid.uuid4().hex[:8]}"
    track_session(sid)
    lab.set_session(sid)
    try:
        lab.networks.create("keepnet")
        lab.run("keep", BASE, ["sleep", "600"], volumes={"keepvol": "/data"}, network="keepnet")
        lab.build("keep:v1", dockerfile=f"FROM {BASE}\nCMD [\"true\"]\n")
    finally:
        lab.set_session(None)
    yield sid
    lab.reset(session=sid, purge_volumes=True, client=engine_client)


@pytest.fixture
def world(world_session, session, engine_client):
    """Snapshots of the other work and of this test's session (with a foreign container named like a kit
    one): after the bad input, all must be exactly as before."""
    foreign = engine_client.containers.create(BASE, ["sleep", "300"], name=f"{session}-taken")
    foreign.start()
    try:
        before = (snapshot(engine_client, world_session), snapshot(engine_client, session))
        assert len(before[0].containers) == 1 and before[0].volumes and before[0].networks and before[0].images
        yield before
        after = (snapshot(engine_client, world_session), snapshot(engine_client, session))
        assert after[0].diff(before[0]) == {}, "a bad input changed the learner's other resources"
        assert after[1].diff(before[1]) == {}, "a bad input left something behind or changed something"
    finally:
        foreign.remove(force=True)


@dataclass
class Bad:
    error: type[DockerlabError]
    names: tuple[str, ...]  # what the message must name
    call: Callable[..., object]


def _busy_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    return s


CATALOGUE: dict[str, Bad] = {
    "unknown Dockerfile instruction": Bad(
        BuildFailed, ("unknown instruction", "FOO", "line 2"),
        lambda tmp, sid: lab.build("bad:v1", dockerfile=f"FROM {BASE}\nFOO bar\n")),
    "missing build context folder": Bad(
        BuildFailed, ("no-such-folder", "does not exist"),
        lambda tmp, sid: lab.build("bad:v1", tmp / "no-such-folder")),
    "folder without a Dockerfile": Bad(
        BuildFailed, ("no Dockerfile",),
        lambda tmp, sid: lab.build("bad:v1", tmp)),
    "failing RUN": Bad(
        BuildFailed, ("Step 2/2 : RUN exit 5", "non-zero code: 5"),
        lambda tmp, sid: lab.build("bad:v1", dockerfile=f"FROM {BASE}\nRUN exit 5\n")),
    "COPY of a file not in the context": Bad(
        BuildFailed, ("COPY missing.txt", "missing.txt"),
        lambda tmp, sid: lab.build("bad:v1", dockerfile=f"FROM {BASE}\nCOPY missing.txt /x\n")),
    "FROM an image that is not here (no registry)": Bad(
        BuildFailed, ("FROM nothere/base:1",),
        lambda tmp, sid: lab.build("bad:v1", dockerfile="FROM nothere/base:1\n")),
    "empty Dockerfile": Bad(
        BuildFailed, ("empty",),
        lambda tmp, sid: lab.build("bad:v1", dockerfile="\n  \n")),
    "uppercase image tag": Bad(
        BadInput, ("'My Image'",),
        lambda tmp, sid: lab.build("My Image", dockerfile=f"FROM {BASE}\n")),
    "port already in use on the host": Bad(
        PortInUse, ("host port {port}",),
        lambda tmp, sid, port: lab.run("web", BASE, HTTP_SERVER, ports={8080: port})),
    "name taken by a container the kit did not create": Bad(
        NameConflict, ("{sid}-taken", "did not create"),
        lambda tmp, sid: lab.run("taken", BASE, ["sleep", "1"])),
    "image missing, no registry": Bad(
        ImageMissing, ("nothere/app:9",),
        lambda tmp, sid: lab.run("web", "nothere/app:9")),
    "bind-mount path that does not exist": Bad(
        BadInput, ("/no/such/dir", "does not exist"),
        lambda tmp, sid: lab.run("web", BASE, volumes={"/no/such/dir": "/data"})),
    "invalid volume name": Bad(
        BadInput, ("'my data!'", "volume name"),
        lambda tmp, sid: lab.volumes.create("my data!")),
    "invalid volume name in run": Bad(
        BadInput, ("'my data!'", "volume name"),
        lambda tmp, sid: lab.run("web", BASE, volumes={"my data!": "/data"})),
    "invalid network name": Bad(
        BadInput, ("'-net'", "network name"),
        lambda tmp, sid: lab.networks.create("-net")),
    "invalid container name": Bad(
        BadInput, ("'web server'", "container name"),
        lambda tmp, sid: lab.run("web server", BASE)),
    "wrong type for an exercise answer": Bad(
        BadInput, ("Exercise 1", "must be a str", "int"),
        lambda tmp, sid: __import__("dockerlab.exercises.ch00", fromlist=["q1"]).q1.check(42)),
    "ports that are not numbers": Bad(
        BadInput, ("ports must map", "'eighty'"),
        lambda tmp, sid: lab.run("web", BASE, ports={8080: "eighty"})),
    "unknown ready condition": Bad(
        BadInput, ("'soon'",),
        lambda tmp, sid: lab.run("web", BASE, wait="soon")),
    "container that exits at once when waited for": Bad(
        ContainerExited, ("{sid}-quitter", "exit code 3", "config file /etc/app.conf missing"),
        lambda tmp, sid: lab.run("quitter", BASE, ["sh", "-c", "echo config file /etc/app.conf missing; exit 3"],
                                 wait="http:/", timeout=20)),
    "mounting the engine's socket": Bad(
        BadInput, ("/var/run/docker.sock", "never mounts the engine's socket"),
        lambda tmp, sid: lab.run("web", BASE, volumes={"/var/run/docker.sock": "/var/run/docker.sock"})),
    "mounting a folder that holds the engine's socket": Bad(
        BadInput, ("/var/run", "holds the engine's socket"),
        lambda tmp, sid: lab.run("web", BASE, volumes={"/var/run": "/host-run"})),
    "DOCKER_HOST pointing nowhere": Bad(
        EngineUnavailable, ("unix://{tmp}/nowhere.sock", "no Docker engine answers"),
        lambda tmp, sid: lab.run("web", BASE)),
}


@pytest.mark.parametrize("case", list(CATALOGUE), ids=[c.replace(" ", "-") for c in CATALOGUE])
def test_bad_input(case, world, session, engine_client, tmp_path, monkeypatch):
    bad = CATALOGUE[case]
    values = {"sid": session, "tmp": str(tmp_path)}
    args: tuple = (tmp_path, session)
    holder = None
    if case == "port already in use on the host":
        holder = _busy_port()
        values["port"] = str(holder.getsockname()[1])
        args += (holder.getsockname()[1],)
    if case == "DOCKER_HOST pointing nowhere":
        monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/nowhere.sock")
    try:
        with pytest.raises(bad.error) as info:
            bad.call(*args)
    finally:
        if holder is not None:
            holder.close()
        monkeypatch.delenv("DOCKER_HOST", raising=False)
    err = info.value
    assert type(err) is bad.error or case == "wrong type for an exercise answer", type(err)
    for needle in bad.names:
        assert needle.format(**values) in str(err), f"{case}: {needle.format(**values)!r} not in:\n{err}"
    assert last_line(err).startswith("Hint: "), f"{case}: last line is not a hint:\n{err}"
    if case == "container that exits at once when waited for":
        quitter = lab.containers.get("quitter")  # it stays, stopped, for the learner to read its logs
        assert quitter.status == "exited" and "config file" in quitter.logs()
        quitter.remove()
    # the `world` fixture then checks that nothing else was made, removed or changed


def _connect_as_nobody(conn) -> None:  # runs in a forked child: the kit is already imported, no file access needed
    try:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
        import dockerlab.engine

        dockerlab.engine.forget_clients()
        dockerlab.connect(fresh=True)
        conn.send(("connected", "", ""))
    except dockerlab.DockerlabError as err:
        conn.send((type(err).__name__, err.message, err._render_traceback_()[0]))
    except BaseException as exc:  # noqa: BLE001 - report anything else to the test
        conn.send((type(exc).__name__, str(exc), ""))


def test_permission_denied_on_the_engine_socket(world, session):
    sock = "/var/run/docker.sock"
    if os.geteuid() != 0 or not os.path.exists(sock):
        skip_or_fail("needs root (to become user nobody) and the engine at /var/run/docker.sock")
    if os.stat(sock).st_mode & 0o006:
        skip_or_fail("the engine's socket is world-writable here")
    import multiprocessing

    ctx = multiprocessing.get_context("fork")  # the child drops to user nobody; the project may live under /root
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_connect_as_nobody, args=(child,))
    proc.start()
    assert parent.poll(60), "the unprivileged child did not answer"
    kind, message, shown = parent.recv()
    proc.join(10)
    assert kind == "EnginePermissionDenied", (kind, message)
    assert f"permission denied on the Docker engine at unix://{sock}" in message
    assert last_line(message).startswith("Hint: ") and "docker` group" in last_line(message)
    # and the learner's own notebook shows one line of error, not a traceback wall
    assert shown.startswith("EnginePermissionDenied: ") and "Hint: " in shown


def test_catalogue_is_big_enough():
    assert len(CATALOGUE) + 1 >= 12
    assert {b.error for b in CATALOGUE.values()} >= {BuildFailed, BadInput, PortInUse, NameConflict, ImageMissing,
                                                      ContainerExited, EngineUnavailable}
    assert issubclass(EnginePermissionDenied, EngineUnavailable)
