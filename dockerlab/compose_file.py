"""A compose file, read the kit's way: what the kit refuses in it (ports open to every network, privileged services,
the engine's socket) and the override it adds (the kit's labels on every service, network and volume; its limits).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .limits import DEFAULT_MEMORY, DEFAULT_PIDS
from .errors import BadInput
from .i18n import _
from .labels import ROLE

__all__ = ["services_of", "host_ip", "check_safe", "kit_override"]

_SOCKETS = ("docker.sock", "podman.sock")


def services_of(config: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    services = config.get("services")
    if not isinstance(services, dict) or not services:
        raise BadInput(_("The compose file has no services."),
                       _("A compose file starts with `services:` and one entry per container, e.g. "
                         "`services: {web: {image: dockerlab/hello:1.0}}`."))
    return {str(k): (v or {}) for k, v in services.items()}


def host_ip(port: object) -> tuple[bool, str | None]:
    """(published?, host address) of one `ports:` entry, short ("127.0.0.1:8081:8080") or long form."""
    if isinstance(port, int):
        return False, None
    if isinstance(port, dict):
        published = port.get("published")
        return published not in (None, ""), (str(port["host_ip"]) if port.get("host_ip") else None)
    text = str(port).split("/", 1)[0]
    if text.startswith("["):  # [::1]:8081:8080
        host, _sep, rest = text[1:].partition("]")
        return True, host
    parts = text.split(":")
    if len(parts) == 1:
        return False, None
    if len(parts) == 2:
        return True, None
    return True, ":".join(parts[:-2])


def check_safe(config: Mapping[str, Any]) -> None:
    """Refuse what the kit never does: ports open to every network, privileged services, the engine's socket."""
    for name, svc in services_of(config).items():
        for port in svc.get("ports") or []:
            published, host = host_ip(port)
            if published and not host:
                shown = port if not isinstance(port, dict) else f"published {port.get('published')}"
                raise BadInput(_("Service {name} publishes the port {port!r} on every network of this machine (no "
                                 "host address given).").format(name=name, port=shown),
                               _("Name the address, as the kit does everywhere: '127.0.0.1:8081:8080' (a fixed host "
                                 "port) or '127.0.0.1::8080' (a free one)."))
        if svc.get("privileged"):
            raise BadInput(_("Service {name} asks for `privileged: true`: the kit never runs a privileged "
                             "container.").format(name=name),
                           _("Remove that line; grant a single capability with `cap_add` if the app really needs "
                             "one."))
        for vol in svc.get("volumes") or []:
            source = vol.get("source", "") if isinstance(vol, dict) else str(vol).split(":", 1)[0]
            if any(str(source).rstrip("/").endswith(s) for s in _SOCKETS):
                raise BadInput(_("Service {name} mounts the engine's socket ({source}): whoever controls that socket "
                                 "controls the whole machine.").format(name=name, source=source),
                               _("Remove that volume line."))


def kit_override(config: Mapping[str, Any], labels: Mapping[str, str]) -> dict[str, Any]:
    """The override file's content: the kit's labels on every service (and its build), network and volume, and
    the kit's memory and pids limits on services that set none."""
    services: dict[str, Any] = {}
    for name, svc in services_of(config).items():
        extra: dict[str, Any] = {"labels": dict(labels)}
        limits = ((svc.get("deploy") or {}).get("resources") or {}).get("limits") or {}
        if "mem_limit" not in svc and "memory" not in limits:
            extra["mem_limit"] = DEFAULT_MEMORY
        if "pids_limit" not in svc and "pids" not in limits:
            extra["pids_limit"] = DEFAULT_PIDS
        if svc.get("build") is not None:
            # an image Compose builds is the learner's (not the base's role it would inherit): reset removes it
            extra["build"] = {"labels": {**labels, ROLE: "learner"}}
        services[name] = extra
    out: dict[str, Any] = {"services": services}
    # Compose merges a top-level network or volume of a later file over the earlier one's as a whole (Compose 1
    # replaces it): each keeps its whole definition here — subnet, driver, options — with the labels added
    networks = {"default": _labelled((config.get("networks") or {}).get("default"), labels)}
    for name, net in (config.get("networks") or {}).items():
        if not (net or {}).get("external"):
            networks[str(name)] = _labelled(net, labels)
    out["networks"] = networks
    volumes = {str(name): _labelled(vol, labels) for name, vol in (config.get("volumes") or {}).items()
               if not (vol or {}).get("external")}
    if volumes:
        out["volumes"] = volumes
    return out


def _labelled(definition: Mapping[str, Any] | None, labels: Mapping[str, str]) -> dict[str, Any]:
    """A network's or volume's definition as the file gives it, with the kit's labels added to its own."""
    out = dict(definition or {})
    own = out.get("labels") or {}
    if isinstance(own, list):
        own = dict(item.split("=", 1) if "=" in item else (item, "") for item in own)
    out["labels"] = {**own, **labels}
    return out
