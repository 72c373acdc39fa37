# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 09 · Keep it running: restart policies and healthchecks
#
# *"Using containers well needs orchestration."* Before an orchestrator, the engine itself can already keep a single
# container alive — if you ask it to. This chapter shows what one engine does on its own, and where it stops.
#
# **In this chapter you will**
# 1. crash a program on purpose and watch the engine bring it back (**restart policies**), and see what it does
#    *not* bring back;
# 2. give a container a **healthcheck**, make it sick, and make it well again — and see that the engine only
#    *reports* health;
# 3. read the engine's **event stream** as a timeline of all of it;
# 4. try each yourself: a container that survives a crash; a healthcheck of your own.
#
# Chapter 10 hands the container to an orchestrator, which acts on what this chapter only observes.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind.

# %%
import os
import signal
import time

import dockerlab as lab
from dockerlab import events
from dockerlab.course import ensure_app
from dockerlab.display.containers import containers_table
from dockerlab.display.timeline import Timeline
from dockerlab.exercises import ch09 as ex

ch = lab.start_chapter("09", "Keep it running: restart policies and healthchecks")
ch.reset()

# %% [markdown]
# ### A recorder for the engine's events
# The engine announces everything that happens to a container — created, started, killed, died, healthy,
# unhealthy — as an **event**. In a terminal, `docker events` prints them as they come. We start a recorder now,
# in the background; at the end of the chapter it shows a timeline of everything this chapter did. (It listens only
# to the containers of this chapter and this session.)

# %%
prefix = lab.name("x")[:-1]  # the session's prefix on a shared engine ("alice-"), "" on your own
recorder = events.Recorder(chapter="09", strip_prefix=prefix).start()
print("$", events.events_command("09"))
assert recorder.running

# %% [markdown]
# ## 1. What can go wrong, and who deals with it
# A container runs **one program**. Docker starts it, and that is all — unless you ask for more. In production,
# programs crash, hang and run out of memory:
#
# | what goes wrong | who deals with it |
# |---|---|
# | the program crashes (exits) | the engine, with a **restart policy** (section 2) |
# | the program runs but no longer works | a **healthcheck** notices it (section 3); the engine only reports it |
# | a copy is sick, a machine is down, more copies are needed | an **orchestrator** (chapter 10) |

# %% [markdown]
# ## 2. Restart policies: the engine brings a crashed program back
# ### 2.1 A program that crashes on demand
# To watch a crash we need a program that crashes when *we* want. `flaky` is a tiny bash script: it counts how many
# times it has started, then waits; when the file `/tmp/crash` appears, it exits with code 1 — the way a real
# program says "I failed".

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
# A small helper makes the program crash and then watches what the engine does for a moment: it returns the
# container's status, how many times the engine restarted it (`.restart_count`, the `RestartCount` of
# `docker inspect`) and how long that took. `lab.poll` asks again every few hundredths of a second until the answer is
# yes (or the time is up).

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
# With `restart="on-failure"` (`docker run --restart on-failure`), the engine restarts the program whenever it exits
# with an error code. Before the crash we write a note into the container's filesystem.

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
# A **restart is not a new container**: the ID is the same, and the note written before the crash is still there
# (the program even counted its second start in `/var/tmp/starts`). Only the process is new.

# %%
note = sturdy.exec("cat /var/tmp/note").output.strip()
print("note after the restart:", note)
print("container id unchanged:", sturdy.reload().id == sturdy_id)
assert note == "written before the crash" and sturdy.id == sturdy_id and "start number 2" in sturdy.logs()

# %% [markdown]
# ### 2.4 A limit on retries: `on-failure:2`
# A program that crashes at every start would be restarted for ever. `on-failure:2` allows two restarts; the third
# crash is final. (Between retries the engine also waits longer each time: 0.1 s, 0.2 s, 0.4 s, …)

# %%
limited = lab.run("limited", "flaky:1", restart="on-failure:2")
print(limited.cli)
for attempt in (1, 2, 3):
    status, restarts, seconds = crash_and_watch(limited)
    print(f"crash {attempt}: status {status}, restarts so far {restarts} ({seconds} s)")
assert status == "exited" and restarts == 2  # S15: at most two restarts, then it stays down

# %% [markdown]
# ### 2.5 What *you* stop stays stopped
# `restart="always"` restarts a program whatever its exit code. But when **you** stop or kill a container through
# the engine (`docker stop`, `docker kill`), the engine takes it as your decision and does **not** restart it. After
# `docker kill` the container stays `exited` and `RestartCount` stays 0. (`always` brings it back the next time the
# *engine* starts; `unless-stopped` does not.)

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
# Now the course's Java backend, with `restart="always"`. We make its `java` process die **without asking Docker** —
# as if it had crashed, or been killed by the kernel for using too much memory (chapter 07). The engine runs on this
# machine, so the notebook can send `SIGKILL` to that process directly (`.pid` is its number on the host, PID 1
# inside). The engine sees its program die (exit code 137 = killed) and starts it again.

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
    print(f"java (host pid {pid}) killed; back as host pid {api.pid}, answering again after "
          f"{time.monotonic() - started:.2f} s; restarts: {api.restart_count}")
    assert api.restart_count == 1 and api.pid != pid  # S15
else:
    print("The engine runs elsewhere (e.g. in Docker Desktop's VM): this notebook cannot signal its processes. "
          "Section 2.3 showed the same restart with a program that crashes by itself.")

# %% [markdown]
# ### Try it — a container that comes back after a crash
# Run a container named **`resilient`** from your `flaky:1` image with a **restart policy** so that the engine brings
# it back after a crash. Then make it crash once and give the engine a moment (`crash_and_watch` does both). The check
# reads the engine: the policy, the restart count, the status.

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
# ## 3. Healthchecks: running is not the same as working
# A program can run and still be useless: stuck, out of database connections, answering errors. A **healthcheck** is
# a command the engine runs inside the container every *interval*; exit code 0 means healthy. After *retries* failures
# in a row the container is **unhealthy**.
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
# Now we make it sick: remove the file. Within about a second the check fails and the container is `unhealthy`.
# Look closely at the status and the restart count: **the engine alone does not act on health** — the container keeps
# running, sick. Acting on it is an orchestrator's job (chapter 10, section 4: a sick replica is replaced).

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
# The course's backend image carries its own healthcheck (a `HEALTHCHECK` line in its Dockerfile): a small script
# that asks the app's `GET /actuator/health`. Every container of that image gets it for free.

# %%
image_check = lab.images.inspect(backend_image).healthcheck  # the image's HEALTHCHECK, times in seconds
print("HEALTHCHECK", image_check["test"], "every", f"{image_check['interval']:g}", "s,", image_check["retries"], "retries")
print("the api container from 2.6 is:", api.reload().health or "starting",
      "(its first check comes 10 s after the start; until then it says 'starting')")
assert image_check["test"][-1].endswith("healthcheck")

# %% [markdown]
# ### Try it — a healthcheck of your own
# Every 10 s is slow for ops: they want to notice a sick backend within a few seconds. Run a container named
# **`checked`** from the course's backend image with your own healthcheck: **every 2 seconds, 2 retries** (the test
# can stay the image's script, `/usr/local/bin/healthcheck`). Wait until it is healthy.

# %%
### BEGIN SOLUTION
checked = lab.run("checked", backend_image, wait="healthy", timeout=60,
                  healthcheck={"test": ["CMD", "/usr/local/bin/healthcheck"], "interval": 2, "retries": 2})
print(checked.cli)
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.hint(2)
# ex.q2.solution()

# %% [markdown]
# All this chapter's containers — the table shows status, restarts, health and image:

# %%
containers_table(lab.ps(chapter="09"), title="This chapter's containers")

# %% [markdown]
# ## 4. The whole story, from the engine's event stream
# Time to stop the recorder. Each row is one event the engine announced: containers created, started, killed
# (`signal 9` is SIGKILL, `15` the polite SIGTERM), died (with their exit code), and health changes. Look for the
# crashes and the restarts of section 2, and the probe turning unhealthy and healthy in section 3.

# %%
timeline = Timeline(recorder.stop())
print(len(timeline), "events recorded")
timeline.where(lambda r: r.name in ("fragile", "sturdy", "limited", "steady", "probe"), "Sections 2 and 3")

# %%
timeline.plot(width=11)

# %%
flaky_deaths = [r for r in timeline.rows if r.verb == "die" and r.name == "sturdy"]
assert flaky_deaths and flaky_deaths[0].detail == "exit code 1"  # the crash of 2.3 …
assert any(r.verb == "start" and r.name == "sturdy" and r.time > flaky_deaths[0].time for r in timeline.rows)  # … and its restart
assert any(r.verb == "health_status" and r.name == "probe" and r.detail == "unhealthy" for r in timeline.rows)

# %% [markdown]
# ## Recap
# - A **restart policy** (`no`, `on-failure[:N]`, `always`, `unless-stopped`) makes the engine restart a program that
#   exits; a restart reuses the same container (same ID, same files). What you stop yourself stays stopped.
# - A **healthcheck** says whether a running program *works*. The engine runs it and **reports** the result
#   (`healthy`/`unhealthy`, `docker inspect`, events) — it does not restart a sick container.
# - `docker events` tells the whole story afterwards.
# - Replacing sick copies, keeping *N* of them and updating them without downtime is an orchestrator's job:
#   chapter 10.
#
# ## Clean up

# %%
ch.reset()
assert lab.leaks(chapter="09") == []
