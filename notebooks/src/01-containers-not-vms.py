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
# 2. look at the same container from the host, and see what the container can **not** see — and what else keeps it
#    in its place: limits (cgroups), fewer powers for root (capabilities), a filter on system calls (seccomp);
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
from datetime import datetime, timezone
from pathlib import Path

import dockerlab as lab
from dockerlab.course import ensure_app
from dockerlab.display.containers import containers_table
from dockerlab.exercises import ch01 as ex

ch = lab.start_chapter("01", "What a container is")
ch.reset()
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
host_pid = probe.reload().pid
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
#
# (On some hosts you also see `tunl0` or `sit0` inside: when the host has loaded the kernel's tunnel modules, Linux
# puts such a *fallback tunnel device* into every new network namespace. They are down and carry nothing; we set
# them aside.)

# %%
KERNEL_TUNNELS = {"tunl0", "sit0", "ip6tnl0", "gre0", "gretap0", "erspan0", "ip_vti0", "ip6_vti0", "ip6gre0"}
inside_ifaces = names_of_interfaces(probe.exec("cat /proc/net/dev").output)
host_ifaces = names_of_interfaces(Path("/proc/net/dev").read_text())
print("interfaces inside :", sorted(inside_ifaces), "IP", probe.ip())
print("interfaces on host:", sorted(host_ifaces))
assert inside_ifaces - KERNEL_TUNNELS == {"lo", "eth0"}  # S2: its own network namespace
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
# list, name, files and network — no second computer. But what it *sees* is only half of isolation: namespaces do
# not stop a program from eating all the memory, and root in a container is still root. Three more kernel features
# keep a container in its place.
#
# ### 1.7 Limits: cgroups
# A **control group** (cgroup) counts and caps what a group of processes uses: memory, CPU, number of processes.
# The engine puts each container in its own cgroup; the container can read its own limits from `/sys/fs/cgroup`.
#
# Careful: **Docker sets no limit by default.** A plain `docker run` may use all the host's memory. The 512 MiB and
# 256 processes below are **this kit's** defaults (`lab.run` adds `--memory 512m --pids-limit 256`, see `probe.cli`
# above), so that one learner's runaway program cannot take down a shared machine.

# %%
limits = probe.exec("cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes; "
                    "cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max").output.split()
print("memory limit seen inside:", limits[0], "| processes limit seen inside:", limits[1])
print("the kit's defaults       :", lab.limits.DEFAULT_MEMORY, "|", lab.limits.DEFAULT_PIDS)
if info.memory_limit and info.pids_limit:
    assert int(limits[0]) == 512 * 2**20 and int(limits[1]) == 256  # the kit's limits, enforced by the kernel
else:
    print("(this engine does not enforce limits — e.g. a rootless engine on cgroup v1: docker info warns about it)")

# %% [markdown]
# And without the kit? We create a container with **plain docker-py**, the SDK the kit is built on
# (`client.containers.create`, which — like `docker run` — adds no limits of its own; we only add the kit's labels so
# the chapter's reset removes it) and ask the engine what it got, in the SDK's own words (`.attrs`, the
# `docker inspect` JSON): `0` means *no limit*. (On **Podman** the answer differs: it caps every container at
# 2048 processes by default — `pids_limit` in its `containers.conf` — but sets no memory limit either.)

# %%
client = lab.connect()  # the SDK's DockerClient, as the kit connects it
plain = client.containers.create("debian:bookworm-slim", ["true"], labels=lab.labels.kit_labels())
plain_limits = plain.attrs["HostConfig"]
print("$ docker create debian:bookworm-slim true")
print("   HostConfig.Memory =", plain_limits["Memory"], "| HostConfig.PidsLimit =", plain_limits["PidsLimit"])
print("$", probe.cli)
print("   HostConfig.Memory =", probe.host_config["Memory"], "| HostConfig.PidsLimit =", probe.host_config["PidsLimit"])
assert plain_limits["Memory"] == 0  # no memory limit unless you ask for one
if info.kind == "Podman":
    assert plain_limits["PidsLimit"] == 2048  # Podman's own default process cap
else:
    assert not plain_limits["PidsLimit"]  # Docker's default: no limit at all
assert probe.host_config["Memory"] == 512 * 2**20  # the kit's default, not Docker's
plain.remove()

# %% [markdown]
# ### 1.8 Root with fewer powers: capabilities and seccomp
# Linux splits root's powers into about 40 **capabilities** (`CAP_SYS_ADMIN` to mount file systems, `CAP_NET_ADMIN`
# to change the network, …). The engine starts a container's processes with only a short list of them. A process's
# capabilities are a bit mask, the `CapEff` line of `/proc/<pid>/status`:

# %%
CAPS = ("CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE "
        "NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT "
        "SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE "
        "AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ "
        "PERFMON BPF CHECKPOINT_RESTORE").split()


def status_field(status_text: str, field: str) -> str:
    """One field of a /proc/<pid>/status text, e.g. 'CapEff' or 'Seccomp'."""
    return next(line.split(":", 1)[1].strip() for line in status_text.splitlines() if line.startswith(field + ":"))


def capabilities(mask_hex: str) -> list[str]:
    mask = int(mask_hex, 16)
    return [name for bit, name in enumerate(CAPS) if mask >> bit & 1]


inside_status = probe.exec("cat /proc/1/status").output
inside_caps = capabilities(status_field(inside_status, "CapEff"))
print(f"the container's root has {len(inside_caps)} capabilities:", ", ".join(inside_caps))
print("this notebook's process has", len(capabilities(status_field(Path("/proc/self/status").read_text(), "CapEff"))))
assert "SYS_ADMIN" not in inside_caps and "NET_ADMIN" not in inside_caps and "SYS_MODULE" not in inside_caps

# %% [markdown]
# So root inside the container may not mount a file system — an ordinary root could:

# %%
mounted = probe.exec("mount -t tmpfs none /mnt")
print(mounted.cli, "→ exit code", mounted.exit_code, "|", mounted.output.strip().splitlines()[0])
assert probe.exec("id -u").output.strip() == "0" and mounted.exit_code != 0  # root, without CAP_SYS_ADMIN

# %% [markdown]
# On top of that, **seccomp** filters the system calls themselves: the engine's default profile refuses a few dozen
# that a container has no business making (loading kernel modules, rebooting, changing the clock…).
# `Seccomp: 2` in `/proc/<pid>/status` means a filter is on.

# %%
print("Seccomp of the container's PID 1:", status_field(inside_status, "Seccomp"),
      "| the engine's security options: seccomp", "on" if info.seccomp else "off")
if info.seccomp:
    assert status_field(inside_status, "Seccomp") == "2"  # 2 = a filter decides which system calls are allowed

# %% [markdown]
# ### 1.9 Root in the container is root on the host — unless…
# The container's processes run as **root** (uid 0) unless the image or `--user` says otherwise. With fewer
# capabilities, yes, but a **rootful** engine's root inside is uid 0 on the host too: a file it may reach through a
# mount, it reaches as root. Two things change that:
# - a **rootless** engine runs as an ordinary user, so the container's root is that user on the host;
# - **user namespaces** (`dockerd --userns-remap`) map the container's uid 0 to an unprivileged uid of the host.
#
# The host's `/proc/<pid>/status` says who the container's PID 1 really is:

# %%
kind = ("rootless (the container's root is the engine owner's user)" if info.rootless else
        "rootful with user namespaces (the container's root is an unprivileged uid)" if info.userns else
        "rootful, no user namespaces (the container's root is the host's root)")
print("your engine:", kind)
print("uid inside the container:", probe.exec("id -u").output.strip())
if engine_is_local() and Path(f"/proc/{host_pid}/status").exists():
    host_uid = int(status_field(Path(f"/proc/{host_pid}/status").read_text(), "Uid").split()[0])
    print("the same process's uid on the host:", host_uid)
    if info.root_is_host_root:
        assert host_uid == 0  # root inside IS root outside on this engine
    else:
        assert host_uid != 0  # root inside is somebody unprivileged outside
else:
    print("(the engine is on another machine: its processes are not in this notebook's /proc)")

# %% [markdown]
# ## 2. Docker is not a virtual machine
# A **virtual machine** (VM) runs on a *hypervisor* that imitates hardware; inside it boots a whole
# guest operating system with **its own kernel**. A container has no hypervisor and no guest kernel: its
# processes run on the host's kernel, which keeps them apart with namespaces, limits them with cgroups and takes
# powers away with capabilities and seccomp. (The price: one kernel is one wall. A kernel bug can let a container out,
# where a VM would still have its hypervisor.)
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
# trivial one until the engine says it is running, seven times, and take the median. Two clocks: this notebook's
# (the whole round trip, our Python included) and the engine's own record of each container (`Created` →
# `State.StartedAt` in `docker inspect`: the container's start itself).

# %%
def engine_seconds(stamp: str) -> float:
    """An engine timestamp ('2026-01-01T10:00:00.123456789Z') in seconds since the epoch."""
    whole, _, fraction = stamp.rstrip("Z").partition(".")
    return datetime.fromisoformat(whole).replace(tzinfo=timezone.utc).timestamp() + float("0." + (fraction or "0"))


round_trips, engine_starts = [], []
for i in range(7):
    t0 = time.perf_counter()
    quick = lab.run(f"quick-{i}", "debian:bookworm-slim", ["sleep", "infinity"])
    assert quick.status == "running"
    round_trips.append(time.perf_counter() - t0)
    seen = quick.inspect()
    engine_starts.append(engine_seconds(seen["State"]["StartedAt"]) - engine_seconds(seen["Created"]))
    quick.remove()
start_median = statistics.median(engine_starts)
print("create → running, the engine's clock :", ", ".join(f"{t:.3f}" for t in engine_starts), "s")
print("create → running, this notebook's    :", ", ".join(f"{t:.3f}" for t in round_trips), "s")
print(f"median: {start_median:.3f} s (engine), {statistics.median(round_trips):.3f} s (round trip)")
assert start_median < 1  # S3: a container starts in well under a second: there is no OS to boot

# %% [markdown]
# ### 2.3 How much memory does an idle container use?
# A VM reserves memory for its guest OS up front (often 512 MiB–2 GiB). A container uses only what its
# processes use. `docker stats` (in Python: `container.stats()`) reports it; like the CLI, it leaves out the file
# cache the kernel can drop at any time.

# %%
stats = probe.stats()
used_mib = stats.memory_used_mib
limit_mib = stats.memory_limit / 2**20
print(f"$ docker stats --no-stream {probe.name}")
print(f"memory used by the idle container: {used_mib:.2f} MiB (its limit — the kit's default, a ceiling and not a "
      f"reservation: {limit_mib:.0f} MiB)")
assert used_mib < 10  # S3: an idle container costs a few MiB, not a guest OS

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
exit_code = java.wait()
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
print(f"the Java server's container uses {server.stats().memory_used_mib:.0f} MiB")

# %% [markdown]
# ## 4. What is running now?
# `docker ps` lists running containers. The kit labels everything it starts, so we can list just this
# chapter's containers (`--filter label=…`). The `java-version` container has exited: its program ended,
# but the container stays (with its logs) until it is removed.

# %%
print(f"$ docker ps -a --filter label=org.dockerlab.chapter=01 --filter label=org.dockerlab.session={lab.session_id()}")
mine = lab.ps("01")  # your containers of this chapter, running or not
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
# - A container is **an ordinary process** of the host that the kernel shows its own world (namespaces): its own
#   PID 1, hostname, files (from the image) and network. The host's processes and files are not visible inside.
# - **cgroups** limit what it may use (Docker sets no limit unless asked; this kit asks for 512 MiB and 256
#   processes), **capabilities** and **seccomp** take powers away from its root. Still, on a rootful engine without
#   user namespaces, root inside is root on the host: a rootless engine or user namespaces change that.
# - There is **no hypervisor and no guest kernel**: `uname -r` inside is the host's kernel.
# - So a container starts in well under a second (you measured it above), and an idle one needs a few MiB of
#   memory: only what its processes use.
# - A program's whole environment (here: Java) travels **in the image**; the server needs only the engine.
#
# ## Clean up
# This removes the containers this chapter made for you (and only those: the kit finds them by label).

# %%
ch.reset()
assert lab.leaks(chapter="01") == []
