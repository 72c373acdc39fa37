# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 04 · Volumes and bind mounts
#
# Chapter 03 ended with a problem: a container's files die with the container. The article this course follows
# gives the answer in the same sentence: *"all the data created after the image runs piles up inside the container,
# **or, with a volume, in the host's storage**."*
#
# **In this chapter you will**
# 1. create a **named volume**, write to it from one container, remove that container and read the data from another;
# 2. find the volume's files on the host side;
# 3. **bind-mount** a folder of your own machine into a container, and write to it from both sides;
# 4. see *who owns* the files a container writes into your folder, and how to make them yours;
# 5. replace the Java todo backend with a new container and keep every todo;
# 6. place the demo system on the layers of an infrastructure (hardware, OS, network, middleware) and express its
#    **non-functional requirements** as container settings.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind —
# **including its volumes** (`purge=True`), so every run starts from empty volumes.

# %%
import json
import os
import pwd
import shutil
import tempfile
import time
import urllib.request
from pathlib import Path

from IPython.display import Markdown, display

import dockerlab as lab
from dockerlab.course import ensure_app
from dockerlab.display.volumes import volumes_table
from dockerlab.exercises import ch04 as ex

ch = lab.start_chapter("04", "Volumes and bind mounts")
ch.reset(purge=True)
NOTES = ensure_app("notes")
BASE = "debian:bookworm-slim"

# %% [markdown]
# ## 1. A named volume outlives its container
# A **volume** is storage that the engine keeps *outside* every container. You give it a name, and mount it into a
# container at a path. Whatever the container writes under that path goes into the volume, not into the container's
# writable layer. `lab.volumes.create` is `docker volume create`.

# %%
shared = lab.volumes.create("shared-notes")
print(shared.cli)
print("volume:", shared.name, "| driver:", shared.driver)

# %% [markdown]
# A first container, `writer`, mounts the volume at `/app/notes` — the folder where the notes app keeps its notes —
# and we write a file there too. (The first time an **empty** volume is mounted over a folder of the image, the engine
# copies that folder's files *and its owner* into the volume: the app's user, uid 10001, may write in it.)

# %%
writer = lab.run("writer", NOTES, volumes={"shared-notes": "/app/notes"}, wait="log: note ")
print(writer.cli)
assert writer.exec("echo 'written by writer' > /app/notes/shared.txt").ok
print("writer's docker diff:", writer.diff())
assert all(path != "/app/notes/shared.txt" for _, path in writer.diff())  # not in the writable layer …
print("mounts:", [(m.type, m.name, m.destination) for m in writer.mounts])

# %% [markdown]
# The note is **not** in `writer`'s writable layer (`docker diff` does not list it): it is in the volume.
# Now remove `writer` entirely. The volume stays.

# %%
writer.remove()
assert lab.containers.find("writer") is None
survivor = lab.volumes.get("shared-notes")
print("the volume is still there:", survivor.name)
assert survivor.name == shared.name  # S9: the volume survived the container's removal

# %% [markdown]
# A brand-new container, `reader`, mounts the same volume and finds the note.

# %%
reader = lab.run("reader", NOTES, volumes={"shared-notes": "/app/notes"}, wait="log: note ")
note = reader.exec("cat /app/notes/shared.txt")
print(note.cli, "→", note.output.strip())
assert note.ok and note.output.strip() == "written by writer"  # S9: the data outlived its container

# %% [markdown]
# Two containers can use one volume **at the same time**: what one writes, the other reads at once.
# Start `writer` again next to `reader`. Both run the notes app, and both apps append to the *same*
# `notes.txt` — each line says which container (its hostname) wrote it.
# `lab.volumes.users` lists who mounts the volume (`docker ps --filter volume=…`).

# %%
writer = lab.run("writer", NOTES, volumes={"shared-notes": "/app/notes"}, wait="log: note ")
assert writer.exec("echo 'second line, while reader runs' >> /app/notes/shared.txt").ok
both = reader.exec("cat /app/notes/shared.txt").output
print(both)
assert "second line, while reader runs" in both  # S9: shared live between two containers
notes_txt = reader.exec("notes show").output
print(notes_txt)
assert writer.id[:12] in notes_txt and reader.id[:12] in notes_txt  # both apps write into one file
print("used by:", lab.volumes.users("shared-notes"))
assert sorted(lab.volumes.users("shared-notes")) == sorted([writer.name, reader.name])
volumes_table()

# %% [markdown]
# ## 2. The volume, seen from the host
# A local volume is just a folder on the engine's host, its **mountpoint** (usually under
# `/var/lib/docker/volumes/`). If the engine runs on this machine and we may read that folder (root may), we can
# open the file directly. With Docker Desktop, or an engine on another server, the folder is out of reach:
# then a small **helper container** that mounts the volume read-only reads it for us — that way works everywhere.

# %%
mountpoint = Path(shared.mountpoint)
print("$ docker volume inspect", shared.name, "→ Mountpoint:", mountpoint)
on_host = None
if os.path.isdir(mountpoint) and os.access(mountpoint, os.R_OK):
    on_host = (mountpoint / "shared.txt").read_text()
    print("read directly on the host:\n" + on_host)
else:
    print("(the mountpoint is not readable from this notebook: using the helper container only)")

peek = lab.run("peek", BASE, ["cat", "/v/shared.txt"], volumes={"shared-notes": "/v:ro"})
peek.wait(timeout=30)
via_helper = peek.logs()
peek.remove()
print(peek.cli)
print("read by a helper container:\n" + via_helper)
assert "written by writer" in via_helper  # S9: the data is in the host's storage, not in a container
assert on_host is None or on_host == via_helper

# %% [markdown]
# ## 3. A bind mount: your own folder inside the container
# A **bind mount** mounts a folder of the host — one you choose — into a container. There is no copy: both sides see
# the same files. (It needs the engine to run on the machine that has the folder; `lab.run` checks that the folder
# exists.) We make a temporary folder for it:

# %%
host_dir = Path(tempfile.mkdtemp(prefix="dockerlab-04-"))
host_dir.chmod(0o777)  # let any user in a container write here (section 4 needs that)
(host_dir / "from-host.txt").write_text("hello from the host\n")
print("host folder:", host_dir)

box = lab.run("box", BASE, ["sleep", "infinity"], volumes={str(host_dir): "/work"})
print(box.cli)
seen_inside = box.exec("cat /work/from-host.txt")
print("the container reads the host's file:", seen_inside.output.strip())
assert seen_inside.output.strip() == "hello from the host"  # host → container

assert box.exec("echo 'hello from the container' > /work/from-container.txt").ok
seen_on_host = (host_dir / "from-container.txt").read_text().strip()
print("the host reads the container's file:", seen_on_host)
assert seen_on_host == "hello from the container"  # container → host (S9)
print("mount:", [(m.type, m.source, m.destination, "ro" if m.read_only else "rw") for m in box.mounts])

# %% [markdown]
# Bind mounts are how developers edit code on their laptop and run it in a container at once. Append `:ro` to make
# the mount read-only: the container can read but not change your files.

# %%
viewer_demo = lab.run("viewer-demo", BASE, ["sleep", "infinity"], volumes={str(host_dir): "/work:ro"})
refused = viewer_demo.exec("echo nope > /work/nope.txt")
print(viewer_demo.cli)
print(refused.cli, "→ exit code", refused.exit_code, "|", refused.output.strip())
assert refused.exit_code != 0 and "Read-only file system" in refused.output
assert not (host_dir / "nope.txt").exists()
viewer_demo.remove()

# %% [markdown]
# ## 4. Who owns the files a container writes?
# Files carry a **user number (uid)**, not a name. A container writes with *its* user's uid, and through a bind mount
# that number lands on your disk as it is. Most images run as root (uid 0), so the files they write into your folder
# belong to **root** — a plain user then cannot edit or delete them.
#
# Three writers, three owners:

# %%
def owner(path: Path) -> str:
    uid = path.stat().st_uid
    try:
        return f"uid {uid} ({pwd.getpwuid(uid).pw_name})"
    except KeyError:
        return f"uid {uid} (no user of that number on this host)"


as_root = box.exec("echo root > /work/by-root.txt")  # box runs as the image's default user: root
stranger = lab.run("stranger", BASE, ["sh", "-c", "echo 1234 > /work/by-1234.txt"], user="1234:1234",
                   volumes={str(host_dir): "/work"})
assert stranger.wait(timeout=30) == 0, stranger.logs()
me = f"{os.getuid()}:{os.getgid()}"
mine = lab.run("as-me", BASE, ["sh", "-c", "echo me > /work/by-me.txt"], user=me, volumes={str(host_dir): "/work"})
assert mine.wait(timeout=30) == 0, mine.logs()
print(mine.cli)
for name in ("by-root.txt", "by-1234.txt", "by-me.txt"):
    print(f"{name:12} owned by {owner(host_dir / name)}")
assert (host_dir / "by-root.txt").stat().st_uid == 0  # a root container writes root-owned files
assert (host_dir / "by-1234.txt").stat().st_uid == 1234  # uid numbers pass through unchanged
assert (host_dir / "by-me.txt").stat().st_uid == os.getuid()  # the fix: run the container as yourself
print("this notebook runs as uid", os.getuid())

# %% [markdown]
# The fix is `user=f"{os.getuid()}:{os.getgid()}"` (`docker run --user "$(id -u):$(id -g)"`): the container writes
# as *you*. (If this notebook runs as root, "you" is uid 0 and the first and last lines look alike; on a laptop they
# differ.) Named volumes avoid the question: the engine manages their folder, and an image can prepare the owner —
# the todo backend's `/data` belongs to its user 10001.

# %% [markdown]
# ## 5. The todo backend keeps its todos — with a volume
# The course's Java backend (`dockerlab/backend:1.0`) stores its todos in `/data/todos.json`. We give `/data` a named
# volume, add a todo over HTTP, then **replace the container** — as you would to upgrade it — and look again.

# %%
BACKEND = ensure_app("backend")


def todos(api: lab.Container) -> list[dict]:
    with urllib.request.urlopen(api.url(8080, "/api/todos"), timeout=5) as resp:
        return json.load(resp)


def add_todo(api: lab.Container, title: str) -> dict:
    req = urllib.request.Request(api.url(8080, "/api/todos"), data=json.dumps({"title": title}).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=5) as resp:
        assert resp.status == 201
        return json.load(resp)


lab.volumes.create("todo-data")
started = time.monotonic()
api = lab.run("todo-api", BACKEND, ports={8080: None}, volumes={"todo-data": "/data"}, wait="http:/actuator/health")
print(api.cli)
print(f"ready in {time.monotonic() - started:.1f} s at {api.url(8080, '/api/todos')}")
created = add_todo(api, "water the plants")
print("POST /api/todos →", created)
assert created["title"] == "water the plants"

# %% [markdown]
# Replace the container: remove it, start a new one from the same image with the same volume. (The new container
# even gets a different host port: it is a different container. Only the volume is the same.)

# %%
old_id = api.id
api.remove()
api = lab.run("todo-api", BACKEND, ports={8080: None}, volumes={"todo-data": "/data"}, wait="http:/actuator/health")
print("new container:", api.short_id, "(old one was", old_id[:10] + ")")
after = todos(api)
print("GET /api/todos →", after)
assert api.id != old_id
assert [t["title"] for t in after] == ["water the plants"]  # S9: the todo survived the container's replacement

# %% [markdown]
# For contrast, the same without our volume. The image declares `VOLUME /data`, so the engine still mounts a volume
# there: an **anonymous** one, with a random name, made for this one container. What happens to it when the container
# goes depends on **how** you remove the container: plain `docker rm` **keeps** anonymous volumes (they pile up,
# nameless, until `docker volume prune`); only `docker rm -v` removes them with the container.
#
# First the plain way — on purpose, through the SDK (`remove(force=True)` without `v=True` is `docker rm -f`):

# %%
scratch_api = lab.run("scratch-api", BACKEND, ports={8080: None}, wait="http:/actuator/health")
anonymous = scratch_api.mount_at("/data").name
print("/data is the anonymous volume", anonymous[:16] + "…")
add_todo(scratch_api, "this one will be lost")
scratch_api.sdk.remove(force=True)
print(f"$ docker rm -f {scratch_api.name}")
sdk = lab.connect()  # plain docker-py: the kit's lab.volumes only knows the volumes it made (with your names)
kept = sdk.volumes.get(anonymous)  # `docker volume inspect <its name>`: it is still there, todo and all
print("after docker rm (no -v), the anonymous volume is still there:", kept.name[:16] + "…")
assert kept.name == anonymous  # docker rm keeps anonymous volumes
kept.remove()  # `docker volume rm <its name>`: it carries none of the kit's labels, so no reset would find it
print(f"$ docker volume rm {anonymous}")

# %% [markdown]
# A new container gets a new anonymous volume, empty: the todo is gone for it. The kit's `remove()` is
# `docker rm -f -v` (its `.cli` says so): the anonymous volume goes with the container.

# %%
scratch_api = lab.run("scratch-api", BACKEND, ports={8080: None}, wait="http:/actuator/health")
lost = todos(scratch_api)
print("without a named volume, after replacement:", lost)
assert lost == []  # S8: without a volume the data died with the container
anonymous = scratch_api.mount_at("/data").name
print(scratch_api.remove())
assert anonymous not in {v.name for v in sdk.volumes.list()}  # -v: the anonymous volume went with it

# %% [markdown]
# And the file itself, on the host side of the volume:

# %%
todo_volume = lab.volumes.get("todo-data")
todo_file = Path(todo_volume.mountpoint) / "todos.json"
if os.path.isdir(todo_file.parent) and os.access(todo_file.parent, os.R_OK):
    print(todo_file, "→", todo_file.read_text())
    assert "water the plants" in todo_file.read_text()
else:
    print("(mountpoint not readable from here; `docker run --rm -v todo-data:/v debian cat /v/todos.json` shows it)")

# %% [markdown]
# ## 6. The demo as infrastructure: layers and non-functional requirements
# The article says a system's **infrastructure** is the *hardware, OS, network and middleware* an application runs on,
# and that requirements come in two kinds:
# - **functional**: what the system does — *store todos and list them*;
# - **non-functional**: how well and how safely it does it — it stays up, it is healthy, it cannot eat the whole
#   machine, it cannot be tampered with, its data is kept.
#
# With containers, a large part of the infrastructure comes **in the image**, and the non-functional requirements
# become **settings of the container**. First, the layers of our demo, read from the real engine and images:

# %%
engine = lab.engine_info()
java = json.load(urllib.request.urlopen(api.url(8080, "/api/info"), timeout=5))["java"]
os_release = api.exec("grep PRETTY_NAME /etc/os-release").output.split("=", 1)[-1].strip().strip('"')
FRONTEND = ensure_app("frontend")
frontend_cmd = lab.images.inspect(FRONTEND).cmd
nginx_probe = lab.run("nginx-version", FRONTEND, ["-v"], entrypoint=["nginx"])
nginx_probe.wait(timeout=30)
nginx_version = nginx_probe.logs().strip()
nginx_probe.remove()
network = api.networks[0]
layers = [
    ("hardware", f"{engine.cpus} CPU(s), {engine.memory / 2**30:.1f} GiB RAM, {engine.architecture}",
     "the machine (or cloud VM) the engine runs on"),
    ("OS (kernel)", f"Linux {engine.kernel} — {engine.os}", "the host's: shared by every container"),
    ("OS (user space)", os_release, f"in the image {BACKEND}"),
    ("network", f"bridge network '{network}', port 8080 published on {api.url(8080, '')}",
     "the engine's networking (chapter 05)"),
    ("middleware", f"Java runtime {java}", f"in the image {BACKEND} (JAVA_HOME=/opt/java)"),
    ("middleware", nginx_version, f"in the image {FRONTEND} (its command: {frontend_cmd[0]})"),
    ("storage", f"volume '{todo_volume.name}' at /data", "the engine's volumes, on the host's disk"),
    ("application", "todo API (app.jar), React UI", "the top layer of each image"),
]
display(Markdown("| layer | in our demo | supplied by |\n|---|---|---|\n"
                 + "\n".join(f"| {a} | {b} | {c} |" for a, b, c in layers)))
assert java.startswith("17") and "nginx" in nginx_version  # S11: the images supply the middleware
print("on the host itself: java =", shutil.which("java"), "| nginx =", shutil.which("nginx"))

# %% [markdown]
# Now the non-functional requirements. Each one becomes a setting of `docker run`:
#
# | requirement | setting |
# |---|---|
# | availability: come back after a crash or a reboot | `restart="unless-stopped"` (`--restart`) |
# | health: the engine knows when the app is really working | a **healthcheck** (the image's, here every 2 s) |
# | capacity: cannot eat the machine's memory | `mem_limit="256m"` (`--memory`) |
# | stability: cannot fork without end | `pids_limit=128` (`--pids-limit`) |
# | security: nobody changes the program's files | `read_only=True` (`--read-only`) + a `tmpfs` for `/tmp` |
# | security: not root | the image's `USER 10001` |
# | durability: data outlives the container | the volume at `/data` |
#
# We replace `todo-api` once more, this time with all of them, and wait until its healthcheck says *healthy*.

# %%
api.remove()
api = lab.run("todo-api", BACKEND, ports={8080: None}, volumes={"todo-data": "/data"},
              restart="unless-stopped", mem_limit="256m", pids_limit=128, read_only=True, tmpfs={"/tmp": "size=16m"},
              healthcheck={"test": ["CMD", "/usr/local/bin/healthcheck"], "interval": 2, "timeout": 2, "retries": 3,
                           "start_period": 10},  # seconds
              wait="healthy", timeout=90)
print(api.cli)
assert [t["title"] for t in todos(api)] == ["water the plants"]  # functional: it still does its job

# %% [markdown]
# Read the settings back from the engine (`docker inspect`), not from our cell: this is what the engine enforces.

# %%
inspected = api.inspect()  # `docker inspect todo-api`: the engine's JSON, read field by field
host_config, config = inspected["HostConfig"], inspected["Config"]
settings = [
    ("restart policy", "HostConfig.RestartPolicy.Name", host_config["RestartPolicy"]["Name"]),
    ("healthcheck", "Config.Healthcheck.Test", " ".join(config["Healthcheck"]["Test"])),
    ("health now", "State.Health.Status", api.health),
    ("memory limit", "HostConfig.Memory", f"{host_config['Memory'] // 2**20} MiB"),
    ("pids limit", "HostConfig.PidsLimit", host_config["PidsLimit"]),
    ("read-only root", "HostConfig.ReadonlyRootfs", host_config["ReadonlyRootfs"]),
    ("user", "Config.User", config["User"]),
    ("data volume", "Mounts[/data]", next(m["Name"] for m in inspected["Mounts"] if m["Destination"] == "/data")),
]
display(Markdown("| non-functional need | field | value |\n|---|---|---|\n"
                 + "\n".join(f"| {a} | `{b}` | {c} |" for a, b, c in settings)))
# S11: the non-functional requirements are real settings of the running container
assert host_config["RestartPolicy"]["Name"] == "unless-stopped"
assert config["Healthcheck"]["Test"] and api.health == "healthy"
assert host_config["Memory"] == 256 * 2**20 and host_config["PidsLimit"] == 128
assert host_config["ReadonlyRootfs"] is True and config["User"] == "10001:10001"

# %% [markdown]
# ## Exercises
# ### Exercise 1 — keep your notes in a volume
# Create a volume **`my-notes`**, run a container **`keeper`** from `dockerlab/notes:1.0` with that volume mounted at
# **`/app/notes`**, and write a file **`/app/notes/keep.txt`** through `keeper`.

# %%
### BEGIN SOLUTION
lab.volumes.create("my-notes")
keeper = lab.run("keeper", "dockerlab/notes:1.0", volumes={"my-notes": "/app/notes"})
wrote_keep = keeper.exec("echo 'this outlives keeper' > /app/notes/keep.txt")
print(keeper.cli, "| write ok:", wrote_keep.ok)
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
# ### Exercise 2 — run the backend with its data in a volume
# Run the todo backend (`dockerlab/backend:1.0`) as a container **`api`**, with a volume **`todos`** mounted at
# **`/data`**, and its port **8080 published on 127.0.0.1** (any free host port).

# %%
### BEGIN SOLUTION
lab.volumes.create("todos")
api_ex = lab.run("api", "dockerlab/backend:1.0", ports={8080: None}, volumes={"todos": "/data"},
                 wait="http:/actuator/health")
print(api_ex.cli)
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown]
# ### Exercise 3 — a read-only bind mount
# Make a folder on the host (for example with `tempfile.mkdtemp()`), and run a container **`viewer`** from
# `dockerlab/notes:1.0` with that folder bind-mounted **read-only** at **`/srv/shared`**.

# %%
### BEGIN SOLUTION
viewer_dir = tempfile.mkdtemp(prefix="dockerlab-viewer-")
viewer = lab.run("viewer", "dockerlab/notes:1.0", volumes={viewer_dir: "/srv/shared:ro"})
print(viewer.cli)
### END SOLUTION

# %%
ex.q3.check()

# %%
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown]
# ## Recap
# - A **named volume** is storage the engine keeps outside containers: it survives their removal, several containers
#   can share it, and on a local engine it is a folder under `/var/lib/docker/volumes`.
# - A **bind mount** puts a host folder of your choice into a container: both sides see the same files. Add `:ro` to
#   protect them.
# - Files keep the **uid** of whoever wrote them: run the container with `user="<uid>:<gid>"` to write as yourself.
# - Replace a container, keep its volume, and the data is still there — that is how you upgrade a stateful app.
# - An image's `VOLUME` gives each container an **anonymous** volume: `docker rm` keeps it, `docker rm -v` removes it.
# - Infrastructure = hardware, OS, network, middleware: the image brings the OS user space and the middleware (Java,
#   nginx); the host brings the kernel and the hardware.
# - Non-functional requirements become container settings: restart policy, healthcheck, memory and pids limits,
#   read-only root, non-root user, volumes.
#
# ## Clean up
# This removes the chapter's containers **and its volumes** (`purge=True`): their data is deleted for good.
# The temporary host folders go too.

# %%
ch.reset(purge=True)
for folder in [host_dir] + [Path(p) for p in [globals().get("viewer_dir")] if p]:
    shutil.rmtree(folder, ignore_errors=True)
assert lab.leaks(chapter="04") == []
