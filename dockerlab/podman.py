"""Podman as the course's engine: ``podman system service`` answers Docker's API on a socket the kit owns.

    python -m dockerlab engine podman-start     # prints the DOCKER_HOST to use
    python -m dockerlab engine podman-stop

Everything lives in the kit's state folder (``<state>/podman/``): the socket, the pid file, the service's
log, a ``containers.conf``, a ``registries.conf`` (the machine's own registries over plain http, as Docker allows)
and the service's own storage (so it never mixes with another Podman's). The
``containers.conf`` sets default ulimits: without them every container start fails on machines whose root
lacks CAP_SYS_RESOURCE ("error setting rlimit type 7"), and it picks cgroupfs and file events where no
systemd runs. Where the service's folder is on overlayfs (inside a container) the storage driver, vfs, is named on
every command line (:func:`storage_driver`): the exit command Podman gives each container (``podman container
cleanup``, run by conmon when the program ends) repeats only the options it was given.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .daemon import engine_answers, exited, pidfile_pid, state_dir
from .dockerfile import final_stage, stages
from .errors import EngineUnavailable
from .i18n import _
from .polling import poll

__all__ = ["PodmanService", "CONTAINERS_CONF"]

MOUNTS = Path("/proc/mounts")

CONTAINERS_CONF = """\
# Written by dockerlab for its Podman service (see dockerlab/podman.py).
[containers]
# Machines whose root lacks CAP_SYS_RESOURCE cannot raise a container's limits above the service's own:
# fixed values keep every container start working there.
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"

[network]
# The service's networks are its own, like its storage: Podman keeps them in /etc/cni/net.d by default, where every
# other Podman on the machine would list them (and the kit's leak checks would meet another service's).
network_config_dir = "{networks}"
"""


REGISTRIES_CONF = """\
# Written by dockerlab for its Podman service (see dockerlab/podman.py).
# Docker talks plain http to a registry on the machine itself (127.0.0.0/8, localhost: the course's registry);
# Podman only to the registries listed here as insecure (a port after the host matches too).
[[registry]]
location = "127.0.0.1"
insecure = true

[[registry]]
location = "localhost"
insecure = true
"""


def filesystem(path: Path) -> str:
    """The type of the filesystem ``path`` is on (the mount of /proc/mounts with the longest matching prefix)."""
    best, kind = "", ""
    target = str(path.resolve())
    for line in MOUNTS.read_text().splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        if (target == point or target.startswith(point.rstrip("/") + "/")) and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def storage_driver(folder: Path) -> str | None:
    """``vfs`` where the service's folder is itself on overlayfs (inside a container, whose files are an overlay: the
    kernel stacks no overlay on one), else None (Podman's own choice, or the machine's storage.conf). Left to Podman
    there, it tries overlay, falls back to vfs in the service, and leaves an ``overlay`` folder behind that every later
    ``podman`` command (the containers' exit commands too) takes for the storage's driver and fails on: the program
    ends, the container stays "stopped"."""
    return "vfs" if filesystem(folder) == "overlay" else None


@dataclass
class PodmanService:
    """A ``podman system service`` the kit starts and stops by its pid, with its own socket and storage."""

    name: str = "podman"

    @property
    def folder(self) -> Path:
        path = state_dir() / self.name
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def socket(self) -> Path:
        return self.folder / "podman.sock"

    @property
    def pidfile(self) -> Path:
        return self.folder / "podman.pid"

    @property
    def logfile(self) -> Path:
        return self.folder / "service.log"

    @property
    def conf(self) -> Path:
        return self.folder / "containers.conf"

    @property
    def registries(self) -> Path:
        return self.folder / "registries.conf"

    @property
    def networks(self) -> Path:
        return self.folder / "networks"

    def config(self) -> str:
        """The service's ``containers.conf``: the ulimits, no systemd, its own network folder."""
        return CONTAINERS_CONF.format(networks=self.networks)

    @property
    def address(self) -> str:
        return f"unix://{self.socket}"

    def podman(self, *args: str) -> list[str]:
        """A ``podman`` command line on this service's own storage."""
        f = self.folder
        driver = storage_driver(f)
        return ["podman", "--root", str(f / "storage"), "--runroot", str(f / "run"), "--tmpdir", str(f / "tmp"),
                *(["--storage-driver", driver] if driver else []), *args]

    def command(self) -> list[str]:
        return self.podman("system", "service", "--time=0", self.address)

    def env(self) -> dict[str, str]:
        return dict(os.environ, CONTAINERS_CONF=str(self.conf), CONTAINERS_REGISTRIES_CONF=str(self.registries))

    def pid(self) -> int | None:
        return pidfile_pid(self.pidfile)

    def answers(self, timeout: float = 5) -> bool:
        return engine_answers(self.address, timeout)

    def start(self, *, wait: float = 60, log=print) -> str:
        """Start the service (or reuse the one running); returns the DOCKER_HOST that reaches it."""
        if self.pid() and self.answers():
            return self.address
        if not shutil.which("podman"):
            raise EngineUnavailable(_("Podman is not installed on this machine."),
                                    _("Install it (`sudo apt-get install podman` on Debian/Ubuntu), then start again."))
        self.networks.mkdir(exist_ok=True)
        self.conf.write_text(self.config())
        self.registries.write_text(REGISTRIES_CONF)
        if self.socket.exists():
            self.socket.unlink()
        log(_("Starting Podman's Docker-compatible service on {address} (log: {path})…").format(
            address=self.address, path=self.logfile))
        with open(self.logfile, "ab") as out:
            proc = subprocess.Popen(self.command(), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    env=self.env(), start_new_session=True)
        self.pidfile.write_text(f"{proc.pid}\n")
        def answers() -> bool:
            if proc.poll() is not None:
                tail = self.logfile.read_text(errors="replace").splitlines()[-8:]
                raise EngineUnavailable(_("Podman's service stopped right after it started."),
                                        _("Read {path}; `podman info` says what Podman finds.").format(
                                            path=self.logfile), details=tail)
            return self.socket.exists() and self.answers()

        if poll(answers, timeout=wait, interval=0.3):
            return self.address
        self.stop(log=lambda _m: None)
        raise EngineUnavailable(_("Podman's service did not answer on {address} within {seconds:.0f} s.").format(
            address=self.address, seconds=wait), _("Read {path}.").format(path=self.logfile))

    def stop(self, *, log=print, wait: float = 30) -> bool:
        """Stop the service this kit started (by its pid); True when one was running."""
        from .engine import forget_clients

        pid = self.pid()
        forget_clients(self.address)
        if pid is None:
            return False
        log(_("Stopping Podman's service (pid {pid})…").format(pid=pid))
        # its containers stop with it, as a dockerd's do (Podman's run on, each under its conmon)
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            subprocess.run(self.podman("stop", "--all", "--time", "5"), env=self.env(), capture_output=True,
                           timeout=120)
        os.kill(pid, signal.SIGTERM)
        if not poll(lambda: exited(pid), timeout=wait):
            os.kill(pid, signal.SIGKILL)
        self.pidfile.unlink(missing_ok=True)
        self.end_monitors(log=log)
        self.unmount_leftovers(log=log)
        return True

    def monitors(self) -> list[int]:
        """The conmon processes still watching this service's containers or exec sessions (an exec's conmon waits
        five minutes after the command ends), found by its own storage folder in their command line."""
        storage = str(self.folder / "storage") + "/"
        found = []
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                argv = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if argv and argv[0].endswith(b"conmon") and any(a.decode(errors="replace").startswith(storage)
                                                             for a in argv):
                found.append(int(proc.name))
        return found

    def end_monitors(self, *, log=print) -> list[int]:
        """End the conmon processes of this service's storage (by pid); the pids ended."""
        pids = self.monitors()
        for pid in pids:  # SIGKILL: on SIGTERM a conmon runs its exit command, which mounts the storage again
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        if pids:
            log(_("Ended {count} conmon process(es) of the service's exec sessions and containers").format(
                count=len(pids)))
        return pids

    def unmount_leftovers(self, *, log=print) -> list[str]:
        """Unmount what the stopped service left mounted in its own storage (a build stopped half-way leaves its
        step's overlay mounted), deepest first; the mount points unmounted. Nothing outside its folder is touched."""
        storage = str(self.folder / "storage") + "/"
        try:
            points = [line.split()[1] for line in MOUNTS.read_text().splitlines()
                      if len(line.split()) > 1 and line.split()[1].startswith(storage)]
        except OSError:
            return []
        done = []
        for point in sorted(points, key=len, reverse=True):
            if subprocess.run(["umount", point], capture_output=True).returncode == 0:
                done.append(point)
        if done:
            log(_("Unmounted {count} mount(s) the service left in {path}").format(count=len(done), path=storage))
        return done


# -- where Podman differs --------------------------------------------------------------------------------------

_kinds: dict[str, bool] = {}
_last_check: dict[str, float] = {}


def is_podman(client) -> bool:
    """Does ``client`` talk to Podman? (asked once per engine address)"""
    address = str(getattr(client.api, "base_url", "")) + str(getattr(client.api, "_dockerlab_address", ""))
    if address not in _kinds:
        from .engine import engine_kind

        try:
            _kinds[address] = engine_kind({}, client.version()) == "Podman"
        except Exception:  # noqa: BLE001 - an engine that does not answer is not known to be Podman
            return False
    return _kinds[address]


def run_healthcheck(client, container_id: str, interval: float = 2.0) -> str | None:
    """Run a container's healthcheck now (at most once per ``interval`` seconds); its health status.

    Podman runs healthchecks from systemd timers; where no systemd runs (a container, a bare VM) nothing runs them
    and a container stays "starting" for ever. The libpod API on the same socket runs one on demand.
    """
    now = time.monotonic()
    if now - _last_check.get(container_id, -1e9) < interval:
        return None
    _last_check[container_id] = now
    api = client.api
    try:
        answer = api._get(f"{api.base_url}/v4.0.0/libpod/containers/{container_id}/healthcheck", timeout=60)
        return answer.json().get("Status") if answer.status_code == 200 else None
    except Exception:  # noqa: BLE001 - the wait goes on and says what it waited for
        return None


def _healthcheck_interval(attrs: dict) -> float | None:
    check = (attrs.get("Config") or {}).get("Healthcheck") or {}
    if not check.get("Test") or check["Test"][0] == "NONE":
        return None
    return max(1.0, (check.get("Interval") or 0) / 1e9 or 30.0)


@contextlib.contextmanager
def healthchecks_running(client, filters: dict[str, list[str]], every: float = 1.0) -> Iterator[None]:
    """While inside, run the healthchecks of the running containers ``filters`` matches, each at its interval, as
    the engine's timers would (Podman without systemd runs none; Compose's ``service_healthy`` waits for ever). On
    any other engine this does nothing."""
    if not is_podman(client):
        yield
        return
    stop = threading.Event()

    def pump() -> None:
        while not stop.wait(every):
            try:
                for summary in client.api.containers(filters=filters):
                    attrs = client.api.inspect_container(summary["Id"])
                    interval = _healthcheck_interval(attrs)
                    if interval is not None and (attrs.get("State") or {}).get("Running"):
                        run_healthcheck(client, summary["Id"], interval)
            except Exception:  # noqa: BLE001 - a container removed meanwhile; the next round sees the new state
                continue

    thread = threading.Thread(target=pump, name="dockerlab-podman-healthchecks", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(10)


def with_kit_label_line(context: Path | None, dockerfile: str | None, labels: Mapping[str, str],
                        target: str | None = None) -> tuple[str, dict[str, str]]:
    """The Dockerfile with the kit's labels as one sorted LABEL line, last in the stage the image is made of
    (``target``'s, else the last), and the labels left for the API.

    Podman turns the labels a build passes through the API into LABEL steps in random order, so a rebuild misses
    the cache at the first one that moved and gives a new image ID; one sorted line keeps rebuilds identical.
    """
    text = dockerfile if dockerfile is not None else (context / "Dockerfile").read_text()  # type: ignore[operator]
    kit = {k: v for k, v in sorted(labels.items()) if k.startswith("org.dockerlab.")}
    line = "LABEL " + " ".join(f'{k}="{v}"' for k, v in kit.items())
    rest = {k: v for k, v in labels.items() if k not in kit}
    all_stages = stages(text)
    final = final_stage(all_stages, target)
    after = final.index + 1 if final is not None else len(all_stages)
    if after >= len(all_stages):
        return text.rstrip("\n") + "\n" + line + "\n", rest
    lines = text.splitlines()
    at = all_stages[after].line - 1  # just before the next stage's FROM
    return "\n".join(lines[:at] + [line] + lines[at:]) + "\n", rest
