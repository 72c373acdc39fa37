"""Offline: the kit's Podman service (its command line, config and files) and where the kit adapts to Podman —
a taken name answered with 500, healthchecks nobody runs without systemd, volume listings that OR label filters."""

from __future__ import annotations

import docker.errors
import pytest
import requests

from dockerlab import labels, podman
from dockerlab.errors import NameConflict, from_exception, name_in_use
from dockerlab.waiting import Healthy


def api_error(status: int, text: str) -> docker.errors.APIError:
    response = requests.Response()
    response.status_code = status
    return docker.errors.APIError(f"{status} Server Error", response=response, explanation=text)


def test_the_service_lives_in_the_kits_state_folder_with_its_own_storage(monkeypatch, tmp_path):
    monkeypatch.setenv("DOCKERLAB_STATE", str(tmp_path))
    service = podman.PodmanService("podman-ci")
    assert service.address == f"unix://{tmp_path}/podman-ci/podman.sock"
    cmd = service.command()
    assert cmd[:1] == ["podman"] and cmd[-4:] == ["system", "service", "--time=0", service.address]
    for flag, sub in (("--root", "storage"), ("--runroot", "run"), ("--tmpdir", "tmp")):
        assert cmd[cmd.index(flag) + 1] == str(tmp_path / "podman-ci" / sub)
    assert service.env()["CONTAINERS_CONF"] == str(tmp_path / "podman-ci" / "containers.conf")
    conf = service.config()
    assert 'default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]' in conf
    assert f'network_config_dir = "{tmp_path}/podman-ci/networks"' in conf  # not the machine's /etc/cni/net.d
    # the machine's own registries over plain http, as Docker allows them (the course's registry on 127.0.0.1:PORT)
    assert service.env()["CONTAINERS_REGISTRIES_CONF"] == str(tmp_path / "podman-ci" / "registries.conf")
    assert 'location = "127.0.0.1"\ninsecure = true' in podman.REGISTRIES_CONF
    assert service.pid() is None and service.stop(log=lambda _m: None) is False


def test_the_storage_driver_is_named_vfs_where_the_folder_is_on_an_overlay(monkeypatch, tmp_path):
    # inside a container the kit's state folder is on the container's overlay: no overlay stacks on it, and Podman
    # left to choose leaves an `overlay` folder that breaks every later command (the containers' exit commands)
    monkeypatch.setenv("DOCKERLAB_STATE", str(tmp_path / "state"))
    mounts = tmp_path / "mounts"
    monkeypatch.setattr(podman, "MOUNTS", mounts)
    service = podman.PodmanService("podman-ci")
    mounts.write_text(f"overlay / overlay rw,lowerdir=/a,upperdir=/b 0 0\n/dev/vdb {tmp_path}/st ext4 rw 0 0\n"
                      f"/dev/vdc {tmp_path}/state ext4 rw 0 0\n")
    cmd = service.command()
    assert "--storage-driver" not in cmd  # the longest mount point that holds it: ext4, Podman's own choice
    mounts.write_text(f"overlay / overlay rw,lowerdir=/a,upperdir=/b 0 0\n/dev/vdb {tmp_path}/st ext4 rw 0 0\n")
    cmd = service.command()
    assert cmd[cmd.index("--storage-driver") + 1] == "vfs"  # {tmp_path}/state is not below {tmp_path}/st
    assert cmd[-4:] == ["system", "service", "--time=0", service.address]


def test_without_podman_installed_start_says_what_to_install(monkeypatch, tmp_path):
    from dockerlab.errors import EngineUnavailable

    monkeypatch.setenv("DOCKERLAB_STATE", str(tmp_path))
    monkeypatch.setattr(podman.shutil, "which", lambda _name: None)
    with pytest.raises(EngineUnavailable, match="apt-get install podman"):
        podman.PodmanService().start(log=lambda _m: None)


@pytest.mark.parametrize("status, text, taken", [
    (409, 'Conflict. The container name "/alice-web" is already in use by container "0b6b…".', True),
    (500, 'container create: creating container storage: the container name "alice-web" is already in use by '
          '0b6b…. You have to remove that container to be able to reuse that name: that name is already in use', True),
    (500, "listen tcp4 127.0.0.1:8080: bind: address already in use", False),
    (409, "removal of container alice-web is already in progress", False),
])
def test_a_taken_name_is_a_name_conflict_on_docker_and_on_podman(status, text, taken):
    exc = api_error(status, text)
    assert name_in_use(exc) is taken
    assert isinstance(from_exception(exc, "starting"), NameConflict) is taken


def test_listings_check_the_labels_the_engine_should_have_filtered():
    flt = labels.kit_filter("04", session="alice")
    mine = {labels.KIT: "1", labels.SESSION: "alice", labels.CHAPTER: "04"}
    assert labels.matches(mine, flt)
    assert not labels.matches(dict(mine, **{labels.SESSION: "bob"}), flt)
    assert not labels.matches({labels.SESSION: "alice", labels.CHAPTER: "04"}, flt)
    assert not labels.matches(None, flt)


class FakeResponse:
    status_code = 200

    def json(self):
        return {"Status": "healthy"}


class FakeAPI:
    base_url = "http+docker://localhost"

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.asked: list[str] = []

    def _get(self, url, timeout=None):
        self.asked.append(url)
        return FakeResponse()


class FakeClient:
    def __init__(self, kind: str) -> None:
        self.api = FakeAPI(kind)
        self.api.base_url = f"http+docker://{kind}"

    def version(self):
        return {"Components": [{"Name": "Podman Engine"}]} if self.api.kind == "podman" else {"Version": "20.10"}


class FakeContainer:
    def __init__(self, client) -> None:
        self.sdk = type("Sdk", (), {"client": client})()
        self.id = "c0ffee"
        self.attrs = {"State": {"Health": {"Status": "starting"}}, "Config": {"Healthcheck": {"Interval": 30 * 10**9}}}

    @property
    def health(self):
        return self.attrs["State"]["Health"]["Status"]

    def reload(self):
        self.attrs["State"]["Health"]["Status"] = "healthy"  # what the engine says after the check ran


def test_on_podman_the_kit_runs_the_healthcheck_it_waits_for(monkeypatch):
    monkeypatch.setattr(podman, "_last_check", {})
    pod = FakeContainer(FakeClient("podman"))
    assert Healthy().is_ready(pod)
    assert pod.sdk.client.api.asked == ["http+docker://podman/v4.0.0/libpod/containers/c0ffee/healthcheck"]
    again = FakeContainer(pod.sdk.client)
    assert not Healthy().is_ready(again)  # within the interval: not run again, still starting
    assert len(pod.sdk.client.api.asked) == 1
    docker_one = FakeContainer(FakeClient("docker"))
    assert not Healthy().is_ready(docker_one)  # Docker runs its healthchecks itself: the kit only reads
    assert docker_one.sdk.client.api.asked == []


def test_while_compose_waits_the_kit_runs_the_projects_healthchecks_on_podman(monkeypatch):
    import threading

    monkeypatch.setattr(podman, "_last_check", {})
    ran = threading.Event()
    client = FakeClient("podman")
    client.api.containers = lambda filters: [{"Id": "c1"}, {"Id": "c2"}]
    client.api.inspect_container = lambda cid: {
        "State": {"Running": True},
        "Config": {"Healthcheck": {"Test": ["CMD", "true"], "Interval": 10**9}} if cid == "c1" else {}}
    real_get = client.api._get

    def get(url, timeout=None):
        ran.set()
        return real_get(url, timeout)

    client.api._get = get
    with podman.healthchecks_running(client, {"label": ["org.dockerlab.kit"]}, every=0.01):
        assert ran.wait(5)
    assert set(client.api.asked) == {"http+docker://podman/v4.0.0/libpod/containers/c1/healthcheck"}
    docker_client = FakeClient("docker")
    with podman.healthchecks_running(docker_client, {}, every=0.01):
        pass
    assert docker_client.api.asked == []


def test_the_podman_stage_runs_by_default_and_names_what_it_leaves_out():
    """The CI stage: on unless DOCKERLAB_PODMAN=0; its engine files exist; every other engine file is left out
    with a reason (the Docker-only ones with their own)."""
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root))
    from tools import podman_stage

    assert podman_stage.wanted({}) and podman_stage.wanted({"DOCKERLAB_PODMAN": "1"})
    assert not podman_stage.wanted({"DOCKERLAB_PODMAN": "0"})
    assert all((root / f).is_file() for f in podman_stage.ENGINE_TESTS)
    left = dict(podman_stage.left_out())
    assert not set(left) & set(podman_stage.ENGINE_TESTS) and all(left.values())
    assert "dockerd" in left["tests/engine/test_remote.py"]
    every = {str(p.relative_to(root)) for p in (root / "tests" / "engine").glob("test_*.py")}
    assert set(left) | set(podman_stage.ENGINE_TESTS) == every


def test_stopping_unmounts_only_what_the_service_left_in_its_own_storage(monkeypatch, tmp_path):
    monkeypatch.setenv("DOCKERLAB_STATE", str(tmp_path))
    service = podman.PodmanService("podman-ci")
    storage = service.folder / "storage"
    mounts = tmp_path / "mounts"
    mounts.write_text(f"overlay {storage}/overlay/abc/merged overlay rw 0 0\n/dev/vda {storage}/overlay ext4 rw 0 0\n"
                      f"overlay /var/lib/docker/overlay2/x/merged overlay rw 0 0\n"
                      f"overlay {tmp_path}/podman-other/storage/overlay/y/merged overlay rw 0 0\n")
    monkeypatch.setattr(podman, "MOUNTS", mounts)
    calls = []
    monkeypatch.setattr(podman.subprocess, "run", lambda cmd, **kw: calls.append(cmd) or type("R", (), {"returncode": 0}))
    assert service.unmount_leftovers(log=lambda _m: None) == [f"{storage}/overlay/abc/merged", f"{storage}/overlay"]
    assert calls == [["umount", f"{storage}/overlay/abc/merged"], ["umount", f"{storage}/overlay"]]


def test_a_push_reads_its_digest_from_podmans_last_line_too():
    from dockerlab.course import registry

    digest = "sha256:" + "ab" * 32

    class Images:
        def __init__(self, chunks):
            self.chunks = chunks

        def push(self, repo, tag, stream, decode):
            return iter(self.chunks)

    def pushed(chunks):
        client = type("Client", (), {"images": Images(chunks)})()
        return registry.push("127.0.0.1:5000/tally:1", client=client).digest

    podman_said = [{"status": "Copying blob 1424"}, {"status": f"1: digest: {digest} size: 429"}]
    docker_said = [{"status": "Pushed", "id": "1424"}, {"status": f"1: digest: {digest} size: 429"},
                   {"aux": {"Tag": "1", "Digest": digest, "Size": 429}}]
    assert pushed(podman_said) == pushed(docker_said) == digest
    assert pushed([{"status": "Pushed", "id": "1424"}]) == ""


def test_on_podman_the_swarm_state_is_inactive_without_asking_its_slow_info(monkeypatch):
    from dockerlab import swarm

    monkeypatch.setattr(podman, "_kinds", {})

    class NoInfo(FakeClient):
        def info(self):  # Podman's /info runs dpkg-query seven times: the swarm question must not need it
            raise AssertionError("info() asked")

    assert swarm.swarm_active(NoInfo("podman")) is False
    docker_one = NoInfo("docker")
    docker_one.api.inspect_swarm = lambda: {"ID": "s1"}  # Docker: the engine's own answer (a manager's)
    assert swarm.swarm_active(docker_one) is True


KIT = {"org.dockerlab.session": "s1", "org.dockerlab.kit": "1", "maintainer": "me"}
TWO_STAGES = "FROM debian AS build\nRUN make\n\n# the image you ship\nFROM debian AS runtime\nCOPY --from=build /a /a\n"


def test_the_kits_labels_go_on_one_sorted_line_last_in_the_image_s_stage():
    text, rest = podman.with_kit_label_line(None, TWO_STAGES, KIT)
    assert text.splitlines()[-1] == 'LABEL org.dockerlab.kit="1" org.dockerlab.session="s1"'
    assert rest == {"maintainer": "me"}  # not the kit's: left for the API
    assert podman.with_kit_label_line(None, TWO_STAGES, KIT, "runtime")[0] == text  # the last stage named


def test_a_target_before_the_last_stage_gets_the_line_at_its_own_end():
    """`--target build` makes the image of the first stage: a line after the last FROM would not be in it."""
    text, _ = podman.with_kit_label_line(None, TWO_STAGES, KIT, "BUILD")
    lines = text.splitlines()
    label = lines.index('LABEL org.dockerlab.kit="1" org.dockerlab.session="s1"')
    assert lines[:label] == ["FROM debian AS build", "RUN make", "", "# the image you ship"]
    assert lines[label + 1:] == ["FROM debian AS runtime", "COPY --from=build /a /a"]
