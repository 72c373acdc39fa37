"""The Kubernetes manifests that would do what a Swarm service does: a teaching bridge from Swarm to Kubernetes.

``manifests(service)`` writes a Deployment (and a ClusterIP Service) from the service's real spec, so a learner
sees replicas, the healthcheck and the rolling-update settings in Kubernetes' words. No cluster is needed.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import yaml

from ..services import Service

__all__ = ["manifests"]

_NS = 1_000_000_000


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


def manifests(service: Service | Mapping[str, Any], *, container_port: int | None = 8080) -> str:
    """Kubernetes Deployment + Service YAML for a Swarm service spec (as `docker service inspect` shows it).

    replicas → spec.replicas; image, env, command, memory limit → the pod's container; the healthcheck →
    livenessProbe and readinessProbe; the update config → the RollingUpdate strategy. A Service
    (ClusterIP: reachable inside the cluster only, like our unpublished Swarm service) gives it one address.
    ``service`` is a kit :class:`~dockerlab.services.Service` (its spec as the engine has it now) or a spec dict.
    """
    spec = service.reload().spec if isinstance(service, Service) else service
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
