"""The plain `docker` CLI as a learner types it in a terminal (not a test module).

What it makes carries none of the kit's labels — exactly what a learner's terminal work looks like to a check — so
the kit's reset would not find it: the ``cli`` fixture remembers what each command made, by its exact name, and
removes it at the end of the test.

    def test_…(cli):
        cli("run", "-d", "--name", lab.name("box"), "debian:bookworm-slim", "sleep", "infinity")
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from dockerlab.endpoint import engine_address

DOCKER = shutil.which("docker") or "docker"


class LearnerCli:
    """Runs `docker …` against the kit's engine; remembers the services, containers, volumes and images it made."""

    def __init__(self, address: str | None = None) -> None:
        self.address = address or engine_address()
        self.containers: list[str] = []
        self.volumes: list[str] = []
        self.images: list[str] = []
        self.services: list[str] = []

    def __call__(self, *args: str, ok: bool = True, stdin: str | None = None,
                 timeout: float = 300) -> subprocess.CompletedProcess[str]:
        self._remember(list(args))
        done = subprocess.run([DOCKER, *args], capture_output=True, text=True, timeout=timeout, input=stdin,
                              env=dict(os.environ, DOCKER_HOST=self.address, DOCKER_BUILDKIT="0"))
        if ok:
            assert done.returncode == 0, f"docker {' '.join(args)} failed ({done.returncode}):\n{done.stderr}"
        return done

    def _remember(self, args: list[str]) -> None:
        verb = args[0] if args else ""
        if verb == "volume" and args[1:2] == ["create"]:
            self.volumes.append(args[-1])
        if verb == "service" and args[1:2] == ["create"]:
            self.services += [args[i + 1] for i, word in enumerate(args) if word == "--name"]
        if verb in ("run", "create", "service"):
            for i, word in enumerate(args):
                if word == "--name" and verb != "service":
                    self.containers.append(args[i + 1])
                elif word == "-v" and not args[i + 1].startswith("/"):
                    self.volumes.append(args[i + 1].split(":", 1)[0])
                elif word == "--mount" and "type=volume" in args[i + 1]:
                    fields = dict(f.split("=", 1) for f in args[i + 1].split(",") if "=" in f)
                    source = fields.get("source") or fields.get("src")
                    if source:
                        self.volumes.append(source)
        if verb == "build":
            self.images += [args[i + 1] for i, word in enumerate(args) if word == "-t"]
        if verb in ("tag", "commit", "import"):
            self.images.append(args[-1])

    def cleanup(self) -> None:
        for names, command in ((self.services, ["service", "rm"]), (self.containers, ["rm", "-f", "-v"]),
                               (self.images, ["rmi", "-f"]), (self.volumes, ["volume", "rm", "-f"])):
            if names:
                subprocess.run([DOCKER, *command, *dict.fromkeys(names)], capture_output=True, text=True,
                               env=dict(os.environ, DOCKER_HOST=self.address), timeout=120)


@pytest.fixture
def cli(engine_client):
    """The learner's terminal: ``cli("run", …)``; what it made is removed after the test."""
    terminal = LearnerCli()
    try:
        yield terminal
    finally:
        terminal.cleanup()
