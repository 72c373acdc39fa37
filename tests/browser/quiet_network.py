"""Chromium in a network namespace of its own, where Docker's interfaces never come and go.

Chromium aborts its requests in flight when the machine's network changes (net::ERR_NETWORK_CHANGED, even to
127.0.0.1), and a Docker engine changes it whenever a container starts or stops (a veth pair, a bridge). In CI the
other stages start containers every few seconds, and JupyterLab could not load whole in six tries (a run of
0a1ff84). In a namespace of its own Chromium sees only its loopback; a JupyterLab port is brought there by
:meth:`QuietNetwork.forward`: a socket listening on 127.0.0.1:<port> inside the namespace, made by a thread that
enters the namespace only to create it (a socket keeps the namespace it was made in), whose connections are passed
to the same port on the machine's loopback.

Needs root and iproute2 (``ip netns``), as the stage engines do; without them :func:`open_quiet_network` returns None
and Chromium runs in the machine's namespace, with the page loads retried as before.
"""

from __future__ import annotations

import ctypes
import os
import socket
import subprocess
import threading
from pathlib import Path

CLONE_NEWNET = 0x40000000


def _setns(fd: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def _pump(src: socket.socket, dst: socket.socket) -> None:
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class QuietNetwork:
    """A named network namespace with its loopback up, a Chromium launcher that runs in it, and port forwards."""

    def __init__(self, name: str, folder: Path) -> None:
        self.name = name
        self.launcher = folder / "chromium-in-netns"
        self._listeners: list[socket.socket] = []

    def make_launcher(self, chromium: str) -> str:
        self.launcher.write_text(f'#!/bin/sh\nexec ip netns exec {self.name} {chromium} "$@"\n')
        self.launcher.chmod(0o755)
        return str(self.launcher)

    def _listen_inside(self, port: int) -> socket.socket:
        """A socket listening on 127.0.0.1:port inside the namespace, made by a thread that enters it and leaves."""
        made: list[object] = []

        def make() -> None:
            own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
            inside = os.open(f"/run/netns/{self.name}", os.O_RDONLY)
            try:
                _setns(inside)
                try:
                    listener = socket.socket()
                    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    listener.bind(("127.0.0.1", port))
                    listener.listen(64)
                    made.append(listener)
                finally:
                    _setns(own)
            except OSError as exc:
                made.append(exc)
            finally:
                os.close(own)
                os.close(inside)

        thread = threading.Thread(target=make)  # a thread of its own: setns changes only the calling thread
        thread.start()
        thread.join()
        if isinstance(made[0], Exception):
            raise made[0]
        return made[0]  # type: ignore[return-value]

    def forward(self, port: int) -> None:
        """Connections to 127.0.0.1:port inside the namespace reach 127.0.0.1:port of the machine."""
        listener = self._listen_inside(port)
        self._listeners.append(listener)

        def serve() -> None:
            while True:
                try:
                    inside, _ = listener.accept()
                except OSError:  # closed: the forward is over
                    return
                try:
                    outside = socket.create_connection(("127.0.0.1", port), timeout=10)
                    outside.settimeout(None)
                except OSError:
                    inside.close()
                    continue
                for a, b in ((inside, outside), (outside, inside)):
                    threading.Thread(target=_pump, args=(a, b), daemon=True).start()

        threading.Thread(target=serve, daemon=True, name=f"quiet-network-{port}").start()

    def stop_forwards(self) -> None:
        for listener in self._listeners:
            try:
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()
        self._listeners.clear()

    def delete(self) -> None:
        self.stop_forwards()
        subprocess.run(["ip", "netns", "delete", self.name], capture_output=True)


def open_quiet_network(folder: Path) -> QuietNetwork | None:
    """A quiet network namespace for Chromium, or None where one cannot be made (not root, no iproute2)."""
    if os.geteuid() != 0:
        return None
    name = f"dockerlab-browser-{os.getpid()}"
    try:
        made = subprocess.run(["ip", "netns", "add", name], capture_output=True)
    except OSError:
        return None
    if made.returncode != 0:
        return None
    net = QuietNetwork(name, folder)
    if subprocess.run(["ip", "-n", name, "link", "set", "lo", "up"], capture_output=True).returncode != 0:
        net.delete()
        return None
    return net
