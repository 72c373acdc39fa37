"""Where the Docker engine is: an explicit URL, DOCKER_HOST, the `docker` CLI's current context, the user's own rootless
engine when it runs, or the default socket.

The bottom of the kit: :mod:`dockerlab.errors` names this address in its messages and :mod:`dockerlab.engine`
connects to it, so it imports nothing of the kit.
"""

from __future__ import annotations

import os

__all__ = ["engine_address", "DEFAULT_SOCKET"]

DEFAULT_SOCKET = "unix:///var/run/docker.sock"


def engine_address(base_url: str | None = None) -> str:
    """Where the kit will talk to: an explicit URL, DOCKER_HOST, the CLI context, or the default socket."""
    if base_url:
        return base_url
    if os.environ.get("DOCKER_HOST"):
        return os.environ["DOCKER_HOST"]
    try:
        from docker.context import ContextAPI

        ctx = ContextAPI.get_current_context()
        if ctx is not None and ctx.Host and getattr(ctx, "Name", None) != "default":
            return str(ctx.Host)
    except Exception:  # a broken ~/.docker/config.json must not stop the class
        pass
    return _own_rootless_engine() or DEFAULT_SOCKET


def _own_rootless_engine() -> str | None:
    """The address of this (non-root) user's own rootless engine when it runs (`engine start --rootless` records
    it), so a shell without DOCKER_HOST finds it as a notebook does."""
    if os.geteuid() == 0:
        return None
    import json
    from pathlib import Path

    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    try:
        address = str(json.loads((state / "dockerlab" / "rootless" / "engine.json").read_text())["address"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return address if address.startswith("unix://") and os.path.exists(address[len("unix://"):]) else None
