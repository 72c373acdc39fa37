"""Ready conditions: when is a container ready to use? (an HTTP answer, a log line, or its healthcheck)"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from .errors import BadInput
from .i18n import _

if TYPE_CHECKING:
    from .containers import Container

__all__ = ["Ready", "Http", "LogLine", "Healthy", "as_ready"]


class Ready(Protocol):
    def is_ready(self, container: Container) -> bool: ...

    def describe(self) -> str: ...


@dataclass(frozen=True)
class Http:
    """Ready when GET http://127.0.0.1:<published port><path> answers with a status below 500.

    ``port`` is the container's port; None means the one port the container publishes (the app's port).
    """

    path: str = "/"
    port: int | None = None

    def is_ready(self, container: Container) -> bool:
        try:
            url = container.url(self.port, self.path)
        except BadInput:
            raise  # several published ports: waiting longer will not tell which one is meant
        except Exception:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 (loopback only)
                return resp.status < 500
        except urllib.error.HTTPError as err:
            return err.code < 500
        except (OSError, ValueError):
            return False

    def describe(self) -> str:
        if self.port:
            return _("HTTP GET {path} on port {port}").format(path=self.path, port=self.port)
        return _("HTTP GET {path} on its published port").format(path=self.path)


@dataclass(frozen=True)
class LogLine:
    """Ready when the container's log contains ``text``."""

    text: str

    def is_ready(self, container: Container) -> bool:
        return self.text in container.logs(tail=200)

    def describe(self) -> str:
        return _("log line containing {text}").format(text=repr(self.text))


@dataclass(frozen=True)
class Healthy:
    """Ready when the image's HEALTHCHECK reports healthy."""

    def is_ready(self, container: Container) -> bool:
        if container.health != "healthy":
            from .podman import is_podman, run_healthcheck

            client = container.sdk.client
            if is_podman(client):  # Podman without systemd runs no healthcheck by itself: the kit runs it
                interval = ((container.attrs.get("Config") or {}).get("Healthcheck") or {}).get("Interval") or 0
                if run_healthcheck(client, container.id, max(1.0, interval / 1e9)) is not None:
                    container.reload()
        return container.health == "healthy"

    def describe(self) -> str:
        return _("healthcheck says healthy")


def as_ready(spec: Ready | str) -> Ready:
    """'healthy', 'log:<text>' or 'http:<path>[@port]' → a Ready condition."""
    if not isinstance(spec, str):
        if hasattr(spec, "is_ready"):
            return spec
        raise BadInput(_("wait must be 'healthy', 'log:<text>', 'http:<path>' or a Ready object, not {value}.").format(
            value=repr(spec)))
    if spec == "healthy":
        return Healthy()
    kind, _sep, rest = spec.partition(":")
    if kind == "log" and rest:
        return LogLine(rest)
    if kind == "http":
        path, _sep, port = (rest or "/").partition("@")
        return Http(path or "/", int(port) if port else None)
    raise BadInput(_("wait={value} is not a ready condition the kit knows.").format(value=repr(spec)),
                   _("Use 'healthy', 'log:Started', or 'http:/actuator/health'."))
