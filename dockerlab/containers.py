"""Containers: run (idempotently, safely), wait until ready, exec with exit codes, logs, stop, remove.

Safety defaults for a classroom: ports bind to 127.0.0.1, every container has memory and
pids limits, none is privileged, and the engine's socket is never mounted into one.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import docker
import docker.errors
from docker.models.containers import Container as SdkContainer
from docker.models.images import Image

from . import docker_cli
from .engine import connect
from .errors import (BadInput, ContainerExited, ImageMissing, NameConflict, NotFound, name_in_use,
                     PortInUse, ReadyTimeout, from_exception, translated)
from .labels import kit_labels, name as namespaced, validate_name, owned
from .hostconfig import mounts as _mounts, publish as _publish, restart_policy
from .images import resolve as resolve_image
from .waiting import Ready, as_ready

__all__ = ["Container", "ExecResult", "run", "get", "find", "DEFAULT_MEMORY", "DEFAULT_PIDS"]

DEFAULT_MEMORY = "512m"
DEFAULT_PIDS = 256


@dataclass(frozen=True)
class ExecResult:
    """What `docker exec` gives back: the exit code and the output."""

    exit_code: int
    output: str
    cli: str

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def __str__(self) -> str:
        return self.output


class Container:
    """A container the kit runs: the docker-py object (``.sdk``) plus teaching helpers."""

    def __init__(self, sdk: SdkContainer, cli: str | None = None) -> None:
        self.sdk = sdk
        self.cli = docker_cli.CliCommand(cli or docker_cli.simple("inspect", sdk.name))

    # -- what it is -------------------------------------------------------
    @property
    def name(self) -> str:
        return self.sdk.name

    @property
    def id(self) -> str:
        return self.sdk.id

    @property
    def short_id(self) -> str:
        return self.sdk.short_id

    @property
    def attrs(self) -> dict:
        return self.sdk.attrs

    @property
    def labels(self) -> dict[str, str]:
        return self.sdk.labels

    @property
    def image_id(self) -> str:
        return self.attrs["Image"]

    @property
    def status(self) -> str:
        return self.sdk.status

    @property
    def health(self) -> str | None:
        return (self.attrs.get("State", {}).get("Health") or {}).get("Status")

    def reload(self) -> Container:
        with translated(f"reading container {self.name}", self.sdk.client):
            self.sdk.reload()
        return self

    def host_port(self, container_port: int | str) -> int:
        """The host port that `container_port` is published on."""
        key = str(container_port) if "/" in str(container_port) else f"{container_port}/tcp"
        bindings = (self.attrs.get("NetworkSettings", {}).get("Ports") or {}).get(key) or []
        if not bindings:
            self.reload()
            bindings = (self.attrs.get("NetworkSettings", {}).get("Ports") or {}).get(key) or []
        if not bindings:
            raise NotFound(f"Container {self.name} publishes no host port for {key}.",
                           "Run it with ports={...: None} to publish that port.")
        return int(bindings[0]["HostPort"])

    def url(self, container_port: int = 8080, path: str = "/") -> str:
        """http://127.0.0.1:<host port><path>: a link a learner can open."""
        return f"http://127.0.0.1:{self.host_port(container_port)}{path}"

    def ip(self, network: str | None = None) -> str:
        nets = self.reload().attrs["NetworkSettings"]["Networks"]
        if network is None:
            network = next(iter(nets))
        return nets[network]["IPAddress"]

    # -- what it does -----------------------------------------------------
    def exec(self, cmd: str | Sequence[str], *, user: str | None = None, workdir: str | None = None,
             env: Mapping[str, str] | None = None) -> ExecResult:
        """Run a command inside; returns exit code and output (like `docker exec`)."""
        argv = ["sh", "-c", cmd] if isinstance(cmd, str) else list(cmd)
        api = self.sdk.client.api
        with translated(f"running a command in {self.name}", self.sdk.client):
            ex = api.exec_create(self.id, argv, user=user or "", workdir=workdir,
                                 environment=dict(env) if env else None)
            out = api.exec_start(ex["Id"], demux=False)
            code = api.exec_inspect(ex["Id"])["ExitCode"]
        text = out.decode("utf-8", "replace") if isinstance(out, bytes) else str(out)
        cli_args = ["exec"] + (["-u", user] if user else []) + [self.name, *argv]
        return ExecResult(int(code if code is not None else -1), text, docker_cli.simple(*cli_args))

    def logs(self, tail: int | str = "all") -> str:
        with translated(f"reading the logs of {self.name}", self.sdk.client):
            return self.sdk.logs(tail=tail).decode("utf-8", "replace")

    def log_lines(self, tail: int = 15) -> list[str]:
        try:
            return self.logs(tail=tail).splitlines()
        except Exception:
            return []

    def follow(self, timeout: float = 30) -> Iterator[str]:
        """Yield log lines as they come, for at most ``timeout`` seconds (less when the container stops).

        It polls (no HTTP stream is left open), so stopping the loop — or a Ctrl-C — leaves nothing behind.
        """
        deadline = time.monotonic() + timeout
        since = 0  # whole seconds since the epoch of the newest line seen; lines of that second are re-read
        seen: set[str] = set()
        while time.monotonic() < deadline:
            with translated(f"reading the logs of {self.name}", self.sdk.client):
                # docker-py refuses since=0; "since" is whole seconds, so repeats are dropped by their timestamp
                chunk = self.sdk.logs(timestamps=True, **({"since": since} if since else {}))
            new = False
            for line in chunk.decode("utf-8", "replace").splitlines():
                if line in seen:
                    continue
                seen.add(line)
                new = True
                stamp, _, text = line.partition(" ")
                since = max(since, _epoch_seconds(stamp))
                yield text
            if not new and self.reload().status not in ("running", "restarting", "created"):
                return  # it has stopped and said everything
            time.sleep(0.2)

    def wait_ready(self, ready: Ready | str, timeout: float = 60) -> Container:
        """Wait until ``ready`` (http, log line or healthcheck) holds; errors show the last logs."""
        ready = as_ready(ready)
        deadline = time.monotonic() + timeout
        while True:
            self.reload()
            state = self.attrs["State"]
            if state.get("Status") in ("exited", "dead"):
                raise ContainerExited(
                    f"Container {self.name} stopped (exit code {state.get('ExitCode')}) before it was ready "
                    f"({ready.describe()}). Its last log lines:", details=self.log_lines())
            if ready.is_ready(self):
                return self
            if time.monotonic() > deadline:
                raise ReadyTimeout(f"Container {self.name} was not ready ({ready.describe()}) within {timeout:.0f} s. "
                                   "Its last log lines:", details=self.log_lines())
            time.sleep(0.2)

    def diff(self) -> list[tuple[str, str]]:
        """The container's writable layer: (A|C|D, path) for each added/changed/deleted path."""
        kinds = {0: "C", 1: "A", 2: "D"}
        with translated(f"reading the changes in {self.name}", self.sdk.client):
            return [(kinds.get(item["Kind"], "?"), item["Path"]) for item in (self.sdk.diff() or [])]

    def commit(self, tag: str, *, chapter: str | None = None, message: str | None = None) -> Image:
        """Save the container's files as a NEW image (like `docker commit`); its own image stays as it was.

        ``commit("notes-snapshot:v1")`` makes ``<session>/notes-snapshot:v1``, labelled so reset removes it.
        """
        from .images import image_repo_tag
        from .labels import ROLE, image_repo

        name, _, version = tag.partition(":")
        repo, _, version = image_repo_tag(f"{name if '/' in name else image_repo(name)}:{version or 'latest'}"
                                          ).rpartition(":")
        # the container's config carries its image's labels (a course image's role=course): override the role,
        # or the new image would look like a course image that reset must keep
        labels = kit_labels(chapter, extra={ROLE: "commit"})
        with translated(f"committing {self.name} to {repo}:{version}"):
            image = self.sdk.commit(repository=repo, tag=version, message=message, conf={"Labels": labels})
        image.cli = docker_cli.simple("commit", self.name, f"{repo}:{version}")  # type: ignore[attr-defined]
        return image

    def stop(self, timeout: int = 5) -> Container:
        with translated(f"stopping {self.name}", self.sdk.client):
            self.sdk.stop(timeout=timeout)
        return self

    def start(self) -> Container:
        with translated(f"starting {self.name}", self.sdk.client):
            self.sdk.start()
        return self

    def kill(self, signal: str = "SIGKILL") -> Container:
        with translated(f"killing {self.name}", self.sdk.client):
            self.sdk.kill(signal=signal)
        return self

    def remove(self) -> docker_cli.CliCommand:
        """Remove the container (force) with its anonymous volumes, like `docker rm -f -v`; returns that command.

        Plain `docker rm` keeps the anonymous volumes (an image's `VOLUME`) until `docker volume prune`.
        """
        try:
            self.sdk.remove(force=True, v=True)
        except docker.errors.NotFound:
            pass
        except Exception as exc:
            raise from_exception(exc, f"removing {self.name}", client=self.sdk.client) from exc
        return docker_cli.simple("rm", "-f", "-v", self.name)

    def __enter__(self) -> Container:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def __repr__(self) -> str:
        return f"<Container {self.name} {self.status} image={self.attrs.get('Config', {}).get('Image')}>"


def _epoch_seconds(stamp: str) -> int:
    """'2024-05-01T12:00:03.123456789Z' (a log line's timestamp) → whole seconds since the epoch (0 if odd)."""
    import calendar

    try:
        return calendar.timegm(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S"))
    except ValueError:
        return 0


def get(name: str, client: docker.DockerClient | None = None) -> Container:
    """The kit container ``name`` (short or full name) of this session."""
    client = client or connect()
    full = namespaced(name)
    try:
        with translated(f"looking for container {full}"):
            return Container(client.containers.get(full))
    except NotFound:
        raise NotFound(f"There is no container named {full}.", "Run the cell that starts it first.") from None


def find(name: str, client: docker.DockerClient | None = None) -> Container | None:
    """Like :func:`get`, but None when it does not exist."""
    try:
        return get(name, client)
    except NotFound:
        return None


def _replace_existing(client: docker.DockerClient, full: str) -> None:
    try:
        existing = client.containers.get(full)
    except docker.errors.NotFound:
        return
    labels = existing.labels or {}
    if owned(labels):
        existing.remove(force=True, v=True)
        return
    raise NameConflict(f"A container named {full} already exists and the kit did not create it "
                       f"(status {existing.status}, image {existing.attrs.get('Config', {}).get('Image')}).",
                       "The kit never removes what it did not create: pick another name, or remove that container "
                       f"yourself if it is yours (`docker rm -f {full}`).")


def _create(client: docker.DockerClient, image: str, command: object, full: str,
            kwargs: dict[str, object]) -> SdkContainer:
    """Create, asking the engine only once in the usual case: a re-run cell's old container (ours) is
    replaced when the name is taken; a missing image or a foreign name is a clear error."""
    for attempt in (1, 2):
        try:
            return client.containers.create(image, command, **kwargs)
        except docker.errors.ImageNotFound:
            raise ImageMissing(f"The image {image} is not on this engine, and the kit does not pull from a registry "
                               "while you run a chapter.",
                               "Build it first (the chapter's build cell, or `python -m dockerlab prepare`), "
                               f"or pull it where a registry is reachable (`docker pull {image}`).") from None
        except docker.errors.APIError as exc:
            if not (exc.status_code == 409 or name_in_use(exc)) or attempt == 2:
                raise
            _replace_existing(client, full)  # removes our own old container, or raises NameConflict
    raise AssertionError("unreachable")


def run(name: str, image: str, command: str | Sequence[str] | None = None, *,
        ports: Mapping[int | str, int | None] | None = None, env: Mapping[str, str] | None = None,
        volumes: Mapping[str, str] | None = None, network: str | None = None,
        aliases: Sequence[str] | None = None, read_only: bool = False, tmpfs: Mapping[str, str] | None = None,
        user: str | None = None, restart: str | None = None, healthcheck: Mapping[str, object] | None = None,
        mem_limit: str = DEFAULT_MEMORY, pids_limit: int = DEFAULT_PIDS, workdir: str | None = None,
        entrypoint: str | Sequence[str] | None = None, hostname: str | None = None, chapter: str | None = None,
        labels: Mapping[str, str] | None = None, host_ip: str = "127.0.0.1", wait: Ready | str | None = None,
        timeout: float = 60, client: docker.DockerClient | None = None) -> Container:
    """Start a container (like `docker run -d`); re-running the cell replaces the kit's own container.

    ``ports={8080: None}`` publishes on a free port of 127.0.0.1; ``volumes={'todos': '/data'}`` mounts
    the session's volume ``todos``; ``wait='log:Started'`` / ``'http:/health'`` / ``'healthy'`` waits until ready.
    """
    full = namespaced(validate_name(name, "container name"))
    ready = as_ready(wait) if wait is not None else None  # a bad wait= is refused before anything is made
    if not isinstance(image, str) or not image:
        raise BadInput(f"image must be an image name such as 'dockerlab/hello:1.0', not {image!r}.")
    client = client or connect()
    image = resolve_image(image, client)
    published = _publish(ports, host_ip)
    binds, shown_mounts = _mounts(volumes)
    all_labels = kit_labels(chapter, extra=dict(labels or {}))
    net_name = namespaced(network) if network and network not in ("bridge", "host", "none") else network
    cli = docker_cli.run_command(name=full, image=image, command=command, ports=published, env=env,
                               mounts=shown_mounts, network=net_name, read_only=read_only, tmpfs=tmpfs, user=user,
                               restart=restart, mem_limit=mem_limit, pids_limit=pids_limit,
                               labels={"org.dockerlab.kit": "1"}, workdir=workdir, entrypoint=entrypoint,
                               hostname=hostname, healthcheck=healthcheck)
    with translated(f"starting container {full}", client):
        # a named volume the engine would create on the fly would carry no labels (and leak): make it the kit's way
        from .volumes import create as create_volume

        for source in volumes or {}:
            if not source.startswith(("/", "./", "~")):
                create_volume(source, chapter=chapter, client=client)
        kwargs: dict[str, object] = dict(
            name=full, detach=True, labels=all_labels, environment=dict(env or {}), volumes=binds or None,
            ports={k: (ip, p) for k, (ip, p) in published.items()} or None, read_only=read_only,
            tmpfs=dict(tmpfs) if tmpfs else None, user=user, restart_policy=restart_policy(restart),
            healthcheck=dict(healthcheck) if healthcheck else None, mem_limit=mem_limit, pids_limit=pids_limit,
            working_dir=workdir, entrypoint=entrypoint, privileged=False, network=net_name,
            hostname=hostname)
        if aliases and net_name:
            kwargs["network"] = None
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        sdk = _create(client, image, command, full, kwargs)
        try:
            if aliases and net_name:
                client.api.disconnect_container_from_network(sdk.id, "bridge")
                client.api.connect_container_to_network(sdk.id, net_name, aliases=list(aliases))
            sdk.start()
        except BaseException as exc:
            try:
                sdk.remove(force=True, v=True)  # nothing half-made is left behind (Ctrl-C included)
            except Exception:
                pass
            if not isinstance(exc, Exception):
                raise
            err = from_exception(exc, f"starting container {full}", client=client)
            if isinstance(err, PortInUse):
                raise PortInUse(f"Container {full} could not start: {err.what.split(': ', 1)[-1]}",
                                "Pick another host port, or pass None to get a free one.") from exc
            raise err from exc
        sdk.reload()
    container = Container(sdk, cli)
    if wait is not None:
        try:
            container.wait_ready(ready, timeout=timeout)
        except KeyboardInterrupt:
            container.remove()
            raise
    return container
