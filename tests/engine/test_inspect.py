"""`lab.inspect(name, template)` gives what `docker inspect --format` prints, on the real engine and the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

import dockerlab as lab
from dockerlab.engine import engine_address
from dockerlab.errors import ContainerStopped, NotFound
from conftest import skip_or_fail

pytestmark = [pytest.mark.engine]


@pytest.fixture(autouse=True)
def clean_up(session):
    """Each test removes what it made (the session fixture then checks nothing leaked)."""
    yield
    lab.reset(purge_volumes=True)


TEMPLATES = [
    "{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}} {{.RestartCount}}",
    "{{json .State.Health.Status}}",
    "{{.Config.Env}}",
    "{{.Config.Labels}}",
    "{{json .Config.Labels}}",
    '{{index .Config.Labels "org.dockerlab.kit"}}',
    "{{range .Mounts}}{{.Type}} {{.Destination}} {{.RW}};{{end}}",
    '{{join .Config.Cmd " "}}',
    "{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.RestartPolicy.Name}}",
    "{{if .State.Running}}running{{else}}stopped ({{.State.ExitCode}}){{end}}",
    "{{json .NetworkSettings.Ports}}",
]


def cli(template: str, name: str) -> str:
    done = subprocess.run(["docker", "inspect", "--format", template, name], capture_output=True, text=True,
                          timeout=30, env=dict(os.environ, DOCKER_HOST=engine_address()))
    assert done.returncode == 0, done.stderr
    return done.stdout.rstrip("\n")


def test_the_kit_renders_what_the_docker_cli_prints(engine_client):
    if not shutil.which("docker"):
        skip_or_fail("no docker CLI to compare with")
    c = lab.run("fmt", "debian:bookworm-slim", ["bash", "-c", "touch /tmp/ok; exec sleep infinity"],
                env={"GREETING": "a <b> & c"}, volumes={"fmt-data": "/data"}, tmpfs={"/scratch": ""},
                ports={8080: None}, restart="on-failure",
                healthcheck={"test": ["CMD", "test", "-f", "/tmp/ok"], "interval": 0.5})
    c.wait_ready("healthy", timeout=30)
    for template in TEMPLATES:
        mine = lab.inspect("fmt", template)
        assert mine == cli(template, c.name), template
        assert mine.cli == f"docker inspect --format '{template}' {c.name}"
    c.kill()
    assert lab.inspect("fmt", TEMPLATES[0]) == cli(TEMPLATES[0], c.name)


def test_other_kinds_and_a_missing_name():
    lab.volumes.create("fmt-vol")
    assert lab.inspect("fmt-vol", "{{.Name}}", kind="volume") == lab.name("fmt-vol")
    with pytest.raises(NotFound, match="no container named"):
        lab.inspect("no-such-container", "{{.Id}}")


def test_exec_into_a_stopped_container_says_stopped():
    c = lab.run("gone", "debian:bookworm-slim", ["true"])
    c.sdk.wait(timeout=30)
    with pytest.raises(ContainerStopped) as err:
        c.exec("ls")
    assert "stopped" in err.value.what and "docker logs" in err.value.hint
