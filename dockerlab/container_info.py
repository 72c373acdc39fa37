"""What the kit reads off a container, as small values: an exec's result, a mount, a healthcheck run, `docker stats`."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ExecResult", "Mount", "HealthCheck", "Stats"]


@dataclass(frozen=True)
class ExecResult:
    """What `docker exec` gives back: the exit code and the output."""

    exit_code: int
    output: str
    cli: str

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def __str__(self) -> str:
        return self.output


@dataclass(frozen=True)
class Mount:
    """One mount of a container (``docker inspect``'s Mounts): a named volume, a bind mount or a tmpfs."""

    type: str  # volume | bind | tmpfs
    source: str  # the volume's folder or the host path
    destination: str  # where it appears inside the container
    name: str | None = None  # the volume's name (volumes only)
    read_only: bool = False


@dataclass(frozen=True)
class HealthCheck:
    """One run of the container's healthcheck: its exit code (0 = healthy) and what it printed."""

    exit_code: int
    output: str


@dataclass(frozen=True)
class Stats:
    """What `docker stats --no-stream` shows of a container: memory (the kernel's droppable file cache left out,
    as the CLI does), its limit, and the number of processes."""

    memory_used: int
    memory_limit: int
    pids: int

    @property
    def memory_used_mib(self) -> float:
        return self.memory_used / 2**20
