"""One image as the engine describes it (`docker image inspect`): its ID, tags, size, layers and the configuration
a container of it starts with (command, user, healthcheck in seconds). ``lab.images.inspect`` / ``lab.images.list``
give these."""

from __future__ import annotations

from typing import Any

from docker.models.images import Image as SdkImage

from . import docker_cli
from .errors import translated
from .refs import familiar

__all__ = ["ImageInfo"]

_NS = 1_000_000_000


class ImageInfo:
    """An image on the engine (``.sdk``: the docker-py object, for chapters that show the SDK itself)."""

    def __init__(self, sdk: SdkImage) -> None:
        self.sdk = sdk
        self.cli = docker_cli.simple("image", "inspect", (sdk.tags or [sdk.id])[0])

    @property
    def _attrs(self) -> dict[str, Any]:
        return self.sdk.attrs

    @property
    def id(self) -> str:
        return str(self.sdk.id)

    @property
    def short_id(self) -> str:
        """The first 12 hex digits of the ID (what `docker images` shows)."""
        return self.id.split(":")[-1][:12]

    @property
    def tags(self) -> list[str]:
        """Its names, as `docker images` shows them (without the registry Podman writes in front)."""
        return [familiar(t) for t in self.sdk.tags]

    @property
    def size(self) -> int:
        """Bytes, all layers counted (the SIZE of `docker images`)."""
        return int(self._attrs.get("Size") or 0)

    @property
    def created(self) -> str:
        return str(self._attrs.get("Created", ""))

    @property
    def layers(self) -> list[str]:
        """The digests (diff IDs) of its file layers, base first: RootFS.Layers."""
        return list((self._attrs.get("RootFS") or {}).get("Layers") or [])

    @property
    def repo_digests(self) -> list[str]:
        """``registry/repo@sha256:…`` for each registry it was pushed to or pulled from."""
        return list(self._attrs.get("RepoDigests") or [])

    @property
    def platform(self) -> str:
        """The system and CPU it is built for: "linux/amd64", "linux/arm64"… (`docker inspect`'s Os/Architecture)."""
        attrs = self._attrs
        variant = f"/{attrs['Variant']}" if attrs.get("Variant") else ""
        return f"{attrs.get('Os', 'linux')}/{attrs.get('Architecture', '?')}{variant}"

    @property
    def labels(self) -> dict[str, str]:
        return dict(self.sdk.labels or {})

    @property
    def _config(self) -> dict[str, Any]:
        return dict(self._attrs.get("Config") or {})

    @property
    def cmd(self) -> list[str]:
        """The command a container of it runs (CMD)."""
        return list(self._config.get("Cmd") or [])

    @property
    def entrypoint(self) -> list[str]:
        return list(self._config.get("Entrypoint") or [])

    @property
    def user(self) -> str:
        """The user its containers run as (USER; '' means root)."""
        return str(self._config.get("User") or "")

    @property
    def healthcheck(self) -> dict[str, Any] | None:
        """Its HEALTHCHECK: test, retries, and interval/timeout/start_period in seconds (None without one)."""
        raw = self._config.get("Healthcheck")
        if not raw:
            return None
        out: dict[str, Any] = {"test": list(raw.get("Test") or []), "retries": int(raw.get("Retries") or 0)}
        for key, api_key in (("interval", "Interval"), ("timeout", "Timeout"), ("start_period", "StartPeriod")):
            if raw.get(api_key):
                out[key] = raw[api_key] / _NS
        return out

    def inspect(self) -> dict[str, Any]:
        """Everything the engine says of it, fresh: what `docker image inspect` prints."""
        with translated(f"reading image {self.id[:19]}", self.sdk.client):
            self.sdk.reload()
        return self._attrs

    def __repr__(self) -> str:
        return f"<Image {(self.tags or [self.short_id])[0]}>"
