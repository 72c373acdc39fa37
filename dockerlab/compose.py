"""Docker Compose: a whole app — services, networks, volumes — from one ``compose.yaml``, made the kit's way.

    app = compose.Project("todo", "todo-app")     # the folder holds compose.yaml
    app.up()                   # docker compose -p alice-todo -f todo-app/compose.yaml -f todo-app/.dockerlab.yaml up -d
    app.ps()                   # the project's containers, as the engine sees them
    print(app.logs("backend", tail=5))
    app.down(volumes=True)     # … down -v: the named volumes go too

The kit runs the real Compose program: ``docker compose`` (v2) where the CLI has it, else Debian's
``docker-compose`` (1.29, Python). Next to the learner's file it writes a small override file,
``.dockerlab.yaml``, that gives every service, network and volume the kit's labels (kit, session,
chapter) and every service the kit's memory and pids limits, so ``reset``, ``status`` and ``leaks`` see
what Compose made. The command each call ran is in ``.cli``: run it in a terminal and you get the same.
Published ports must name their host address (``127.0.0.1:8081:8080``), as everywhere in the kit.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker
import yaml

from . import builder, docker_cli
from .containers import Container
from .engine import connect, engine_address
from .errors import (BadInput, ContainerExited, DockerlabError, EngineUnavailable, ImageMissing, PortInUse,
                     ReadyTimeout, translated)
from .compose_file import check_safe, kit_override, services_of
from .i18n import N_, _
from .labels import kit_filter, kit_labels, name as namespaced
from .podman import healthchecks_running
from .polling import poll

__all__ = ["ComposeTool", "Project", "tool", "project_name", "PROJECT_LABEL",
           "SERVICE_LABEL", "OVERRIDE_FILE"]

#: the labels Compose itself puts on what it makes
PROJECT_LABEL = "com.docker.compose.project"
SERVICE_LABEL = "com.docker.compose.service"
ONEOFF_LABEL = "com.docker.compose.oneoff"
#: the kit's override file, written next to the learner's compose file
OVERRIDE_FILE = ".dockerlab.yaml"


@dataclass(frozen=True)
class ComposeTool:
    """The Compose program found on this machine: its command words and version."""

    argv: tuple[str, ...]
    version: str
    #: variables the kit adds to the program's environment (see ``QUICKER``)
    env: tuple[tuple[str, str], ...] = ()

    @property
    def v2(self) -> bool:
        return self.argv[-1] == "compose"

    def __str__(self) -> str:
        return f"{' '.join(self.argv)} {self.version}"


_tool: ComposeTool | None = None

#: docker-compose 1.29 (Python) imports ``distutils``; where setuptools is installed, its "distutils hack" (a .pth
#: file) answers that import by loading setuptools, about half of each call's CPU time (0.36 → 0.18 s for `config`
#: here, and the kit calls Compose two or three times per `up`). Python ≤ 3.11's own distutils serves it just as well;
#: where there is none (3.12+), Compose answers its version probe only without this, and the kit leaves it out.
QUICKER = (("SETUPTOOLS_USE_DISTUTILS", "stdlib"),)


def _version_of(argv: Sequence[str], env: tuple[tuple[str, str], ...] = ()) -> str | None:
    try:
        done = subprocess.run([*argv, "version", "--short"], capture_output=True, text=True, timeout=20,
                              env=dict(os.environ, **dict(env)) if env else None)
    except (OSError, subprocess.SubprocessError):
        return None
    out = done.stdout.strip()
    return out.lstrip("v") if done.returncode == 0 and re.match(r"^v?\d+\.\d+", out) else None


def tool(*, refresh: bool = False) -> ComposeTool:
    """``docker compose`` (v2) where the docker CLI has the plugin, else ``docker-compose`` (v1.29).

    ``DOCKERLAB_COMPOSE`` picks one ("docker compose" or "docker-compose")."""
    global _tool
    if _tool is not None and not refresh:
        return _tool
    wanted = os.environ.get("DOCKERLAB_COMPOSE", "").split()
    candidates = [tuple(wanted)] if wanted else [("docker", "compose"), ("docker-compose",)]
    for argv in candidates:
        if not shutil.which(argv[0]):
            continue
        quicker = QUICKER if argv == ("docker-compose",) else ()  # v2 is a Go program
        for env in dict.fromkeys((quicker, ())):
            version = _version_of(argv, env)
            if version:
                _tool = ComposeTool(tuple(argv), version, env)
                return _tool
    raise EngineUnavailable(
        _("Docker Compose is not installed: neither `docker compose` (v2) nor `docker-compose` answers."),
        _("Docker Desktop and docker-ce include `docker compose`; on Debian/Ubuntu `sudo apt-get install "
          "docker-compose` (the course's ./lab installs it)."))


#: a service that stopped while its project started or waited
STOPPED = N_("Service {service} of {name} stopped (exit code {code}). Its last log lines:")


def project_name(name: str) -> str:
    """A Compose project name: the session-namespaced name in the characters Compose allows ([a-z0-9_-])."""
    full = namespaced(name).lower()
    return re.sub(r"[^a-z0-9_-]", "-", full).strip("-_") or "app"


class Project:
    """One Compose project: a folder with ``compose.yaml``, run under the learner's project name.

    ``docker_host`` points Compose and the kit at another engine (``DOCKER_HOST``), e.g. the cloud server;
    ``env`` adds variables the file substitutes (``${REGISTRY}``).
    """

    def __init__(self, name: str, folder: str | os.PathLike[str] = ".", *, file: str = "compose.yaml",
                 overrides: Sequence[str] = (), chapter: str | None = None, docker_host: str | None = None,
                 env: Mapping[str, str] | None = None) -> None:
        self.name = project_name(name)
        self.folder = Path(folder)
        self.file = self.folder / file
        #: more files of yours merged over ``file``, in order (`-f compose.yaml -f compose.prod.yaml`)
        self.overrides = [self.folder / o for o in overrides]
        self.chapter = chapter
        self.docker_host = docker_host
        self.env = dict(env or {})
        self.cli = docker_cli.CliCommand("")
        #: the kit's builds of the services with a ``build:`` section at the last ``up`` (see :meth:`up`)
        self.builds: list[builder.BuildResult] = []
        self._config: dict[str, Any] = {}

    # -- running Compose ------------------------------------------------------------------------------------
    @property
    def client(self) -> docker.DockerClient:
        return connect(self.docker_host)

    def _shown(self, path: Path) -> str:
        try:
            return os.path.relpath(path)
        except ValueError:
            return str(path)

    def _files(self, *, kit: bool = True) -> list[str]:
        args = ["-f", self._shown(self.file)]
        for extra in self.overrides:
            args += ["-f", self._shown(extra)]
        if kit:
            args += ["-f", self._shown(self.folder / OVERRIDE_FILE)]
        return args

    def command(self, *args: str, kit: bool = True) -> list[str]:
        """The full command line for a Compose subcommand (what ``.cli`` shows)."""
        return [*tool().argv, "-p", self.name, *self._files(kit=kit), *args]

    def _env(self) -> dict[str, str]:
        env = dict(os.environ, **dict(tool().env), **self.env)
        env["DOCKER_HOST"] = engine_address(self.docker_host)
        env.pop("DOCKER_CONTEXT", None)
        return env

    def _show(self, argv: Sequence[str]) -> docker_cli.CliCommand:
        words = list(argv)
        prefix = [f"{k}={v}" for k, v in self.env.items()]
        if self.docker_host:
            prefix.insert(0, f"DOCKER_HOST={self.docker_host}")
        self.cli = docker_cli.CliCommand(docker_cli.join(prefix + words))
        return self.cli

    def _run(self, *args: str, kit: bool = True, timeout: float = 300, doing: str = "", both: bool = False) -> str:
        """Run Compose; its standard output (``both``: and its messages), or a kit error with its last lines."""
        argv = self.command(*args, kit=kit)
        self._show(argv)
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=self._env())
        except subprocess.TimeoutExpired:
            raise ReadyTimeout(_("`{command}` did not finish within {seconds:.0f} s.").format(
                command=self.cli, seconds=timeout), _("Look at the services' logs: `{command}`.").format(
                    command=docker_cli.join(self.command("logs", "--tail", "20")))) from None
        if done.returncode != 0:
            raise _failure((done.stdout or "") + (done.stderr or ""),
                           doing or _("running `{command}`").format(command=self.cli))
        return (done.stdout or "") + (done.stderr or "") if both else (done.stdout or "")

    def config(self) -> dict[str, Any]:
        """The compose file as Compose reads it (variables filled in, short forms expanded): `compose config`."""
        if not self.file.is_file():
            raise BadInput(_("There is no compose file at {path}.").format(path=self.file),
                           _("Run the chapter's cell that copies it (compose.copy_example()), or fix the folder."))
        out = self._run("config", kit=False, doing=_("reading {path}").format(path=self.file))
        try:
            data = yaml.safe_load(out)
        except yaml.YAMLError as exc:  # pragma: no cover - Compose printed it itself
            raise BadInput(_("Compose printed a file the kit cannot read: {error}").format(error=exc)) from None
        return data or {}

    def write_override(self) -> Path:
        """Check the file (safety rules) and write the kit's override next to it; returns its path."""
        config = self.config()
        check_safe(config)
        labels = kit_labels(self.chapter)
        path = self.folder / OVERRIDE_FILE
        text = ("# Written by dockerlab: the kit's labels and limits on what Compose makes for this project.\n"
                "# Compose merges it over compose.yaml (-f compose.yaml -f .dockerlab.yaml). Do not edit.\n")
        path.write_text(text + yaml.safe_dump(kit_override(config, labels), sort_keys=False))
        self._config = config
        return path

    def _build_images(self) -> list[builder.BuildResult]:
        """Each service with a ``build:`` section is built by the kit, under the name Compose gives its image (like
        `up --build`): its steps get the limits of every build of the kit (Compose's own builder would give them
        none), its labels, its leftover stages cleaned by reset. `up` then finds the image and builds nothing."""
        made = []
        for service, svc in services_of(self._config).items():
            spec = svc.get("build")
            if spec is None:
                continue
            spec = {"context": spec} if isinstance(spec, str) else dict(spec)
            sep = "-" if tool().v2 else "_"
            tag = str(svc.get("image") or f"{self.name}{sep}{service}")
            labels = spec.get("labels") or {}
            if isinstance(labels, list):
                labels = dict(item.split("=", 1) if "=" in item else (item, "") for item in labels)
            made.append(builder.build(
                tag, self.folder / str(spec.get("context", ".")), dockerfile_path=spec.get("dockerfile"),
                buildargs={k: str(v) for k, v in (spec.get("args") or {}).items() if v is not None},
                target=spec.get("target"), chapter=self.chapter, labels=labels, tag_as_given=True,
                client=self.client))
        return made

    # -- the verbs ------------------------------------------------------------------------------------------
    def up(self, *, wait: bool = True, timeout: float = 180) -> Project:
        """`compose up -d`: create or update every service; with ``wait``, until each runs (and is healthy).

        A service with ``build:`` is built first, by the kit (like `up --build`; ``.builds``, and its `docker build`
        line in ``.cli``), so its build steps run under the kit's build limits."""
        self.write_override()
        with healthchecks_running(connect(), kit_filter()):  # Podman without systemd: the kit runs them
            return self._up(wait=wait, timeout=timeout)

    def _up(self, *, wait: bool, timeout: float) -> Project:
        self.builds = self._build_images()  # a failed build raises BuildFailed: nothing was started
        built = "".join(f"{b.cli} && " for b in self.builds)
        try:
            self._run("up", "-d", "--remove-orphans", timeout=timeout + 60, doing=_("starting the project {name}").format(name=self.name))
        except DockerlabError as err:
            cli = docker_cli.CliCommand(built + self.cli)
            crashed = self._crashed()  # a service that stopped is the real story (Compose only says "unhealthy")
            try:  # nothing half-made is left: what `up` created before it failed goes (volumes stay: data)
                self._run("down", "--remove-orphans", timeout=120)
                removed = " " + _("What it had started was removed again (`down`; volumes kept).")
            except DockerlabError:
                removed = ""
            self.cli = cli
            if crashed is not None:
                raise crashed from err
            err.what += removed
            raise
        cli = docker_cli.CliCommand(built + self.cli)
        if wait:
            self.wait(timeout=timeout)
        self.cli = cli
        return self

    def pull(self) -> Project:
        """`compose pull`: fetch every service's image on the engine the project runs on."""
        self.write_override()
        self._run("pull", doing=_("pulling the images of {name}").format(name=self.name))
        return self

    def down(self, *, volumes: bool = False) -> str:
        """`compose down` (`-v`: the project's named volumes too): stop and remove what `up` made."""
        if not (self.folder / OVERRIDE_FILE).exists():
            self.write_override()
        return self._run("down", "--remove-orphans", *(["-v"] if volumes else []), both=True,
                         doing=_("removing the project {name}").format(name=self.name))

    def logs(self, service: str | None = None, *, tail: int | str = "all") -> str:
        """`compose logs --no-color --tail N [service]`: every service's log lines, each with its service's name."""
        return self._run("logs", "--no-color", "--tail", str(tail), *([service] if service else []),
                         doing=_("reading the logs of {name}").format(name=self.name))

    def ps(self) -> list[Container]:
        """The project's containers as the engine lists them (`compose ps -a`): stopped ones too."""
        self._show(self.command("ps", "-a"))
        flt = {"label": [f"{PROJECT_LABEL}={self.name}"]}
        with translated(_("listing the containers of {name}").format(name=self.name), self.client):
            found = self.client.containers.list(all=True, filters=flt, ignore_removed=True)
        found = [c for c in found if (c.labels or {}).get(ONEOFF_LABEL, "False") != "True"]
        return [Container(c) for c in sorted(found, key=lambda c: (c.labels.get(SERVICE_LABEL, ""),
                                                                              c.name))]

    def services(self) -> dict[str, list[Container]]:
        """Service name → its containers."""
        out: dict[str, list[Container]] = {}
        for c in self.ps():
            out.setdefault(c.labels.get(SERVICE_LABEL, "?"), []).append(c)
        return out

    def container(self, service: str) -> Container:
        """The (first) container of ``service``."""
        found = self.services().get(service)
        if not found:
            from .errors import NotFound

            raise NotFound(_("The project {name} has no container for the service {service!r}.").format(
                name=self.name, service=service), _("Run `app.up()` (or the cell that starts the project) first."))
        return found[0]

    def _crashed(self) -> ContainerExited | None:
        """The first service container that stopped with an error, as the kit's error with its last log lines."""
        try:
            containers = self.ps()
        except DockerlabError:
            return None
        for c in containers:
            state = c.attrs.get("State") or {}
            if state.get("Status") in ("exited", "dead") and state.get("ExitCode") not in (0, None):
                service = c.labels.get(SERVICE_LABEL, c.name)
                return ContainerExited(_(STOPPED).format(service=service, name=self.name, code=state.get("ExitCode")),
                                       details=c.log_lines())
        return None

    def wait(self, *, timeout: float = 180) -> Project:
        """Until every service of the file has a running container, healthy where it has a healthcheck."""
        wanted = set(services_of(yaml.safe_load(self.file.read_text()) or {}))
        pending: list[str] = []

        def ready() -> bool:
            by_service = self.services()
            pending.clear()
            for service in sorted(wanted):
                containers = by_service.get(service) or []
                if not containers:
                    pending.append(_("{service}: no container yet").format(service=service))
                for c in containers:
                    c.reload()
                    if c.status in ("exited", "dead") and c.exit_code != 0:
                        raise ContainerExited(_(STOPPED).format(service=service, name=self.name, code=c.exit_code),
                                              details=c.log_lines())
                    if c.status == "exited":
                        continue  # a one-shot service that did its job
                    if c.status != "running" or c.health not in (None, "healthy"):
                        pending.append(f"{service}: {c.health or c.status}")
            return not pending

        poll(ready, timeout=timeout, interval=0.3, fail=lambda: ReadyTimeout(
            _("The project {name} was not ready within {seconds:.0f} s: {pending}.").format(
                name=self.name, seconds=timeout, pending="; ".join(pending)),
            _("Read the logs: `{command}`.").format(command=docker_cli.join(self.command("logs", "--tail", "20")))))
        return self

    def __repr__(self) -> str:
        return f"<Compose project {self.name} ({self._shown(self.file)})>"


def _failure(out: str, doing: str) -> DockerlabError:
    """One clear kit error for a failed Compose command, from what Compose printed."""
    lines = [line for line in out.strip().splitlines() if line.strip()]
    tail = lines[-8:]
    text = out.lower()
    while_ = _("While {doing}: ").format(doing=doing)
    if "port is already allocated" in text or "address already in use" in text:
        return PortInUse(while_ + _("a host port the file asks for is already in use."), details=tail)
    pulling = "pulling " in text and any(w in text for w in ("no such host", "dial tcp", "connection refused",
                                                               "timeout", "manifest unknown", "not found"))
    if pulling or "no such image" in text or "pull access denied" in text or "repository does not exist" in text:
        return ImageMissing(while_ + _("an image the file names is not on this engine, and no registry gave it to "
                                       "Compose."), _("Check the spelling of `image:`, or build the image first (the "
                                                      "chapter's build cell, or `python -m dockerlab prepare --apps`)."),
                            details=tail)
    if "is invalid" in text or "yaml" in text or "unsupported config option" in text \
            or "additional property" in text or "mapping values are not allowed" in text:
        return BadInput(while_ + _("Compose cannot read the file."), _(
            "Fix the line Compose names (indentation is two spaces per level; a list item starts with '- ')."),
            details=tail)
    if "cannot connect to the docker daemon" in text or "connection refused" in text:
        return EngineUnavailable(while_ + _("Compose reached no engine."), details=tail)
    return DockerlabError(while_ + _("Compose failed."), _("Read Compose's last lines above."), details=tail)
