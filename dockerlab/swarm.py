"""A real orchestrator on the learner's own engine: single-node Docker Swarm.

``ensure_swarm()`` turns Swarm mode on (``docker swarm init --advertise-addr 127.0.0.1``) only when the
engine is not already in a swarm, and labels the swarm so the kit knows it made it. The chapter's
reset removes its services, waits until their containers are gone and leaves Swarm mode again —
only when the kit turned it on for this learner. ``create_service`` makes a labelled service
(service labels and container labels), and :class:`Service` scales, updates, rolls back and
lists its tasks. ``kubernetes_manifests`` writes the equivalent Kubernetes YAML from the real spec.
"""

from __future__ import annotations

import copy
import socket
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import docker
import docker.errors
import yaml
from docker.models.services import Service as SdkService
from docker.types import (EndpointSpec, Healthcheck, Mount, Resources, RestartPolicy, RollbackConfig, ServiceMode,
                          UpdateConfig)

from . import commands
from .cleanup import register_reset_hook
from .containers import Container
from .engine import connect
from .errors import BadInput, NotFound, ReadyTimeout, translated
from .images import resolve as resolve_image
from .labels import CHAPTER, KIT, SESSION, kit_filter, kit_labels, name as namespaced, session_id

__all__ = ["SwarmInfo", "swarm_active", "ensure_swarm", "leave_if_ours", "Service", "create_service", "get_service",
           "find_service", "kubernetes_manifests", "TERMINAL_UPDATE_STATES"]

#: label on the swarm itself: "the kit turned Swarm mode on" (plus session and chapter labels)
CREATED_BY_KIT = "org.dockerlab.swarm"
#: label: docker_gwbridge did not exist before the kit's `swarm init`, so leaving may remove it
GWBRIDGE_LABEL = "org.dockerlab.swarm.gwbridge"
TERMINAL_UPDATE_STATES = ("completed", "paused", "rollback_completed", "rollback_paused")
_NS = 1_000_000_000


@dataclass(frozen=True)
class SwarmInfo:
    """The swarm the chapter uses: the node's id, whether the kit turned it on, the command it stands for."""

    node_id: str
    created_by_kit: bool
    cli: commands.CliCommand


def _state(client: docker.DockerClient) -> str:
    with translated("asking the engine about Swarm mode"):
        return (client.info().get("Swarm") or {}).get("LocalNodeState") or "inactive"


def swarm_active(client: docker.DockerClient | None = None) -> bool:
    """True when the engine is a Swarm node (manager or worker)."""
    return _state(client or connect()) == "active"


def _swarm_labels(client: docker.DockerClient) -> dict[str, str]:
    try:
        client.swarm.reload()
        return dict((client.swarm.attrs.get("Spec") or {}).get("Labels") or {})
    except docker.errors.APIError:  # a worker node cannot read the swarm spec
        return {}


def _free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return s.getsockname()[1]
            except OSError:
                continue
    raise OSError("no free port on 127.0.0.1")  # pragma: no cover


def ensure_swarm(client: docker.DockerClient | None = None, *, chapter: str | None = None) -> SwarmInfo:
    """Turn Swarm mode on (single node, on 127.0.0.1) unless the engine is already in a swarm."""
    client = client or connect()
    cli = commands.CliCommand("docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377")
    if swarm_active(client):
        labels = _swarm_labels(client)
        with translated("reading the swarm node"):
            node_id = client.info()["Swarm"]["NodeID"]
        return SwarmInfo(node_id, labels.get(CREATED_BY_KIT) == "1", cli)
    with translated("looking for docker_gwbridge"):
        had_gwbridge = bool(client.networks.list(names=["docker_gwbridge"]))
    labels = kit_labels(chapter, extra={CREATED_BY_KIT: "1", GWBRIDGE_LABEL: "kept" if had_gwbridge else "created"})
    port = _free_port(2377)
    if port != 2377:
        cli = commands.CliCommand(f"docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:{port}")
    with translated("turning Swarm mode on"):
        node_id = client.swarm.init(advertise_addr="127.0.0.1", listen_addr=f"127.0.0.1:{port}", labels=labels)
    return SwarmInfo(str(node_id), True, cli)


def leave_if_ours(client: docker.DockerClient | None = None, *, chapter: str | None = None) -> list[str]:
    """Leave Swarm mode when the kit turned it on for this learner (and chapter) and no service is left."""
    client = client or connect()
    if not swarm_active(client):
        return []
    labels = _swarm_labels(client)
    if labels.get(CREATED_BY_KIT) != "1" or labels.get(SESSION) != session_id():
        return []
    if chapter is not None and labels.get(CHAPTER) not in (None, chapter):
        return []
    with translated("listing services"):
        if client.services.list():
            return ["kept Swarm mode on: services of others still run in it"]
    with translated("leaving Swarm mode"):
        client.swarm.leave(force=True)
    done = ["left Swarm mode (the kit had turned it on: `docker swarm leave --force`)"]
    if labels.get(GWBRIDGE_LABEL) == "created":
        # the bridge `swarm init` made; its last endpoint (ingress-sbox) goes a moment after the leave
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                net = client.networks.get("docker_gwbridge")
                if not net.attrs.get("Containers"):
                    net.remove()
                    break
            except docker.errors.NotFound:
                break
            except docker.errors.APIError:
                pass
            time.sleep(0.3)
    return done


def _reset_hook(chapter: str | None) -> list[str]:
    """On reset: remove this learner's services (of the chapter), wait for their containers, maybe leave."""
    try:
        client = connect()
        if not swarm_active(client):
            return []
    except Exception:
        return []
    done: list[str] = []
    flt = kit_filter(chapter)
    with translated("removing the chapter's services"):
        for svc in client.services.list(filters=flt):
            svc.remove()
            done.append(f"removed service {svc.name}")
        deadline = time.monotonic() + 40
        wanted = flt["label"] + ["com.docker.swarm.service.id"]
        while client.api.containers(all=True, filters={"label": wanted}) and time.monotonic() < deadline:
            time.sleep(0.3)
    return done + leave_if_ours(client, chapter=chapter)


register_reset_hook(_reset_hook)


class Service:
    """A Swarm service the kit made: the docker-py object (``.sdk``) plus what a lesson asks of it."""

    def __init__(self, sdk: SdkService, cli: str | None = None) -> None:
        self.sdk = sdk
        self.cli = commands.CliCommand(cli or commands.join(["docker", "service", "inspect", sdk.name]))

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
        with translated(f"reading service {self.name}"):
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

    def tasks(self, *, running: bool = False) -> list[dict[str, Any]]:
        """The service's tasks (slots the orchestrator fills with containers), newest first."""
        with translated(f"listing the tasks of {self.name}"):
            tasks = self.sdk.tasks()
        if running:
            tasks = [t for t in tasks if t["DesiredState"] == "running" and t["Status"]["State"] == "running"]
        return sorted(tasks, key=lambda t: t.get("CreatedAt", ""), reverse=True)

    def container_ids(self) -> list[str]:
        """IDs of the containers of the running tasks."""
        return [t["Status"]["ContainerStatus"]["ContainerID"] for t in self.tasks(running=True)]

    def containers(self) -> list[Container]:
        """The running tasks' containers, as kit containers (exec, logs, kill…)."""
        found = []
        for cid in self.container_ids():
            try:
                with translated("reading a task's container"):
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
                         "container": ((status.get("ContainerStatus") or {}).get("ContainerID") or "")[:12],
                         "error": status.get("Err", "")})
        return sorted(rows, key=lambda r: (r["desired"] != "running", r["slot"] or 0))

    def wait_running(self, count: int | None = None, *, image: str | None = None, timeout: float = 90) -> Service:
        """Wait until ``count`` tasks (default: the spec's replicas) run, all of them ``image`` if given.

        Each poll judges one listing of the tasks (see :meth:`wait_replaced`).
        """
        deadline = time.monotonic() + timeout
        want_image = image.split("@")[0] if image else None
        wanted = self.replicas if count is None else count
        while True:
            listing = self.tasks()
            tasks = [t for t in listing if t["DesiredState"] == "running"]
            running = [t for t in tasks if t["Status"]["State"] == "running"]
            others = [t for t in listing if t["DesiredState"] != "running" and t["Status"]["State"] == "running"]
            ok = len(running) == wanted and len(tasks) == wanted and not others
            if ok and want_image:
                ok = all(str(t["Spec"]["ContainerSpec"]["Image"]).split("@")[0] == want_image for t in running)
            if ok:
                return self
            if time.monotonic() > deadline:
                errors = sorted({t["Status"].get("Err", "") for t in self.tasks()[:6]} - {""})
                raise ReadyTimeout(f"Service {self.name}: {len(running)} of {wanted} task(s) running after "
                                   f"{timeout:.0f} s.", "Look at the tasks' states: `docker service ps "
                                   f"{self.name}`.", details=errors)
            time.sleep(0.3)

    def wait_replaced(self, container_id: str, *, count: int | None = None, timeout: float = 60) -> set[str]:
        """Wait until ``container_id`` is no longer a running task and ``count`` (default: the spec's replicas)
        tasks run again; returns the running containers' IDs at that moment.

        Each poll judges one listing of the tasks: asking twice (once for the count, once for the victim) can
        see the old container in the first answer and miss the new one in the second.
        """
        deadline = time.monotonic() + timeout
        wanted = self.replicas if count is None else count
        while True:
            ids = set(self.container_ids())
            if len(ids) == wanted and container_id not in ids:
                return ids
            if time.monotonic() > deadline:
                raise ReadyTimeout(f"Service {self.name}: container {container_id[:12]} was not replaced within "
                                   f"{timeout:.0f} s ({len(ids)} of {wanted} task(s) running).",
                                   f"Look at the tasks' states: `docker service ps {self.name}`.",
                                   details=[str(row) for row in self.task_rows()[:6]])
            time.sleep(0.2)

    def _update_started_at(self) -> str | None:
        return (self.reload().sdk.attrs.get("UpdateStatus") or {}).get("StartedAt")

    def wait_update(self, since: str | None, *, timeout: float = 120) -> str:
        """Wait until an update (or rollback) that started after ``since`` is over; returns its final state."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.reload().sdk.attrs.get("UpdateStatus") or {}
            if status.get("StartedAt") and status.get("StartedAt") != since \
                    and status.get("State") in TERMINAL_UPDATE_STATES:
                return str(status["State"])
            if time.monotonic() > deadline:
                raise ReadyTimeout(f"Service {self.name}: the update did not finish within {timeout:.0f} s "
                                   f"(state {status.get('State')}).", f"`docker service ps {self.name}` shows why.")
            time.sleep(0.3)

    def scale(self, replicas: int, *, wait: bool = True, timeout: float = 90) -> Service:
        """`docker service scale NAME=N`: the orchestrator starts or stops tasks until N run."""
        if not isinstance(replicas, int) or replicas < 0:
            raise BadInput(f"replicas must be a whole number ≥ 0, not {replicas!r}.", "Example: service.scale(3).")
        with translated(f"scaling {self.name}"):
            self.reload().sdk.scale(replicas)
        self.cli = commands.CliCommand(f"docker service scale {self.name}={replicas}")
        if wait:
            self.wait_running(replicas, timeout=timeout)
        return self.reload()

    def update_image(self, image: str, *, wait: bool = True, timeout: float = 120) -> str | None:
        """`docker service update --image IMAGE NAME`: a rolling update; returns the update's final state."""
        ref = resolve_image(image, self.client)
        since = self._update_started_at()
        with translated(f"updating {self.name}"):
            self.sdk.update(image=ref)
        self.cli = commands.CliCommand(f"docker service update --image {ref} {self.name}")
        if not wait:
            return None
        state = self.wait_update(since, timeout=timeout)
        self.wait_running(timeout=timeout)
        return state

    def rollback(self, *, wait: bool = True, timeout: float = 120) -> str | None:
        """`docker service rollback NAME`: go back to the spec before the last change (image, replicas, …)."""
        since = self._update_started_at()
        api = self.client.api
        self.reload()
        with translated(f"rolling back {self.name}"):
            # docker-py's update_service has no `rollback` parameter; the engine's API (≥ 1.28) has.
            resp = api._post_json(api._url("/services/{0}/update", self.id), data=self.spec,
                                  params={"version": self.sdk.version, "rollback": "previous"})
            api._raise_for_status(resp)
        self.cli = commands.CliCommand(f"docker service rollback {self.name}")
        if not wait:
            return None
        state = self.wait_update(since, timeout=timeout)
        self.wait_running(timeout=timeout)
        return state

    def remove(self) -> None:
        with translated(f"removing service {self.name}"):
            try:
                self.sdk.remove()
            except docker.errors.NotFound:
                pass

    def kubernetes(self, container_port: int | None = 8080) -> str:
        """The Kubernetes Deployment (and Service) that would do what this Swarm service does."""
        return kubernetes_manifests(self.reload().spec, container_port=container_port)

    def __repr__(self) -> str:
        return f"<Service {self.name} replicas={self.spec['Mode'].get('Replicated', {}).get('Replicas')}>"


def _healthcheck(spec: Mapping[str, Any] | None) -> Healthcheck | None:
    if spec is None:
        return None
    data = dict(spec)
    for key in ("interval", "timeout", "start_period"):
        if isinstance(data.get(key), float):
            data[key] = int(data[key] * _NS)  # seconds → nanoseconds, for readability in cells
    return Healthcheck(**data)


def create_service(name: str, image: str, *, replicas: int = 1, command: str | Sequence[str] | None = None,
                   env: Mapping[str, str] | None = None, healthcheck: Mapping[str, Any] | None = None,
                   tmpfs: Sequence[str] = (), memory: str = "256m", restart_delay: float = 1.0,
                   update_parallelism: int = 1, update_order: str = "start-first", update_monitor: float = 2.0,
                   failure_action: str = "rollback", chapter: str | None = None,
                   labels: Mapping[str, str] | None = None, wait: bool = True, timeout: float = 90,
                   client: docker.DockerClient | None = None) -> Service:
    """`docker service create --replicas N …`: labelled service (and containers); no published port.

    Swarm publishes ports on every interface of the host (its "ingress" network), and the course
    keeps ports on 127.0.0.1, so services here publish nothing: cells reach replicas through their tasks.
    ``healthcheck`` takes docker-py's keys; interval/timeout/start_period may be floats in seconds.
    """
    client = client or connect()
    full = namespaced(name)
    if not swarm_active(client):
        raise NotFound("This engine is not in Swarm mode, so it cannot run services.",
                       "Run the chapter's cell that calls `lab.swarm.ensure_swarm()` first.")
    ref = resolve_image(image, client)
    all_labels = kit_labels(chapter, extra=dict(labels or {}))
    with translated(f"looking for image {ref}"):
        client.images.get(ref)
    existing = find_service(name, client)
    if existing is not None:
        if existing.spec.get("Labels", {}).get(SESSION) != session_id():
            raise BadInput(f"A service named {full} exists and the kit did not make it for you.",
                           "Pick another name.")
        existing.remove()
        _wait_gone(client, full)
    mem = _bytes(memory)
    cmd = ["sh", "-c", command] if isinstance(command, str) else (list(command) if command else None)
    with translated(f"creating service {full}"):
        sdk = client.services.create(
            ref, command=cmd, name=full, labels=all_labels, container_labels=all_labels, env=dict(env or {}),
            mode=ServiceMode("replicated", replicas=replicas), healthcheck=_healthcheck(healthcheck),
            mounts=[Mount(target=t, source="", type="tmpfs") for t in tmpfs],
            resources=Resources(mem_limit=mem),
            restart_policy=RestartPolicy(condition="any", delay=int(restart_delay * _NS)),
            update_config=UpdateConfig(parallelism=update_parallelism, delay=0, order=update_order,
                                       failure_action=failure_action, monitor=int(update_monitor * _NS)),
            rollback_config=RollbackConfig(parallelism=update_parallelism, delay=0, order=update_order,
                                           monitor=int(update_monitor * _NS)),
            endpoint_spec=EndpointSpec(mode="vip"))
    args = ["docker", "service", "create", "--name", full, "--replicas", str(replicas),
            "--label", f"{KIT}=1", "--container-label", f"{KIT}=1", "--limit-memory", memory,
            "--update-parallelism", str(update_parallelism), "--update-order", update_order,
            "--update-failure-action", failure_action]
    for key, value in (env or {}).items():
        args += ["--env", f"{key}={value}"]
    for t in tmpfs:
        args += ["--mount", f"type=tmpfs,target={t}"]
    if healthcheck and healthcheck.get("test"):
        test = list(healthcheck["test"])
        args += ["--health-cmd", test[-1] if test[0] == "CMD-SHELL" else commands.join(test[1:])]
    service = Service(sdk, commands.join(args + [ref] + (cmd or [])))
    if wait:
        service.wait_running(replicas, timeout=timeout)
    return service


def _bytes(size: str) -> int:
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    size = size.strip().lower().rstrip("b")
    return int(float(size[:-1]) * units[size[-1]]) if size[-1] in units else int(size)


def _wait_gone(client: docker.DockerClient, full: str, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not client.api.containers(all=True, filters={"label": [f"com.docker.swarm.service.name={full}"]}):
            return
        time.sleep(0.3)


def get_service(name: str, client: docker.DockerClient | None = None) -> Service:
    """The kit service ``name`` (short or full name) of this session."""
    client = client or connect()
    full = namespaced(name)
    if not swarm_active(client):
        raise NotFound(f"There is no service {full}: the engine is not in Swarm mode.",
                       "Run the cell that turns Swarm mode on and creates the service first.")
    with translated(f"looking for service {full}"):
        for svc in client.services.list(filters={"name": full}):
            if svc.name == full:
                return Service(svc)
    raise NotFound(f"There is no service named {full}.", "Run the cell that creates it first.")


def find_service(name: str, client: docker.DockerClient | None = None) -> Service | None:
    """Like :func:`get_service`, but None when it does not exist."""
    try:
        return get_service(name, client)
    except NotFound:
        return None


# ---------------------------------------------------------------------------------------------- Kubernetes
def _seconds(ns: int | None) -> int | None:
    return None if not ns else max(1, round(ns / _NS))


def _probe(health: Mapping[str, Any]) -> dict[str, Any] | None:
    test = list(health.get("Test") or [])
    if not test or test[0] == "NONE":
        return None
    command = ["sh", "-c", test[1]] if test[0] == "CMD-SHELL" else test[1:]
    probe: dict[str, Any] = {"exec": {"command": command}}
    for key, field in (("initialDelaySeconds", "StartPeriod"), ("periodSeconds", "Interval"),
                       ("timeoutSeconds", "Timeout")):
        value = _seconds(health.get(field))
        if value:
            probe[key] = value
    if health.get("Retries"):
        probe["failureThreshold"] = int(health["Retries"])
    return probe


def _k8s_name(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")[:63]


def kubernetes_manifests(spec: Mapping[str, Any], *, container_port: int | None = 8080) -> str:
    """Kubernetes Deployment + Service YAML for a Swarm service spec (as `docker service inspect` shows it).

    replicas → spec.replicas; image, env, command, memory limit → the pod's container; the healthcheck →
    livenessProbe and readinessProbe; the update config → the RollingUpdate strategy. A Service
    (ClusterIP: reachable inside the cluster only, like our unpublished Swarm service) gives it one address.
    """
    name = _k8s_name(str(spec.get("Name", "app")))
    labels = {k: str(v) for k, v in (spec.get("Labels") or {}).items()}
    task = spec.get("TaskTemplate") or {}
    cspec = task.get("ContainerSpec") or {}
    replicas = int(((spec.get("Mode") or {}).get("Replicated") or {}).get("Replicas", 1))
    container: dict[str, Any] = {"name": name, "image": str(cspec.get("Image", "")).split("@")[0],
                                 "imagePullPolicy": "IfNotPresent"}
    if cspec.get("Command"):
        container["command"] = list(cspec["Command"])
    if cspec.get("Args"):
        container["args"] = list(cspec["Args"])
    if cspec.get("Env"):
        container["env"] = [{"name": e.split("=", 1)[0], "value": e.split("=", 1)[1]} for e in cspec["Env"]]
    if container_port:
        container["ports"] = [{"containerPort": int(container_port)}]
    memory = ((task.get("Resources") or {}).get("Limits") or {}).get("MemoryBytes")
    if memory:
        container["resources"] = {"limits": {"memory": f"{int(memory) // 1024**2}Mi"}}
    volumes = []
    for i, mount in enumerate(cspec.get("Mounts") or []):
        if mount.get("Type") == "tmpfs":
            vol = f"tmp-{i}"
            volumes.append({"name": vol, "emptyDir": {"medium": "Memory"}})
            container.setdefault("volumeMounts", []).append({"name": vol, "mountPath": mount["Target"]})
    probe = _probe(cspec.get("Healthcheck") or {})
    if probe:
        container["livenessProbe"] = probe
        container["readinessProbe"] = copy.deepcopy(probe)  # a copy: no YAML anchors in the output
    update = spec.get("UpdateConfig") or {}
    step = int(update.get("Parallelism") or 1)
    start_first = update.get("Order") == "start-first"
    pod_labels = {"app": name}
    pod_spec: dict[str, Any] = {"restartPolicy": "Always", "containers": [container]}
    if volumes:
        pod_spec["volumes"] = volumes
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": {**pod_labels, **labels}},
        "spec": {"replicas": replicas, "selector": {"matchLabels": pod_labels},
                 "strategy": {"type": "RollingUpdate",
                              "rollingUpdate": {"maxSurge": step if start_first else 0,
                                                "maxUnavailable": 0 if start_first else step}},
                 "template": {"metadata": {"labels": {**pod_labels, **labels}}, "spec": pod_spec}},
    }
    docs: list[dict[str, Any]] = [deployment]
    if container_port:
        docs.append({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "labels": labels},
                     "spec": {"type": "ClusterIP", "selector": pod_labels,
                              "ports": [{"port": int(container_port), "targetPort": int(container_port)}]}})
    condition = ((task.get("RestartPolicy") or {}).get("Condition")) or "any"
    header = (f"# Generated from the Swarm service {spec.get('Name')} (docker service inspect).\n"
              f"# Swarm restart condition {condition!r} -> Kubernetes restarts a failed container in place\n"
              "# (restartPolicy: Always, the only policy a Deployment allows) and replaces a lost pod.\n")
    return header + yaml.safe_dump_all(docs, sort_keys=False, default_flow_style=False)
