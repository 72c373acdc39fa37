"""What a container may touch on the host (Docker's HostConfig): published ports, mounts, restart policy —
with the classroom's safety rules: ports bind to 127.0.0.1, named volumes are the learner's own, and the
engine's socket is never mounted into a container.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import docker
import docker.errors

from .errors import BadInput, NotFound
from .i18n import N_, _
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
            raise BadInput(
                _("ports must map a container port to a host port (int) or None, not {cport}: {hport}.").format(
                    cport=repr(cport), hport=repr(hport)),
                _("Example: ports={8080: None} publishes 8080 on a free host port of 127.0.0.1."))
        key = str(cport) if "/" in str(cport) else f"{cport}/tcp"
        published[key] = (host_ip, hport)
    return published


def mounts(volumes: Mapping[str, str] | None) -> tuple[dict[str, dict[str, str]], list[tuple[str, str, bool]]]:
    """volumes={'todos': '/data', '/host/dir': '/src:ro'}: named volumes are namespaced; paths are binds."""
    binds: dict[str, dict[str, str]] = {}
    shown: list[tuple[str, str, bool]] = []
    for source, target in (volumes or {}).items():
        if not isinstance(source, str) or not isinstance(target, str):
            raise BadInput(_("volumes must map a volume name or host path to a container path, got {source}: "
                             "{target}.").format(source=repr(source), target=repr(target)),
                           _("Example: volumes={'todos': '/data'}."))
        target, _sep, mode = target.partition(":")
        if mode not in ("", "ro", "rw"):
            raise BadInput(_("volumes={spec}: {mode} is not a mount mode.").format(
                spec=f"{{{source!r}: {target + ':' + mode!r}}}", mode=repr(mode)),
                _("Use '{target}:ro' (read-only) or '{target}' (read-write, like '{target}:rw').").format(
                    target=target))
        ro = mode == "ro"
        if source.startswith(("/", "./", "~")):
            path = Path(source).expanduser().resolve()
            named = source if str(path) == source else f"{source} (that is {path})"
            inside = sorted(str(s) for s in engine_sockets() if s != path and path in s.parents and s.exists())
            if str(path) in SOCKETS or path in engine_sockets() or path.name in ("docker.sock", "podman.sock"):
                raise BadInput(_("The kit never mounts the engine's socket {path} into a container: whoever "
                                 "controls that socket controls the whole machine.").format(path=named),
                               _("Talk to the engine from the notebook with dockerlab instead."))
            if inside:
                raise BadInput(_("The kit never mounts {path} into a container: it holds the engine's socket "
                                 "{socket}, and whoever controls that socket controls the whole machine.").format(
                                   path=named, socket=inside[0]),
                               _("Mount a folder of your own instead (e.g. a folder under your home)."))
            if not path.exists():
                raise BadInput(_("The bind-mount source {path} does not exist on the host.").format(path=path),
                               _("Create it first (e.g. `mkdir -p {path}`) or fix the path.").format(path=path))
            engine_source = str(path)
        else:
            validate_name(source, N_("volume name"))
            engine_source = namespaced(source)
        binds[engine_source] = {"bind": target, "mode": "ro" if ro else "rw"}
        shown.append((engine_source, target, ro))
    return binds, shown


def restart_policy(restart: str | None) -> dict[str, object] | None:
    """'on-failure:3' → the engine's {"Name": "on-failure", "MaximumRetryCount": 3}; None → None."""
    if not restart:
        return None
    policy, _sep, count = restart.partition(":")
    if policy not in ("no", "always", "unless-stopped", "on-failure"):
        raise BadInput(_("restart={value} is not a restart policy.").format(value=repr(restart)),
                       _("Use 'no', 'always', 'unless-stopped' or 'on-failure' (or 'on-failure:3')."))
    if count and not count.isdigit():
        raise BadInput(_("restart={value}: the retry count after ':' must be a whole number.").format(
            value=repr(restart)), _("Example: restart='on-failure:3'."))
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
            raise BadInput(_("healthcheck {key}={value} must be a number of seconds.").format(
                key=key, value=repr(value)),
                           _("Example: {key}=2.").format(key=key))
        if value > 86_400:
            raise BadInput(
                _("healthcheck {key}={value}: the kit takes seconds (a day at most), not nanoseconds.").format(
                    key=key, value=repr(value)), _("Write {key}={seconds:g} for {seconds:g} s.").format(
                    key=key, seconds=value / _NS))
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


def main_port(attrs: Mapping[str, Any], name: str) -> int:
    """The container port a link means when none is named: the one TCP port the container publishes."""
    ports = (attrs.get("NetworkSettings") or {}).get("Ports") or {}
    published = sorted({int(k.split("/")[0]) for k, v in ports.items() if v and k.endswith("/tcp")})
    if not published:
        raise NotFound(_("Container {name} publishes no port.").format(name=name),
                       _("Run it with ports={<port>: None} to publish it."))
    if len(published) > 1:
        raise BadInput(_("Container {name} publishes several ports ({ports}): say which one is meant.").format(
            name=name, ports=published),
            _("For example url({port}) or wait='http:/@{port}'.").format(port=published[0]))
    return published[0]
