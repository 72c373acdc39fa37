"""Helpers shared by the core and reliability engine tests (not a test module)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import docker

if TYPE_CHECKING:
    from jupyter_client.manager import KernelManager

BASE = "debian:bookworm-slim"

#: a tiny HTTP server with nothing but Debian slim's perl: answers every request with its hostname
HTTP_SERVER = ["perl", "-MIO::Socket::INET", "-e",
               '$|=1; $s=IO::Socket::INET->new(LocalPort=>8080,Listen=>16,ReuseAddr=>1) or die "listen: $!"; '
               'print "Listening on 8080\\n"; '
               'while($c=$s->accept){ <$c>; print $c "HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\n\\r\\n'
               'hello from $ENV{HOSTNAME}\\n"; close $c }']


def http_get_command(url_host: str, port: int = 8080) -> list[str]:
    """A command that GETs http://<url_host>:<port>/ from inside a Debian slim container and prints the body."""
    return ["perl", "-MIO::Socket::INET", "-e",
            f'$c=IO::Socket::INET->new(PeerAddr=>"{url_host}",PeerPort=>{port},Timeout=>5) or die "connect: $!"; '
            'print $c "GET / HTTP/1.0\\r\\n\\r\\n"; $b=join("",<$c>); $b=~s/.*?\\r\\n\\r\\n//s; print $b']


@dataclass(frozen=True)
class Snapshot:
    """The ids of everything on the engine: what a failed call must not have changed."""

    containers: frozenset[tuple[str, str]]  # (id, status)
    images: frozenset[str]
    volumes: frozenset[str]
    networks: frozenset[str]

    def diff(self, other: Snapshot) -> dict[str, tuple[set, set]]:
        out = {}
        for kind in ("containers", "images", "volumes", "networks"):
            a, b = getattr(self, kind), getattr(other, kind)
            if a != b:
                out[kind] = (set(a - b), set(b - a))
        return out


def snapshot(client: docker.DockerClient, session: str | None = None) -> Snapshot:
    """Everything of ``session`` (its labels or its name prefix), or of the whole engine when None."""

    def mine(name: str, labels: dict | None) -> bool:
        if session is None:
            return True
        return (labels or {}).get("org.dockerlab.session") == session or name.lstrip("/").startswith(session)

    api = client.api  # list summaries only: others remove their containers meanwhile (no per-item inspect)
    return Snapshot(
        containers=frozenset((c["Id"], c["State"]) for c in api.containers(all=True)
                             if mine((c.get("Names") or [""])[0], c.get("Labels"))),
        images=frozenset(i["Id"] for i in api.images() if mine((i.get("RepoTags") or [""])[0], i.get("Labels"))),
        volumes=frozenset(v["Name"] for v in (api.volumes().get("Volumes") or []) if mine(v["Name"], v.get("Labels"))),
        networks=frozenset(n["Id"] for n in api.networks() if mine(n["Name"], n.get("Labels"))),
    )


def last_line(text: str) -> str:
    return str(text).rstrip().splitlines()[-1]


def ipc_kernel(folder: Path) -> KernelManager:
    """A Python kernel's manager that talks to it over IPC sockets in ``folder``: a kernel's TCP ports come from the
    ephemeral range, where a published port or an outgoing connection can take one between the manager's pick and
    the kernel's bind (CI, run 50: "Address already in use", "Kernel died before replying to kernel_info")."""
    from jupyter_client.manager import KernelManager

    return KernelManager(kernel_name="python3", transport="ipc", ip=str(folder / "kernel"))
