"""Containers: what a container is and does — its state (status, exit code, restarts, PID, health), what it was
given (image, env, mounts, limits, ports), exec with exit codes, logs, wait, stats, diff, commit, stop, remove.

Starting one is :func:`dockerlab.docker_run.run` (``lab.run``); ``get``/``find``/``ps`` find the learner's own.
"""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Iterator, Mapping, Sequence

import docker
import docker.errors
from docker.models.containers import Container as SdkContainer
from docker.models.images import Image

from . import docker_cli, refs
from .engine import connect
from .errors import ContainerExited, NotFound, ReadyTimeout, from_exception, translated
from .hostconfig import main_port
from .i18n import _
from .labels import kit_filter, kit_labels, name as namespaced
from .exec_output import exec_kept
from .polling import ask_again, poll
from .container_info import ExecResult, HealthCheck, Mount, Stats
from .waiting import Ready, as_ready

__all__ = ["Container", "ExecResult", "Mount", "HealthCheck", "Stats", "get", "find", "ps"]


def _podman_exit_race(exc: Exception) -> bool:
    """Podman 4.3's answer when it reads the cgroup of a container whose program ends at that moment: the kernel says
    ESRCH for /proc/<pid>/cgroup opened while the process lived, read after it ended (containers/podman#16383, fixed
    in Podman 4.4). Asked again, it answers: the container has exited."""
    return bool(re.search(r"read /proc/\d+/cgroup: no such process", str(exc)))


class Container:
    """A container the kit runs. State properties are as of the last :meth:`reload` (``lab.run`` and ``get``
    return a fresh one); ``.sdk`` is the docker-py object underneath, for chapters that show the SDK itself."""

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
        return (self.attrs.get("State", {}).get("Health") or {}).get("Status") or None  # Podman: "" for none

    @property
    def image(self) -> str:
        """The image name it was started from (the IMAGE column of `docker ps`)."""
        return refs.familiar(str((self.attrs.get("Config") or {}).get("Image") or ""))

    @property
    def exit_code(self) -> int | None:
        """The program's exit code once it has stopped (None while it runs or before it started)."""
        state = self.attrs.get("State") or {}
        return int(state.get("ExitCode") or 0) if state.get("Status") in ("exited", "dead") else None

    @property
    def oom_killed(self) -> bool:
        """Did the kernel's OOM killer end a process of it (it crossed its memory limit)? The engine's ``OOMKilled``
        flag, or its ``oom`` event for it (an event that comes after the exit does not set the flag; looked for up to
        2 s when the exit code is 137). Docker 20.10's containerd can lose the kernel's notice under load (here about
        1 in 60 OOM kills with four at once): then a SIGKILL (exit code 137) that no `docker kill`, `stop` or `restart`
        sent, in a container with a memory limit, is the OOM killer's. That is only told when the engine still has
        the container's start among its recent events (it keeps a few hundred); otherwise the answer is no."""
        state = self.attrs.get("State") or {}
        if state.get("OOMKilled"):
            return True
        if self.exit_code != 137:
            return False
        since = _epoch_seconds(state.get("StartedAt") or self.attrs.get("Created") or "") - 1
        actions: set[str] = set()

        def oom_event() -> bool:
            with translated("reading the engine's events"):
                actions.update(e.get("Action") or e.get("status") or "" for e in self.sdk.client.events(
                    since=since, until=time.time(), decode=True,
                    filters={"type": "container", "container": self.id}))
            return "oom" in actions

        if poll(oom_event, timeout=2, interval=0.5):
            return True
        sent = {"kill", "stop", "restart"} & actions
        return "start" in actions and not sent and bool(self.host_config.get("Memory"))

    @property
    def restart_count(self) -> int:
        """How many times the engine restarted it (its restart policy at work)."""
        return int(self.attrs.get("RestartCount") or 0)

    @property
    def pid(self) -> int | None:
        """The host's process ID of its main program (PID 1 inside); None when it is not running."""
        return int((self.attrs.get("State") or {}).get("Pid") or 0) or None

    @property
    def health_log(self) -> list[HealthCheck]:
        """The healthcheck's last runs, oldest first (empty without a healthcheck)."""
        log = ((self.attrs.get("State") or {}).get("Health") or {}).get("Log") or []
        return [HealthCheck(int(h.get("ExitCode", -1)), str(h.get("Output", ""))) for h in log]

    @property
    def env(self) -> dict[str, str]:
        """Its environment variables (the image's and the ones it was run with)."""
        pairs = (self.attrs.get("Config") or {}).get("Env") or []
        return dict(p.split("=", 1) for p in pairs if "=" in p)

    @property
    def mounts(self) -> list[Mount]:
        """Its volumes, bind mounts and tmpfs mounts."""
        found = [Mount(str(m.get("Type", "")), str(m.get("Source", "")), str(m.get("Destination", "")),
                       m.get("Name"), not m.get("RW", True)) for m in self.attrs.get("Mounts") or []]
        found += [Mount("tmpfs", "", path) for path in (self.host_config.get("Tmpfs") or {})]
        return found

    def mount_at(self, destination: str) -> Mount | None:
        """The mount at ``destination`` inside the container, or None."""
        return next((m for m in self.mounts if m.destination == destination), None)

    @property
    def host_config(self) -> dict:
        """What it may use of the host, as `docker inspect` shows it (HostConfig: Memory, PidsLimit, ReadonlyRootfs,
        RestartPolicy, Tmpfs, …)."""
        return dict(self.attrs.get("HostConfig") or {})

    @property
    def restart_policy(self) -> str:
        """'no', 'always', 'unless-stopped' or 'on-failure'."""
        return str((self.host_config.get("RestartPolicy") or {}).get("Name") or "no")

    @property
    def ports(self) -> dict[str, int]:
        """Published ports: {"8080/tcp": host port} (only the ones published on the host)."""
        bindings = (self.attrs.get("NetworkSettings") or {}).get("Ports") or {}
        return {key: int(b[0]["HostPort"]) for key, b in bindings.items() if b}

    @property
    def networks(self) -> list[str]:
        """The networks it is attached to."""
        return sorted(((self.attrs.get("NetworkSettings") or {}).get("Networks") or {}).keys())

    def inspect(self) -> dict:
        """Everything the engine knows about it, fresh: what `docker inspect <name>` prints."""
        return self.reload().attrs

    def reload(self) -> Container:
        with translated(_("reading container {name}").format(name=self.name), self.sdk.client):
            ask_again(self.sdk.reload, timeout=1.0, transient=_podman_exit_race)
        return self

    def host_port(self, container_port: int | str) -> int:
        """The host port that `container_port` is published on."""
        key = str(container_port) if "/" in str(container_port) else f"{container_port}/tcp"
        bindings = (self.attrs.get("NetworkSettings", {}).get("Ports") or {}).get(key) or []
        if not bindings:
            self.reload()
            bindings = (self.attrs.get("NetworkSettings", {}).get("Ports") or {}).get(key) or []
        if not bindings:
            raise NotFound(_("Container {name} publishes no host port for {port}.").format(name=self.name, port=key),
                           _("Run it with ports={...: None} to publish that port."))
        return int(bindings[0]["HostPort"])

    def url(self, container_port: int | None = None, path: str = "/") -> str:
        """http://127.0.0.1:<host port><path>: a link a learner can open (default: the one port it publishes)."""
        return f"http://127.0.0.1:{self.host_port(container_port or main_port(self.reload().attrs, self.name))}{path}"

    def ip(self, network: str | None = None) -> str:
        nets = self.reload().attrs["NetworkSettings"]["Networks"]
        return nets[network if network is not None else next(iter(nets))]["IPAddress"]

    # -- what it does -----------------------------------------------------
    def exec(self, cmd: str | Sequence[str], *, user: str | None = None, workdir: str | None = None,
             env: Mapping[str, str] | None = None) -> ExecResult:
        """Run a command inside; returns exit code and output (like `docker exec`). A string is a shell line; a list
        is the program and its words. Either way the output is also kept in the container, so an answer the engine
        lost is read again (:mod:`dockerlab.exec_output`)."""
        argv = ["sh", "-c", cmd] if isinstance(cmd, str) else list(cmd)
        api = self.sdk.client.api
        create = {"user": user or "", "workdir": workdir, "environment": dict(env) if env else None}
        with translated(_("running a command in {name}").format(name=self.name), self.sdk.client):
            kept = exec_kept(api, self.id, argv, **create)
            if kept is not None:  # an engine can lose a short command's output: kept in the container, read again
                out, code = kept
            else:
                ex = api.exec_create(self.id, argv, **create)
                out = api.exec_start(ex["Id"], demux=False)
                code = api.exec_inspect(ex["Id"])["ExitCode"]
        text = out.decode("utf-8", "replace") if isinstance(out, bytes) else str(out)
        cli_args = ["exec", *(["-u", user] if user else []), *(["-w", workdir] if workdir else []),
                    *[a for key, value in (env or {}).items() for a in ("-e", f"{key}={value}")], self.name, *argv]
        return ExecResult(int(code if code is not None else -1), text, docker_cli.simple(*cli_args))

    def logs(self, tail: int | str = "all") -> str:
        with translated(_("reading the logs of {name}").format(name=self.name), self.sdk.client):
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
            # asked before the logs: a container seen stopped said everything it will say before this read (its last
            # lines, written just before it exited, would be lost if the status were asked after the read)
            stopped = self.reload().status not in ("running", "restarting", "created")
            with translated(_("reading the logs of {name}").format(name=self.name), self.sdk.client):
                # docker-py refuses since=0; "since" is whole seconds, so repeats are dropped by their timestamp
                chunk = self.sdk.logs(timestamps=True, **({"since": since} if since else {}))
            for line in chunk.decode("utf-8", "replace").splitlines():
                if line in seen:
                    continue
                seen.add(line)
                stamp, _sep, text = line.partition(" ")
                since = max(since, _epoch_seconds(stamp))
                yield text
            if stopped:
                return
            time.sleep(0.2)

    def wait_ready(self, ready: Ready | str, timeout: float = 60) -> Container:
        """Wait until ``ready`` (http, log line or healthcheck) holds; errors show the last logs."""
        ready = as_ready(ready)

        def holds() -> bool:
            state = self.reload().attrs["State"]
            if state.get("Status") in ("exited", "dead"):
                raise ContainerExited(_("Container {name} stopped (exit code {code}) before it was ready ({ready}). "
                                        "Its last log lines:").format(name=self.name, code=state.get("ExitCode"),
                                                                      ready=ready.describe()), details=self.log_lines())
            return ready.is_ready(self)

        poll(holds, timeout=timeout, fail=lambda: ReadyTimeout(_(
            "Container {name} was not ready ({ready}) within {seconds:.0f} s. Its last log lines:").format(
                name=self.name, ready=ready.describe(), seconds=timeout), details=self.log_lines()))
        return self

    def wait(self, timeout: float = 60) -> int:
        """Wait until its program ends (like `docker wait`) and return the exit code; ReadyTimeout with its last log
        lines when it still runs after ``timeout`` seconds."""
        def ended() -> bool:
            return self.reload().status in ("exited", "dead")

        poll(ended, timeout=timeout, fail=lambda: ReadyTimeout(
            _("Container {name} still runs after {seconds:.0f} s.").format(name=self.name, seconds=timeout),
            _("Is its program waiting for something? Its last log lines:"), details=self.log_lines()))
        return int(self.exit_code or 0)

    def stats(self) -> Stats:
        """Memory used (without the droppable file cache, as `docker stats` shows it), its limit, and processes."""
        with translated(_("reading the stats of {name}").format(name=self.name), self.sdk.client):
            raw = self.sdk.stats(stream=False)
        memory = raw.get("memory_stats") or {}
        detail = memory.get("stats") or {}
        cache = detail.get("total_inactive_file", detail.get("inactive_file", 0))
        return Stats(int(memory.get("usage", 0)) - int(cache), int(memory.get("limit", 0)),
                     int((raw.get("pids_stats") or {}).get("current", 0)))

    def diff(self) -> list[tuple[str, str]]:
        """The container's writable layer: (A|C|D, path) for each added/changed/deleted path."""
        kinds = {0: "C", 1: "A", 2: "D"}
        with translated(_("reading the changes in {name}").format(name=self.name), self.sdk.client):
            return [(kinds.get(item["Kind"], "?"), item["Path"]) for item in (self.sdk.diff() or [])]

    def commit(self, tag: str, *, chapter: str | None = None, message: str | None = None) -> Image:
        """Save the container's files as a NEW image (like `docker commit`); its own image stays as it was.

        ``commit("notes-snapshot:v1")`` makes ``<session>/notes-snapshot:v1``, labelled so reset removes it.
        """
        from .labels import ROLE

        repo, _sep, version = refs.own(tag).rpartition(":")
        # the container's config carries its image's labels (a course image's role=course): override the role,
        # or the new image would look like a course image that reset must keep; as `docker commit --change` does
        changes = [f"LABEL {key}={value}" for key, value in kit_labels(chapter, extra={ROLE: "commit"}).items()]
        with translated(_("committing {name} to {image}").format(name=self.name, image=f"{repo}:{version}")):
            image = self.sdk.commit(repository=repo, tag=version, message=message, changes=changes)
        image.cli = docker_cli.simple("commit", *(["-m", message] if message else []),  # type: ignore[attr-defined]
                                      *[a for c in changes for a in ("--change", c)], self.name, f"{repo}:{version}")
        return image

    def stop(self, timeout: int = 5) -> Container:
        with translated(_("stopping {name}").format(name=self.name), self.sdk.client):
            self.sdk.stop(timeout=timeout)
        return self

    def start(self) -> Container:
        with translated(_("starting {name}").format(name=self.name), self.sdk.client):
            self.sdk.start()
        return self

    def kill(self, signal: str = "SIGKILL") -> Container:
        with translated(_("killing {name}").format(name=self.name), self.sdk.client):
            self.sdk.kill(signal=signal)
        return self

    def remove(self) -> docker_cli.CliCommand:
        """Remove the container (force) with its anonymous volumes, like `docker rm -f -v`; returns that command.

        Plain `docker rm` keeps the anonymous volumes (an image's `VOLUME`) until `docker volume prune`.
        """
        try:
            # Podman answers a forced removal of a container whose program is ending at that moment with "could not
            # be stopped: sending SIGKILL …" (the process it signals is gone): asked again, it removes it
            ask_again(lambda: self.sdk.remove(force=True, v=True), timeout=1.0, interval=0.5,
                      transient=lambda e: isinstance(e, docker.errors.APIError) and "could not be stopped" in str(e))
        except docker.errors.NotFound:
            pass
        except Exception as exc:
            raise from_exception(exc, _("removing {name}").format(name=self.name), client=self.sdk.client) from exc
        return docker_cli.simple("rm", "-f", "-v", self.name)

    def __enter__(self) -> Container:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def __repr__(self) -> str:
        return f"<Container {self.name} {self.status} image={self.image}>"


def _epoch_seconds(stamp: str) -> int:
    """'2024-05-01T12:00:03.123456789Z' (a log line's timestamp) → whole seconds since the epoch (0 if odd)."""
    try:
        return calendar.timegm(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S"))
    except ValueError:
        return 0


def get(name: str, client: docker.DockerClient | None = None) -> Container:
    """The kit container ``name`` (short or full name) of this session."""
    client = client or connect()
    full = namespaced(name)
    try:
        with translated(_("looking for container {name}").format(name=full)):
            return Container(ask_again(lambda: client.containers.get(full), timeout=1.0, transient=_podman_exit_race))
    except NotFound:
        raise NotFound(_("There is no container named {name}.").format(name=full),
                       _("Run the cell that starts it first.")) from None


def find(name: str, client: docker.DockerClient | None = None) -> Container | None:
    """Like :func:`get`, but None when it does not exist."""
    try:
        return get(name, client)
    except NotFound:
        return None


def ps(chapter: str | None = None, *, all: bool = True, client: docker.DockerClient | None = None) -> list[Container]:
    """Your kit containers (of one chapter), running or not with ``all=True``: `docker ps -a --filter label=…`."""
    client = client or connect()
    with translated(_("listing your containers"), client):
        found = client.containers.list(all=all, filters=kit_filter(chapter), ignore_removed=True)
    return sorted((Container(c) for c in found), key=lambda c: c.name)
