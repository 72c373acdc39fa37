"""Offline: the Compose module — which program it runs, the kit's override file, the safety rules, the CLI twins."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import yaml

from dockerlab import compose, compose_file, course, labels
from dockerlab.errors import BadInput, DockerlabError, EngineUnavailable, ImageMissing, PortInUse

APP = {
    "services": {
        "backend": {"image": "dockerlab/backend:1.0", "volumes": ["todo-data:/data"], "networks": ["todo-net"]},
        "frontend": {"image": "dockerlab/frontend:1.0", "ports": ["127.0.0.1::8080"], "mem_limit": "128m"},
        "job": {"build": "./job", "deploy": {"resources": {"limits": {"memory": "64m", "pids": 50}}}},
    },
    "volumes": {"todo-data": None, "shared": {"external": True}},
    "networks": {"todo-net": None, "outside": {"external": True},
                 "fixed": {"ipam": {"config": [{"subnet": "172.30.9.0/24"}]}, "labels": ["team=a"]}},
}
KIT = {"org.dockerlab.kit": "1", "org.dockerlab.session": "alice", "org.dockerlab.chapter": "06"}


@pytest.fixture(autouse=True)
def session(monkeypatch):
    monkeypatch.delenv("DOCKERLAB_COMPOSE", raising=False)
    labels.set_session("alice")
    labels.set_chapter("06")
    compose._tool = None
    yield
    labels.set_session(None)
    labels.set_chapter(None)
    compose._tool = None


def test_override_labels_everything_compose_makes():
    out = compose_file.kit_override(APP, KIT)
    assert set(out["services"]) == {"backend", "frontend", "job"}  # only services of the file (no new ones)
    assert all(s["labels"] == KIT for s in out["services"].values())
    assert out["networks"]["default"] == {"labels": KIT} and out["networks"]["todo-net"] == {"labels": KIT}
    assert "outside" not in out["networks"]  # not the external one
    # the whole definition is kept (Compose 1 replaces a network of an earlier file by a later file's)
    assert out["networks"]["fixed"] == {"ipam": {"config": [{"subnet": "172.30.9.0/24"}]},
                                        "labels": {"team": "a", **KIT}}
    assert out["volumes"] == {"todo-data": {"labels": KIT}}  # not the external one
    assert out["services"]["job"]["build"] == {"labels": {**KIT, "org.dockerlab.role": "learner"}}  # reset removes it
    assert "build" not in out["services"]["backend"]


def test_override_adds_limits_only_where_the_file_sets_none():
    out = compose_file.kit_override(APP, KIT)["services"]
    assert out["backend"]["mem_limit"] == "512m" and out["backend"]["pids_limit"] == 256
    assert "mem_limit" not in out["frontend"] and out["frontend"]["pids_limit"] == 256  # the file's 128m stays
    assert "mem_limit" not in out["job"] and "pids_limit" not in out["job"]  # deploy limits count


@pytest.mark.parametrize("port, published, host", [
    (8080, False, None), ("8080", False, None), ("8080/udp", False, None),
    ("8081:8080", True, None), ("127.0.0.1:8081:8080", True, "127.0.0.1"), ("127.0.0.1::8080/tcp", True, "127.0.0.1"),
    ("0.0.0.0:80:80", True, "0.0.0.0"), ("[::1]:8081:8080", True, "::1"),
    ({"target": 80}, False, None), ({"target": 80, "published": 8088}, True, None),
    ({"target": 80, "published": "8088", "host_ip": "127.0.0.1"}, True, "127.0.0.1"),
])
def test_port_forms(port, published, host):
    assert compose_file.host_ip(port) == (published, host)


@pytest.mark.parametrize("port", ["8081:8080", {"target": 8080, "published": 8081}])
def test_a_port_open_to_every_network_is_refused_with_the_fix(port):
    bad = {"services": {"web": {"image": "x", "ports": [port]}}}
    with pytest.raises(BadInput) as err:
        compose_file.check_safe(bad)
    assert "web" in err.value.what and "127.0.0.1:8081:8080" in err.value.hint


def test_loopback_and_explicit_addresses_pass():
    compose_file.check_safe({"services": {"web": {"image": "x", "ports": ["127.0.0.1::8080", "0.0.0.0:8081:8080", 9000]}}})


@pytest.mark.parametrize("svc, word", [
    ({"image": "x", "privileged": True}, "privileged"),
    ({"image": "x", "volumes": ["/var/run/docker.sock:/var/run/docker.sock"]}, "socket"),
    ({"image": "x", "volumes": [{"type": "bind", "source": "/run/podman/podman.sock", "target": "/s"}]}, "socket"),
])
def test_privileged_and_the_engine_socket_are_refused(svc, word):
    with pytest.raises(BadInput, match=word):
        compose_file.check_safe({"services": {"web": svc}})


def test_a_file_without_services_is_refused():
    with pytest.raises(BadInput, match="no services"):
        compose_file.kit_override({"version": "3"}, KIT)


def test_project_name_is_the_session_name_in_composes_characters():
    assert compose.Project("todo", ".").name == "alice-todo"
    labels.set_session("Ann.Lee")
    assert compose.Project("todo", ".").name.endswith("-todo")
    assert all(ch.isalnum() or ch in "-_" for ch in compose.Project("todo", ".").name)


def _fake_program(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def test_v2_plugin_is_preferred_and_v1_is_the_fallback(tmp_path, monkeypatch):
    _fake_program(tmp_path, "docker", 'if [ "$1 $2" = "compose version" ]; then echo v2.24.6; exit 0; fi; exit 1\n')
    _fake_program(tmp_path, "docker-compose", 'echo 1.29.2\n')
    monkeypatch.setenv("PATH", str(tmp_path))
    found = compose.tool(refresh=True)
    assert found.argv == ("docker", "compose") and found.version == "2.24.6" and found.v2
    _fake_program(tmp_path, "docker", 'echo "docker: unknown command: docker compose" >&2; exit 1\n')
    found = compose.tool(refresh=True)
    assert found.argv == ("docker-compose",) and found.version == "1.29.2" and not found.v2


def test_compose_v1_runs_without_setuptools_distutils_hack_where_its_python_allows(tmp_path, monkeypatch):
    """docker-compose 1.29 imports distutils: with Python's own (≤ 3.11) it starts in half the CPU time; where that
    is gone (3.12+, so Compose fails without setuptools' copy), the kit leaves the variable out."""
    _fake_program(tmp_path, "docker", "exit 1\n")
    _fake_program(tmp_path, "docker-compose", 'echo "$SETUPTOOLS_USE_DISTUTILS" > "$0.env"; echo 1.29.2\n')
    monkeypatch.setenv("PATH", str(tmp_path))
    found = compose.tool(refresh=True)
    assert found.env == (("SETUPTOOLS_USE_DISTUTILS", "stdlib"),)
    assert compose.Project("todo", tmp_path)._env()["SETUPTOOLS_USE_DISTUTILS"] == "stdlib"
    # a Python without distutils: the probe fails with the variable, answers without it
    _fake_program(tmp_path, "docker-compose", '[ -n "$SETUPTOOLS_USE_DISTUTILS" ] && '
                  '{ echo "ModuleNotFoundError: No module named distutils" >&2; exit 1; }; echo 1.29.2\n')
    monkeypatch.delenv("SETUPTOOLS_USE_DISTUTILS", raising=False)
    found = compose.tool(refresh=True)
    assert found.argv == ("docker-compose",) and found.env == ()
    assert "SETUPTOOLS_USE_DISTUTILS" not in compose.Project("todo", tmp_path)._env()
    # Compose v2 is a Go program: nothing added
    _fake_program(tmp_path, "docker", 'if [ "$1 $2" = "compose version" ]; then echo v2.24.6; exit 0; fi; exit 1\n')
    assert compose.tool(refresh=True).env == ()


def test_no_compose_at_all_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EngineUnavailable) as err:
        compose.tool(refresh=True)
    assert "apt-get install docker-compose" in err.value.hint


def test_the_cli_twin_names_the_engine_and_the_variables(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    compose._tool = compose.ComposeTool(("docker", "compose"), "2.24.6")
    app = compose.Project("todo", "todo-app", docker_host="unix:///srv/cloud/docker.sock",
                          env={"REGISTRY": "127.0.0.1:5000/"})
    argv = app.command("up", "-d")
    assert argv == ["docker", "compose", "-p", "alice-todo", "-f", "todo-app/compose.yaml",
                    "-f", "todo-app/.dockerlab.yaml", "up", "-d"]
    shown = app._show(argv)
    assert shown.startswith("DOCKER_HOST=unix:///srv/cloud/docker.sock REGISTRY=127.0.0.1:5000/ docker compose -p")
    env = app._env()
    assert env["DOCKER_HOST"] == "unix:///srv/cloud/docker.sock" and env["REGISTRY"] == "127.0.0.1:5000/"


def test_a_missing_file_is_a_clear_error(tmp_path):
    compose._tool = compose.ComposeTool(("docker-compose",), "1.29.2")
    with pytest.raises(BadInput, match="no compose file"):
        compose.Project("todo", tmp_path).config()


def test_the_course_file_passes_the_kit_rules_and_copies_fresh(tmp_path):
    folder = course.copy_compose_example(tmp_path / "todo-app")
    config = yaml.safe_load((folder / "compose.yaml").read_text())
    compose_file.check_safe(config)
    assert config["services"]["frontend"]["depends_on"]["backend"]["condition"] == "service_healthy"
    assert config["services"]["backend"]["healthcheck"]["test"]
    (folder / "compose.yaml").write_text("services: {}\n")
    course.copy_compose_example(folder, fresh=False)
    assert (folder / "compose.yaml").read_text() == "services: {}\n"  # an edit stays unless fresh
    course.copy_compose_example(folder)
    assert "frontend:" in (folder / "compose.yaml").read_text()


@pytest.mark.parametrize("said, kind", [
    ("Bind for 127.0.0.1:8081 failed: port is already allocated", PortInUse),
    ("pull access denied for nosuch/image, repository does not exist", ImageMissing),
    ('Pulling api (dockerlab/nope:1)...\nGet "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: '
     "no such host", ImageMissing),
    ("The Compose file './compose.yaml' is invalid because:\nUnsupported config option for services.web: 'portz'",
     BadInput),
    ("yaml: line 3: mapping values are not allowed in this context", BadInput),
    ("something else went wrong", DockerlabError),
])
def test_compose_failures_become_kit_errors_with_the_last_lines(said, kind):
    err = compose._failure(said, "starting the project alice-todo")
    assert type(err) is kind and err.details and "Hint:" in err.message


def test_running_compose_reports_its_failure(tmp_path, monkeypatch):
    _fake_program(tmp_path, "docker-compose", 'if [ "$1" = version ]; then echo 1.29.2; exit 0; fi\n'
                                              'echo "ERROR: port is already allocated" >&2; exit 1\n')
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ.get("PATH", ""))
    monkeypatch.setenv("DOCKERLAB_COMPOSE", "docker-compose")
    app = compose.Project("todo", tmp_path)
    with pytest.raises(PortInUse):
        app._run("up", "-d")
    assert str(app.cli).startswith("docker-compose -p alice-todo")
