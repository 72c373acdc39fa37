"""Offline: `docker inspect --format` templates as the kit renders them (Go's text/template, the part inspecting needs),
and the learner's mistakes the engine reports (a program the image lacks, exec into a stopped container)."""

from __future__ import annotations

import docker.errors
import pytest
import requests

from dockerlab.errors import BadInput, ContainerStopped, from_exception
from dockerlab.inspect import go_string, render

DOC = {
    "Id": "abc",
    "State": {"Status": "exited", "Running": False, "OOMKilled": True, "ExitCode": 137, "Error": "",
              "Health": {"Status": "unhealthy", "FailingStreak": 3, "Log": [{"ExitCode": 1, "Output": "no"}]}},
    "RestartCount": 4,
    "Config": {"Env": ["A=1", "PATH=/bin"], "Cmd": ["bash", "-c", "exit 3"], "Labels": {"b": "2", "a<x": "c&d"},
               "ExposedPorts": {"8080/tcp": {}}},
    "HostConfig": {"Memory": 33554432, "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 0}},
    "Mounts": [{"Type": "volume", "Source": "/var/lib/docker/volumes/v/_data", "Destination": "/data"},
               {"Type": "bind", "Source": "/tmp", "Destination": "/host"}],
}


@pytest.mark.parametrize("template, expected", [
    ("{{.State.ExitCode}}", "137"),
    ("{{.State.OOMKilled}} {{.RestartCount}}", "true 4"),
    ("exit={{.State.ExitCode}}\n", "exit=137\n"),
    ("{{.State.Error}}", ""),
    ("{{.Config.Env}}", "[A=1 PATH=/bin]"),
    ("{{.Config.Labels}}", "map[a<x:c&d b:2]"),  # a map: keys sorted
    ("{{json .Config.Labels}}", '{"b":"2","a<x":"c&d"}'),  # compact, no HTML escapes (the CLI's encoder)
    ("{{json .State.Health.Status}}", '"unhealthy"'),
    ('{{index .Config.Labels "b"}}', "2"),
    ('{{join .Config.Cmd " "}}', "bash -c exit 3"),
    ("{{len .Mounts}}", "2"),
    ("{{range .Mounts}}{{.Type}}:{{.Destination}} {{end}}", "volume:/data bind:/host "),
    ("{{range .Config.ExposedPorts}}x{{end}}", "x"),
    ("{{if .State.Running}}up{{else}}down ({{.State.ExitCode}}){{end}}", "down (137)"),
    ("{{if .State.Health}}{{.State.Health.Status}}{{end}}", "unhealthy"),
    ("{{upper .State.Status}}", "EXITED"),
    ("{{.HostConfig.RestartPolicy}}", "{on-failure 0}"),  # a struct: its values in order
    ("{{.State.NoSuchField}}", "<nil>"),
    ("{{ .State.ExitCode }}-{{- .RestartCount -}}", "137-4"),
])
def test_templates_render_as_the_docker_cli_does(template, expected):
    assert render(DOC, template) == expected


@pytest.mark.parametrize("template", ["{{printf \"%d\" .State.ExitCode}}", "{{range .Mounts}}no end",
                                      "{{end}}", "{{index .Config.Labels \"b}}"])
def test_what_the_kit_does_not_read_is_a_clear_error(template):
    with pytest.raises(BadInput):
        render(DOC, template)


def test_go_formatting_of_values():
    assert go_string(None) == "<nil>" and go_string(True) == "true" and go_string(3.0) == "3"
    assert go_string([1, [2, 3]]) == "[1 [2 3]]" and go_string({}) == "map[]"


def _api_error(status: int, message: str) -> docker.errors.APIError:
    response = requests.Response()
    response.status_code = status
    return docker.errors.APIError(message, response=response, explanation=message)


def test_a_program_the_image_lacks_is_the_learners_mistake_not_the_engines():
    err = from_exception(_api_error(400, 'failed to create shim task: OCI runtime create failed: runc create failed: '
                                         'unable to start container process: exec: "nosuch": executable file not '
                                         'found in $PATH: unknown'), "starting container alice-x")
    assert isinstance(err, BadInput) and "'nosuch' is not in the image" in err.what
    assert "doctor" not in err.hint


def test_an_exec_form_cmd_with_spaces_says_each_word_is_its_own_string():
    err = from_exception(_api_error(400, 'exec: "echo hi": executable file not found in $PATH'))
    assert isinstance(err, BadInput) and "['echo', 'hi']" in err.hint


def test_exec_into_a_stopped_container_says_stopped():
    err = from_exception(_api_error(409, "Container 8e78 is not running"), "running a command in alice-done")
    assert isinstance(err, ContainerStopped) and "stopped" in err.what and "docker logs" in err.hint
