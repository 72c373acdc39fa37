"""A network range for an app on the cloud server, and a way through this machine's firewall for it.

The cloud server (:mod:`dockerlab.course.cloud_server`) runs with ``--iptables=false`` so that it never rewrites the
first engine's firewall (a dockerd that manages iptables removes and recreates Docker's chains when it starts). Two
things a real server has are missing as a result, for containers on a network of the cloud server:

- Docker's DNS for containers (127.0.0.11 is reached through a rule the daemon puts in each container): an app there
  names its services by address, not by name;
- a way between two of its containers: the first engine set this machine's ``FORWARD`` policy to ``DROP`` and lets
  through only the bridges it knows.

:func:`reserve` picks a /24 no route on this machine uses and lets traffic **within** it through (one ``ACCEPT`` rule
in ``DOCKER-USER``, the chain Docker keeps for its users' rules, tagged with a comment naming the learner);
:func:`release` removes the learner's rules again (the cloud server's reset does).
"""

from __future__ import annotations

import ipaddress
import shlex
import shutil
import subprocess
from dataclasses import dataclass

from ..errors import EngineUnavailable
from ..i18n import _

__all__ = ["PrivateNetwork", "reserve", "release", "COMMENT"]

#: the comment on the kit's rules: which learner's cloud server they serve
COMMENT = "dockerlab cloud {session}"


@dataclass(frozen=True)
class PrivateNetwork:
    """A /24 for one app on the cloud server: its range, and addresses to give its services."""

    subnet: str
    chain: str | None  # where the ACCEPT rule went (None: nothing on this machine drops the traffic)

    def address(self, n: int) -> str:
        """The n-th address of the range (``address(10)`` → ``172.30.3.10``)."""
        net = ipaddress.ip_network(self.subnet)
        if not 2 <= n < net.num_addresses - 1:
            raise ValueError(f"{n} is not a host number of {self.subnet} (2 … {net.num_addresses - 2}).")
        return str(net.network_address + n)


def _iptables(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["iptables", "-w", *args], capture_output=True, text=True)


def _chain() -> str | None:
    """Where an ACCEPT must go when the ``FORWARD`` policy drops: Docker's DOCKER-USER when there is one, else FORWARD.
    Nowhere when it accepts (dockerd sets ``DROP`` only when it had to switch IP forwarding on itself: inside a
    container whose forwarding was on already, the policy stays ``ACCEPT``)."""
    if not shutil.which("iptables"):
        return None
    policy = _iptables("-S", "FORWARD").stdout.splitlines()[:1]
    if not (policy and policy[0].strip() == "-P FORWARD DROP"):
        return None
    return "DOCKER-USER" if _iptables("-S", "DOCKER-USER").returncode == 0 else "FORWARD"


def _rule(subnet: str, session: str) -> list[str]:
    return ["-s", subnet, "-d", subnet, "-m", "comment", "--comment", COMMENT.format(session=session), "-j", "ACCEPT"]


def reserve(subnet: str, session: str) -> PrivateNetwork:
    """Let the containers on ``subnet`` reach each other through this machine's firewall (only within it)."""
    chain = _chain()
    if chain is not None and _iptables("-C", chain, *_rule(subnet, session)).returncode != 0:
        done = _iptables("-I", chain, "1", *_rule(subnet, session))
        if done.returncode != 0:
            raise EngineUnavailable(_("The kit could not open {subnet} for the cloud server's containers: {error}")
                                    .format(subnet=subnet, error=done.stderr.strip()),
                                    _("The cloud server needs root on this machine."))
    return PrivateNetwork(subnet, chain)


def release(session: str) -> list[str]:
    """Remove the learner's rules (every chain, every range); returns the ranges it closed."""
    if not shutil.which("iptables"):
        return []
    mark = f'--comment "{COMMENT.format(session=session)}"'
    closed = []
    for chain in ("DOCKER-USER", "FORWARD"):
        for line in _iptables("-S", chain).stdout.splitlines():
            if line.startswith("-A ") and mark in line:
                spec = shlex.split(line)[1:]
                if _iptables("-D", *spec).returncode == 0:
                    closed.append(spec[spec.index("-s") + 1] if "-s" in spec else chain)
    return closed
