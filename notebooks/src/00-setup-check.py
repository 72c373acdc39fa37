# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 00 · Setup check: meet your Docker engine
#
# **In this chapter you will**
# 1. check that your machine is ready for the course (`doctor`);
# 2. see the two halves of Docker: the **client** you type into and the **engine** (daemon) that runs containers;
# 3. put a Python call next to the `docker` command that does the same thing;
# 4. run your first container.
#
# Every chapter has the same shape: *objectives → explanation → live cells → exercises → checks → recap*.
# Run the cells from top to bottom with **Shift+Enter**.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind.
# If you restart the kernel, run it again and carry on from where you were.

# %%
import grp
import os
import platform
import pwd
import shutil
import subprocess

import dockerlab as lab
from dockerlab.exercises import ch00 as ex

ch = lab.start_chapter("00", "Setup check")
ch.reset()

# %% [markdown]
# ## 1. Is everything ready? — `doctor`
# `doctor` asks the engine about itself and checks what the course needs.
# A line with ✘ ends with a **Hint** that says what to do.

# %%
report = lab.doctor()
report

# %%
assert report.engine_ok, "No engine answers: follow the hint in the table above."

# %% [markdown]
# ## 2. Docker is a client and an engine
# *Docker is an open-source platform that runs applications in **containers**. The program that actually
# runs them is the **Docker Engine**, a background service (daemon) called `dockerd`.*
#
# The `docker` command you type is only a **client**: it sends requests to the engine over a socket
# (here `unix:///var/run/docker.sock`). This notebook is a client too: the `dockerlab` kit uses the official
# Python SDK (`docker` on PyPI), which speaks the same API.
#
# ```
#  you ──> docker CLI ─┐
#                      ├──>  Docker Engine (dockerd) ──> containers
#  notebook ─> SDK ────┘        (the daemon)
# ```
#
# Let us ask the engine who it is, through the SDK:

# %%
client = lab.connect()
version = client.version()
print("Engine version :", version["Version"])
print("API version    :", version["ApiVersion"], "(the SDK agreed on", client.api.api_version + ")")  # the SDK itself
print("OS / arch      :", version["Os"], "/", version["Arch"])

# %% [markdown]
# The same question from the `docker` CLI is `docker version`. If the CLI is installed here, this cell runs it,
# so you can see that both clients talk to **the same engine**:

# %%
info = lab.engine_info()
print("$", info.cli)
if shutil.which("docker"):
    cli = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True, text=True)
    print("docker CLI says the engine is", cli.stdout.strip() or cli.stderr.strip())
    if cli.returncode == 0:
        assert cli.stdout.strip() == version["Version"], "CLI and SDK should see the same engine"
else:
    print("(no docker CLI on this machine — the SDK is enough for this course)")

# %% [markdown]
# `docker info` tells more: which **storage driver** stacks image layers, how many containers exist,
# and where the engine keeps its data.

# %%
print("storage driver :", info.storage_driver)
print("containers     :", info.containers, "of which running:", info.containers_running)
print("data root      :", info.docker_root_dir)
print("cgroup version :", info.cgroup_version, "| rootless:", info.rootless)
assert info.storage_driver and info.server_version

# %% [markdown]
# ## 3. Where does an engine come from?
# The next parts of this series install Docker and deploy to a cloud server. In short:
#
# | your machine | how to get an engine |
# |---|---|
# | macOS / Windows | install **Docker Desktop**; it runs the engine in a small Linux VM for you |
# | Debian / Ubuntu | `sudo apt-get install docker.io` (or Docker's own `docker-ce`); then either use it with `sudo`, add yourself to the `docker` group (read the warning below), or run **rootless Docker** (`dockerd-rootless-setuptool.sh install`) |
# | a cloud VM (AWS, GCP, …) | the same Linux packages; you then reach it from your laptop with `DOCKER_HOST=ssh://user@server` |
# | this course's set-up (`./lab start`) | root on Debian: installs `docker.io` and starts `dockerd` for you |
#
# Whatever you choose, the kit finds it the way the CLI does: `DOCKER_HOST` first, then the CLI's *context*.
#
# **The `docker` group is root.** A usual (*rootful*) engine runs as root, and it does what anyone who may write to
# its socket asks — for example `docker run -v /:/host …`, a container with the host's whole disk in it, as root.
# So `usermod -aG docker alice` gives alice root on that machine, with no password asked. That is fine on your own
# laptop; on a shared server give the group only to people who may be root anyway, or run **rootless Docker**: an
# engine that belongs to one user, whose containers can do no more than that user.
#
# Which kind is yours? The engine says it (`docker info` → *Security Options*: `rootless`, `userns`), and when the
# socket is on this machine we can look at who may use it:

# %%
print("The kit talks to:", info.address)
print("rootless engine:", info.rootless, "| user namespaces:", info.userns)
socket_path = info.address[len("unix://"):] if info.address.startswith("unix://") else None
if socket_path and os.path.exists(socket_path) and platform.release() == info.kernel:
    st = os.stat(socket_path)
    owner = pwd.getpwuid(st.st_uid).pw_name
    try:
        group = grp.getgrgid(st.st_gid).gr_name
    except KeyError:  # a rootless engine's socket group is one of its owner's subordinate ids: it has no name
        group = str(st.st_gid)
    print(f"{socket_path}: owner {owner}, group {group}, mode {oct(st.st_mode & 0o777)}")
    if not info.rootless:
        # a rootful engine's socket belongs to root: its group (if it may write) is as powerful as root
        assert st.st_uid == 0
        may_write = "may" if st.st_mode & 0o020 else "may not"
        print(f"→ a rootful engine: root and members of the group '{group}' ({may_write} write) command it — "
              "treat both as root on this machine.")
    else:
        print(f"→ a rootless engine: it belongs to {owner}, and its containers cannot do more than {owner} can.")
else:
    print("(the engine's socket is not on this machine, e.g. Docker Desktop's VM or a remote server)")

# %% [markdown]
# ## 4. Your first container
# An **image** is a packaged program with everything it needs; a **container** is that program running.
# The course's `hello` image prints a greeting and exits. First we make sure the image is on your engine
# (it is built from `images/hello/`; chapter 02 explains builds):

# %%
from dockerlab.course import ensure_app

hello_image = ensure_app("hello")
hello_image

# %% [markdown]
# Now run it. `lab.run` is `docker run -d`; the `.cli` attribute shows the exact command it stands for.
# Container names get your session id in front (so classmates sharing one engine never clash).

# %%
demo = lab.run("demo-hello", hello_image)
exit_code = demo.wait()  # `docker wait`: until its program ends; its exit code
print(demo.cli)
print(demo.logs())
assert exit_code == 0 and "Hello" in demo.logs()

# %% [markdown]
# ## Exercises
# ### Exercise 1 — ask the engine its version
# Put the engine's version (a string like `"20.10.24"`) into `server_version`, **using the SDK** — not by typing it.

# %%
server_version = "____"
### BEGIN SOLUTION
server_version = lab.connect().version()["Version"]
### END SOLUTION

# %%
ex.q1.check(server_version)

# %% [markdown]
# Stuck? Uncomment one line at a time:

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown]
# ### Exercise 2 — run your first container
# Run a container named **`first`** from the image `dockerlab/hello:1.0`, and wait until its program has finished.
# The check looks at the engine, not at your code.

# %%
### BEGIN SOLUTION
first = lab.run("first", "dockerlab/hello:1.0")
first.wait()
print(first.logs())
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown]
# ## Recap
# - The **engine** (`dockerd`) runs containers; the `docker` CLI and this notebook are **clients** of its API.
# - `lab.doctor()` checks your set-up; every ✘ comes with a hint.
# - Whoever may use a rootful engine's socket (root, and the `docker` group) is root on that machine; a rootless
#   engine belongs to one user.
# - Every `lab.…` call shows the `docker …` command it stands for: you can do the same at work from a terminal.
#
# ## Clean up
# This removes the containers this chapter made for you (and only those: the kit finds them by label).

# %%
ch.reset()
assert lab.leaks(chapter="00") == []
