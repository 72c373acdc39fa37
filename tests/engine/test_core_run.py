"""Engine tier: real containers — run, exec exit codes, logs, writable layer, ports, re-runs, conflicts."""

from __future__ import annotations

import time
import urllib.request

import docker.errors
import pytest

import dockerlab as lab
from dockerlab import exec_output
from dockerlab.errors import ContainerExited, NameConflict, PortInUse, ReadyTimeout
from corekit import BASE, HTTP_SERVER, last_line, snapshot
from ports import free_port

pytestmark = pytest.mark.engine


def test_run_exec_logs_and_the_writable_layer(session, engine_client):
    box = lab.run("box", BASE, ["sh", "-c", "echo started; sleep 300"], wait="log:started", timeout=30)
    assert box.name == f"{session}-box" and box.status == "running"
    assert box.labels["org.dockerlab.session"] == session and box.labels["org.dockerlab.kit"] == "1"
    ok = box.exec("echo hi > /tmp/note.txt && cat /tmp/note.txt")
    assert (ok.exit_code, ok.output, ok.ok) == (0, "hi\n", True)
    failed = box.exec("echo to-stderr >&2; exit 3")
    assert failed.exit_code == 3 and not failed.ok and "to-stderr" in failed.output
    assert box.exec(["false"]).exit_code == 1
    assert box.exec("exit 0", user="nobody").exit_code == 0
    assert box.exec(["id", "-un"], user="nobody").output.strip() == "nobody"
    assert box.exec(["no-such-program"]).exit_code in (126, 127)
    assert "started" in box.logs()
    changes = dict((path, kind) for kind, path in box.diff())
    assert changes.get("/tmp/note.txt") == "A"
    box.stop(timeout=1)
    assert box.reload().status == "exited"
    box.remove()
    assert lab.containers.find("box") is None


def test_follow_logs(session, engine_client):
    done = lab.run("counter", BASE, ["sh", "-c", "for i in 1 2 3; do echo n=$i; sleep 0.5; done"])
    started = time.monotonic()
    assert list(done.follow(timeout=30)) == ["n=1", "n=2", "n=3"]
    assert time.monotonic() - started < 10  # it stops when the container has stopped, not at the timeout
    lab.reset()


def test_published_port_answers_on_loopback(session, engine_client):
    web = lab.run("web", BASE, HTTP_SERVER, ports={8080: None}, wait="http:/", timeout=30)
    port = web.host_port(8080)
    assert web.url() == f"http://127.0.0.1:{port}/"
    with urllib.request.urlopen(web.url(), timeout=5) as resp:
        assert resp.read().decode().startswith("hello from ")
    binding = web.attrs["HostConfig"]["PortBindings"]["8080/tcp"][0]
    assert binding["HostIp"] == "127.0.0.1"
    assert "-p 127.0.0.1::8080" in web.cli
    lab.reset()


def test_rerunning_the_cell_replaces_the_container(session, engine_client):
    first = lab.run("again", BASE, ["sleep", "300"])
    second = lab.run("again", BASE, ["sleep", "300"])
    assert first.id != second.id
    with pytest.raises(docker.errors.NotFound):
        engine_client.containers.get(first.id)
    assert [r.name for r in lab.leaks() if r.kind == "container"] == [f"{session}-again"]
    lab.reset()


def test_same_host_port_twice_is_port_in_use_and_nothing_half_made(session, engine_client):
    port = free_port()
    one = lab.run("one", BASE, HTTP_SERVER, ports={8080: port}, wait="log:Listening")
    before = snapshot(engine_client, session)
    with pytest.raises(PortInUse) as info:
        lab.run("two", BASE, HTTP_SERVER, ports={8080: port})
    err = info.value
    assert f"host port {port}" in err.what and f"{session}-two" in err.what
    assert last_line(err).startswith("Hint: ")
    assert lab.containers.find("two") is None
    assert snapshot(engine_client, session).diff(before) == {}
    assert one.reload().status == "running"
    lab.reset()


def test_foreign_container_with_the_kits_name(session, engine_client):
    foreign = engine_client.containers.create(BASE, ["sleep", "300"], name=f"{session}-web")  # no kit labels
    try:
        foreign.start()
        before = snapshot(engine_client, session)
        with pytest.raises(NameConflict) as info:
            lab.run("web", BASE, ["sleep", "1"])
        assert f"{session}-web" in info.value.what and "did not create" in info.value.what
        assert last_line(info.value).startswith("Hint: ")
        foreign.reload()
        assert foreign.status == "running" and snapshot(engine_client, session).diff(before) == {}
        lab.reset(purge_volumes=True)
        foreign.reload()
        assert foreign.status == "running"
    finally:
        foreign.remove(force=True)


def test_ready_conditions(session, engine_client):
    quick = lab.run("quick", BASE, ["sh", "-c", "echo booting; sleep 1; echo Ready now; sleep 300"],
                    wait="log:Ready now", timeout=20)
    assert "Ready now" in quick.logs()
    with pytest.raises(ReadyTimeout) as slow:
        lab.run("slow", BASE, ["sh", "-c", "echo still booting; sleep 300"], wait="log:never", timeout=2)
    assert "within 2 s" in slow.value.what and "still booting" in str(slow.value)
    with pytest.raises(ContainerExited) as gone:
        lab.run("crash", BASE, ["sh", "-c", "echo config missing: /etc/app.conf >&2; exit 4"], wait="http:/")
    text = str(gone.value)
    assert "exit code 4" in text and "config missing: /etc/app.conf" in text and last_line(text).startswith("Hint:")
    healthy = lab.run("healthy", BASE, ["sleep", "300"], wait="healthy", timeout=30,
                      healthcheck={"test": ["CMD", "true"], "interval": 0.5, "start_period": 0})
    assert healthy.health == "healthy"
    assert {r.name for r in lab.reset().removed} == {f"{session}-{n}" for n in ("quick", "slow", "crash", "healthy")}


def test_limits_and_no_privileges_on_the_real_container(session, engine_client):
    c = lab.run("limited", BASE, ["sleep", "300"], read_only=True, tmpfs={"/tmp": "size=4m"})
    host = c.attrs["HostConfig"]
    assert host["Memory"] == 512 * 2**20 and host["PidsLimit"] == 256 and host["Privileged"] is False
    assert host["ReadonlyRootfs"] is True
    assert c.exec("touch /etc/x").exit_code != 0 and c.exec("touch /tmp/x").exit_code == 0
    lab.reset()


def test_an_exec_that_makes_the_container_stop_answers_instead_of_failing(session, engine_client):
    """Chapter 09's crash: `touch /tmp/crash` makes the program (PID 1) exit at once. Whether the exec's answer came
    before the container stopped or not, exec answers; it never fails because the container is gone by then."""
    crash = "while [ ! -f /tmp/crash ]; do sleep 0.005; done; exit 1"
    for attempt in range(10):
        box = lab.run(f"crashy{attempt}", BASE, ["sh", "-c", crash])
        result = box.exec("touch /tmp/crash")
        assert result.output == "", (attempt, result)
        assert box.wait(timeout=30) == 1
        box.remove()


def test_a_list_runs_as_its_words_and_without_a_shell_as_it_is(session, engine_client):
    """A list exec runs in /bin/sh's kept wrapper (exec_output: `getent hosts` answers the chapters read cannot be
    lost): the program gets exactly its words and is the only thing beside the wrapper. In a container without
    /bin/sh the runtime refuses the wrapper before anything ran, and the list runs as it is."""
    box = lab.run("words", BASE, ["sleep", "300"])
    assert box.exec(["printf", "%s|", "a b", "c'd", "$HOME", "*"]).output == "a b|c'd|$HOME|*|"
    assert box.exec(["cat", "/proc/self/cmdline"]).output == "cat\0/proc/self/cmdline\0"
    image = lab.build("no-shell:1", dockerfile=f"FROM {BASE}\nRUN rm /usr/bin/sh /usr/bin/dash\n")
    bare = lab.run("bare", image.tag, ["sleep", "300"])
    # there a list's answer is not kept (no shell to keep it: CI's Podman under load lost one), so this asks by exit
    # codes, which come from the engine's record of the exec, not from its answer
    for _again in range(2):  # the second time it is known to have no shell
        assert bare.exec(["test", "-s", "/etc/hostname"]).exit_code == 0
        assert bare.exec(["test", "-e", "/no/such/file"]).exit_code == 1
    assert bare.id in exec_output._NO_SHELL and box.id not in exec_output._NO_SHELL
    assert bare.exec(["no-such-program"]).exit_code in (126, 127)
    lab.reset()
