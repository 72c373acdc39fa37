"""Limits on everything the kit starts: containers, a build's step containers, Swarm tasks."""

from __future__ import annotations

__all__ = ["DEFAULT_MEMORY", "DEFAULT_PIDS", "SERVICE_PIDS"]

#: every container `lab.run` starts (`docker run --memory 512m --pids-limit 256`), unless the cell says otherwise
DEFAULT_MEMORY = "512m"
DEFAULT_PIDS = 256

#: each task of a Swarm service (`docker service create --limit-pids`, API 1.41)
SERVICE_PIDS = 256
