"""`docker run` the kit's way: ``lab.run`` starts a labelled container (idempotently: a re-run cell replaces the kit's
own container of that name) and can wait until it is ready.

Safety defaults for a classroom: ports bind to 127.0.0.1, every container has memory and pids limits, none is
privileged, and the engine's socket is never mounted into one (:mod:`dockerlab.hostconfig`).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence

import docker
import docker.errors
from docker.models.containers import Container as SdkContainer
from docker.types import Mount

from . import docker_cli, hostca
from .containers import Container
from .engine import connect, patient
from .errors import (BadInput, DockerlabError, ImageMissing, NameConflict, PortInUse, from_exception, name_in_use,
                     start_failure, translated)
from .hostconfig import healthcheck_ns, port_holder, restart_policy
from .i18n import N_, _
from .hostconfig import mounts as _mounts
from .hostconfig import publish as _publish
from .refs import resolve as resolve_image
from .labels import kit_labels, name as namespaced, owned, validate_name
from .limits import DEFAULT_MEMORY, DEFAULT_PIDS
from .podman import is_podman
from .volumes import create as create_volume
from .waiting import Ready, as_ready

__all__ = ["run"]


def _replace_existing(client: docker.DockerClient, full: str) -> None:
    try:
        existing = client.containers.get(full)
    except docker.errors.NotFound:
        return
    labels = existing.labels or {}
    if owned(labels):
        existing.remove(force=True, v=True)
        return
    raise NameConflict(_("A container named {name} already exists and the kit did not create it (status {status}, "
                         "image {image}).").format(name=full, status=existing.status,
                                                   image=existing.attrs.get("Config", {}).get("Image")),
                       _("The kit never removes what it did not create: pick another name, or remove that "
                         "container yourself if it is yours (`docker rm -f {name}`).").format(name=full))


def _create(client: docker.DockerClient, image: str, command: object, full: str,
            kwargs: dict[str, object]) -> SdkContainer:
    """Create, asking the engine only once in the usual case: a re-run cell's old container (ours) is
    replaced when the name is taken; a missing image or a foreign name is a clear error."""
    for attempt in (1, 2):
        try:
            return client.containers.create(image, command, **kwargs)
        except docker.errors.ImageNotFound:
            raise ImageMissing(_("The image {image} is not on this engine, and the kit does not pull from a "
                                 "registry while you run a chapter.").format(image=image),
                               _("Build it first (the chapter's build cell, or `python -m dockerlab prepare`), "
                                 "or pull it where a registry is reachable (`docker pull {image}`).").format(
                                   image=image)) from None
        except docker.errors.APIError as exc:
            if not (exc.status_code == 409 or name_in_use(exc)) or attempt == 2:
                raise
            _replace_existing(client, full)  # removes our own old container, or raises NameConflict
    raise AssertionError("unreachable")


def _start_error(exc: Exception, full: str, client: docker.DockerClient, sdk: SdkContainer) -> DockerlabError:
    """Why a container could not start, in the learner's words: a port someone holds (which of *their*
    containers holds it, when one does), or a program the engine may not execute (see errors.start_failure)."""
    err = from_exception(exc, _("starting container {name}").format(name=full), client=client)
    program = _NOT_IN_PATH.search(str(getattr(exc, "explanation", None) or exc))
    if program:  # "not found in $PATH" is also what a program that is there but not executable gets
        found = _in_path_not_executable(client, sdk, program.group(1))
        if found:
            return start_failure(f'exec: "{found}": permission denied', full) or err
    if isinstance(err, PortInUse):
        port = err.port
        holder = port_holder(client, port) if port else None
        if holder:
            return PortInUse(_("Container {name} could not start: host port {port} is held by your container "
                               "{holder}.").format(name=full, port=port, holder=holder),
                             _("Remove it first (`docker rm -f {holder}`, or lab.reset()), pick another host port, "
                               "or pass None to get a free one.").format(holder=holder))
        return PortInUse(_("Container {name} could not start: {reason}").format(
            name=full, reason=err.what.split(": ", 1)[-1]),
            _("Pick another host port, or pass None to get a free one."))
    return start_failure(str(getattr(exc, "explanation", None) or exc), full) or err


_NOT_IN_PATH = re.compile(r'exec: "([^"/]+)": executable file not found in \$PATH')


def _in_path_not_executable(client: docker.DockerClient, sdk: SdkContainer, program: str) -> str | None:
    """The path of ``program`` in the container's PATH when it is there but not executable, else None."""
    env = dict(e.split("=", 1) for e in (sdk.attrs.get("Config") or {}).get("Env") or [] if "=" in e)
    for folder in env.get("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").split(":"):
        path = f"{folder.rstrip('/')}/{program}"
        try:
            stream, stat = client.api.get_archive(sdk.id, path)
            stream.close() if hasattr(stream, "close") else None
        except docker.errors.DockerException:
            continue
        mode = int(stat.get("mode", 0))
        if not mode & 0o111 and not mode & (1 << 31):  # a file (not a directory) that nobody may execute
            return path
    return None


def run(name: str, image: str, command: str | Sequence[str] | None = None, *,
        ports: Mapping[int | str, int | None] | None = None, env: Mapping[str, str] | None = None,
        volumes: Mapping[str, str] | None = None, network: str | None = None,
        aliases: Sequence[str] | None = None, read_only: bool = False, tmpfs: Mapping[str, str] | None = None,
        user: str | None = None, restart: str | None = None, healthcheck: Mapping[str, object] | None = None,
        mem_limit: str = DEFAULT_MEMORY, pids_limit: int = DEFAULT_PIDS, workdir: str | None = None,
        entrypoint: str | Sequence[str] | None = None, hostname: str | None = None, chapter: str | None = None,
        labels: Mapping[str, str] | None = None, host_ip: str = "127.0.0.1", trust_host_ca: bool = False,
        wait: Ready | str | None = None, timeout: float = 60, client: docker.DockerClient | None = None) -> Container:
    """Start a container (like `docker run -d`); re-running the cell replaces the kit's own container.

    ``ports={8080: None}`` publishes on a free port of 127.0.0.1; ``volumes={'todos': '/data'}`` mounts
    the session's volume ``todos``; ``wait='log:Started'`` / ``'http:/health'`` / ``'healthy'`` waits until ready;
    ``trust_host_ca=True`` lets its tools (npm, pip, curl) trust the host's CA bundle (bind-mounted, read-only).
    """
    full = namespaced(validate_name(name, N_("container name")))
    ready = as_ready(wait) if wait is not None else None  # a bad wait= is refused before anything is made
    if not isinstance(image, str) or not image:
        raise BadInput(_("image must be an image name such as 'dockerlab/hello:1.0', not {value}.").format(
            value=repr(image)))
    net_name = namespaced(network) if network and network not in ("bridge", "host", "none") else network
    if aliases and not (net_name and net_name not in ("bridge", "host", "none")):
        raise BadInput(_("aliases= are names on a network of yours: pass network= too."),
                       _("Example: run('api', image, network='app', aliases=['backend'])."))
    client = client or connect()
    image = resolve_image(image, client)
    published = _publish(ports, host_ip)
    _binds, shown_mounts = _mounts(volumes)  # (source, target, read-only): sent as `-v` sends them
    ca_mounts, ca_env = hostca.container_trust(True) if trust_host_ca else ([], {})
    environment = {**ca_env, **dict(env or {})}
    all_labels = kit_labels(chapter, extra=dict(labels or {}))
    # seconds → the API's nanoseconds (bad values refused here), in the shell form `--health-cmd` makes
    health = docker_cli.shell_healthcheck(healthcheck_ns(healthcheck))
    # `--entrypoint` takes one program; the rest of a list goes before the command, as on the CLI
    entry = shlex.split(entrypoint) if isinstance(entrypoint, str) else list(entrypoint or [])
    if entrypoint is not None and not entry:
        entry = [""]  # `--entrypoint ''`: no entrypoint at all (the image's is reset)
    argv = shlex.split(command) if isinstance(command, str) else (list(command) if command is not None else None)
    if len(entry) > 1:
        argv = entry[1:] + (argv or [])
    if entry == [""] and argv and is_podman(client):  # Podman keeps the image's entrypoint for an empty one: the
        entry, argv = argv[:1], argv[1:]  # command's program is the entrypoint (same effect; .cli says it so too)
    with translated(_("starting container {name}").format(name=full), client):
        # a named volume the engine would create on the fly would carry no labels (and leak): make it the kit's way
        made_volumes = {src: create_volume(src, chapter=chapter, client=client).labels
                        for src in volumes or {} if not src.startswith(("/", "./", "~"))}
        cli = docker_cli.run_command(name=full, image=image, command=argv, ports=published, env=environment,
                                     mounts=shown_mounts, network=net_name, read_only=read_only, tmpfs=tmpfs,
                                     user=user, restart=restart, mem_limit=mem_limit, pids_limit=pids_limit,
                                     labels=all_labels, workdir=workdir, entrypoint=entry[:1] if entry else None,
                                     hostname=hostname, healthcheck=health, aliases=aliases or (),
                                     volumes={namespaced(v): lab for v, lab in made_volumes.items()},
                                     read_only_binds=ca_mounts)
        kwargs: dict[str, object] = dict(
            name=full, detach=True, labels=all_labels, environment=environment,
            volumes=[f"{src}:{target}{':ro' if ro else ''}" for src, target, ro in shown_mounts] or None,
            ports={k: (ip, p) for k, (ip, p) in published.items()} or None, read_only=read_only,
            tmpfs=dict(tmpfs) if tmpfs else None, user=user,
            restart_policy=restart_policy(restart) or {"Name": "no", "MaximumRetryCount": 0},  # as `docker run` sends
            healthcheck=health, mem_limit=mem_limit, pids_limit=pids_limit, working_dir=workdir,
            entrypoint=entry[:1] if entry else None, privileged=False, network=net_name, hostname=hostname)
        if ca_mounts:
            kwargs["mounts"] = [Mount(target, source, type="bind", read_only=True) for source, target in ca_mounts]
        if aliases:
            kwargs["networking_config"] = {net_name: client.api.create_endpoint_config(aliases=list(aliases))}
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        # create copies the image on the vfs storage driver, and start sets up its network under the machine's
        # load: these two wait longer than other requests (engine.patient), the container's later ones do not
        sdk = _create(patient(client), image, argv, full, kwargs)
        try:
            sdk.start()
        except BaseException as exc:
            err = _start_error(exc, full, client, sdk) if isinstance(exc, Exception) else None
            try:
                sdk.remove(force=True, v=True)  # nothing half-made is left behind (Ctrl-C included)
            except Exception:
                pass
            if err is None:
                raise
            raise err from exc
        sdk.reload()
        sdk.client = client
    container = Container(sdk, cli)
    if ready is not None:
        try:
            container.wait_ready(ready, timeout=timeout)
        except KeyboardInterrupt:
            container.remove()
            raise
    return container
