"""Free TCP ports on 127.0.0.1 for the tests' own servers (a hub, a registry, a published port, JupyterLab).

A port found free by binding port 0 comes from the kernel's ephemeral range, where any outgoing connection can take
it as its source port between the check and the server's bind; under load one did ("Address already in use" for a
classroom hub's API port). These come from below that range, where only explicit binds land."""

from __future__ import annotations

import random
import socket
from pathlib import Path


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port_block(n: int = 1) -> int:
    """A port p with p, p+1, … p+n-1 all free on 127.0.0.1, below the kernel's ephemeral range."""
    low = _ephemeral_low()
    for _ in range(50):
        base = random.randrange(max(1024, low // 2), low - n)
        held: list[socket.socket] = []
        try:
            for p in range(base, base + n):
                t = socket.socket()
                held.append(t)
                t.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
        finally:
            for t in held:
                t.close()
    raise RuntimeError("no block of free ports")


def free_port() -> int:
    """One free port on 127.0.0.1, below the kernel's ephemeral range."""
    return free_port_block(1)
