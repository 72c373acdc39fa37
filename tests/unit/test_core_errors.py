"""Offline: docker-py / requests / OS failures become the kit's errors, each ending with a Hint line."""

from __future__ import annotations

import docker.errors
import pytest
import requests

import dockerlab.errors as errors
from dockerlab.errors import (BadInput, BuildFailed, ContainerExited, DockerlabError, EnginePermissionDenied,
                              EngineUnavailable, ImageMissing, NameConflict, NotFound, PortInUse, ReadyTimeout,
                              RunEarlierCell, from_exception, translated)
from fakes import FakeClient, api_error


def ends_with_hint(err: DockerlabError) -> None:
    lines = str(err).splitlines()
    assert lines[-1].startswith("Hint: "), str(err)
    assert len(lines[-1]) > len("Hint: ") + 10


# real engine texts (Docker 20.10), with the endpoint's hex id that once fooled the port regex
BIND_ALLOCATED = ("driver failed programming external connectivity on endpoint t-web "
                  "(9c1f39c81fe1926c620701c692b545164f84ed994bc84a012c3df5168c721d20): "
                  "Bind for 127.0.0.1:38911 failed: port is already allocated")
USERLAND_PROXY = ("driver failed programming external connectivity on endpoint t-web "
                  "(d9ea7d9f07b2f0a08626bbf9b3988e8de58a14d6fe0c390e340f3fd9b66caa17): Error starting userland proxy: "
                  "listen tcp4 127.0.0.1:38912: bind: address already in use")
PODMAN_PORT = "rootlessport listen tcp 0.0.0.0:8080: bind: address already in use"
NAME_TAKEN = ('Conflict. The container name "/alice-web" is already in use by container "abc123". '
              "You have to remove (or rename) that container to be able to reuse that name.")


@pytest.mark.parametrize("text, port", [(BIND_ALLOCATED, "38911"), (USERLAND_PROXY, "38912"), (PODMAN_PORT, "8080"),
                                        ("Bind for 0.0.0.0:80 failed: port is already allocated", "80"),
                                        ("listen tcp6 [::]:5000: bind: address already in use", "5000")])
def test_port_in_use_names_the_port(text, port):
    err = from_exception(api_error(500, text), "starting container t-web")
    assert isinstance(err, PortInUse)
    assert f"host port {port} " in err.what
    assert err.what.startswith("While starting container t-web: ")
    ends_with_hint(err)


def test_port_words_without_a_parsable_port_still_say_port_in_use():
    err = from_exception(api_error(500, "something: port is already allocated"))
    assert isinstance(err, PortInUse) and "already in use" in err.what


def test_name_conflict():
    err = from_exception(api_error(409, NAME_TAKEN), "creating alice-web")
    assert isinstance(err, NameConflict) and "alice-web" in err.what
    ends_with_hint(err)


def test_image_not_found_and_not_found():
    img = from_exception(api_error(404, "No such image: nope:1", docker.errors.ImageNotFound))
    assert isinstance(img, ImageMissing) and "nope:1" in img.what
    gone = from_exception(api_error(404, "No such container: abc", docker.errors.NotFound))
    assert isinstance(gone, NotFound) and not isinstance(gone, ImageMissing) and "abc" in gone.what
    ends_with_hint(img)
    ends_with_hint(gone)


def test_invalid_value_is_bad_input():
    err = from_exception(api_error(400, 'invalid reference format: repository name must be lowercase'))
    assert isinstance(err, BadInput) and "lowercase" in err.what
    ends_with_hint(err)


def test_other_api_errors_keep_the_engine_text():
    err = from_exception(api_error(500, "something odd happened"), "doing a thing")
    assert type(err) is DockerlabError
    assert "something odd happened" in err.what and "While doing a thing" in err.what
    ends_with_hint(err)


@pytest.mark.parametrize("exc", [
    requests.exceptions.ConnectionError("('Connection aborted.', FileNotFoundError(2, 'No such file or directory'))"),
    requests.exceptions.ConnectTimeout("timed out"),
    ConnectionRefusedError(111, "Connection refused"),
    FileNotFoundError(2, "No such file or directory"),
    docker.errors.DockerException("Error while fetching server API version: ('Connection aborted.', "
                                  "ConnectionRefusedError(111, 'Connection refused'))"),
])
def test_engine_unreachable(exc):
    err = from_exception(exc, "connecting", address="unix:///tmp/dead.sock")
    assert type(err) is EngineUnavailable
    assert "no Docker engine answers at unix:///tmp/dead.sock" in err.what
    ends_with_hint(err)


def test_read_timeout_says_the_engine_is_busy_or_hangs_not_that_it_stopped():
    """A read timeout is an engine that took the request and did not answer in time: on a busy machine most often
    (a learner's create on vfs at load 16), so the hint says to try again, and how to tell a hung engine."""
    err = from_exception(requests.exceptions.ReadTimeout(
        "UnixHTTPConnectionPool(host='localhost', port=None): Read timed out. (read timeout=30)"),
        address="tcp://x:2375")
    assert type(err) is EngineUnavailable and "tcp://x:2375" in err.what
    assert "did not answer within 30 s: it is busy, or it hangs" in err.what
    assert "again" in err.hint and "docker info" in err.hint and "no Docker engine answers" not in err.what
    ends_with_hint(err)
    bare = from_exception(requests.exceptions.ReadTimeout("timed out"), address="tcp://x:2375")
    assert "did not answer in time" in bare.what and bare.hint == err.hint


@pytest.mark.parametrize("exc", [
    PermissionError(13, "Permission denied"),
    docker.errors.DockerException("Error while fetching server API version: ('Connection aborted.', "
                                  "PermissionError(13, 'Permission denied'))"),
    requests.exceptions.ConnectionError("('Connection aborted.', PermissionError(13, 'Permission denied'))"),
])
def test_permission_denied(exc):
    err = from_exception(exc, address="unix:///var/run/docker.sock")
    assert isinstance(err, EnginePermissionDenied) and isinstance(err, EngineUnavailable)
    assert "permission denied" in err.what and "/var/run/docker.sock" in err.what
    assert "docker` group" in err.hint
    ends_with_hint(err)


def test_address_comes_from_the_client_then_docker_host(monkeypatch):
    fake = FakeClient()
    err = from_exception(requests.exceptions.ConnectionError("x"), client=fake)
    assert "unix:///fake/docker.sock" in err.what
    monkeypatch.setenv("DOCKER_HOST", "unix:///tmp/elsewhere.sock")
    assert errors._engine_address() == "unix:///tmp/elsewhere.sock"
    monkeypatch.delenv("DOCKER_HOST")
    from docker.context import ContextAPI

    class Context:
        Host = "unix:///from/context.sock"

    monkeypatch.setattr(ContextAPI, "get_current_context", staticmethod(lambda: Context()))  # the CLI's context
    assert errors._engine_address() == "unix:///from/context.sock"


def test_a_socket_path_client_reports_its_socket():
    import docker

    client = docker.DockerClient(base_url="unix:///tmp/some/where.sock", version="1.41")
    assert errors._engine_address(client) == "unix:///tmp/some/where.sock"
    client.close()


def test_translated_maps_and_keeps_kit_errors():
    with pytest.raises(PortInUse):
        with translated("starting"):
            raise api_error(500, BIND_ALLOCATED)
    with pytest.raises(BadInput) as info:
        with translated("x"):
            raise BadInput("already ours")
    assert info.value.what == "already ours"
    with pytest.raises(EngineUnavailable) as down:
        with translated("listing", FakeClient()):
            raise requests.exceptions.ConnectionError("boom")
    assert "unix:///fake/docker.sock" in down.value.what
    with pytest.raises(KeyError):  # not an engine failure: untouched
        with translated("x"):
            raise KeyError("k")


@pytest.mark.parametrize("cls", [DockerlabError, EngineUnavailable, EnginePermissionDenied, BuildFailed, PortInUse,
                                 NameConflict, ImageMissing, NotFound, ReadyTimeout, ContainerExited, BadInput,
                                 RunEarlierCell])
def test_every_class_has_a_default_hint_and_renders_without_a_traceback(cls):
    err = cls("Something went wrong.")
    ends_with_hint(err)
    assert err.message == str(err)
    shown = err._render_traceback_()
    assert shown == [f"{cls.__name__}: {err.message}"]


def test_details_go_between_what_and_hint():
    err = ContainerExited("Container x stopped. Its last log lines:", details=["line one", "line two"])
    lines = str(err).splitlines()
    assert lines[0].startswith("Container x stopped")
    assert lines[1:3] == ["    line one", "    line two"]
    assert lines[-1].startswith("Hint: ")
    built = BuildFailed("Building failed", step="Step 2/3 : RUN false", log_tail=["boom"])
    assert built.step == "Step 2/3 : RUN false" and "    boom" in str(built)


def test_bad_input_is_a_value_error():
    assert issubclass(BadInput, ValueError)
