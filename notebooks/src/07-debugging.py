# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 07 · Debugging: why does my container stop?
#
# **In this chapter you will**
# 1. read a container's **exit code** and know what the common ones mean (0, 1, 126, 127, 137, 143);
# 2. read its **logs** — all of them, the last lines, and as they come (`docker logs -f`);
# 3. ask the engine exactly one question with **`docker inspect --format`**;
# 4. look **inside** a running container (`docker exec`, and `docker exec -it` in a JupyterLab terminal) — and
#    around a stopped one;
# 5. see why `docker stop` sometimes takes ten seconds;
# 6. watch the kernel kill a container that uses more **memory** than its limit (OOM);
# 7. diagnose and fix a container that keeps exiting, and a job that dies.
#
# Every debugging session asks the same questions in the same order: **Does it run?** (`docker ps -a`: status,
# exit code) → **What did it say?** (`docker logs`) → **What was it given?** (`docker inspect`) → **What does it see?**
# (`docker exec`). This chapter goes through them with containers that fail on purpose.

# %% [markdown]
# ## Start the chapter

# %%
import os
import shutil
import subprocess
import time

import dockerlab as lab
from dockerlab.display.containers import containers_table
from dockerlab.errors import BadInput, ContainerStopped
from dockerlab.exercises import ch07 as ex

ch = lab.start_chapter("07", "Debugging: why does my container stop?")
ch.reset()
engine = lab.engine_info()
print(f"engine: Docker {engine.server_version}, {'rootless' if engine.rootless else 'rootful'}, "
      f"cgroup v{engine.cgroup_version}, memory limits enforced: {engine.memory_limit}")

# %% [markdown]
# ## 1. Exit codes: how a program says how it ended
# A container runs **one program**; when that program ends, the container stops, and the engine keeps the program's
# **exit code**. `0` means "all went well"; anything else means something went wrong. Some numbers mean the same
# thing everywhere:
#
# | exit code | meaning | typical cause |
# |---|---|---|
# | 0 | success | a job that finished; a server that was asked to stop and did |
# | 1, 2, 3… | the program's own error | bad configuration, a missing file, an exception |
# | 126 | found, but cannot be run | a script without the execute permission |
# | 127 | command not found | a typo, or a program the image does not have |
# | 128 + *n* | killed by signal *n* | **137** = 128 + 9 (SIGKILL: `docker kill`, the out-of-memory killer), **143** = 128 + 15 (SIGTERM: `docker stop`) |
#
# Let us make each one happen. `c.wait()` is `docker wait`: it waits until the program ends and returns its exit code.

# %%
CASES = {
    "ok": ["bash", "-c", "echo all good"],
    "own-error": ["bash", "-c", "echo 'config error: no PORT' >&2; exit 3"],
    "not-executable": ["bash", "-c", "/etc/hostname"],
    "not-found": ["bash", "-c", "helo-world"],
}
codes = {}
for name, command in CASES.items():
    c = lab.run(name, "debian:bookworm-slim", command)
    codes[name] = c.wait()
    print(f"{name:>15}: exit code {codes[name]:>3}   {c.logs().strip()}")
assert codes == {"ok": 0, "own-error": 3, "not-executable": 126, "not-found": 127}

# %% [markdown]
# 137 and 143 need a running program that something stops from outside. `docker kill` sends SIGKILL: the kernel ends
# the program at once, no questions asked.

# %%
victim = lab.run("victim", "debian:bookworm-slim", ["sleep", "infinity"])
victim.kill()
print(f"$ docker kill {victim.name}   → exit code {victim.wait()}")
assert victim.exit_code == 137  # 128 + 9: SIGKILL

# %% [markdown]
# A typo in an **exec-form** command (a list: `["helo-world"]`) fails even earlier: there is no shell to say "command
# not found", so the **engine** cannot start the program at all and `docker run` itself fails. The kit says whose
# mistake it is — and the classic one, `["echo hi"]`, where the whole line became one word:

# %%
for command in (["helo-world"], ["echo hi"]):
    try:
        lab.run("typo", "debian:bookworm-slim", command)
    except BadInput as err:
        print(f"{command}:\n{err}\n")
    else:
        raise AssertionError("that should not start")

# %% [markdown]
# ## 2. Logs: what the program said
# Everything a container's program writes to its standard output and standard error goes into its **log**, kept by
# the engine even after the program ends. That is why well-built images log to the terminal, not to files.
#
# | command | what it shows |
# |---|---|
# | `docker logs NAME` | everything since the start |
# | `docker logs --tail 20 NAME` | the last 20 lines |
# | `docker logs -t NAME` | each line with its time |
# | `docker logs -f NAME` | follows: new lines appear as they are written, until Ctrl+C |
#
# A small program that counts to five, then fails:

# %%
counter = lab.run("counter", "debian:bookworm-slim",
                  ["bash", "-c", "for i in 1 2 3 4 5; do echo \"tick $i\"; sleep 0.4; done; "
                                 "echo 'lost the connection to the database' >&2; exit 1"])
print(f"$ docker logs -f {counter.name}")
followed = []
for line in counter.follow(timeout=30):  # like `docker logs -f`: stops when the container stops
    print("   ", line)
    followed.append(line)
print("exit code:", counter.wait())
print(f"$ docker logs --tail 2 {counter.name}")
print(counter.logs(tail=2), end="")
assert followed[:5] == [f"tick {i}" for i in range(1, 6)] and followed[-1] == "lost the connection to the database"
assert counter.exit_code == 1

# %% [markdown]
# The last line before a non-zero exit code is very often the whole story. Read it first.
#
# ## 3. `docker inspect --format`: one precise question
# `docker inspect NAME` prints everything the engine knows about a container as JSON — several hundred lines. With
# `--format` you ask for one value with a **Go template**: `{{.State.ExitCode}}` walks into the JSON, field by field.
# `lab.inspect(name, template)` is that command; its `.cli` is the line to type in a terminal.

# %%
questions = {
    "status and exit code": "{{.State.Status}} {{.State.ExitCode}}",
    "killed for memory?": "{{.State.OOMKilled}}",
    "when it started / ended": "{{.State.StartedAt}} / {{.State.FinishedAt}}",
    "what it ran": '{{join .Config.Cmd " "}}',
    "memory limit, restarts": "{{.HostConfig.Memory}} bytes, {{.RestartCount}} restarts",
    "its environment": "{{json .Config.Env}}",
}
for question, template in questions.items():
    print(f"{question:>24}: {lab.inspect('counter', template)}")
answer = lab.inspect("counter", "{{.State.Status}} {{.State.ExitCode}}")
print("$", answer.cli)
assert answer == "exited 1"

# %% [markdown]
# Where the `docker` command-line program is installed, it gives the very same answer (`--format` comes from the CLI;
# the kit renders the same templates):

# %%
if shutil.which("docker"):
    template = "{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}} {{.RestartCount}}"
    by_cli = subprocess.run(["docker", "inspect", "--format", template, counter.name], capture_output=True, text=True,
                            timeout=30, env=dict(os.environ, DOCKER_HOST=engine.address)).stdout.strip()
    print("docker CLI:", by_cli, "| kit:", lab.inspect("counter", template))
    assert by_cli == lab.inspect("counter", template)
else:
    print("(no docker CLI on this machine: the kit's answer above is what it would print)")

# %% [markdown]
# ## 4. Look inside: `docker exec`
# `docker exec NAME COMMAND` runs one more program **inside a running container**: same filesystem, same network,
# same environment. It is how you check what the program sees — a file, a variable, a name on the network.

# %%
shop = lab.run("shop", "debian:bookworm-slim", ["sleep", "infinity"], env={"SHOP_MODE": "test"})
for command in ("id", "echo SHOP_MODE=$SHOP_MODE", "cat /etc/os-release | head -n 1", "ls /proc | head -n 3"):
    result = shop.exec(command)
    print(f"$ docker exec {shop.name} sh -c '{command}'   (exit code {result.exit_code})")
    print("   ", result.output.strip().replace("\n", "\n    "))
assert shop.exec("echo $SHOP_MODE").output.strip() == "test"

# %% [markdown]
# ### An interactive shell: `docker exec -it` in a JupyterLab terminal
# For a longer look, open a shell *inside* the container: in JupyterLab, **File → New → Terminal**, then type the line
# printed below. `-i` keeps your keyboard connected, `-t` gives it a terminal; you get a prompt inside the container.
# Look around (`ls`, `cat`, `env`), then leave with `exit` — the container keeps running.

# %%
print(f"docker exec -it {shop.name} bash")

# %% [markdown]
# ### A stopped container has nothing to exec into
# `docker exec` needs a running program to join. After a crash, read the logs and inspect; to look at the **image's**
# files, start a new container from the same image with a shell instead of its program (`--entrypoint`).

# %%
try:
    counter.exec("ls")
except ContainerStopped as err:
    print(err)
look = lab.run("look-around", "debian:bookworm-slim", ["-c", "ls /usr/local/bin /etc | head -n 5"],
               entrypoint=["bash"])
look.wait()
print(f"$ {look.cli}\n{look.logs()}")

# %% [markdown]
# ## 5. Why does `docker stop` take ten seconds?
# `docker stop` first **asks**: it sends SIGTERM to the container's main program (PID 1 inside) and waits — 10 s by
# default. Only if the program is still there does it send SIGKILL. A program that handles SIGTERM ends at once; one
# that does not is killed at the end of the grace period, and the exit code says so.
#
# PID 1 is special in Linux: a signal it has no handler for is **ignored**. `sleep` as PID 1 does not react to SIGTERM
# at all; a script with `trap … TERM` does.

# %%
ignores = lab.run("ignores-term", "debian:bookworm-slim", ["sleep", "infinity"])
handles = lab.run("handles-term", "debian:bookworm-slim",
                  ["bash", "-c", "trap 'echo got SIGTERM, bye; exit 0' TERM; sleep infinity & wait"])
for c in (ignores, handles):
    started = time.monotonic()
    c.stop(timeout=3)
    print(f"docker stop -t 3 {c.name}: {time.monotonic() - started:.1f} s, exit code {c.wait()}  {c.logs().strip()}")
assert ignores.exit_code == 137  # it ignored SIGTERM and was killed when the 3 s ran out
assert handles.exit_code == 0  # it heard SIGTERM and ended by itself

# %% [markdown]
# That is why a well-built image runs its program with `exec` (so the program itself is PID 1, not a shell) and handles
# SIGTERM: a quick, clean stop instead of a kill.
#
# ## 6. Out of memory: the kernel's verdict
# A memory limit (`docker run --memory 32m`; the kit gives every container 512 MiB unless told otherwise) is enforced by
# the Linux kernel through **cgroups**. A program that needs more is killed by the kernel's **OOM killer** (out of
# memory): exit code 137, like `docker kill`, and the engine marks the container `OOMKilled`.
#
# This job loads about 120 MB of data into memory, with a limit of 32 MiB:

# %%
JOB = ["bash", "-c", "set -eo pipefail; echo 'loading 120 MB of data'; head -c 120m /dev/zero | tail > /dev/null; "
                     "echo 'report done'"]
hungry = lab.run("hungry", "debian:bookworm-slim", JOB, mem_limit="32m")
code = hungry.wait()
verdict = lab.inspect("hungry", "{{.State.OOMKilled}} {{.State.ExitCode}} {{.HostConfig.Memory}}")
print(f"exit code {code}; OOMKilled, exit code, limit in bytes: {verdict}")
print(hungry.logs())
if engine.memory_limit:
    assert verdict == "true 137 33554432"  # killed by the kernel for crossing its limit
else:
    print("This engine accepts --memory but does not enforce it (a rootless engine on cgroup v1 has no memory "
          "controller: `docker info` warns \"No memory limit support\"). The job simply used what it needed; on a "
          "rootful engine, or with cgroup v2, the same cell ends in OOMKilled and exit code 137.")
    assert code == 0

# %% [markdown]
# The fix is not to remove the limit — a limit protects everything else on the machine — but to give the job what it
# really needs (and to measure it: `docker stats`). The same job with 256 MiB:

# %%
fed = lab.run("fed", "debian:bookworm-slim", JOB, mem_limit="256m")
print(f"exit code {fed.wait()}, OOMKilled {lab.inspect('fed', '{{.State.OOMKilled}}')}: {fed.logs().strip()}")
assert fed.exit_code == 0 and "report done" in fed.logs()

# %% [markdown]
# All of this chapter's containers so far, as `docker ps -a` shows them — status and exit code first:

# %%
containers_table(lab.ps(chapter="07"), title="docker ps -a (this chapter)")

# %% [markdown]
# ## Exercises
# The set-up cell builds two small images and starts two containers that fail. Run it as it is; then find out
# **why** each fails — with logs, exit codes and `lab.inspect` (or `docker logs` / `docker inspect` in a terminal) —
# and fix it. Changing a container's settings means running it **again** with the same name (`lab.run` replaces your
# old one; in a terminal, `docker rm -f` it first).

# %%
ex.set_up()
containers_table([lab.container(ex.APP), lab.container(ex.JOB)], title="the two broken containers")

# %% [markdown]
# ### Exercise 1 — why does this container keep exiting?
# `todo-report` (image `todo-report:1.0`, restart policy `on-failure`) never stays up: the engine restarts it, it
# exits again, and again. Find the cause, then run **`todo-report`** again so that it keeps running and becomes
# healthy — same image, same restart policy.

# %%
### BEGIN SOLUTION
print(lab.inspect(ex.APP, "{{.State.Status}} exit code {{.State.ExitCode}}, restarted {{.RestartCount}} times"))
print(lab.container(ex.APP).logs(tail=2))
fixed = lab.run(ex.APP, "todo-report:1.0", restart="on-failure",
                env={"DATABASE_URL": "postgres://todo@db:5432/todo"}, wait="healthy", timeout=30)
### END SOLUTION

# %%
ex.q1.check()

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown]
# ### Exercise 2 — the nightly report dies
# `nightly-report` (image `nightly-report:1.0`) is a job: it should print `report done` and end with exit code 0.
# It never does. Find out what ends it, then run **`nightly-report`** again so that it completes — without taking
# away its protection against runaway memory use.

# %%
### BEGIN SOLUTION
print(lab.inspect(ex.JOB, "exit code {{.State.ExitCode}}, OOMKilled {{.State.OOMKilled}}, "
                          "limit {{.HostConfig.Memory}} bytes"))
report = lab.run(ex.JOB, "nightly-report:1.0", mem_limit="256m")
print("exit code", report.wait(), report.logs())
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.hint(2)
# ex.q2.solution()

# %% [markdown]
# ## Recap
# - **Does it run?** `docker ps -a` shows the status and the **exit code**: 0 success, 1–125 the program's own
#   error, 126 not executable, 127 not found, 137 killed (SIGKILL: `docker kill`, out of memory), 143 SIGTERM.
# - **What did it say?** `docker logs` (`--tail`, `-t`, `-f`): the last line before the exit is often the answer.
# - **What was it given?** `docker inspect --format '{{.State.ExitCode}} {{.State.OOMKilled}}'` asks one question.
# - **What does it see?** `docker exec` (`-it` for a shell) joins a **running** container; for a stopped one, start
#   a new container from its image with `--entrypoint`.
# - `docker stop` asks with SIGTERM, then kills: a PID 1 that ignores SIGTERM costs the whole grace period.
# - A memory limit is enforced by the kernel: crossing it ends in `OOMKilled` and 137. Raise the limit to what the job
#   needs; do not remove it.
#
# ## Clean up

# %%
ch.reset()
assert lab.leaks(chapter="07") == []
