"""Limits on everything the kit starts: containers, a build's step containers, Swarm tasks."""

from __future__ import annotations

__all__ = ["SERVICE_PIDS"]

#: each task of a Swarm service (`docker service create --limit-pids`, API 1.41)
SERVICE_PIDS = 256
