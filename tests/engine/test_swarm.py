"""dockerlab.swarm on the real engine: a single-node swarm the kit turns on and off, labelled services,
replacement of killed tasks, scaling, rolling update and rollback, Kubernetes manifests."""

from __future__ import annotations

import time

import docker.errors
import pytest
import yaml

import dockerlab as lab
from dockerlab import services, swarm
from dockerlab.course import kubernetes
from dockerlab.errors import NotFound
from conftest import skip_or_fail

pytestmark = [pytest.mark.engine, pytest.mark.docker_only(reason="Swarm mode is Docker's own orchestrator; Podman has none")]

TICK = ("FROM debian:bookworm-slim\nLABEL tick.version={v}\n"
        "CMD [\"bash\", \"-c\", \"trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done\"]\n")


@pytest.fixture
def fresh_engine(engine_client):
    if swarm.swarm_active(engine_client):
        skip_or_fail("the engine is already in a swarm (someone else's): these tests need to turn it on themselves")
    return engine_client


@pytest.fixture
def ticks(session):
    lab.labels.set_chapter("10")
    for v in (1, 2):
        lab.build(f"tick:{v}", dockerfile=TICK.format(v=v))
    yield
    lab.reset("10")


def test_service_lifecycle_and_reset_leaves_swarm(fresh_engine, ticks):
    client = fresh_engine
    had_gwbridge = bool(client.networks.list(names=["docker_gwbridge"]))
    info = swarm.ensure_swarm(chapter="10")
    assert info.created_by_kit and swarm.swarm_active(client)
    assert swarm.ensure_swarm().created_by_kit  # a second call keeps the same swarm
    svc = services.create("tick", "tick:1", replicas=2,
                               healthcheck={"test": ["CMD-SHELL", "true"], "interval": 1.0, "retries": 1})
    assert svc.name == lab.name("tick") and "docker service create" in svc.cli
    assert svc.spec["Labels"][lab.labels.SESSION] == lab.session_id()
    tasks_containers = svc.containers()
    assert len(tasks_containers) == 2
    assert all(c.labels.get(lab.labels.KIT) == "1" and c.labels.get(lab.labels.CHAPTER) == "10"
               for c in tasks_containers)
    assert {r.kind for r in lab.leaks(chapter="10")} >= {"service", "container", "image"}

    victim = tasks_containers[0]
    victim.kill()
    after = svc.wait_replaced(victim.id, timeout=60)
    assert len(after) == 2 and victim.id not in after
    new = svc.replacement(victim.id)  # the slot of the killed task runs the new container
    assert new in after and new != victim.id
    assert len({r["slot"] for r in svc.task_rows() if r["container"] in (victim.id[:12], new[:12])}) == 1

    svc.scale(3)
    assert svc.replicas == 3 and len(svc.tasks(running=True)) == 3
    assert svc.cli == f"docker service scale {svc.name}=3"

    assert svc.update_image("tick:2") == "completed"
    assert svc.image.endswith("/tick:2")
    assert svc.rollback() == "rollback_completed"
    assert svc.image.endswith("/tick:1")
    assert all(r["image"] == "tick:1" for r in svc.task_rows() if r["state"] == "running")

    deployment, service = yaml.safe_load_all(kubernetes.manifests(svc))
    assert deployment["spec"]["replicas"] == 3
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == svc.image
    assert service["spec"]["type"] == "ClusterIP"

    report = lab.reset("10")
    assert any("left Swarm mode" in line for line in report.other)
    assert not swarm.swarm_active(client)
    assert lab.leaks(chapter="10") == []
    if not had_gwbridge:  # the bridge `swarm init` made goes with it
        assert not client.networks.list(names=["docker_gwbridge"])


def test_reset_keeps_a_swarm_the_kit_did_not_make(fresh_engine, session):
    client = fresh_engine
    had_gwbridge = bool(client.networks.list(names=["docker_gwbridge"]))
    client.swarm.init(advertise_addr="127.0.0.1", listen_addr="127.0.0.1:2377")
    try:
        info = swarm.ensure_swarm()
        assert not info.created_by_kit
        lab.reset()
        assert swarm.swarm_active(client)
    finally:
        client.swarm.leave(force=True)
        deadline = time.monotonic() + 10
        while not had_gwbridge and time.monotonic() < deadline:  # leave no docker_gwbridge behind
            try:
                client.networks.get("docker_gwbridge").remove()
                break
            except docker.errors.NotFound:
                break
            except docker.errors.APIError:
                time.sleep(0.3)


def test_services_need_swarm_mode(fresh_engine, ticks):
    with pytest.raises(NotFound) as err:
        services.create("tick", "tick:1")
    assert "Swarm mode" in str(err.value) and "Hint:" in str(err.value)
    assert services.find("tick") is None


def test_manifests_from_a_spec_without_engine_state():
    spec = {"Name": "alice-web", "Labels": {"org.dockerlab.kit": "1"},
            "Mode": {"Replicated": {"Replicas": 4}},
            "UpdateConfig": {"Parallelism": 2, "Order": "stop-first"},
            "TaskTemplate": {"ContainerSpec": {"Image": "alice/web:v1@sha256:abc", "Env": ["A=1"],
                                               "Healthcheck": {"Test": ["CMD", "/bin/check", "-q"],
                                                               "Interval": 5_000_000_000, "Retries": 3}},
                             "RestartPolicy": {"Condition": "on-failure"}}}
    deployment, service = yaml.safe_load_all(kubernetes.manifests(spec, container_port=80))
    pod = deployment["spec"]["template"]["spec"]
    c = pod["containers"][0]
    assert deployment["spec"]["replicas"] == 4 and c["image"] == "alice/web:v1"
    assert c["env"] == [{"name": "A", "value": "1"}]
    assert c["livenessProbe"] == {"exec": {"command": ["/bin/check", "-q"]}, "periodSeconds": 5,
                                  "failureThreshold": 3}
    assert deployment["spec"]["strategy"]["rollingUpdate"] == {"maxSurge": 0, "maxUnavailable": 2}
    assert pod["restartPolicy"] == "Always" and "on-failure" in kubernetes.manifests(spec)
    assert service["spec"]["ports"] == [{"port": 80, "targetPort": 80}]


def test_service_tasks_have_limits_and_the_cli_twin_makes_the_same_service(fresh_engine, ticks):
    import twins

    client = fresh_engine
    swarm.ensure_swarm(chapter="10")
    svc = services.create("tick", "tick:1", replicas=1, env={"GREETING": "hi there"}, tmpfs=["/data"],
                          healthcheck={"test": ["CMD", "true"], "interval": 1.0, "retries": 2})
    limits = svc.spec["TaskTemplate"]["Resources"]["Limits"]
    assert limits == {"MemoryBytes": 256 * 1024**2, "Pids": 256}
    (task,) = svc.containers()
    assert task.attrs["HostConfig"]["PidsLimit"] == 256 and task.attrs["HostConfig"]["Memory"] == 256 * 1024**2
    assert "--limit-pids 256" in svc.cli
    # updates start the new task first; rollbacks stop the slot's task first (the restart policy cannot refill a
    # slot the rollback is working on: moby/moby#41804)
    assert (svc.spec["UpdateConfig"]["Order"], svc.spec["RollbackConfig"]["Order"]) == ("start-first", "stop-first")
    assert "--update-order start-first" in svc.cli and "--rollback-order stop-first" in svc.cli

    twin = svc.name + "-twin"

    def same_spec() -> list[str]:
        cli_spec = client.services.get(twin).attrs["Spec"]
        kit_spec = svc.reload().spec
        assert cli_spec["Name"] == twin
        kit_spec, cli_spec = (twins.pruned({k: v for k, v in s.items() if k != "Name"}) for s in (kit_spec, cli_spec))
        return twins.differences(kit_spec, cli_spec)

    twins.run_cli(svc.cli, rename={svc.name: twin})
    try:
        assert same_spec() == []
        # scale, rolling update and rollback: each call's line does to the twin what the call did to the kit's
        for step in (lambda: svc.scale(2), lambda: svc.update_image("tick:2"), lambda: svc.rollback()):
            step()
            twins.run_cli(svc.cli.replace(f"{svc.name}=", f"{twin}="), rename={svc.name: twin})
            assert same_spec() == [], svc.cli
            assert svc.spec["TaskTemplate"]["Resources"]["Limits"] == limits, svc.cli  # kept through every change
        for task in svc.containers():  # the tasks the update and the rollback started: each with both limits
            host = task.attrs["HostConfig"]
            assert host["PidsLimit"] == 256 and host["Memory"] == 256 * 1024**2, task.name
    finally:
        client.services.get(twin).remove()
    assert "left Swarm mode" in " ".join(lab.reset("10").other)


def test_an_overlay_network_and_a_service_on_it_have_exact_twins(fresh_engine, ticks):
    """`docker network create --driver overlay --attachable …` and `docker service create … --network N
    --endpoint-mode dnsrr`: each line, run with the real CLI, makes what the kit made."""
    import json
    import subprocess

    import twins

    client = fresh_engine
    swarm.ensure_swarm(chapter="10")
    net = lab.networks.create("mesh", driver="overlay", attachable=True)
    twins.run_cli(net.cli, rename={net.name: net.name + "-cli"})
    kit, cli = (json.loads(subprocess.check_output([twins.DOCKER, "network", "inspect", n]))[0]
                for n in (net.name, net.name + "-cli"))
    try:
        vxlan = "com.docker.network.driver.overlay.vxlanid_list"  # the engine's own number for each overlay
        for key in ("Driver", "Labels", "Options", "Scope", "Internal", "Attachable", "EnableIPv6"):
            assert pruned_of(kit, key, vxlan) == pruned_of(cli, key, vxlan), key
        assert kit["Driver"] == "overlay" and kit["Attachable"] is True
        svc = services.create("meshed", "tick:1", replicas=1, networks=["mesh"], endpoint_mode="dnsrr")
        twin = svc.name + "-twin"
        twins.run_cli(svc.cli, rename={svc.name: twin})
        try:
            kit_spec, cli_spec = (twins.pruned({k: v for k, v in s.items() if k != "Name"})
                                  for s in (svc.reload().spec, client.services.get(twin).attrs["Spec"]))
            assert twins.differences(kit_spec, cli_spec) == [], svc.cli
            assert kit_spec["EndpointSpec"]["Mode"] == "dnsrr"
            assert [n["Target"] for n in kit_spec["TaskTemplate"]["Networks"]] == [kit["Id"]]
        finally:
            client.services.get(twin).remove()
    finally:
        client.api.remove_network(net.name + "-cli")
    assert "left Swarm mode" in " ".join(lab.reset("10").other)


def pruned_of(network: dict, key: str, leave_out: str):
    value = network.get(key)
    return {k: v for k, v in value.items() if k != leave_out} if isinstance(value, dict) else value
