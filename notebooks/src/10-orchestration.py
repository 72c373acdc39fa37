# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 10 · Orchestration: replicas, self-healing, scaling, rolling updates
#
# *"Using containers well needs orchestration."* *"Kubernetes manages and schedules containers on nodes and provides
# clustering."* — this chapter shows what that means, with a real orchestrator on your own engine.
#
# **In this chapter you will**
# 1. turn on **Docker Swarm** on one node and run a **service** with 3 replicas;
# 2. kill a replica, make one sick — and watch the orchestrator replace them (**self-healing**);
# 3. **scale** up and down;
# 4. roll out a new version while a client keeps calling the service, and count its failed requests
#    (**rolling update**, zero downtime);
# 5. **roll back** by hand, and watch a broken release roll itself back;
# 6. read the engine's **event stream** as a timeline;
# 7. read the **Kubernetes** manifests that would do the same — and where Kubernetes behaves differently;
# 8. try each step yourself on a service of your own, `web`.
#
# Chapter 09 showed what one engine does for one container. Run the cells from top to bottom with **Shift+Enter**;
# the whole chapter takes about four minutes.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind (if an earlier run turned
# Swarm mode on, the reset turns it off again).

# %%
import json
import time

import yaml

import dockerlab as lab
from dockerlab import events, services, swarm
from dockerlab.course import ensure_app, kubernetes
from dockerlab.display.timeline import Timeline
from dockerlab.exercises import ch10 as ex

ch = lab.start_chapter("10", "Orchestration")
ch.reset()
prefix = lab.name("x")[:-1]  # the session's prefix on a shared engine ("alice-"), "" on your own

# %% [markdown]
# A recorder listens to the engine's events from now on (chapter 09 introduced it); section 6 shows what it heard.

# %%
recorder = events.Recorder(chapter="10", service_prefix=prefix, strip_prefix=prefix).start()
assert recorder.running

# %% [markdown]
# ## 1. An orchestrator on one node: Docker Swarm
# A restart policy watches **one container on one machine**. An orchestrator manages a **cluster**: several machines
# (**nodes**) that it treats as one pool. You no longer say "run this container"; you declare a **service** —
# *"keep 3 copies of this image running, healthy"* — and the orchestrator's **scheduler** decides which node runs each
# copy (a **task**), replaces what fails, and moves work away from a node that goes down. Kubernetes does this with
# *pods* on *nodes*; Docker's own orchestrator, **Swarm mode**, is built into every engine, so we can use a real one
# right here, with one node.
#
# The next cell turns Swarm mode on (`docker swarm init`) — only if your engine is not in a swarm already. It listens on
# 127.0.0.1 only. The chapter's reset turns it off again, if it turned it on.

# %%
info = swarm.ensure_swarm(chapter="10")
print("$", info.cli)
print("turned on by this chapter:", info.created_by_kit)
print("$ docker node ls")
for node in swarm.nodes():
    print(f"node {node.id}: {node.hostname}, role {node.role}, availability {node.availability}, "
          f"state {node.state}, {node.cpus:g} CPUs")
assert swarm.swarm_active() and len(swarm.nodes()) >= 1  # S13: a cluster (of one node)

# %% [markdown]
# ## 2. A service with 3 replicas
# ### Two versions of the app
# For a rolling update we need two versions. They are the course's backend with a different `APP_VERSION` — the app
# reports it at `GET /api/info`. Each build adds one small layer.

# %%
backend_image = ensure_app("backend")
for version in ("1", "2"):
    built = lab.build(f"todo:v{version}", dockerfile=f"FROM {backend_image}\nENV APP_VERSION={version}.0.0\n")
    print(f"{built.tag}: built in {built.seconds} s")

# %% [markdown]
# ### A network for the service, and the service
# Services talk over an **overlay** network: a network that spans every node of the swarm (here, one). The service
# gets a **name** on it — `docker service create --network todo-net` — so a client on the same network reaches "the
# service", whichever tasks run it. (`--attachable` lets ordinary containers join, like the client in section 5.)
#
# `services.create` is `docker service create`. We ask for **3 replicas** of `todo:v1`, a healthcheck (the image's
# own, plus "sick if `/tmp/sick` exists", so we can make one replica sick later), a memory limit, and an update policy:
# one task at a time, start the new one before stopping the old one, roll back by itself if the update fails.
#
# **Ports:** a Swarm service publishes ports on *every* network interface of the host (its "ingress" network), and
# this course keeps ports on 127.0.0.1. So we publish nothing: cells reach the service from inside the network.
#
# **How a client reaches "the service"** (section 5 uses it): normally through one **virtual IP** (VIP) that the
# kernel's load balancer, **IPVS**, spreads over the healthy tasks. Some kernels come without IPVS (small cloud VMs,
# some CI machines); there a VIP answers nothing, and the service lets DNS hand out its tasks' own addresses instead
# (`--endpoint-mode dnsrr`, "DNS round robin"). A throw-away container on the network asks its kernel which it is.

# %%
network = lab.networks.create("todo-net", driver="overlay", attachable=True)
print(network.cli)
ipvs_probe = lab.run("ipvs-probe", "debian:bookworm-slim", ["test", "-e", "/proc/net/ip_vs"], network="todo-net")
ENDPOINT_MODE = "vip" if ipvs_probe.wait() == 0 else "dnsrr"
print("IPVS in this kernel:", ENDPOINT_MODE == "vip", "→ endpoint mode", ENDPOINT_MODE)
HEALTH = {"test": ["CMD-SHELL", "/usr/local/bin/healthcheck && test ! -e /tmp/sick"],
          "interval": 1.0, "timeout": 2.0, "retries": 2, "start_period": 30.0}  # failures count once it was healthy
started = time.monotonic()
todo = services.create("todo", "todo:v1", replicas=3, healthcheck=HEALTH, tmpfs=["/data"], networks=["todo-net"],
                       endpoint_mode=ENDPOINT_MODE)
print(todo.cli)
print(f"3 replicas running and healthy after {time.monotonic() - started:.1f} s")
for row in todo.task_rows():
    print(row)
assert len(todo.tasks(running=True)) == 3  # S13: three replicas

# %% [markdown]
# The tasks are ordinary containers on this engine, named `<service>.<slot>.<task id>`. Each replica has its own
# hostname; we ask each one `GET /api/info` from inside (bash can open a TCP connection by itself).

# %%
INFO = "exec 3<>/dev/tcp/127.0.0.1/8080; printf 'GET /api/info HTTP/1.0\\r\\n\\r\\n' >&3; tail -n 1 <&3"


def ask_replicas(service: services.Service) -> list[dict]:
    """GET /api/info from every running replica of ``service``."""
    return [json.loads(c.exec(["bash", "-c", INFO]).output) for c in service.containers()]


answers = ask_replicas(todo)
for answer in answers:
    print(answer)
assert len({a["hostname"] for a in answers}) == 3 and {a["version"] for a in answers} == {"1.0.0"}

# %% [markdown]
# ### Try it — a service of your own
# Create a service named **`web`** running **`todo:v1`** with **2 replicas** (give it the chapter's `HEALTH` and a
# tmpfs at `/data`, as `todo` has). The next exercises all work on `web`.

# %%
### BEGIN SOLUTION
web = services.create("web", "todo:v1", replicas=2, healthcheck=HEALTH, tmpfs=["/data"])
print(web.cli)
### END SOLUTION

# %%
ex.q1.check()

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown]
# ## 3. Self-healing
# ### Kill a replica: the orchestrator replaces it
# We kill one task's container (`docker kill`). For a plain container, chapter 09 showed that a kill is final. For a
# service, the orchestrator sees **2 running where 3 were declared** and schedules a new task — a **new container**,
# not a restart of the old one.

# %%
victim = todo.containers()[0]
before = set(todo.container_ids())
victim.kill()
print("$ docker kill", victim.name)
started = time.monotonic()
after = todo.wait_replaced(victim.id, timeout=120)  # one listing per poll: 3 running, the victim not among them
print(f"back to 3 running after {time.monotonic() - started:.1f} s; new container:",
      [c[:12] for c in after - before])
assert len(after) == 3 and victim.id not in after and len(after - before) == 1  # S13: a killed replica replaced

# %% [markdown]
# ### A sick replica is replaced too
# In chapter 09 the engine left an unhealthy container running. Under an orchestrator, an unhealthy task is a failed
# task: Swarm stops it and starts a fresh one. We make one replica sick.

# %%
sick = todo.containers()[0]
sick.exec("touch /tmp/sick")
started = time.monotonic()
running = todo.wait_replaced(sick.id, timeout=120)
print(f"the sick replica was replaced after {time.monotonic() - started:.1f} s")
assert sick.id not in running and len(running) == 3  # S15: health + orchestrator = replacement

# %% [markdown]
# ### Try it — kill one of `web`'s replicas
# Kill one of the containers of **your** service `web` (as above, or `docker kill` in a terminal: `docker ps` lists
# them as `web.<slot>.<id>`), and let the orchestrator replace it.

# %%
### BEGIN SOLUTION
web = services.get("web")
victim = web.containers()[0]
victim.kill()
web.wait_replaced(victim.id, timeout=120)
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown]
# ## 4. Scale up, scale down
# More users? Ask for more replicas: `docker service scale`. The spec changes; the orchestrator starts (or stops) tasks
# until the running count matches.

# %%
started = time.monotonic()
todo.scale(5)
print(todo.cli, f"→ {len(todo.tasks(running=True))} running after {time.monotonic() - started:.1f} s")
assert len(todo.tasks(running=True)) == 5
started = time.monotonic()
todo.scale(3)
print(todo.cli, f"→ {len(todo.tasks(running=True))} running after {time.monotonic() - started:.1f} s")
assert todo.replicas == 3 and len(todo.tasks(running=True)) == 3  # S15: scaling

# %% [markdown]
# ### Try it — scale `web` to 3
# Busier times: scale your service `web` to **3** replicas.

# %%
### BEGIN SOLUTION
services.get("web").scale(3)
### END SOLUTION

# %%
ex.q3.check()

# %%
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown]
# ## 5. A rolling update, with a client watching
# `docker service update --image todo:v2` replaces the tasks **one at a time**: start a v2 task, wait until it is
# healthy, stop a v1 task, next. During the update both versions serve — the service should never go down. Let us
# not take that on trust: a **client** container on `todo-net` calls the service by its name, `GET /api/info`, over
# and over, and counts the answers (by version) and the **failed requests**.

# %%
LOOP = r"""
ok=0; failed=0; v1=0; v2=0
while [ ! -e /tmp/stop ]; do
  answer=$(timeout 2 bash -c 'exec 3<>/dev/tcp/'"$SERVICE"'/8080 && printf "GET /api/info HTTP/1.0\r\n\r\n" >&3 && cat <&3' 2>&1)
  if [[ $answer == "HTTP/1.1 200"* ]]; then
    ok=$((ok+1)); if [[ $answer == *'"version":"2.0.0"'* ]]; then v2=$((v2+1)); else v1=$((v1+1)); fi
  else
    failed=$((failed+1)); echo "failed at $(date +%T): ${answer:0:80}"
  fi
  sleep 0.02
done
echo "requests ok=$ok failed=$failed v1=$v1 v2=$v2"
"""
client_box = lab.run("client", "debian:bookworm-slim", ["bash", "-c", LOOP], network="todo-net",
                     env={"SERVICE": todo.name})
print(client_box.cli)

# %% [markdown]
# The client calls the service by its **name**. What the name resolves to depends on the endpoint mode chosen in
# section 2: one virtual IP in front of all tasks, or the tasks' own addresses.

# %%
addresses = sorted({line.split()[0] for line in client_box.exec(["getent", "ahostsv4", todo.name]).output.splitlines()})
tasks = sorted(c.ip(network.name) for c in todo.containers())
print(f"{todo.name} resolves to {addresses}; the tasks' own addresses are {tasks}")
if todo.endpoint_mode == "vip":
    print("→ one virtual IP: IPVS in the kernel spreads the connections over the healthy tasks")
    assert len(addresses) == 1 and addresses[0] not in tasks
else:
    print("→ DNS round robin: this kernel has no IPVS, so Docker's DNS answers with the running tasks themselves")
    assert set(addresses) == set(tasks)

# %% [markdown]
# Now the update, while the client keeps calling. We watch which versions run, every few tenths of a second.

# %%
time.sleep(2)  # a few requests before the update
started = time.monotonic()
todo.update_image("todo:v2", wait=False)
print(todo.cli)
seen = []
while todo.update_state != "completed" or time.monotonic() - started < 1:
    images = sorted(r["image"].split(":")[-1] for r in todo.task_rows() if r["state"] == "running")
    if not seen or seen[-1] != images:
        seen.append(images)
        print(f"{time.monotonic() - started:5.1f} s  running: {' '.join(images)}")
    assert time.monotonic() - started < 180
    time.sleep(0.3)
todo.wait_running(image=todo.image)
print(f"update {todo.update_state} after {time.monotonic() - started:.1f} s")
time.sleep(2)  # a few requests after it
client_box.exec("touch /tmp/stop")
assert client_box.wait(timeout=30) == 0
summary = client_box.logs().strip().splitlines()[-1]
print(summary)
counts = dict(item.split("=") for item in summary.split()[1:])
assert any("v1" in s and "v2" in s for s in seen)  # both versions served during the update
assert int(counts["failed"]) == 0 and int(counts["v1"]) > 0 and int(counts["v2"]) > 0  # S13: zero downtime
assert {a["version"] for a in ask_replicas(todo)} == {"2.0.0"}  # S13: a rolling update

# %% [markdown]
# Every request got an answer — first from v1, then from both, then from v2 — while every task was replaced. That is
# what `--update-order start-first` and the healthcheck buy: a new task takes requests only once it is healthy, and an
# old one is stopped only after that.
#
# ### Try it — update `web` to v2
# Roll your service `web` out to **`todo:v2`**.

# %%
### BEGIN SOLUTION
services.get("web").update_image("todo:v2")
### END SOLUTION

# %%
ex.q4.check()

# %%
# ex.q4.hint()
# ex.q4.solution()

# %% [markdown]
# ## 6. Roll back
# v2 turned out to be a bad idea? `docker service rollback` returns the service to the spec it had **before its last
# change** — here, v1 — the same careful way, one task at a time.

# %%
started = time.monotonic()
state = todo.rollback()
print(todo.cli)
print(f"{state} after {time.monotonic() - started:.1f} s; the service runs {todo.image.split('/')[-1]}")
assert todo.image.endswith("todo:v1") and state == "rollback_completed"
assert {a["version"] for a in ask_replicas(todo)} == {"1.0.0"}  # S13: rolled back

# %% [markdown]
# ### A broken release rolls itself back — in Swarm
# The service was created with `--update-failure-action rollback`. We release a **broken** version: an image whose
# program stops at once with a configuration error. Its first task fails, the orchestrator stops the update and rolls
# back to v1 by itself — nobody had to press a button.
#
# (Kubernetes does **not** do this by itself: a Deployment whose new pods fail keeps its old pods serving, stalls the
# rollout, and after `progressDeadlineSeconds` marks it as failed — and waits. Someone, or a CD tool, runs
# `kubectl rollout undo`. Section 7 shows the two side by side.)

# %%
broken = lab.build("todo:v3-broken", dockerfile=f"FROM {backend_image}\nENV APP_VERSION=3.0.0\n"
                   "ENTRYPOINT [\"sh\", \"-c\", \"echo 'config error: DATABASE_URL is not set' >&2; exit 1\"]\n")
started = time.monotonic()
state = todo.update_image("todo:v3-broken")
print(todo.cli)
print(f"update ended as '{state}' after {time.monotonic() - started:.1f} s; the service runs",
      todo.image.split("/")[-1])
print("message:", todo.update_message)
assert state == "rollback_completed" and todo.image.endswith("todo:v1")
assert {a["version"] for a in ask_replicas(todo)} == {"1.0.0"}  # S15: an automatic rollback

# %% [markdown]
# ### Try it — roll `web` back
# Roll your service `web` back to the version it ran before its update.

# %%
### BEGIN SOLUTION
services.get("web").rollback()
### END SOLUTION

# %%
ex.q5.check()

# %%
# ex.q5.hint()
# ex.q5.solution()

# %% [markdown]
# ## 7. The whole story, from the engine's event stream
# Time to stop the recorder. Each row is one event the engine announced: tasks created, started, killed (`signal 9`
# is SIGKILL, `15` the polite SIGTERM), died (with their exit code), health changes, and the services' updates.
# First the services' own events: the updates and the rollbacks.

# %%
timeline = Timeline(recorder.stop())
print(len(timeline), "events recorded")
timeline.where(lambda r: r.type == "service", "The services: updates and rollbacks")

# %% [markdown]
# All the events as a picture: one line per container (or service), time from left to right. Short lines are the
# tasks that were killed, found sick, scaled away or replaced by an update.

# %%
timeline.plot(width=11)

# %%
assert any(r.type == "service" and r.detail == "rollback_completed" for r in timeline.rows)
assert any(r.verb == "die" and r.name.startswith("todo.") and r.detail == "exit code 137" for r in timeline.rows)
assert sum(1 for r in timeline.rows if r.verb == "start" and r.name.startswith("todo.")) >= 3 + 1 + 1 + 2 + 3 + 3

# %% [markdown]
# ## 8. The same service in Kubernetes
# Kubernetes asks for the same things in YAML **manifests**. A **Deployment** says "keep *replicas* copies of this pod
# template running" and rolls out updates; a **Service** gives the copies one stable address (a virtual IP, like
# Swarm's). The cell below writes both from the real Swarm service's spec (`docker service inspect`):
#
# | Swarm (this chapter) | Kubernetes |
# |---|---|
# | node (`docker swarm init`, `join`) | node (a machine running the *kubelet*) |
# | manager's scheduler | the control plane's *kube-scheduler* |
# | service + `--replicas 3` | Deployment `spec.replicas: 3` |
# | task (one container) | pod (one or more containers) |
# | healthcheck | `livenessProbe` (restart when failing) / `readinessProbe` (no traffic until passing) |
# | `--update-parallelism 1 --update-order start-first` | `strategy.rollingUpdate: maxSurge 1, maxUnavailable 0` |
# | `docker service rollback` | `kubectl rollout undo deployment/…` |
# | `--update-failure-action rollback`: a failed update rolls back **by itself** | **no automatic rollback**: the rollout stalls (`progressDeadlineSeconds`) until `kubectl rollout undo` |
# | restart policy `any` | `restartPolicy: Always` (the only one a Deployment allows) |
# | unpublished service on its overlay network | Service of type `ClusterIP` |
#
# One more difference: Kubernetes does not run your containers through Docker. Its nodes run **OCI images** — exactly
# the images you build with `docker build` — through a container runtime that speaks its CRI: **containerd** or
# **CRI-O**. The adapter that let Kubernetes drive Docker Engine (*dockershim*) was removed in Kubernetes 1.24. Your
# Dockerfiles and images carry over unchanged; `docker` commands on the nodes do not.

# %%
manifests = kubernetes.manifests(todo)
print(manifests)
deployment, k8s_service = yaml.safe_load_all(manifests)
container = deployment["spec"]["template"]["spec"]["containers"][0]
assert deployment["kind"] == "Deployment" and deployment["spec"]["replicas"] == todo.replicas  # S13
assert container["image"] == todo.image and "healthcheck" in " ".join(container["livenessProbe"]["exec"]["command"])
assert k8s_service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]

# %% [markdown]
# With `kubectl apply -f` these would run on any Kubernetes cluster (after pushing the image to a registry the cluster
# can pull from — chapter 11). This course needs no cluster: the ideas are the ones you just saw.
#
# ### Try it — a Kubernetes rollout that fails
# Your team runs `web` as a Kubernetes Deployment. After `kubectl set image deployment/web …`, the new pods crash at
# start. Which **command** brings the previous version back? Put it in `answer` (a string).

# %%
answer = "____"
### BEGIN SOLUTION
answer = "kubectl rollout undo deployment/web"
### END SOLUTION

# %%
ex.q6.check(answer)

# %%
# ex.q6.hint()
# ex.q6.solution()

# %% [markdown]
# ## Recap
# - An **orchestrator** (Swarm here, Kubernetes at work) keeps a declared number of replicas running on a cluster of
#   nodes: it replaces killed and sick tasks (new containers, not restarts), and scales on request.
# - A **rolling update** replaces tasks one at a time; with start-first order and a healthcheck, a client calling the
#   service by its name saw **no failed request**. `docker service rollback` goes back to the spec before the last
#   change.
# - Swarm rolls a failing update back **by itself** (`--update-failure-action rollback`); a Kubernetes Deployment does
#   not — its rollout stalls until `kubectl rollout undo`.
# - Kubernetes runs the same **OCI images** through containerd or CRI-O (no Docker Engine since 1.24): a Deployment
#   (+ a Service) carries the same ideas.
#
# ## Clean up
# This removes the chapter's services, containers, network and images (found by label), and turns Swarm mode off if
# this chapter turned it on.

# %%
ch.reset()
assert lab.leaks(chapter="10") == []
assert not swarm.swarm_active() or not info.created_by_kit
