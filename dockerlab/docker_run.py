"""`docker run` the kit's way: ``lab.run`` starts a labelled container (idempotently: a re-run cell replaces the kit's
own container of that name) and can wait until it is ready.

Safety defaults for a classroom: ports bind to 127.0.0.1, every container has memory and pids limits, none is
privileged, and the engine's socket is never mounted into one (:mod:`dockerlab.hostconfig`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import docker
import docker.errors
from docker.models.containers import Container as SdkContainer

from . import docker_cli
from .containers import Container
from .engine import connect
from .errors import BadInput, ImageMissing, NameConflict, PortInUse, from_exception, name_in_use, translated
from .hostconfig import healthcheck_ns, restart_policy
from .hostconfig import mounts as _mounts
from .hostconfig import publish as _publish
from .images import resolve as resolve_image
from .labels import kit_labels, name as namespaced, owned, validate_name
from .limits import DEFAULT_MEMORY, DEFAULT_PIDS
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
    engine_health = healthcheck_ns(healthcheck)  # seconds → the API's nanoseconds (bad values refused here too)
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
                               hostname=hostname, healthcheck=engine_health)
    with translated(f"starting container {full}", client):
        # a named volume the engine would create on the fly would carry no labels (and leak): make it the kit's way
        for source in volumes or {}:
            if not source.startswith(("/", "./", "~")):
                create_volume(source, chapter=chapter, client=client)
        kwargs: dict[str, object] = dict(
            name=full, detach=True, labels=all_labels, environment=dict(env or {}), volumes=binds or None,
            ports={k: (ip, p) for k, (ip, p) in published.items()} or None, read_only=read_only,
            tmpfs=dict(tmpfs) if tmpfs else None, user=user, restart_policy=restart_policy(restart),
            healthcheck=engine_health, mem_limit=mem_limit, pids_limit=pids_limit,
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
