"""Swarm services: a replicated, self-healing, rolling-updatable app on the learner's single-node swarm.

``create()`` makes a labelled service (service labels and container labels) like `docker service create`;
:class:`Service` scales, updates, rolls back and lists its tasks. Swarm mode itself: :mod:`dockerlab.swarm`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

import docker
import docker.errors
from docker.models.services import Service as SdkService
from docker.types import (EndpointSpec, Healthcheck, Mount, Resources, RestartPolicy, RollbackConfig, ServiceMode,
                          UpdateConfig)

from . import docker_cli
from .containers import Container
from .engine import connect
from .errors import BadInput, NotFound, ReadyTimeout, translated
from .hostconfig import healthcheck_ns
from .i18n import _
from .images import resolve as resolve_image
from .labels import SESSION, kit_labels, name as namespaced, session_id
from .limits import SERVICE_PIDS
from .swarm import swarm_active
from .polling import poll

__all__ = ["Service", "create", "get", "find", "TERMINAL_UPDATE_STATES"]

TERMINAL_UPDATE_STATES = ("completed", "paused", "rollback_completed", "rollback_paused")
_NS = 1_000_000_000


def _container_of(task: Mapping[str, Any]) -> str:
    return str((task["Status"].get("ContainerStatus") or {}).get("ContainerID") or "")


class Service:
    """A Swarm service the kit made: the docker-py object (``.sdk``) plus what a lesson asks of it."""

    def __init__(self, sdk: SdkService, cli: str | None = None) -> None:
        self.sdk = sdk
        self.cli = docker_cli.CliCommand(cli or docker_cli.join(["docker", "service", "inspect", sdk.name]))

    @property
    def client(self) -> docker.DockerClient:
        return self.sdk.client

    @property
    def name(self) -> str:
        return self.sdk.name

    @property
    def id(self) -> str:
        return self.sdk.id

    @property
    def spec(self) -> dict[str, Any]:
        return self.sdk.attrs["Spec"]

    def reload(self) -> Service:
        with translated(_("reading service {name}").format(name=self.name)):
            self.sdk.reload()
        return self

    @property
    def image(self) -> str:
        """The image the service's spec asks for now."""
        return str(self.reload().spec["TaskTemplate"]["ContainerSpec"]["Image"]).split("@")[0]

    @property
    def replicas(self) -> int:
        return int(self.reload().spec["Mode"].get("Replicated", {}).get("Replicas", 0))

    @property
    def update_state(self) -> str | None:
        """completed, updating, rollback_started, rollback_completed, … (None before any update)."""
        return (self.reload().sdk.attrs.get("UpdateStatus") or {}).get("State")

    @property
    def update_message(self) -> str:
        """What the orchestrator said about the last update (why it rolled back, for instance)."""
        return str((self.reload().sdk.attrs.get("UpdateStatus") or {}).get("Message") or "")

    def tasks(self, *, running: bool = False) -> list[dict[str, Any]]:
        """The service's tasks (slots the orchestrator fills with containers), newest first."""
        with translated(_("listing the tasks of {name}").format(name=self.name)):
            tasks = self.sdk.tasks()
        if running:
            tasks = [t for t in tasks if t["DesiredState"] == "running" and t["Status"]["State"] == "running"]
        return sorted(tasks, key=lambda t: t.get("CreatedAt", ""), reverse=True)

    def container_ids(self) -> list[str]:
        """IDs of the containers of the running tasks."""
        return [_container_of(t) for t in self.tasks(running=True)]

    def containers(self) -> list[Container]:
        """The running tasks' containers, as kit containers (exec, logs, kill…)."""
        found = []
        for cid in self.container_ids():
            try:
                with translated(_("reading a task's container")):
                    found.append(Container(self.client.containers.get(cid)))
            except NotFound:
                continue
        return found

    def task_rows(self) -> list[dict[str, Any]]:
        """One row per task: slot, state, desired state, image, container, error (what `docker service ps` shows)."""
        rows = []
        for t in self.tasks():
            status = t["Status"]
            rows.append({"slot": t.get("Slot"), "state": status["State"], "desired": t["DesiredState"],
                         "image": str(t["Spec"]["ContainerSpec"]["Image"]).split("@")[0].split("/")[-1],
                         "container": _container_of(t)[:12],
                         "error": status.get("Err", "")})
        return sorted(rows, key=lambda r: (r["desired"] != "running", r["slot"] or 0))

    def wait_running(self, count: int | None = None, *, image: str | None = None, timeout: float = 90) -> Service:
        """Wait until ``count`` tasks (default: the spec's replicas) run, all of them ``image`` if given.

        Each poll judges one listing of the tasks (see :meth:`wait_replaced`).
        """
        want_image = image.split("@")[0] if image else None
        wanted = self.replicas if count is None else count
        seen: list[dict[str, Any]] = []

        def settled() -> bool:
            listing = self.tasks()
            tasks = [t for t in listing if t["DesiredState"] == "running"]
            running = [t for t in tasks if t["Status"]["State"] == "running"]
            others = [t for t in listing if t["DesiredState"] != "running" and t["Status"]["State"] == "running"]
            seen[:] = running
            ok = len(running) == wanted and len(tasks) == wanted and not others
            return ok and (not want_image or all(
                str(t["Spec"]["ContainerSpec"]["Image"]).split("@")[0] == want_image for t in running))

        poll(settled, timeout=timeout, interval=0.3, fail=lambda: ReadyTimeout(
            _("Service {name}: {running} of {wanted} task(s) running after {seconds:.0f} s.").format(
                name=self.name, running=len(seen), wanted=wanted, seconds=timeout),
            _("Look at the tasks' states: `docker service ps {name}`.").format(name=self.name),
            details=[str(row) for row in self.task_rows()[:8]]))  # slots, states, images and errors, as `service ps`
        return self

    def wait_replaced(self, container_id: str, *, count: int | None = None, timeout: float = 60) -> set[str]:
        """Wait until ``container_id`` is no longer a running task and ``count`` (default: the spec's replicas)
        tasks run again; returns the running containers' IDs at that moment.

        Each poll judges one listing of the tasks: asking twice (once for the count, once for the victim) can
        see the old container in the first answer and miss the new one in the second.
        """
        wanted = self.replicas if count is None else count
        ids: set[str] = set()

        def replaced() -> bool:
            ids.clear()
            ids.update(self.container_ids())
            return len(ids) == wanted and container_id not in ids

        poll(replaced, timeout=timeout, fail=lambda: ReadyTimeout(
            _("Service {name}: container {id} was not replaced within {seconds:.0f} s ({running} of {wanted} task(s) "
              "running).").format(name=self.name, id=container_id[:12], seconds=timeout, running=len(ids),
                                  wanted=wanted),
            _("Look at the tasks' states: `docker service ps {name}`.").format(name=self.name),
            details=[str(row) for row in self.task_rows()[:6]]))
        return set(ids)

    def replacement(self, container_id: str) -> str:
        """The running container the orchestrator started in the slot whose task ran ``container_id``.

        A replica's task keeps its slot (``todo.1``, ``todo.2``…) when it is replaced, so this names the
        replacement of one container even when another replica was replaced meanwhile (a health check that
        timed out on a busy machine, say).
        """
        listing = self.tasks()
        slots = [t.get("Slot") for t in listing if _container_of(t) == container_id]
        if not slots:
            raise NotFound(_("Service {name} has no task that ran container {id}.").format(
                name=self.name, id=container_id[:12]),
                _("Ask with an ID from this service's containers (`docker service ps {name}`).").format(
                    name=self.name))
        new = [_container_of(t) for t in listing if t.get("Slot") == slots[0] and t["DesiredState"] == "running"
               and t["Status"]["State"] == "running" and _container_of(t) != container_id]
        if not new:
            raise NotFound(_("Service {name}: slot {slot} runs no new container yet.").format(
                name=self.name, slot=slots[0]),
                _("Wait for it first: `wait_replaced(…)`, or look at `docker service ps {name}`.").format(
                    name=self.name))
        return new[0]

    def _update_started_at(self) -> str | None:
        return (self.reload().sdk.attrs.get("UpdateStatus") or {}).get("StartedAt")

    def wait_update(self, since: str | None, *, timeout: float = 120) -> str:
        """Wait until an update (or rollback) that started after ``since`` is over; returns its final state."""
        status: dict[str, Any] = {}

        def over() -> str | None:
            status.clear()
            status.update(self.reload().sdk.attrs.get("UpdateStatus") or {})
            started = status.get("StartedAt")
            return str(status["State"]) if started and started != since and \
                status.get("State") in TERMINAL_UPDATE_STATES else None

        return poll(over, timeout=timeout, interval=0.3, fail=lambda: ReadyTimeout(
            _("Service {name}: the update did not finish within {seconds:.0f} s (state {state}).").format(
                name=self.name, seconds=timeout, state=status.get("State")),
            _("`docker service ps {name}` shows why.").format(name=self.name)))

    def scale(self, replicas: int, *, wait: bool = True, timeout: float = 90) -> Service:
        """`docker service scale NAME=N`: the orchestrator starts or stops tasks until N run."""
        if not isinstance(replicas, int) or replicas < 0:
            raise BadInput(_("replicas must be a whole number ≥ 0, not {value}.").format(value=repr(replicas)),
                           _("Example: service.scale(3)."))
        spec = copy.deepcopy(self.reload().spec)
        spec["Mode"] = {"Replicated": {"Replicas": replicas}}
        self._post_update(spec, _("scaling {name}").format(name=self.name))
        self.cli = docker_cli.CliCommand(f"docker service scale {self.name}={replicas}")
        if wait:
            self.wait_running(replicas, timeout=timeout)
        return self.reload()

    def update_image(self, image: str, *, wait: bool = True, timeout: float = 120) -> str | None:
        """`docker service update --image IMAGE NAME`: a rolling update; returns the update's final state."""
        ref = resolve_image(image, self.client)
        since = self._update_started_at()
        spec = copy.deepcopy(self.reload().spec)
        spec["TaskTemplate"]["ContainerSpec"]["Image"] = ref
        self._post_update(spec, _("updating {name}").format(name=self.name))
        self.cli = docker_cli.CliCommand(f"docker service update --image {ref} --no-resolve-image {self.name}")
        if not wait:
            return None
        state = self.wait_update(since, timeout=timeout)
        self.wait_running(timeout=timeout)
        return state

    def rollback(self, *, wait: bool = True, timeout: float = 120) -> str | None:
        """`docker service rollback NAME`: go back to the spec before the last change (image, replicas, …)."""
        since = self._update_started_at()
        self._post_update(self.reload().spec, _("rolling back {name}").format(name=self.name), rollback=True)
        self.cli = docker_cli.CliCommand(f"docker service rollback {self.name}")
        if not wait:
            return None
        state = self.wait_update(since, timeout=timeout)
        self.wait_running(timeout=timeout)
        return state

    def _post_update(self, spec: dict[str, Any], doing: str, *, rollback: bool = False) -> None:
        """POST the service's whole spec with one change, the way `docker service scale/update/rollback` do
        (docker-py's update rebuilds the spec from its own defaults, which the CLI's twin would not share)."""
        api = self.client.api
        params: dict[str, Any] = {"version": self.sdk.version}
        if rollback:  # docker-py's update_service has no `rollback` parameter; the engine's API (≥ 1.28) has
            params["rollback"] = "previous"
        with translated(doing):
            resp = api._post_json(api._url("/services/{0}/update", self.id), data=spec, params=params)
            api._raise_for_status(resp)

    @property
    def endpoint_mode(self) -> str:
        """How a client reaches the tasks: "vip" (one virtual IP, the kernel's IPVS spreads the connections) or
        "dnsrr" (DNS answers with the tasks' own addresses)."""
        return str((self.reload().spec.get("EndpointSpec") or {}).get("Mode") or "vip")

    def remove(self) -> None:
        with translated(_("removing service {name}").format(name=self.name)):
            try:
                self.sdk.remove()
            except docker.errors.NotFound:
                pass

    def __repr__(self) -> str:
        return f"<Service {self.name} replicas={self.spec['Mode'].get('Replicated', {}).get('Replicas')}>"


def _healthcheck(spec: Mapping[str, Any] | None) -> Healthcheck | None:
    engine = docker_cli.shell_healthcheck(healthcheck_ns(spec))
    return Healthcheck(**engine) if engine else None


def create(name: str, image: str, *, replicas: int = 1, command: str | Sequence[str] | None = None,
                   env: Mapping[str, str] | None = None, healthcheck: Mapping[str, Any] | None = None,
                   tmpfs: Sequence[str] = (), memory: str = "256m", pids_limit: int = SERVICE_PIDS,
                   restart_delay: float = 1.0,
                   update_parallelism: int = 1, update_order: str = "start-first", update_monitor: float = 1.0,
                   failure_action: str = "rollback", rollback_order: str = "stop-first", chapter: str | None = None,
                   labels: Mapping[str, str] | None = None, networks: Sequence[str] = (),
                   endpoint_mode: str = "vip", wait: bool = True, timeout: float = 90,
                   client: docker.DockerClient | None = None) -> Service:
    """`docker service create --replicas N …`: labelled service (and containers) whose tasks get a memory and a
    pids limit (``memory``, ``pids_limit``); no published port.

    Swarm publishes ports on every interface of the host (its "ingress" network), and the course
    keeps ports on 127.0.0.1, so services here publish nothing: cells reach replicas through their tasks.
    ``healthcheck`` is as for ``lab.run``: test, retries, and interval/timeout/start_period in seconds. ``networks``
    (the session's overlay networks, by short name) give the service a name there: one virtual IP in front of its
    tasks (``endpoint_mode="vip"``), or the tasks' own addresses in DNS (``"dnsrr"``). ``update_monitor``: how long
    after its start a new task's failure still counts as the update's (the swarm also waits that long after the last
    task before it calls the update completed); a task that fails before it is running and healthy always counts.
    ``rollback_order``: a rollback stops each slot's task before it starts the one it goes back to (``stop-first``):
    with ``start-first`` a task of the bad release that fails by itself while its replacement starts is refilled by
    the restart policy too, and the slot keeps two tasks for good (moby/moby#41804, moby/swarmkit#2242; seen in CI:
    "3 of 2 task(s) running" after a failed update rolled back, two running tasks in one slot).
    """
    if endpoint_mode not in ("vip", "dnsrr"):
        raise BadInput(_("endpoint_mode must be 'vip' or 'dnsrr', not {value}.").format(value=repr(endpoint_mode)))
    client = client or connect()
    full = namespaced(name)
    if not swarm_active(client):
        raise NotFound(_("This engine is not in Swarm mode, so it cannot run services."),
                       _("Run the chapter's cell that calls `lab.swarm.ensure_swarm()` first."))
    ref = resolve_image(image, client)
    all_labels = kit_labels(chapter, extra=dict(labels or {}))
    resources = _resources(_bytes(memory), pids_limit)  # a bad limit is refused before anything changes
    health = _healthcheck(healthcheck)
    with translated(_("looking for image {image}").format(image=ref)):
        client.images.get(ref)
    existing = find(name, client)
    if existing is not None:
        if existing.spec.get("Labels", {}).get(SESSION) != session_id():
            raise BadInput(_("A service named {name} exists and the kit did not make it for you.").format(name=full),
                           _("Pick another name."))
        existing.remove()
        _wait_gone(client, full)
    cmd = ["sh", "-c", command] if isinstance(command, str) else (list(command) if command else None)
    with translated(_("creating service {name}").format(name=full)):
        sdk = client.services.create(
            ref, command=cmd, name=full, labels=all_labels, container_labels=all_labels, env=dict(env or {}),
            mode=ServiceMode("replicated", replicas=replicas), healthcheck=health,
            mounts=[Mount(target=t, source="", type="tmpfs") for t in tmpfs],
            resources=resources,
            restart_policy=RestartPolicy(condition="any", delay=int(restart_delay * _NS)),
            update_config=UpdateConfig(parallelism=update_parallelism, delay=0, order=update_order,
                                       failure_action=failure_action, monitor=int(update_monitor * _NS)),
            rollback_config=RollbackConfig(parallelism=update_parallelism, delay=0, order=rollback_order,
                                           monitor=int(update_monitor * _NS)),
            networks=[namespaced(n) for n in networks] or None, endpoint_spec=EndpointSpec(mode=endpoint_mode))
    cli = docker_cli.service_create_command(
        name=full, image=ref, replicas=replicas, command=cmd, labels=all_labels, env=dict(env or {}), tmpfs=tmpfs,
        memory=memory, pids_limit=pids_limit, restart_delay_ns=int(restart_delay * _NS),
        update_parallelism=update_parallelism, update_order=update_order, failure_action=failure_action,
        monitor_ns=int(update_monitor * _NS), rollback_order=rollback_order, healthcheck=health,
        networks=[namespaced(n) for n in networks], endpoint_mode=endpoint_mode)
    service = Service(sdk, cli)
    if wait:
        service.wait_running(replicas, timeout=timeout)
    return service


def _resources(memory: int, pids_limit: int) -> Resources:
    """Limits for each task: memory, and processes (``Limits.Pids``: API 1.41; docker-py has no keyword for it)."""
    if not isinstance(pids_limit, int) or isinstance(pids_limit, bool) or pids_limit <= 0:
        raise BadInput(_("pids_limit must be a whole number > 0, not {value}.").format(value=repr(pids_limit)),
                       _("Example: pids_limit=256."))
    resources = Resources(mem_limit=memory)
    resources["Limits"]["Pids"] = pids_limit
    return resources


def _bytes(size: str) -> int:
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    size = size.strip().lower().rstrip("b")
    return int(float(size[:-1]) * units[size[-1]]) if size[-1] in units else int(size)


def _wait_gone(client: docker.DockerClient, full: str, timeout: float = 40) -> None:
    poll(lambda: not client.api.containers(all=True, filters={"label": [f"com.docker.swarm.service.name={full}"]}),
         timeout=timeout, interval=0.3)


def get(name: str, client: docker.DockerClient | None = None) -> Service:
    """The kit service ``name`` (short or full name) of this session."""
    client = client or connect()
    full = namespaced(name)
    if not swarm_active(client):
        raise NotFound(_("There is no service {name}: the engine is not in Swarm mode.").format(name=full),
                       _("Run the cell that turns Swarm mode on and creates the service first."))
    with translated(_("looking for service {name}").format(name=full)):
        for svc in client.services.list(filters={"name": full}):
            if svc.name == full:
                return Service(svc)
    raise NotFound(_("There is no service named {name}.").format(name=full), _("Run the cell that creates it first."))


def find(name: str, client: docker.DockerClient | None = None) -> Service | None:
    """Like :func:`get`, but None when it does not exist."""
    try:
        return get(name, client)
    except NotFound:
        return None
