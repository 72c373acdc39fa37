"""Offline: `run` against the fake engine — the `docker run` line, safe defaults, re-runs, and failures."""

from __future__ import annotations

import shlex

import pytest

import dockerlab
from dockerlab import labels
from dockerlab.containers import Container
from dockerlab.docker_run import run
from dockerlab.errors import BadInput, ContainerExited, ImageMissing, NameConflict, NotFound, PortInUse

IMAGE = "debian:bookworm-slim"


def test_cli_line_says_what_the_cell_did(fake, tmp_path):
    c = run("web", IMAGE, "sleep 60", ports={8080: None, "53/udp": 5353}, env={"MODE": "demo app"},
            volumes={"todos": "/data", str(tmp_path): "/src:ro"}, network="appnet", read_only=True,
            tmpfs={"/tmp": "size=8m"}, user="1000", restart="on-failure:3", workdir="/app", hostname="box",
            entrypoint=["/bin/sh", "-c"], client=fake)
    make_volume, run_line = c.cli.split(" && ")  # the named volume is made with the kit's labels first
    assert shlex.split(make_volume)[:3] == ["docker", "volume", "create"] and make_volume.endswith(" alice-todos")
    args = shlex.split(run_line)
    assert args[:5] == ["docker", "run", "-d", "--name", "alice-web"]
    joined = " ".join(args)
    for part in ["-p 127.0.0.1::8080", "-p 127.0.0.1:5353:53/udp", "-e MODE=demo app", "-v alice-todos:/data",
                 f"-v {tmp_path}:/src:ro", "--network alice-appnet", "--read-only", "--tmpfs /tmp:size=8m",
                 "--user 1000", "--restart on-failure:3", "--memory 512m", "--pids-limit 256", "-w /app",
                 "--hostname box", "--entrypoint /bin/sh", "--label org.dockerlab.kit=1",
                 "--label org.dockerlab.session=alice"]:
        assert part in joined, part
    assert args[-4:] == [IMAGE, "-c", "sleep", "60"]  # the entrypoint's arguments go before the command
    assert c.cli._repr_markdown_().startswith("```console\n$ docker volume create")
    kw = fake.engine.find_container("alice-web").kwargs  # …and the kit made the container the line makes
    assert kw["entrypoint"] == ["/bin/sh"] and fake.engine.find_container("alice-web").attrs["Config"]["Cmd"] == \
        ["-c", "sleep", "60"]


def test_safe_defaults(fake):
    c = run("web", IMAGE, ports={8080: None}, client=fake)
    kw = fake.engine.find_container("alice-web").kwargs
    assert kw["privileged"] is False
    assert kw["mem_limit"] == "512m" and kw["pids_limit"] == 256
    assert kw["ports"] == {"8080/tcp": ("127.0.0.1", None)}
    assert kw["labels"][labels.KIT] == "1" and kw["labels"][labels.SESSION] == "alice"
    assert c.host_port(8080) >= 32768
    assert c.url(8080, "/x") == f"http://127.0.0.1:{c.host_port(8080)}/x"
    run("open", IMAGE, ports={8080: 8081}, host_ip="0.0.0.0", client=fake)
    assert fake.engine.find_container("alice-open").kwargs["ports"] == {"8080/tcp": ("0.0.0.0", 8081)}


def test_rerun_replaces_the_kits_own_container(fake):
    first = run("web", IMAGE, client=fake)
    second = run("web", IMAGE, client=fake)
    assert first.id != second.id
    assert [c.name for c in fake.engine.containers.values()] == ["alice-web"]


def test_foreign_container_with_the_kits_name_is_never_removed(fake):
    foreign = fake.containers.create(IMAGE, name="alice-web")  # no labels: not the kit's
    with pytest.raises(NameConflict) as info:
        run("web", IMAGE, client=fake)
    assert "alice-web" in info.value.what and "did not create" in info.value.what
    assert foreign.id in fake.engine.containers
    # another learner's container with the same name is not ours either
    fake.engine.containers.clear()
    other = fake.containers.create(IMAGE, name="alice-db", labels={labels.KIT: "1", labels.SESSION: "bob"})
    with pytest.raises(NameConflict):
        run("db", IMAGE, client=fake)
    assert other.id in fake.engine.containers


def test_port_in_use_leaves_nothing_half_made(fake):
    run("one", IMAGE, ports={8080: 18080}, client=fake)
    before = set(fake.engine.containers)
    with pytest.raises(PortInUse) as info:
        run("two", IMAGE, ports={8080: 18080}, client=fake)
    assert "18080" in info.value.what and "alice-two" in info.value.what and "alice-one" in info.value.what
    assert set(fake.engine.containers) == before
    fake.engine.host_busy_ports.add(18090)  # something else on the host holds it
    with pytest.raises(PortInUse) as busy:
        run("three", IMAGE, ports={8080: 18090}, client=fake)
    assert "18090" in busy.value.what and set(fake.engine.containers) == before


def test_ctrl_c_while_starting_removes_the_container(fake, monkeypatch):
    from fakes import FakeContainer

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(FakeContainer, "start", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run("web", IMAGE, client=fake)
    assert fake.engine.containers == {}


def test_missing_image_is_not_pulled(fake):
    with pytest.raises(ImageMissing) as info:
        run("web", "nothere/app:9", client=fake)
    assert "nothere/app:9" in info.value.what and "Hint: Build it first" in str(info.value)
    assert fake.engine.containers == {}


def test_short_tags_find_the_learners_own_image(fake):
    mine = fake.engine.add_image("alice/hello:v1")
    c = run("web", "hello:v1", client=fake)
    assert c.attrs["Config"]["Image"] == "alice/hello:v1" and c.image_id == mine.id


@pytest.mark.parametrize("kwargs, words", [
    (dict(ports={"8080": "x"}), "ports must map"),
    (dict(volumes={"/var/run/docker.sock": "/var/run/docker.sock"}), "never mounts the engine's socket"),
    (dict(volumes={"/run/docker.sock": "/d.sock"}), "never mounts the engine's socket"),
    (dict(volumes={"/definitely/not/here": "/data"}), "/definitely/not/here does not exist"),
    (dict(volumes={"bad name!": "/data"}), "not a valid volume name"),
    (dict(volumes={"todos": 5}), "volumes must map"),
    (dict(wait="soon"), "not a ready condition"),
])
def test_bad_arguments_are_refused_before_anything_is_made(fake, kwargs, words):
    with pytest.raises(BadInput) as info:
        run("web", IMAGE, **kwargs, client=fake)
    assert words in info.value.what
    assert str(info.value).splitlines()[-1].startswith("Hint:")
    assert fake.engine.containers == {} and fake.engine.volumes == {}


@pytest.mark.parametrize("name", ["", "web app", "-x", 42, None])
def test_bad_container_names(fake, name):
    with pytest.raises(BadInput):
        run(name, IMAGE, client=fake)


def test_bad_image_argument(fake):
    with pytest.raises(BadInput):
        run("web", "", client=fake)


def test_named_volumes_are_created_with_labels(fake):
    run("web", IMAGE, volumes={"todos": "/data"}, client=fake)
    vol = fake.engine.volumes["alice-todos"]
    assert vol.attrs["Labels"][labels.SESSION] == "alice"


def test_exec_returns_exit_code_and_output(fake):
    c = run("web", IMAGE, client=fake)
    fake.engine.exec_output, fake.engine.exec_code = b"hi\n", 3
    res = c.exec("echo hi; exit 3")
    assert (res.exit_code, res.output, res.ok) == (3, "hi\n", False)
    assert res.cli == "docker exec alice-web sh -c 'echo hi; exit 3'"
    sent = fake.engine.calls[-1][2]  # the line, wrapped so that its output is kept (dockerlab.exec_output)
    assert sent[:2] == ["sh", "-c"] and "\necho hi; exit 3\n" in sent[2]
    assert c.exec(["id", "-u"], user="nobody").cli == "docker exec -u nobody alice-web id -u"


def test_wait_for_a_container_that_exits_shows_its_logs(fake):
    fake.engine.exit_codes["alice-crash"] = 2
    fake.engine.logs_for["alice-crash"] = "starting\nconfig file missing: /etc/app.conf\n"
    with pytest.raises(ContainerExited) as info:
        run("crash", IMAGE, wait="log:Started", timeout=5, client=fake)
    text = str(info.value)
    assert "exit code 2" in text and "config file missing" in text and text.splitlines()[-1].startswith("Hint:")
    assert "alice-crash" in info.value.what


def test_ctrl_c_while_waiting_removes_the_container(fake):
    class Interrupting:
        def is_ready(self, container):
            raise KeyboardInterrupt

        def describe(self):
            return "never"

    with pytest.raises(KeyboardInterrupt):
        run("web", IMAGE, wait=Interrupting(), client=fake)
    assert fake.engine.containers == {}


def test_get_and_find(fake):
    assert dockerlab.containers.find("web", client=fake) is None
    with pytest.raises(NotFound) as info:
        dockerlab.containers.get("web", client=fake)
    assert "alice-web" in info.value.what and "Run the cell" in info.value.hint
    run("web", IMAGE, client=fake)
    assert isinstance(dockerlab.containers.get("web", client=fake), Container)


def test_host_port_of_an_unpublished_port(fake):
    c = run("web", IMAGE, client=fake)
    with pytest.raises(NotFound) as info:
        c.host_port(9999)
    assert "9999/tcp" in info.value.what


def test_cli_entrypoint_reset_and_healthcheck(fake):
    c = run("plain", IMAGE, ["id", "-u"], entrypoint="", client=fake)
    assert "--entrypoint '' " in c.cli and c.cli.endswith(f"{IMAGE} id -u")
    h = run("health", IMAGE, healthcheck={"test": ["CMD-SHELL", "curl -f localhost"], "interval": 2,
                                          "retries": 3}, client=fake)
    assert "--health-cmd 'curl -f localhost' --health-interval 2s --health-retries 3" in h.cli


def test_remove_says_the_command_it_ran(fake):
    """The .cli shown for a removal is what the kit did: `docker rm -f -v` (anonymous volumes go too; plain
    `docker rm` would keep them)."""
    c = run("web", IMAGE, client=fake)
    cli = c.remove()
    assert cli == "docker rm -f -v alice-web"
    assert fake.engine.calls[-1] == ("remove_container", "alice-web", {"force": True, "v": True})
    assert c.remove() == cli  # already gone: nothing to do, the same command


def test_a_removal_podman_refuses_while_the_program_ends_is_asked_again(fake, monkeypatch):
    """Podman (CI under load) answers `rm -f` of a container whose program is ending with "could not be stopped:
    sending SIGKILL"; asked again, it removes it. Any other refusal is not repeated."""
    import docker

    from dockerlab.errors import DockerlabError

    c = run("blip", IMAGE, ["true"], client=fake)
    real, refusals = fake.api.remove_container, ["could not be stopped: sending SIGKILL to container: no such process"]

    def flaky(cid, force=False, v=False):
        if refusals:
            raise docker.errors.APIError("500 Server Error", explanation=f"cannot remove container {cid} as it "
                                                                         f"{refusals.pop()}")
        return real(cid, force=force, v=v)

    monkeypatch.setattr(fake.api, "remove_container", flaky)
    monkeypatch.setattr("dockerlab.containers.time.sleep", lambda _s: None)
    assert c.remove() == "docker rm -f -v alice-blip" and not fake.containers.list(all=True)
    other = run("other", IMAGE, client=fake)
    refusals.append("is in use by something else")
    with pytest.raises(DockerlabError):
        other.remove()
    assert fake.containers.list(all=True)  # not asked again: still there


def test_a_read_podman_refuses_while_the_program_ends_is_asked_again(fake, monkeypatch):
    """Podman 4.3 answers an inspect of a container whose program ends at that moment with "read /proc/<pid>/cgroup:
    no such process" (containers/podman#16383; CI's Podman stage met it in chapter 00); asked again, it answers.
    Any other refusal is not repeated."""
    import docker

    from dockerlab.containers import get
    from dockerlab.errors import DockerlabError

    c = run("blip", IMAGE, ["true"], client=fake)
    refusals = ["read /proc/11937/cgroup: no such process"] * 2
    real_reload, real_get = type(c.sdk).reload, fake.containers.get

    def refused() -> None:
        if refusals:
            raise docker.errors.APIError("500 Server Error", explanation=refusals.pop())

    monkeypatch.setattr(type(c.sdk), "reload", lambda self: (refused(), real_reload(self))[1])
    monkeypatch.setattr(fake.containers, "get", lambda name: (refused(), real_get(name))[1])
    assert c.reload() is c and not refusals
    refusals.append("read /proc/11937/cgroup: no such process")
    assert get("blip", client=fake).name == "alice-blip" and not refusals
    refusals.append("read /proc/11937/status: permission denied")
    with pytest.raises(DockerlabError):
        c.reload()
    assert not refusals  # asked once


def test_an_unknown_mount_mode_is_refused_before_anything_is_made(fake):
    """`/x:readonly` used to mount read-write without a word; only ro and rw are modes."""
    with pytest.raises(BadInput) as info:
        run("web", IMAGE, volumes={"todos": "/data:readonly"}, client=fake)
    assert "'readonly' is not a mount mode" in info.value.what and "/data:ro" in info.value.hint
    assert fake.engine.containers == {} and fake.engine.volumes == {}
    run("web", IMAGE, volumes={"todos": "/data:rw"}, client=fake)
    assert fake.engine.find_container("alice-web").attrs["HostConfig"]["Binds"] == ["alice-todos:/data"]


def test_a_link_without_a_port_means_the_one_port_published():
    """wait='http:/' and url() used to assume 8080; they take the one TCP port the container publishes."""
    from dockerlab.hostconfig import main_port

    def attrs(*ports):
        return {"NetworkSettings": {"Ports": {p: [{"HostIp": "127.0.0.1", "HostPort": "32768"}] for p in ports}
                                    | {"9999/tcp": None}}}  # exposed, not published: not meant

    assert main_port(attrs("8000/tcp", "53/udp"), "tally") == 8000
    with pytest.raises(BadInput) as several:
        main_port(attrs("8000/tcp", "8443/tcp"), "tally")
    assert "[8000, 8443]" in several.value.what and "wait='http:/@8000'" in several.value.hint
    with pytest.raises(NotFound):
        main_port(attrs(), "tally")


def test_oom_killed_is_the_flag_or_the_engines_oom_event(monkeypatch):
    """Docker 20.10's containerd can report the exit before the OOM: the flag stays false, the 'oom' event comes;
    or it loses the notice: a SIGKILL the engine did not send, under a memory limit, is the OOM killer's."""
    from types import SimpleNamespace

    import dockerlab.containers as containers

    monkeypatch.setattr(containers, "poll", lambda probe, **kw: probe())  # no waiting offline
    asked: list[dict] = []

    def sdk(flag: bool, code: int, actions: list[str], memory: int = 48 * 2**20) -> SimpleNamespace:
        def listed(**kw):
            asked.append(kw["filters"])
            return iter([{"Action": a} for a in actions])
        return SimpleNamespace(attrs={"Id": "c1", "State": {"Status": "exited", "ExitCode": code, "OOMKilled": flag,
                                                           "StartedAt": "2026-11-30T13:00:00.1Z"},
                                      "HostConfig": {"Memory": memory}},
                               id="c1", name="hungry", client=SimpleNamespace(events=listed))

    assert Container(sdk(True, 137, [])).oom_killed and not asked
    assert Container(sdk(False, 137, ["start", "oom", "die"])).oom_killed
    assert asked[-1] == {"type": "container", "container": "c1"}
    assert Container(sdk(False, 137, ["start", "die"])).oom_killed  # the notice lost: nobody else sent SIGKILL
    for sent in ("kill", "stop", "restart"):  # `docker kill` / `stop` / `restart`: 137 without an OOM
        assert not Container(sdk(False, 137, ["start", sent, "die"])).oom_killed
    assert not Container(sdk(False, 137, ["start", "die"], memory=0)).oom_killed  # no limit: not the OOM killer
    assert not Container(sdk(False, 137, ["die"])).oom_killed  # its start no longer among the engine's events
    asked.clear()
    assert not Container(sdk(False, 1, ["start", "oom"])).oom_killed and not asked  # not a SIGKILL: not asked


def test_follow_keeps_the_last_lines_written_just_before_the_container_stopped(monkeypatch):
    """The container says its last line and exits between two polls: the status is asked before the logs are read,
    so the read after the stop still brings that line (CI lost chapter 07's last log line when it was asked after)."""
    from types import SimpleNamespace

    import dockerlab.containers as containers

    monkeypatch.setattr(containers.time, "sleep", lambda s: None)
    said = ["2026-11-30T17:00:00.100000000Z tick 1"]
    state = {"Status": "running"}
    script = iter([None, lambda: said.append("2026-11-30T17:00:00.500000000Z lost the connection")])

    def logs(**kw):
        out = "\n".join(said).encode()
        step = next(script, None)
        if step is not None:  # after this read, the container writes its last line and exits
            step()
            state["Status"] = "exited"
        return out

    fake = SimpleNamespace(id="c1", name="counter", logs=logs, reload=lambda: None, client=SimpleNamespace())
    monkeypatch.setattr(Container, "status", property(lambda self: state["Status"]))
    box = Container(fake)
    assert list(box.follow(timeout=30)) == ["tick 1", "lost the connection"]
