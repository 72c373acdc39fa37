"""Compose on the real engine: up / ps / logs / down, the kit's labels on all Compose makes, reset, the CLI twin."""

from __future__ import annotations

import subprocess
import textwrap
from datetime import datetime

import pytest

import dockerlab as lab
from dockerlab import compose
from dockerlab.errors import BadInput, ContainerExited, ImageMissing
from dockerlab.labels import CHAPTER, KIT, SESSION

pytestmark = [pytest.mark.engine]

# two tiny services: `api` becomes healthy once /tmp/ok exists (after 2 s); `web` may start only then
APP = textwrap.dedent("""\
    services:
      api:
        image: debian:bookworm-slim
        command: ["bash", "-c", "sleep 2; touch /tmp/ok; echo api is up; exec sleep infinity"]
        healthcheck: {test: ["CMD", "test", "-f", "/tmp/ok"], interval: 1s, retries: 30}
        volumes: ["data:/data"]
        networks: [inner]
      web:
        build: ./web
        depends_on: {api: {condition: service_healthy}}
        ports: ["127.0.0.1::8080"]
        networks: [inner]
    volumes:
      data:
    networks:
      inner:
""")
WEB = ("FROM debian:bookworm-slim\n"
       "CMD [\"bash\", \"-c\", \"getent hosts api && echo web found api; exec sleep infinity\"]\n")


def _instant(stamp: str) -> datetime:
    head, _, fraction = stamp.rstrip("Z").partition(".")
    return datetime.fromisoformat(f"{head}.{(fraction + '000000')[:6]}+00:00")


@pytest.fixture
def app(session, tmp_path):
    lab.labels.set_chapter("06")
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "Dockerfile").write_text(WEB)
    (tmp_path / "compose.yaml").write_text(APP)
    project = compose.Project("stack", tmp_path)
    yield project
    lab.reset("06", purge_volumes=True)
    lab.labels.set_chapter(None)


def test_up_ps_logs_and_everything_carries_the_kit_labels(app, engine_client, session):
    app.up(timeout=120)
    assert "up -d" in app.cli and f"-p {session}-stack" in app.cli
    # the service Compose would build was built by the kit: its steps under the build limits, named as Compose names it
    (built,) = app.builds
    assert app.cli.startswith(f"{built.cli} && ") and "--memory 2g" in built.cli
    assert built.limits["memory"] == lab.limits.BUILD_MEMORY and built.tag.split(":")[0] in (
        f"{app.name}_web", f"{app.name}-web")
    assert built.limits["pids"] or built.limits["pids_why"]
    assert app.container("web").attrs["Image"] == built.id  # Compose ran that image and built nothing itself
    services = app.services()
    assert set(services) == {"api", "web"}
    api, web = app.container("api"), app.container("web")
    assert api.health == "healthy" and web.status == "running"
    # depends_on: condition service_healthy — web started only after api's check passed
    first_ok = next(e for e in api.attrs["State"]["Health"]["Log"] if e["ExitCode"] == 0)
    assert _instant(web.attrs["State"]["StartedAt"]) > _instant(first_ok["Start"])
    assert "web found api" in app.logs("web")  # the service name resolves on the project's network
    assert "api is up" in app.logs() and "logs --no-color" in app.cli
    mine = {(r.kind, r.chapter) for r in lab.leaks(chapter="06")}
    assert mine >= {("container", "06"), ("network", "06"), ("volume", "06"), ("image", "06")}
    for c in (api, web):
        assert c.labels[KIT] == "1" and c.labels[SESSION] == session and c.labels[CHAPTER] == "06"
        assert c.attrs["HostConfig"]["Memory"] == 512 * 1024**2 and c.attrs["HostConfig"]["PidsLimit"] == 256
    binding = web.attrs["NetworkSettings"]["Ports"]["8080/tcp"][0]
    assert binding["HostIp"] == "127.0.0.1"


def test_reset_removes_a_project_by_its_labels(app):
    app.up(timeout=120)
    lab.reset("06", purge_volumes=True)
    assert app.ps() == [] and lab.leaks(chapter="06") == []


def test_down_with_volumes_leaves_nothing(app):
    app.up(timeout=120)
    said = app.down(volumes=True)
    assert "down --remove-orphans -v" in app.cli and "Removing" in said
    assert app.ps() == []
    assert {r.kind for r in lab.leaks(chapter="06")} <= {"image"}  # the built image stays until reset


@pytest.mark.docker_only(reason="plain docker-compose waits for service_healthy, and Podman runs healthchecks only "
                                  "from systemd timers (none here); the kit runs them only while it waits itself")
def test_the_cli_twin_run_in_a_terminal_does_the_same(app, session):
    app.write_override()
    argv = app.command("up", "-d")
    subprocess.run(argv, check=True, capture_output=True, env=app._env(), timeout=300)
    app.wait(timeout=120)
    assert {c.labels.get(SESSION) for c in app.ps()} == {session}


def test_an_unsafe_file_is_refused_before_anything_starts(app):
    app.file.write_text(APP.replace('"127.0.0.1::8080"', '"8080:8080"'))
    with pytest.raises(BadInput, match="every network"):
        app.up()
    assert app.ps() == [] and lab.leaks(chapter="06") == []


def test_a_crashing_service_is_reported_with_its_logs(app):
    app.file.write_text(APP.replace("touch /tmp/ok; echo api is up; exec sleep infinity",
                                    "echo 'config error: no DATA_DIR' >&2; exit 3"))
    with pytest.raises(ContainerExited) as err:
        app.up(timeout=60)
    assert "exit code 3" in err.value.what and any("config error" in line for line in err.value.details)


def test_a_missing_image_leaves_nothing_half_made(app):
    app.file.write_text(APP.replace("image: debian:bookworm-slim", "image: dockerlab/no-such-image:1"))
    with pytest.raises(ImageMissing) as err:
        app.up(timeout=60)
    assert "removed again" in err.value.what
    assert [r for r in lab.leaks(chapter="06") if r.kind in ("container", "network")] == []
