# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 10 · Orchestration: restarts, health, replicas and rolling updates
#
# *"Using containers well needs orchestration."* *"Kubernetes manages and schedules containers on nodes
# and provides clustering."* — this chapter shows what that means, on your own engine.
#
# **In this chapter you will**
# 1. crash a program on purpose and watch the engine bring it back (**restart policies**);
# 2. give a container a **healthcheck**, make it sick, and make it well again;
# 3. turn on a real orchestrator, **Docker Swarm**, on one node: run a service with 3 replicas;
# 4. kill a replica and watch the orchestrator replace it; **scale** up and down;
# 5. roll out a new version without downtime (**rolling update**), then **roll back**;
# 6. read the engine's **event stream** as a timeline of all of that;
# 7. read the **Kubernetes** manifests that would do the same, generated from the real service.
#
# Run the cells from top to bottom with **Shift+Enter**. The Swarm part needs about 2 minutes.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind
# (if an earlier run turned Swarm mode on, the reset turns it off again).

# %%
import os
import signal
import time

import yaml

import dockerlab as lab
from dockerlab import events, services, swarm
from dockerlab.course import ensure_app, kubernetes
from dockerlab.display.containers import containers_table
from dockerlab.display.timeline import Timeline
from dockerlab.exercises import ch10 as ex

ch = lab.start_chapter("10", "Orchestration")
ch.reset()
prefix = lab.session_id() + "-"

# %% [markdown]
# ### A recorder for the engine's events
# The engine announces everything that happens to a container — created, started, killed, died,
# healthy, unhealthy — as an **event**. In a terminal, `docker events` prints them as they come.
# We start a recorder now, in the background; at the end of the chapter it shows us a timeline of
# everything this chapter did. (It listens only to the containers of this chapter and this session.)

# %%
recorder = events.Recorder(chapter="10", service_prefix=prefix, strip_prefix=prefix).start()
print("$", events.events_command("10"))
assert recorder.running

# %% [markdown]
# ## 1. Why orchestration?
# A container runs **one program**. Docker starts it, and that is all — unless you ask for more.
# In production, programs crash, hang, run out of memory, and need more copies when more users come.
# *Orchestration* is the set of jobs that keep containers running the way you asked:
#
# | job | who does it in this chapter |
# |---|---|
# | restart a program that crashed | the engine, with a **restart policy** (section 2) |
# | notice a program that runs but no longer works | a **healthcheck** (section 3) |
# | replace a broken copy, keep *N* copies running, spread them on machines | an **orchestrator**: Swarm here, Kubernetes at work (section 4) |
# | roll out a new version without stopping the service, and go back | the orchestrator's **rolling update** and **rollback** |

# %% [markdown]
# ## 2. Restart policies: the engine brings a crashed program back
# ### 2.1 A program that crashes on demand
# To watch a crash, we need a program that crashes when *we* want. `flaky` is a tiny bash script: it counts
# how many times it has started, then waits; when the file `/tmp/crash` appears, it exits with code 1 —
# the way a real program says "I failed".

# %%
FLAKY_SH = r"""#!/bin/bash
# A pretend server: it crashes (exit code 1) as soon as /tmp/crash exists.
echo "start" >> /var/tmp/starts
echo "flaky started (start number $(wc -l < /var/tmp/starts))"
trap 'echo "stopping on request"; exit 0' TERM
while [ ! -e /tmp/crash ]; do sleep 0.1; done
rm -f /tmp/crash
echo "flaky crashes with exit code 1"
exit 1
"""
flaky = lab.build("flaky:1", dockerfile="FROM debian:bookworm-slim\n"
                                        "COPY flaky.sh /usr/local/bin/flaky\n"
                                        'CMD ["bash", "/usr/local/bin/flaky"]\n',
                  files={"flaky.sh": FLAKY_SH})
print(flaky.cli)
print("built", flaky.tag, "in", flaky.seconds, "s")

# %% [markdown]
# A small helper makes the program crash and then watches what the engine does for a moment:
# it returns the container's status, how many times the engine restarted it (`.restart_count`, the
# `RestartCount` of `docker inspect`) and how long that took. `lab.poll` asks again every few hundredths of a second
# until the answer is yes (or the time is up).

# %%
def crash_and_watch(c: lab.Container, settle: float = 2.0) -> tuple[str, int, float]:
    """Crash the flaky program in ``c``; return (status, restart count, seconds until it ran again or settled)."""
    before = c.reload().restart_count
    started = time.monotonic()
    c.exec("touch /tmp/crash")

    def settled() -> bool:
        c.reload()
        back = c.restart_count > before and c.status == "running"  # the engine started it again
        stopped = c.status == "exited" and time.monotonic() - started > settle  # stopped, and no restart came
        return back or stopped

    lab.poll(settled, timeout=15, interval=0.05)
    return c.status, c.restart_count, round(time.monotonic() - started, 2)


# %% [markdown]
# ### 2.2 Without a policy, a crash is the end
# The default restart policy is `no`: when the program exits, the container stays stopped.

# %%
fragile = lab.run("fragile", "flaky:1")
print(fragile.cli)
status, restarts, _ = crash_and_watch(fragile)
print("status:", status, "| exit code:", fragile.exit_code, "| restarts:", restarts)
assert status == "exited" and fragile.exit_code == 1 and restarts == 0

# %% [markdown]
# ### 2.3 `--restart on-failure`: the engine starts it again
# With `restart="on-failure"` (`docker run --restart on-failure`), the engine restarts the program whenever
# it exits with an error code. Before the crash we write a note into the container's filesystem.

# %%
sturdy = lab.run("sturdy", "flaky:1", restart="on-failure")
sturdy_id = sturdy.id
print(sturdy.cli)
sturdy.exec("echo 'written before the crash' > /var/tmp/note")
status, restarts, seconds = crash_and_watch(sturdy)
print(f"status: {status} | restarts: {restarts} | back after {seconds} s")
print(sturdy.logs())
assert status == "running" and restarts == 1  # S15: the engine restarted the crashed program

# %% [markdown]
# A **restart is not a new container**: the ID is the same, and the note written before the crash is
# still there (the program even counted its second start in `/var/tmp/starts`). Only the process is new.

# %%
note = sturdy.exec("cat /var/tmp/note").output.strip()
print("note after the restart:", note)
print("container id unchanged:", sturdy.reload().id == sturdy_id)
assert note == "written before the crash" and "start number 2" in sturdy.logs() and sturdy.id == sturdy_id

# %% [markdown]
# ### 2.4 A limit on retries: `on-failure:2`
# A program that crashes at every start would be restarted for ever. `on-failure:2` allows two restarts;
# the third crash is final. (Between retries the engine also waits longer each time: 0.1 s, 0.2 s, 0.4 s, …)

# %%
limited = lab.run("limited", "flaky:1", restart="on-failure:2")
print(limited.cli)
for attempt in (1, 2, 3):
    status, restarts, seconds = crash_and_watch(limited)
    print(f"crash {attempt}: status {status}, restarts so far {restarts} ({seconds} s)")
assert status == "exited" and restarts == 2  # S15: at most two restarts, then it stays down

# %% [markdown]
# ### 2.5 What *you* stop stays stopped
# `restart="always"` restarts a program whatever its exit code. But when **you** stop or kill a container
# through the engine (`docker stop`, `docker kill`), the engine takes it as your decision and does **not**
# restart it. We checked this on this course's engine (Docker 20.10): after `docker kill` the container
# stays `exited`, `RestartCount` stays 0. (`always` brings it back the next time the *engine* starts;
# `unless-stopped` does not.)

# %%
steady = lab.run("steady", "flaky:1", restart="always")
steady.kill()
print("$ docker kill", steady.name)
time.sleep(1.5)
steady.reload()
print("after docker kill:", steady.status, "| restarts:", steady.restart_count)
assert steady.status == "exited" and steady.restart_count == 0

# %% [markdown]
# ### 2.6 A real crash of the Java backend
# Now the course's Java backend, with `restart="always"`. We make its `java` process die **without asking
# Docker** — as if it had crashed or been killed by the kernel for using too much memory. The engine runs on
# this machine, so the notebook can send `SIGKILL` to that process directly (`State.Pid` is its number on the
# host: `.pid`). The engine sees its program die (exit code 137 = killed) and starts it again.

# %%
backend_image = ensure_app("backend")
api = lab.run("api", backend_image, restart="always", ports={8080: None}, wait="http:/actuator/health")
print(api.cli)
pid = api.reload().pid
local_engine = lab.engine_info().address.startswith("unix://") and os.path.exists(f"/proc/{pid}")
if local_engine:
    os.kill(pid, signal.SIGKILL)  # the java process dies, Docker did not ask for it
    started = time.monotonic()
    lab.poll(lambda: api.reload().restart_count >= 1, timeout=15, interval=0.05)
    api.wait_ready("http:/actuator/health", timeout=120)  # a loaded machine can take a while
    print(f"java (host pid {pid}) killed; back as host pid {api.pid}, "
          f"answering again after {time.monotonic() - started:.2f} s; restarts: {api.restart_count}")
    assert api.restart_count == 1 and api.pid != pid  # S15
else:
    print("The engine runs elsewhere (e.g. in Docker Desktop's VM): this notebook cannot signal its processes. "
          "Section 2.3 showed the same restart with a program that crashes by itself.")

# %% [markdown]
# ## 3. Healthchecks: running is not the same as working
# A program can run and still be useless: stuck, out of database connections, answering errors.
# A **healthcheck** is a command the engine runs inside the container every *interval*; exit code 0 means
# healthy. After *retries* failures in a row the container is **unhealthy**.
#
# Ours checks that the file `/tmp/ok` exists, every second (times in seconds, as `--health-interval 1s`).

# %%
probe = lab.run("probe", "debian:bookworm-slim", ["bash", "-c", "touch /tmp/ok; exec sleep infinity"],
                healthcheck={"test": ["CMD-SHELL", "test -f /tmp/ok"], "interval": 1, "timeout": 1, "retries": 1},
                wait="healthy", timeout=30)
print(probe.cli)
print("health:", probe.health)
assert probe.health == "healthy"


# %%
def wait_health(c: lab.Container, wanted: str, timeout: float = 15) -> float:
    """Wait until the container's health is ``wanted``; return how many seconds it took."""
    started = time.monotonic()
    lab.poll(lambda: c.reload().health == wanted, timeout=timeout, interval=0.1,
             fail=lambda: AssertionError(f"{c.name} is still {c.health}"))
    return round(time.monotonic() - started, 2)


# %% [markdown]
# Now we make it sick: remove the file. Within about a second the check fails and the container is
# `unhealthy`. Look closely at the status and the restart count: **the engine alone does not act on
# health** — the container keeps running, sick. Acting on it is an orchestrator's job (section 4.5).

# %%
probe.exec("rm /tmp/ok")
print(f"unhealthy after {wait_health(probe, 'unhealthy')} s")
last = probe.health_log[-1]
print("last check: exit code", last.exit_code, "| status:", probe.status, "| restarts:", probe.restart_count)
assert probe.health == "unhealthy" and probe.status == "running" and probe.restart_count == 0  # S15

# %% [markdown]
# Put the file back, and the next check passes:

# %%
probe.exec("touch /tmp/ok")
print(f"healthy again after {wait_health(probe, 'healthy')} s")
assert probe.health == "healthy"  # S15: health follows the check, both ways

# %% [markdown]
# The course's backend image carries its own healthcheck (a `HEALTHCHECK` line in its Dockerfile): a
# small script that asks the app's `GET /actuator/health`. Every container of that image gets it for free.

# %%
image_check = lab.images.inspect(backend_image).healthcheck  # the image's HEALTHCHECK, times in seconds
print("HEALTHCHECK", image_check["test"], "every", f"{image_check['interval']:g}", "s,",
      image_check["retries"], "retries")
print("the api container from 2.6 is:", api.reload().health or "starting",
      "(its first check comes 10 s after the start; until then it says 'starting')")
assert image_check["test"][-1].endswith("healthcheck")

# %% [markdown]
# Let us see all this chapter's containers so far — the table shows status, health and image:

# %%
containers_table([fragile, sturdy, limited, steady, api, probe])

# %% [markdown]
# ## 4. An orchestrator on one node: Docker Swarm
# A restart policy watches **one container on one machine**. An orchestrator manages a **cluster**:
# several machines (**nodes**) that it treats as one pool. You no longer say "run this container";
# you declare a **service** — *"keep 3 copies of this image running, healthy"* — and the orchestrator's
# **scheduler** decides which node runs each copy (a **task**), replaces what fails, and moves work away
# from a node that goes down. Kubernetes does this with *pods* on *nodes*; Docker's own orchestrator,
# **Swarm mode**, is built into every engine, so we can use a real one right here, with one node.
#
# The next cell turns Swarm mode on (`docker swarm init`) — only if your engine is not in a swarm
# already. It listens on 127.0.0.1 only. The chapter's reset turns it off again, if it turned it on.

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
# ### 4.1 Two versions of the app
# For a rolling update we need two versions. They are the course's backend with a different
# `APP_VERSION` — the app reports it at `GET /api/info`. Each build adds one small layer.

# %%
for version in ("1", "2"):
    built = lab.build(f"todo:v{version}", dockerfile=f"FROM {backend_image}\nENV APP_VERSION={version}.0.0\n")
    print(f"{built.tag}: built in {built.seconds} s")

# %% [markdown]
# ### 4.2 A service with 3 replicas
# `services.create` is `docker service create`. We ask for **3 replicas** of `todo:v1`, a healthcheck
# (the image's own, plus: "sick if `/tmp/sick` exists", so we can make one replica sick later), a memory
# limit, and an update policy: one task at a time, start the new one before stopping the old one, roll back
# by itself if the update fails.
#
# **Ports:** a Swarm service publishes ports on *every* network interface of the host (its "ingress"
# network), and this course keeps ports on 127.0.0.1. So we publish nothing, and talk to each replica
# through its container instead.

# %%
HEALTH = {"test": ["CMD-SHELL", "/usr/local/bin/healthcheck && test ! -e /tmp/sick"],
          "interval": 1.0, "timeout": 2.0, "retries": 2, "start_period": 30.0}  # failures count once it was healthy
started = time.monotonic()
todo = services.create("todo", "todo:v1", replicas=3, healthcheck=HEALTH, tmpfs=["/data"])
print(todo.cli)
print(f"3 replicas running and healthy after {time.monotonic() - started:.1f} s")
for row in todo.task_rows():
    print(row)
assert len(todo.tasks(running=True)) == 3  # S13: three replicas

# %% [markdown]
# The tasks are ordinary containers on this engine, named `<service>.<slot>.<task id>`. Each replica has its
# own hostname; we ask each one `GET /api/info` from inside (bash can open a TCP connection by itself).

# %%
INFO = "exec 3<>/dev/tcp/127.0.0.1/8080; printf 'GET /api/info HTTP/1.0\\r\\n\\r\\n' >&3; tail -n 1 <&3"


def ask_replicas(service: services.Service) -> list[dict]:
    """GET /api/info from every running replica of ``service``."""
    import json

    return [json.loads(c.exec(["bash", "-c", INFO]).output) for c in service.containers()]


answers = ask_replicas(todo)
for answer in answers:
    print(answer)
assert len({a["hostname"] for a in answers}) == 3 and {a["version"] for a in answers} == {"1.0.0"}

# %% [markdown]
# ### 4.3 Kill a replica: the orchestrator replaces it
# We kill one task's container (`docker kill`). For a plain container, section 2.5 showed that a kill is
# final. For a service, the orchestrator sees **2 running where 3 were declared** and schedules a new task
# — a **new container**, not a restart of the old one.

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
# ### 4.4 A sick replica is replaced too
# In section 3 the engine left an unhealthy container running. Under an orchestrator, an unhealthy task is
# a failed task: Swarm stops it and starts a fresh one. We make one replica sick.

# %%
sick = todo.containers()[0]
sick.exec("touch /tmp/sick")
started = time.monotonic()
running = todo.wait_replaced(sick.id, timeout=120)
print(f"the sick replica was replaced after {time.monotonic() - started:.1f} s")
assert sick.id not in running and len(running) == 3  # S15: health + orchestrator = replacement

# %% [markdown]
# ### 4.5 Scale up, scale down
# More users? Ask for more replicas: `docker service scale`. The spec changes; the orchestrator starts
# (or stops) tasks until the running count matches.

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
# ### 4.6 A rolling update to v2
# `docker service update --image todo:v2` replaces the tasks **one at a time**: start a v2 task, wait until
# it is healthy, stop a v1 task, next. During the update both versions serve — the service never goes down.
# We start the update and look at the running tasks' images every few tenths of a second.

# %%
started = time.monotonic()
todo.update_image("todo:v2", wait=False)
print(todo.cli)
seen = []
while todo.update_state != "completed" or time.monotonic() - started < 1:
    images = sorted(r["image"].split(":")[-1] for r in todo.task_rows() if r["state"] == "running")
    if not seen or seen[-1] != images:
        seen.append(images)
        print(f"{time.monotonic() - started:5.1f} s  running: {' '.join(images)}")
    assert time.monotonic() - started < 120
    time.sleep(0.3)
todo.wait_running(image=todo.image)
print(f"update {todo.update_state} after {time.monotonic() - started:.1f} s")
assert any("v1" in s and "v2" in s for s in seen)  # both versions served during the update
assert {a["version"] for a in ask_replicas(todo)} == {"2.0.0"}  # S13: a rolling update

# %% [markdown]
# ### 4.7 Roll back
# v2 turned out to be a bad idea? `docker service rollback` returns the service to the spec it had
# **before its last change** — here, v1 — the same careful way, one task at a time.

# %%
started = time.monotonic()
state = todo.rollback()
print(todo.cli)
print(f"{state} after {time.monotonic() - started:.1f} s; the service runs {todo.image.split('/')[-1]}")
assert todo.image.endswith("todo:v1") and state == "rollback_completed"
assert {a["version"] for a in ask_replicas(todo)} == {"1.0.0"}  # S13: rolled back

# %% [markdown]
# ### 4.8 A broken release rolls itself back
# The service was created with `--update-failure-action rollback`. We release a **broken** version: an image
# whose program stops at once with a configuration error. Its first task fails, the orchestrator stops the
# update and rolls back to v1 by itself — nobody had to press a button.

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
# ## 5. The whole story, from the engine's event stream
# Time to stop the recorder. Each row is one event the engine announced: containers created, started,
# killed (`signal 9` is SIGKILL, `15` is the polite SIGTERM), died (with their exit code), health changes,
# and the service's updates. First the containers of sections 2 and 3 and the service's own events:
# look for the crashes, the restarts, the probe turning unhealthy and healthy, and the updates and rollbacks.

# %%
timeline = Timeline(recorder.stop())
print(len(timeline), "events recorded")
timeline.where(lambda r: not r.name.startswith("todo."), "Sections 2–3, and the service todo")

# %% [markdown]
# All the events as a picture, the service's tasks included: one line per container (or service), time from
# left to right. Short lines are the tasks that were killed, found sick, scaled away or replaced by an update.

# %%
timeline.plot(width=11)

# %%
flaky_deaths = [r for r in timeline.rows if r.verb == "die" and r.name == "sturdy"]
assert flaky_deaths and flaky_deaths[0].detail == "exit code 1"  # the crash of 2.3 …
assert any(r.verb == "start" and r.name == "sturdy" and r.time > flaky_deaths[0].time for r in timeline.rows)  # … and its restart
assert any(r.verb == "health_status" and r.name == "probe" and r.detail == "unhealthy" for r in timeline.rows)
assert any(r.type == "service" and r.detail == "rollback_completed" for r in timeline.rows)
assert sum(1 for r in timeline.rows if r.verb == "start" and r.name.startswith("todo.")) >= 3 + 1 + 1 + 2 + 3 + 3

# %% [markdown]
# ## 6. The same service in Kubernetes
# Kubernetes asks for the same things in YAML **manifests**. A **Deployment** says "keep *replicas* copies
# of this pod template running" and rolls out updates; a **Service** gives the copies one stable address.
# The cell below writes both from the real Swarm service's spec (`docker service inspect`), so you can put
# them side by side:
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
# | restart policy `any` | `restartPolicy: Always` (the only one a Deployment allows) |
# | unpublished service on its overlay network | Service of type `ClusterIP` |

# %%
manifests = kubernetes.manifests(todo)
print(manifests)
deployment, k8s_service = yaml.safe_load_all(manifests)
container = deployment["spec"]["template"]["spec"]["containers"][0]
assert deployment["kind"] == "Deployment" and deployment["spec"]["replicas"] == todo.replicas  # S13
assert container["image"] == todo.image and "healthcheck" in " ".join(container["livenessProbe"]["exec"]["command"])
assert k8s_service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]

# %% [markdown]
# With `kubectl apply -f` these would run on any Kubernetes cluster (after pushing the image to a registry
# the cluster can pull from — chapter 11). This course needs no cluster: the ideas are the ones you just saw.
#
# We are done with `todo`; removing it frees memory for the exercises.

# %%
todo.remove()
print(f"$ docker service rm {todo.name}")

# %% [markdown]
# ## Exercises
# ### Exercise 1 — a container that comes back after a crash
# Run a container named **`resilient`** from your `flaky:1` image with a **restart policy** so that the engine
# brings it back after a crash. Then make it crash once (`.exec("touch /tmp/crash")`) and give the engine a
# moment. The check reads the engine: the policy, the restart count, the status.

# %%
### BEGIN SOLUTION
resilient = lab.run("resilient", "flaky:1", restart="on-failure")
status, restarts, seconds = crash_and_watch(resilient)  # section 2.1's helper: crash it, wait until it runs again
print(restarts, status, f"({seconds} s)")
### END SOLUTION

# %%
ex.q1.check()

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown]
# ### Set-up for exercises 2 and 3
# This cell (run it as it is) creates the service **`web`**: 3 replicas of `todo:v1`, then updated to `todo:v2`.
# It takes about half a minute.

# %%
web = services.create("web", "todo:v1", replicas=ex.WEB_REPLICAS, healthcheck=HEALTH, tmpfs=["/data"])
web.update_image("todo:v2")
for row in web.task_rows():
    print(row)

# %% [markdown]
# ### Exercise 2 — roll back
# Roll the service `web` back to the version it ran before its update. (Do exercise 2 **before** exercise 3:
# a rollback returns to the spec before the *last* change — whatever that change was.)

# %%
### BEGIN SOLUTION
web = services.get("web")
web.rollback()
print(web.image)
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown]
# ### Exercise 3 — scale down
# Fewer users tonight: scale the service `web` to **2** replicas.

# %%
### BEGIN SOLUTION
services.get("web").scale(2)
### END SOLUTION

# %%
ex.q3.check()

# %%
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown]
# ## Recap
# - A **restart policy** (`no`, `on-failure[:N]`, `always`, `unless-stopped`) makes the engine restart a
#   program that exits; a restart reuses the same container. What you stop yourself stays stopped.
# - A **healthcheck** says whether a running program *works*. The engine only reports it; an orchestrator acts on it.
# - An **orchestrator** (Swarm here, Kubernetes at work) keeps a declared number of replicas running on a
#   cluster of nodes: it replaces killed and sick tasks, scales, rolls updates out one task at a time and rolls
#   them back — by itself when the new version fails its health.
# - `docker events` tells the whole story afterwards.
# - The same service in Kubernetes is a Deployment (+ a Service); the ideas carry over one to one.
#
# ## Clean up
# This removes the chapter's containers, services and images (found by label), and turns Swarm mode off
# if this chapter turned it on.

# %%
ch.reset()
assert lab.leaks(chapter="10") == []
assert not swarm.swarm_active() or not info.created_by_kit
