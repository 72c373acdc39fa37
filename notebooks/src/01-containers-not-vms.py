# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 01 · What a container is, and why it is not a VM
#
# *"A container is an isolated space for an application's runtime environment."*
# *"Docker is not a VM."* — this chapter checks both sentences on a real engine.
#
# **In this chapter you will**
# 1. step inside a container and look around: its own PID 1, hostname, files and network;
# 2. look at the same container from the host, and see what the container can **not** see;
# 3. show that a container has **no kernel of its own** (no hypervisor, no guest OS);
# 4. measure how fast a container starts and how little memory an idle one needs;
# 5. run a Java program on a server without installing Java on that server.
#
# Run the cells from top to bottom with **Shift+Enter**.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind.

# %%
import os
import platform
import shutil
import socket
import statistics
import time
import urllib.request
from pathlib import Path

import dockerlab as lab
from dockerlab.course import ensure_app
from dockerlab.display.containers import containers_table
from dockerlab.exercises import ch01 as ex

ch = lab.start_chapter("01", "What a container is")
ch.reset()
client = lab.connect()
info = lab.engine_info()

# %% [markdown]
# A few helpers for this chapter. `names_of_interfaces` reads the Linux file `/proc/net/dev`, which lists
# the network interfaces a process can see. `engine_is_local` tells whether the engine runs on the same
# machine as this notebook (then we can compare the two sides directly).

# %%
def names_of_interfaces(proc_net_dev: str) -> set[str]:
    """The interface names in the text of /proc/net/dev (skipping its two header lines)."""
    return {line.split(":")[0].strip() for line in proc_net_dev.splitlines()[2:] if ":" in line}


def engine_is_local() -> bool:
    """True when the engine's socket is on this machine (so its containers are processes of this kernel)."""
    return info.address.startswith("unix://") and platform.release() == info.kernel


print("The engine is", "on this machine" if engine_is_local() else f"elsewhere ({info.address})")

# %% [markdown]
# ## 1. A container is an isolated space for one program
# We start a small Debian container whose only program is `sleep infinity`: it does nothing, forever,
# which leaves us time to look inside. `lab.run` is `docker run -d`; `.cli` shows the exact command.

# %%
probe = lab.run("probe", "debian:bookworm-slim", ["sleep", "infinity"])
print(probe.cli)
assert probe.reload().status == "running"

# %% [markdown]
# ### 1.1 Its own PID 1
# On a Linux machine, process number 1 is the first program the system started (usually an init system
# such as `systemd`). Inside a container, **PID 1 is the container's own program**. We read it from
# `/proc/1/cmdline` (the arguments are separated by zero bytes).
#
# `probe.exec(...)` is `docker exec`: it runs one more command inside the running container.

# %%
pid1 = probe.exec("cat /proc/1/cmdline | tr '\\0' ' '")
print("$", pid1.cli)
print("PID 1 inside the container:", pid1.output.strip())
assert pid1.output.split() == ["sleep", "infinity"]  # S2: the container's program is its PID 1

# %% [markdown]
# How many processes can the container see? Each process has a numbered folder in `/proc`.
# Inside: our `sleep`, plus the shell that `exec` starts to count them. On the host: hundreds.

# %%
inside_pids = sorted(int(p) for p in probe.exec("ls /proc").output.split() if p.isdigit())
host_pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
print("processes visible inside the container:", len(inside_pids), inside_pids)
print("processes visible on the notebook's machine:", len(host_pids))
print("this notebook's own process id:", os.getpid(), "— visible inside?", os.getpid() in inside_pids)
assert len(inside_pids) < len(host_pids) and len(inside_pids) < 10  # S2: the host's processes are not visible inside
assert os.getpid() not in inside_pids

# %% [markdown]
# ### 1.2 The same process, seen from the host
# The container did not start a machine. Its `sleep` is an ordinary process of the host, with an
# ordinary (large) process number there. The engine tells us that number: `State.Pid` in `docker inspect`.
# When the engine runs on this machine, we can read that process's command line on the host side too.

# %%
host_pid = probe.reload().attrs["State"]["Pid"]
print(f"$ docker inspect --format '{{{{.State.Pid}}}}' {probe.name}")
print("inside the container it is PID 1; on the host it is PID", host_pid)
if engine_is_local() and Path(f"/proc/{host_pid}/cmdline").exists():
    host_view = Path(f"/proc/{host_pid}/cmdline").read_bytes().split(b"\0")
    print("the host's /proc/%d/cmdline:" % host_pid, b" ".join(host_view).decode().strip())
    assert host_view[:2] == [b"sleep", b"infinity"]  # S2/S3: one process, two views — no VM around it
else:
    print("(the engine runs on another machine: its processes are not in this notebook's /proc)")
assert host_pid > 1

# %% [markdown]
# ### 1.3 Its own hostname
# By default a container's hostname is the start of its ID. The host keeps its own name.

# %%
inside_name = probe.exec("hostname").output.strip()
print("hostname inside :", inside_name)
print("hostname of host:", socket.gethostname())
print("container id    :", probe.short_id)
assert probe.id.startswith(inside_name)  # S2: the container has its own hostname (UTS namespace)
assert inside_name != socket.gethostname()

# %% [markdown]
# ### 1.4 Its own files
# `ls /` inside shows a complete Debian root file system: it comes from the **image**, not from the host.
# The files of this course (the `dockerlab` folder on the host) do not exist in there.

# %%
print(probe.exec("ls /").output.split())
print(probe.exec("grep PRETTY_NAME /etc/os-release").output.strip())
host_file = Path(lab.__file__).resolve()
seen = probe.exec(["test", "-e", str(host_file)])
print(f"{host_file} on the host: exists={host_file.exists()}; inside the container: exit code {seen.exit_code}")
assert host_file.exists() and seen.exit_code != 0  # S2: the host's files are not visible inside

# %% [markdown]
# ### 1.5 Its own network
# The container sees only two interfaces: `lo` and its own `eth0`, with its own IP address on the engine's
# private bridge network. The host has more (at least its own network card and the `docker0` bridge).

# %%
inside_ifaces = names_of_interfaces(probe.exec("cat /proc/net/dev").output)
host_ifaces = names_of_interfaces(Path("/proc/net/dev").read_text())
print("interfaces inside :", sorted(inside_ifaces), "IP", probe.ip())
print("interfaces on host:", sorted(host_ifaces))
assert inside_ifaces == {"lo", "eth0"}  # S2: its own network namespace
assert inside_ifaces != host_ifaces

# %% [markdown]
# ### 1.6 The trick behind it: namespaces
# The Linux kernel can give a group of processes their own **namespace** of a kind: their own process
# numbers (`pid`), hostname (`uts`), mounted files (`mnt`), network (`net`), and more. Each namespace has
# an id; `/proc/self/ns/<kind>` shows it. Compare the container's with this notebook's:

# %%
kinds = ["pid", "uts", "mnt", "net", "ipc"]
inside_ns = dict(zip(kinds, probe.exec(" ; ".join(f"readlink /proc/self/ns/{k}" for k in kinds)).output.split()))
print(f"{'kind':5} {'inside the container':22} {'this notebook':22}")
for k in kinds:
    print(f"{k:5} {inside_ns[k]:22} {os.readlink(f'/proc/self/ns/{k}'):22}")
if engine_is_local():
    different = [k for k in kinds if inside_ns[k] != os.readlink(f"/proc/self/ns/{k}")]
    assert different == kinds  # S2: every one of these is the container's own

# %% [markdown]
# So a container is **a normal process that the kernel shows a different world**: its own process
# list, name, files and network. Nothing more is needed to isolate a program — no second computer.

# %% [markdown]
# ## 2. Docker is not a virtual machine
# A **virtual machine** (VM) runs on a *hypervisor* that imitates hardware; inside it boots a whole
# guest operating system with **its own kernel**. A container has no hypervisor and no guest kernel: its
# processes run on the host's kernel, which keeps them apart with namespaces (and limits them with cgroups).
#
# ### 2.1 One kernel
# `uname -r` prints the release of the kernel a program runs on. Inside the container, it is the
# **engine host's** kernel. (The engine reports its kernel as `KernelVersion` in `docker info`.)

# %%
inside_kernel = probe.exec("uname -r").output.strip()
print("kernel inside the container  :", inside_kernel)
print("kernel of the engine's host  :", info.kernel, " (docker info → KernelVersion)")
print("kernel of this notebook's host:", platform.release())
assert inside_kernel == info.kernel  # S3: no guest kernel — the container runs on the host's kernel
if engine_is_local():
    assert inside_kernel == platform.release()

# %% [markdown]
# The image is Debian 12, and yet the kernel is the host's — whatever it is. An image carries the files of
# an OS (its programs and libraries), never a kernel. That is also why Linux containers need a Linux kernel:
# Docker Desktop on macOS or Windows runs one small Linux VM, and all containers share its kernel.

# %% [markdown]
# ### 2.2 How long does a container take to start?
# A VM boots a whole OS: that takes seconds to minutes. Let us **measure** a container: create and start a
# trivial one until the engine says it is running, five times, and take the median.

# %%
timings = []
for i in range(5):
    t0 = time.perf_counter()
    quick = lab.run(f"quick-{i}", "debian:bookworm-slim", ["sleep", "infinity"])
    assert quick.status == "running"
    timings.append(time.perf_counter() - t0)
    quick.remove()
start_median = statistics.median(timings)
print("create + start, until running:", ", ".join(f"{t:.3f} s" for t in timings))
print(f"median: {start_median:.3f} s")
if start_median < 0.5:
    print("→ well under a second, on this machine.")
elif start_median < 1:
    print("→ under a second, on this machine.")
else:
    print("→ slower here than usual (a busy shared machine?), but still no OS to boot.")
assert start_median < 5  # S3: a container starts in a fraction of the time a VM needs to boot

# %% [markdown]
# ### 2.3 How much memory does an idle container use?
# A VM reserves memory for its guest OS up front (often 512 MiB–2 GiB). A container uses only what its
# processes use. `docker stats` (in Python: `container.sdk.stats(stream=False)`) reports it; like the CLI,
# we leave out the file cache the kernel can drop at any time.

# %%
stats = probe.sdk.stats(stream=False)["memory_stats"]
detail = stats.get("stats", {})
cache = detail.get("total_inactive_file", detail.get("inactive_file", 0))
used_mib = (stats["usage"] - cache) / 2**20
limit_mib = stats["limit"] / 2**20
print(f"$ docker stats --no-stream {probe.name}")
print(f"memory used by the idle container: {used_mib:.2f} MiB (its limit, a ceiling and not a reservation: "
      f"{limit_mib:.0f} MiB)")
assert used_mib < 50  # S3: the overhead of an idle container is a few MiB, not a guest OS

# %% [markdown]
# ## 3. The server needs nothing but the engine
# *"Programs run in their container, so a server does not need their environment installed — only Docker."*
#
# The course's backend is a Java program. Does this machine have Java? Maybe, maybe not — it does not matter:

# %%
host_java = shutil.which("java")
print("Java on this notebook's machine:", host_java or "none")
if host_java:
    import subprocess

    print("  ", subprocess.run([host_java, "-version"], capture_output=True, text=True).stderr.splitlines()[0])

# %% [markdown]
# The image `dockerlab/backend:1.0` carries its own Java runtime. We replace its usual start command
# (`--entrypoint java`) to ask that Java its version. The container runs, prints, and exits.

# %%
backend_image = ensure_app("backend")
java = lab.run("java-version", backend_image, ["-version"], entrypoint="java",
              healthcheck={"test": ["NONE"]})  # a one-off command: the server's healthcheck does not apply
print(java.cli)
exit_code = java.sdk.wait()["StatusCode"]
java_says = java.logs()
print(java_says)
java_inside = java_says.split('"')[1]
assert exit_code == 0 and "OpenJDK" in java_says  # S4: Java runs whether or not the host has it

# %% [markdown]
# Where does that Java live? At `/opt/java` **inside the image**. It is not the host's Java
# (even if the host has one, like this one might): the container cannot see the host's files at all.

# %%
server = lab.run("backend", backend_image, ports={8080: None}, wait=lab.Http("/actuator/health"))
print(server.cli)
print("java inside the container:", server.exec("command -v java").output.strip())
print("/opt/java/bin/java on the host?", Path("/opt/java/bin/java").exists())
print("host's java visible inside?", server.exec(["test", "-e", host_java or "/usr/bin/java"]).exit_code == 0)
assert server.exec("command -v java").output.strip() == "/opt/java/bin/java"

# %% [markdown]
# And the real program answers. The backend is a small web API; `/api/info` reports the Java it runs on.
# Open the link in your browser if you like: the port is published on `127.0.0.1` only.

# %%
url = server.url(8080, "/api/info")
print(url)
with urllib.request.urlopen(url, timeout=5) as resp:
    body = resp.read().decode()
print(body)
assert f'"java":"{java_inside}"' in body.replace(" ", "")  # S4: the image's Java, not the host's
used = server.sdk.stats(stream=False)["memory_stats"]
print(f"the Java server's container uses {(used['usage'] - used.get('stats', {}).get('total_inactive_file', 0)) / 2**20:.0f} MiB")

# %% [markdown]
# ## 4. What is running now?
# `docker ps` lists running containers. The kit labels everything it starts, so we can list just this
# chapter's containers (`--filter label=…`). The `java-version` container has exited: its program ended,
# but the container stays (with its logs) until it is removed.

# %%
print(f"$ docker ps -a --filter label=org.dockerlab.chapter=01 --filter label=org.dockerlab.session={lab.session_id()}")
mine = client.containers.list(all=True, filters=lab.labels.kit_filter("01"))
assert {c.name for c in mine} >= {lab.name("probe"), lab.name("backend")}
containers_table(mine, title="This chapter's containers")

# %% [markdown]
# ## Exercises
# ### Exercise 1 — a container with a name and a hostname of your choice
# Start a container named **`box`** from `debian:bookworm-slim` that keeps running (`sleep infinity`) and whose
# **hostname** is **`lab-box`**. Then check from inside that the hostname is what you asked for.
# (`lab.run` accepts `hostname=`; the CLI flag is `docker run --hostname`.)

# %%
### BEGIN SOLUTION
box = lab.run("box", "debian:bookworm-slim", ["sleep", "infinity"], hostname="lab-box")
print(box.cli)
print(box.exec("hostname").output)
### END SOLUTION

# %%
ex.q1.check()

# %% [markdown]
# Stuck? Uncomment one line at a time:

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown]
# ### Exercise 2 — what is PID 1 over there?
# The next cell starts a container named `mystery` from the backend image with the image's **own** start
# command (we do not tell you which). Find out what runs as **PID 1** inside it, and put its whole command line
# (the program and all its arguments, separated by spaces) in `mystery_pid1`.

# %%
mystery = lab.run("mystery", backend_image)
mystery_pid1 = "____"
### BEGIN SOLUTION
mystery_pid1 = mystery.exec("cat /proc/1/cmdline | tr '\\0' ' '").output.strip()
print(mystery_pid1)
### END SOLUTION

# %%
ex.q2.check(mystery_pid1)

# %%
# ex.q2.hint()
# ex.q2.hint(2)
# ex.q2.solution()

# %% [markdown]
# ## Recap
# - A container is **an ordinary process** of the host that the kernel shows its own world: its own PID 1,
#   hostname, files (from the image) and network. The host's processes and files are not visible inside.
# - There is **no hypervisor and no guest kernel**: `uname -r` inside is the host's kernel.
# - So a container starts in a fraction of a second (you measured it above), and an idle one needs at most a few
#   MiB of memory: only what its processes use.
# - A program's whole environment (here: Java) travels **in the image**; the server needs only the engine.
#
# ## Clean up
# This removes the containers this chapter made for you (and only those: the kit finds them by label).

# %%
ch.reset()
assert lab.leaks(chapter="01") == []
