"""What a container may touch on the host (Docker's HostConfig): published ports, mounts, restart policy —
with the classroom's safety rules: ports bind to 127.0.0.1, named volumes are the learner's own, and the
engine's socket is never mounted into a container.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import docker
import docker.errors

from .errors import BadInput, NotFound
from .labels import kit_filter, name as namespaced, validate_name

__all__ = ["publish", "mounts", "restart_policy", "healthcheck_ns", "engine_sockets", "port_holder", "main_port",
           "SOCKETS", "HEALTH_TIMES"]
#: the healthcheck keys that are durations: seconds in the kit, nanoseconds in the engine's API
HEALTH_TIMES = ("interval", "timeout", "start_period")
_NS = 1_000_000_000

SOCKETS = {"/var/run/docker.sock", "/run/docker.sock", "/var/run/podman/podman.sock", "/run/podman/podman.sock"}


def engine_sockets() -> set[Path]:
    """The engine sockets on this machine (the usual ones and DOCKER_HOST's), symlinks resolved."""
    paths = {Path(s) for s in SOCKETS}
    host = os.environ.get("DOCKER_HOST", "")
    if host.startswith("unix://"):
        paths.add(Path(host[len("unix://"):]))
    return {p.resolve() if p.exists() else p for p in paths}


def publish(ports: Mapping[int | str, int | None] | None, host_ip: str) -> dict[str, tuple[str, int | None]]:
    published: dict[str, tuple[str, int | None]] = {}
    for cport, hport in (ports or {}).items():
        if not isinstance(cport, (int, str)) or (hport is not None and not isinstance(hport, int)):
            raise BadInput(f"ports must map a container port to a host port (int) or None, not {cport!r}: {hport!r}.",
                           "Example: ports={8080: None} publishes 8080 on a free host port of 127.0.0.1.")
        key = str(cport) if "/" in str(cport) else f"{cport}/tcp"
        published[key] = (host_ip, hport)
    return published


def mounts(volumes: Mapping[str, str] | None) -> tuple[dict[str, dict[str, str]], list[tuple[str, str, bool]]]:
    """volumes={'todos': '/data', '/host/dir': '/src:ro'}: named volumes are namespaced; paths are binds."""
    binds: dict[str, dict[str, str]] = {}
    shown: list[tuple[str, str, bool]] = []
    for source, target in (volumes or {}).items():
        if not isinstance(source, str) or not isinstance(target, str):
            raise BadInput(f"volumes must map a volume name or host path to a container path, got {source!r}: "
                           f"{target!r}.", "Example: volumes={'todos': '/data'}.")
        target, _, mode = target.partition(":")
        if mode not in ("", "ro", "rw"):
            raise BadInput(f"volumes={{{source!r}: {target + ':' + mode!r}}}: {mode!r} is not a mount mode.",
                           f"Use '{target}:ro' (read-only) or '{target}' (read-write, like '{target}:rw').")
        ro = mode == "ro"
        if source.startswith(("/", "./", "~")):
            path = Path(source).expanduser().resolve()
            named = source if str(path) == source else f"{source} (that is {path})"
            inside = sorted(str(s) for s in engine_sockets() if s != path and path in s.parents and s.exists())
            if str(path) in SOCKETS or path in engine_sockets() or path.name in ("docker.sock", "podman.sock"):
                raise BadInput(f"The kit never mounts the engine's socket {named} into a container: whoever "
                               "controls that socket controls the whole machine.",
                               "Talk to the engine from the notebook with dockerlab instead.")
            if inside:
                raise BadInput(f"The kit never mounts {named} into a container: it holds the engine's socket "
                               f"{inside[0]}, and whoever controls that socket controls the whole machine.",
                               "Mount a folder of your own instead (e.g. a folder under your home).")
            if not path.exists():
                raise BadInput(f"The bind-mount source {path} does not exist on the host.",
                               f"Create it first (e.g. `mkdir -p {path}`) or fix the path.")
            engine_source = str(path)
        else:
            validate_name(source, "volume name")
            engine_source = namespaced(source)
        binds[engine_source] = {"bind": target, "mode": "ro" if ro else "rw"}
        shown.append((engine_source, target, ro))
    return binds, shown




def restart_policy(restart: str | None) -> dict[str, object] | None:
    """'on-failure:3' → the engine's {"Name": "on-failure", "MaximumRetryCount": 3}; None → None."""
    if not restart:
        return None
    policy, _, count = restart.partition(":")
    if policy not in ("no", "always", "unless-stopped", "on-failure"):
        raise BadInput(f"restart={restart!r} is not a restart policy.",
                       "Use 'no', 'always', 'unless-stopped' or 'on-failure' (or 'on-failure:3').")
    if count and not count.isdigit():
        raise BadInput(f"restart={restart!r}: the retry count after ':' must be a whole number.",
                       "Example: restart='on-failure:3'.")
    return {"Name": policy, "MaximumRetryCount": int(count or 0)}


def healthcheck_ns(healthcheck: Mapping[str, object] | None) -> dict[str, object] | None:
    """The kit's healthcheck (``interval``/``timeout``/``start_period`` in seconds, as `--health-interval 2s`) →
    the engine's (nanoseconds). ``{"test": ["NONE"]}`` turns the image's healthcheck off."""
    if not healthcheck:
        return None
    out = dict(healthcheck)
    for key in HEALTH_TIMES:
        value = out.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise BadInput(f"healthcheck {key}={value!r} must be a number of seconds.", f"Example: {key}=2.")
        if value > 86_400:
            raise BadInput(f"healthcheck {key}={value!r}: the kit takes seconds (a day at most), not nanoseconds.",
                           f"Write {key}={value / _NS:g} for {value / _NS:g} s.")
        out[key] = int(value * _NS)
    return out
def port_holder(client: docker.DockerClient, port: int) -> str | None:
    """The name of this learner's container that publishes host ``port``, if one does."""
    try:
        mine = client.containers.list(all=True, filters=kit_filter(), ignore_removed=True)
    except docker.errors.DockerException:
        return None
    for c in mine:
        for bindings in ((c.attrs.get("HostConfig") or {}).get("PortBindings") or {}).values():
            if any(str(b.get("HostPort")) == str(port) for b in bindings or []):
                return c.name
    return None


def main_port(attrs: Mapping[str, object], name: str) -> int:
    """The container port a link means when none is named: the one TCP port the container publishes."""
    ports = ((attrs.get("NetworkSettings") or {}).get("Ports") or {})  # type: ignore[union-attr]
    published = sorted({int(k.split("/")[0]) for k, v in ports.items() if v and k.endswith("/tcp")})
    if not published:
        raise NotFound(f"Container {name} publishes no port.", "Run it with ports={<port>: None} to publish it.")
    if len(published) > 1:
        raise BadInput(f"Container {name} publishes several ports ({published}): say which one is meant.",
                       f"For example url({published[0]}) or wait='http:/@{published[0]}'.")
    return published[0]
