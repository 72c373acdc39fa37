# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 08 · Ship it: the same image on another server
#
# **In this chapter you will**
# 1. build your backend image once — and see that building it again changes nothing (every step cached, same ID);
# 2. start a **second, separate Docker engine**, the *cloud server*, and reach it the way you reach any remote
#    engine: by its address, `DOCKER_HOST`;
# 3. ship an image to it **as a file** (`docker save` / `docker load`);
# 4. run a **registry**, `push` your image to it, and deploy on the cloud server with a `pull`;
# 5. check that both servers run **the same image** (same ID, same digest) and give **byte-identical answers**;
# 6. deploy the whole app — chapter 06's compose file — on the cloud server through `DOCKER_HOST`;
# 7. see where "the same everywhere" stops: another CPU architecture (`--platform`, `exec format error`);
# 8. compare on-premise, private cloud and public cloud — and choose one for a real case.
#
# The article's promise: *build the image well once, and production runs exactly like local development.*
# This chapter tests that promise.

# %% [markdown]
# ## Start the chapter
# The reset also stops a cloud server and a registry left by an earlier run, and deletes their data.

# %%
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

import dockerlab as lab
from dockerlab import compose
from dockerlab.course import app_dir, cloud_server, copy_compose_example, ensure_app, platforms, registry, work_folder
from dockerlab.display.buildlog import BuildLog
from dockerlab.display.containers import containers_table
from dockerlab.exercises import ch08 as ex

ch = lab.start_chapter("08", "Ship it: the same image on another server")
ch.reset(purge=True)

# %% [markdown]
# ## 1. Build once
# You build the backend from `images/backend` as **your own** image, `todo-api:1.0` (chapter 05 built the same
# sources as the course image, so the steps come from the cache).

# %%
todo_api = lab.build("todo-api:1.0", app_dir("backend"))
BuildLog(todo_api)

# %% [markdown]
# Build it **again**, with nothing changed. Docker compares each step's inputs (the instruction, the files it
# copies) with its cache: all the same, so nothing runs and the result is the very same image.

# %%
again = lab.build("todo-api:1.0", app_dir("backend"))
print(f"steps that ran again: {again.rebuilt_steps or 'none'}; same image: {again.id == todo_api.id}")
assert again.fully_cached  # S6: a rebuild with no change is fully cached
assert again.id == todo_api.id  # S6: … and gives the very same image

# %% [markdown]
# "The same ID" comes from the **cache**, not from the sources. Rebuild with `--no-cache` and every step runs again:
# same Dockerfile, same files, yet a **new** image ID — the image's config records when it was created, each `RUN`
# writes files with new times, and the ID is a digest of that config. (Shown on a small image: the backend would take
# a minute.) So "exactly what was tested" is pinned by the image's **digest**, not by building again — chapter 11.

# %%
TINY = "FROM debian:bookworm-slim\nRUN echo 'built once' > /built.txt\n"
first, second = (lab.build("tiny:1", dockerfile=TINY, nocache=True) for _ in range(2))
print(second.cli)
for build in (first, second):
    print(f"{build.id[:19]}  created {lab.images.inspect(build.id).created}")
assert first.id != second.id  # a --no-cache rebuild of the same content: a new image ID

# %% [markdown]
# **Which image store?** Where an image ID comes from depends on how the engine stores images. The classic store
# (Docker's graph drivers, like `overlay2`) names an image by the digest of its **config**; the **containerd image
# store** (the default on new Docker Engine installs since version 29, optional since 24) names it by the digest of
# its **manifest**. This chapter says which one it ran on, and asserts only what holds on it.

# %%
store = lab.engine_info().image_store
print("this engine's image store:", store)
assert store in ("classic", "containerd")

# %% [markdown]
# ## 2. A second server: the "cloud server"
# In real life the other server is a Linux VM at a cloud provider with Docker installed. You would point your
# `docker` CLI at it with `DOCKER_HOST=ssh://you@server` (or a `docker context`). Here the kit starts a **second
# Docker engine** on this machine. It shares nothing with your usual engine: its own socket, its own folder for
# images and containers, its own network bridge. You reach it by its **address**, exactly as a remote engine.

# %%
server = cloud_server.start()
print("export", server.docker_host)
cloud = lab.connect(server.address)  # docker.DockerClient(base_url=server.address), like any remote engine
local = lab.connect()

for label, client in (("your engine", local), (cloud_server.LABEL, cloud)):
    info = lab.engine_info(client)  # `docker info` of the engine this client talks to
    print(f"{label:>13}: Docker {info.server_version}, data in {info.docker_root_dir}, "
          f"{info.images} image(s), {info.containers} container(s)")
assert lab.engine_info(cloud).docker_root_dir != lab.engine_info(local).docker_root_dir  # two separate engines
assert lab.images.list(client=cloud) == [] and lab.ps(client=cloud) == []  # a fresh server: only an engine

# %% [markdown]
# The `docker` CLI reaches it the same way: set `DOCKER_HOST` and every command goes to that engine.
# (This is what you would do from your laptop for a real cloud VM.)

# %%
if shutil.which("docker"):
    env = dict(os.environ, DOCKER_HOST=server.address)
    for args in (["docker", "version", "--format", "server {{.Server.Version}}"], ["docker", "images"]):
        print("$", " ".join(args))
        print(subprocess.run(args, env=env, capture_output=True, text=True, timeout=30).stdout.rstrip())
else:
    print("(no docker CLI here: the SDK above is enough)")

# %% [markdown]
# The cloud server has **no images**: no Java, no Node, no nginx. Everything an app needs must come inside its
# image. There are two ways to get an image there: as a file, or through a registry.
#
# ## 3. Ship an image as a file: `docker save` / `docker load`
# `docker save` writes an image — all its layers plus its config — into one `.tar` file. Copy the file to the
# server (USB stick, `scp`…) and `docker load` it there. Let us ship the **frontend** this way.

# %%
frontend_ref = ensure_app("frontend")
frontend_image = local.images.get(frontend_ref)
workdir = Path(tempfile.mkdtemp(prefix="dockerlab-ship-"))
tar_path = workdir / "frontend.tar"

started = time.monotonic()
with open(tar_path, "wb") as out:
    for chunk in frontend_image.save(named=True):  # the image streams out in chunks
        out.write(chunk)
saved_s = time.monotonic() - started
print(f"$ docker save -o {tar_path.name} {frontend_ref}")
print(f"{tar_path.stat().st_size / 1e6:.1f} MB written in {saved_s:.1f} s")

# %% [markdown]
# What is inside? A `manifest.json` that names the image's config and its layers, one tar per layer:

# %%
with tarfile.open(tar_path) as tar:
    manifest = json.load(tar.extractfile("manifest.json"))[0]
print("tags  :", manifest["RepoTags"])
print("config:", manifest["Config"])
print("layers:", len(manifest["Layers"]))
for layer in manifest["Layers"][:4]:
    print("   ", layer)
assert manifest["RepoTags"] == [frontend_ref]

# %% [markdown]
# Now load the file **on the cloud server** (`DOCKER_HOST=… docker load -i frontend.tar`):

# %%
started = time.monotonic()
with open(tar_path, "rb") as tar_file:
    loaded = cloud.images.load(tar_file)
print(f"$ DOCKER_HOST={server.address} docker load -i {tar_path.name}")
print(f"loaded {loaded[0].tags} in {time.monotonic() - started:.1f} s")
print("ID on your engine :", frontend_image.id)
print("ID on the server  :", loaded[0].id)
assert loaded[0].id == frontend_image.id  # S5/S6: the same image arrived, bit for bit
shutil.rmtree(workdir)

# %% [markdown]
# Same ID means same content: the ID is a SHA-256 digest — of the image's config on the classic store (the config
# names the digest of every layer), of its manifest on the containerd store (the manifest names the config and the
# layers). Either way, one changed byte anywhere changes it. Run the frontend on **both** engines and fetch its page:
# the bytes are identical.

# %%
def page_of(client) -> bytes:
    web = lab.run("ship-frontend", frontend_ref, ports={8080: None}, wait=lab.Http("/", 8080), client=client)
    with urllib.request.urlopen(web.url(8080, "/"), timeout=10) as resp:
        return resp.read()


local_page, cloud_page = page_of(local), page_of(cloud)
print(f"local page: {len(local_page)} bytes, sha256 {hashlib.sha256(local_page).hexdigest()[:16]}…")
print(f"cloud page: {len(cloud_page)} bytes, sha256 {hashlib.sha256(cloud_page).hexdigest()[:16]}…")
assert local_page == cloud_page  # S6: byte-identical

# %% [markdown]
# ## 4. A registry
# Files work, but teams ship through a **registry**: a server that stores images by name, like Docker Hub,
# GitHub's ghcr.io or a cloud provider's registry. `docker push` uploads only the layers the registry does not
# have yet; `docker pull` on any server downloads only the layers that server lacks.
#
# The kit runs your own registry (the CNCF `distribution` registry 2.8, the program behind Docker Hub's
# `registry:2` image) in a container, published on `127.0.0.1` with a free port.
#
# > **Why this one must stay on 127.0.0.1.** It speaks plain HTTP and asks for no password. By default a Docker engine
# > talks plain HTTP only to registries on `127.0.0.0/8` — a default, not a law: an engine's `daemon.json` can list
# > more under `"insecure-registries"` (say, `["registry.lab:5000"]`), and everything it pulls from there can be read
# > or swapped on the way. A real registry needs **TLS** (HTTPS) and **authentication** (so only your CI can push,
# > and only your servers can pull): `docker login` against a registry behind a certificate.

# %%
reg = registry.start()
print(reg.container.cli)
print("registry at", reg.url, "— catalog:", reg.catalog())
print("plain HTTP allowed by your engine for:", lab.engine_info().insecure_registries)
assert reg.catalog() == []
assert "127.0.0.0/8" in lab.engine_info().insecure_registries  # the default that lets this registry work

# %% [markdown]
# An image's **name says where it lives**: `127.0.0.1:<port>/todo-api:1.0` means "the repository `todo-api`,
# tag `1.0`, on the registry at `127.0.0.1:<port>`". So pushing is two steps: give the image that name
# (`docker tag`), then `docker push` it.

# %%
pushed = reg.push(todo_api.tag, "todo-api", "1.0")
print(f"$ docker tag {todo_api.tag} {pushed.ref}")
print(pushed.cli)
print("\n".join(pushed.lines[-6:]))

# %% [markdown]
# The registry speaks a small HTTP API (the *Docker Registry HTTP API v2*). Ask it what it holds, like
# `curl http://127.0.0.1:<port>/v2/_catalog`:

# %%
print("GET /v2/_catalog              ->", reg.catalog())
print("GET /v2/todo-api/tags/list    ->", reg.tags("todo-api"))
digest = reg.digest("todo-api", "1.0")
print("manifest digest               ->", digest)
print("config digest                 ->", reg.config_digest("todo-api", "1.0"))
print(f"your image's ID ({store} store) ->", todo_api.id)
assert reg.tags("todo-api") == ["1.0"] and digest == pushed.digest
# the registry stores exactly your image: its ID is the config's digest (classic store) or the manifest's (containerd)
assert todo_api.id == (reg.config_digest("todo-api", "1.0") if store == "classic" else digest)

# %% [markdown]
# **Layer digests are not all alike.** `docker inspect` lists an image's layers as `RootFS.Layers`: digests of each
# layer's **uncompressed** tar (*diff IDs*). A registry stores each layer **compressed** (gzip), so its manifest names
# other digests — and other sizes — for the very same layers. Compare the two lists:

# %%
diff_ids = lab.images.inspect(todo_api.tag).layers
_, manifest = reg.manifest("todo-api", "1.0")
blobs = [(layer["digest"], layer["size"]) for layer in manifest["layers"]]
for diff_id, (blob, size) in list(zip(diff_ids, blobs))[-3:]:
    print(f"diff ID {diff_id[7:23]}…  ↔  registry blob {blob[7:23]}… ({size / 1e6:.1f} MB compressed)")
assert len(diff_ids) == len(blobs) and not set(diff_ids) & {blob for blob, _ in blobs}

# %% [markdown]
# ## 5. Deploy on the cloud server from the registry
# A deploy is now two commands on the server: `docker pull` and `docker run`. The server downloads the layers from
# the registry; nothing is built there.

# %%
started = time.monotonic()
pulled = registry.pull(pushed.ref, client=cloud)
print(f"$ DOCKER_HOST={server.address} docker pull {pushed.ref}")
print(f"pulled in {time.monotonic() - started:.1f} s")
print("image ID on your engine :", todo_api.id)
print("image ID on the server  :", pulled.id)
print("digest on the server    :", pulled.repo_digests)
assert pulled.id == todo_api.id  # S6: the same image ID in both places
assert pulled.repo_digests == [f"{reg.host}/todo-api@{digest}"]  # … and the same digest

# %% [markdown]
# The deploy step does not care **where** it runs: it takes a client, i.e. an engine's address. Point it at your
# own engine or at the cloud server — that address is the only difference. (On-premise server, private cloud or
# public cloud: to Docker they are all just an engine at an address.)

# %%
def deploy(client, image: str) -> lab.Container:
    """Run the todo API from ``image`` on the engine ``client`` talks to, with a fresh data volume."""
    return lab.run("api", image, client=client, ports={8080: None}, volumes={"todo-data": "/data"},
                   hostname="todo-api", wait="log:Started TodoApplication")


api_local = deploy(local, todo_api.tag)
api_cloud = deploy(cloud, pushed.ref)
print(api_cloud.cli)
print("local :", api_local.url(8080, "/api/todos"))
print("cloud :", api_cloud.url(8080, "/api/todos"))
assert api_local.image_id == api_cloud.image_id
containers_table([api_local, api_cloud], title="api on your engine (first) and on the cloud server (second)")

# %% [markdown]
# Now the same requests to both: add the same todos, then read the list and the app's info.

# %%
def call(api: lab.Container, method: str, path: str, body: dict | None = None) -> bytes:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(api.url(8080, path), data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.read()


answers = {}
for name, api in (("local", api_local), ("cloud", api_cloud)):
    for title in ("build once", "ship the image", "run it anywhere"):
        call(api, "POST", "/api/todos", {"title": title})
    answers[name] = (call(api, "GET", "/api/todos"), call(api, "GET", "/api/info"))
    print(f"{name}: {answers[name][0].decode()}\n       {answers[name][1].decode()}")

assert answers["local"] == answers["cloud"]  # S6: byte-identical responses from the two servers

# %% [markdown]
# Same image, same configuration (port, hostname, an empty volume), same requests: the two servers answer
# **byte for byte** the same. That is the promise of the article, measured.
#
# ## 6. The whole app on the cloud server, with Compose
# One container is one `docker run`; the whole app — backend, frontend, network, volume — is chapter 06's
# `compose.yaml`. To deploy it elsewhere, point Compose at the other engine with **`DOCKER_HOST`** and give it the
# images' address: the file's `${REGISTRY:-}` takes the registry's, so the cloud server pulls both images from there.
# First the two course images go to the registry, under their own names:

# %%
for app in ("backend", "frontend"):
    course_image = ensure_app(app)
    name, _, version = course_image.partition(":")
    shipped = reg.push(course_image, name, version)
    print(shipped.cli)
print("registry now holds:", reg.catalog())

# %% [markdown]
# The same file, unchanged; only the engine (`DOCKER_HOST`) and one variable differ from chapter 06 — plus one small
# file for this stand-in server. A real server resolves the service name `backend` with Docker's own DNS; our stand-in
# runs without a firewall of its own (`--iptables=false`, so as not to rewrite this machine's), and that switches the
# containers' DNS off too. So a second file, merged over the first (`-f compose.yaml -f cloud.yaml`: the way teams
# keep a production override beside the main file), gives the backend a fixed address, and tells the frontend that
# address. `server.private_network()` picks the range: one this machine does not use, whose containers this
# machine's firewall lets talk to each other.

# %%
folder = copy_compose_example(work_folder("ship-todo-app"))
private = server.private_network()
subnet, backend_ip = private.subnet, private.address(10)
(folder / "cloud.yaml").write_text(f"""# only for the course's stand-in server: its containers have no DNS (see the chapter)
services:
  backend:
    networks:
      todo-net:
        ipv4_address: {backend_ip}
  frontend:
    environment:
      BACKEND_URL: http://{backend_ip}:8080
networks:
  todo-net:
    ipam:
      config:
        - subnet: {subnet}
""")
print((folder / "cloud.yaml").read_text())

# %% [markdown]
# `pull`, then `up`, as you would on a real server (`DOCKER_HOST=ssh://you@server docker compose up -d`):

# %%
cloud_app = compose.Project("todo", folder, overrides=["cloud.yaml"], docker_host=server.address,
                            env={"REGISTRY": f"{reg.host}/"})
cloud_app.pull()
print(cloud_app.cli)
cloud_app.up()
print(cloud_app.cli)
containers_table(cloud_app.ps(), title=f"Compose project {cloud_app.name} on the cloud server")

# %%
frontend_on_cloud = cloud_app.container("frontend")
print("the app on the cloud server:", frontend_on_cloud.url(8080, "/"))
call(frontend_on_cloud, "POST", "/api/todos", {"title": "deployed with compose"})
todos = json.loads(call(frontend_on_cloud, "GET", "/api/todos"))
print(todos)
assert [t["title"] for t in todos] == ["deployed with compose"]
assert frontend_on_cloud.image.startswith(reg.host)  # pulled from the registry, not built there
assert lab.ps(client=cloud) and not [c for c in lab.ps() if c.name == frontend_on_cloud.name]  # only on the server
print(cloud_app.down(volumes=True))

# %% [markdown]
# ## 7. The same everywhere — on the same kind of CPU
# An image holds **machine code** for one CPU architecture. Everything so far was `linux/amd64` (x86-64); ARM servers
# (`linux/arm64`: AWS Graviton, Raspberry Pi, Apple silicon's Linux VM) cannot run those programs, nor can an amd64
# server run arm64 ones. `docker build --platform linux/arm64` builds for another architecture, and the kernel then
# refuses to run the program: **`exec format error`** — "this file is not a program for this CPU". Unless the machine
# *emulates* the other CPU: QEMU, registered with the kernel (`binfmt_misc`; Debian's `qemu-user-static` and
# `binfmt-support`, built into Docker Desktop), runs each instruction in software — correct, but many times slower.
# Teams publish one **multi-platform** image (a manifest list: one image per architecture, `docker buildx build
# --platform linux/amd64,linux/arm64`), and each engine pulls the one for its CPU.
#
# The kit builds a tiny arm64 image: one program, Debian's busybox for arm64 (about half a minute the first time).

# %%
try:
    arm = platforms.arm64_image()
except lab.BuildFailed as err:  # an offline classroom: Debian's mirror (for the arm64 busybox) is out of reach
    arm = None
    print("The arm64 program comes from Debian's package mirror, which this machine cannot reach:", err.what)
else:
    print(arm.cli)
    print("this engine's CPU:", lab.engine_info().architecture, "| the image is for:",
          lab.images.inspect(arm.tag).platform)
    assert lab.images.inspect(arm.tag).platform == "linux/arm64"

# %%
arm_run = lab.run("arm", arm.tag) if arm else None  # its program: `uname -m`, the CPU it believes it runs on
code = arm_run.wait(timeout=120) if arm_run else None
emulator = platforms.emulator("aarch64") if lab.engine_info().architecture == "x86_64" else None
print(f"exit code {code}: {arm_run.logs().strip() if arm_run else '(not built here)'}")
if arm_run is None:
    print("Without the image, the lesson in words: on this amd64 engine its program would end in `exec format "
          "error`, unless QEMU were registered with the kernel (then it would print aarch64, slowly).")
elif emulator:
    print("This machine emulates arm64 with", emulator, "— the same image, another CPU, emulated in software.")
    assert code == 0 and arm_run.logs().strip() == "aarch64"
elif lab.engine_info().architecture in ("aarch64", "arm64"):
    print("This engine runs on an arm64 CPU itself: the image is native here.")
    assert code == 0
else:
    print("No emulator here: the kernel refuses the arm64 program. That is what `exec format error` means.")
    assert code != 0 and "exec format error" in arm_run.logs()

# %% [markdown]
# ## 8. On-premise or cloud?
# Where should the server be? Docker does not decide: an image runs the same on all three. Money and people do.
#
# | | **on-premise** | **private cloud** | **public cloud** |
# |---|---|---|---|
# | who owns the hardware | you, in your building | you (or a provider, only for you) | the provider, shared |
# | paying | big purchase up front, then power, space, staff | up front + a team to run the cloud layer | per hour / per GB, nothing up front |
# | new server | weeks (order, rack, install) | minutes, within the capacity you bought | minutes, practically no limit |
# | uneven load (peaks) | buy for the peak, idle the rest of the time | limited to your own capacity | add servers for the peak, remove them after |
# | data control, rules | full control; data never leaves | full control, cloud-style self-service | the provider's regions and certifications |
# | fits when | steady load, strict rules, existing server room | big organisation, many teams, rules forbid shared clouds | start-ups, new products, spiky or unknown load |
# | **the article's criteria** | high **availability** (a system that must never stop), high confidentiality | (cloud) | traffic that varies a lot (customer-facing systems), a **backup abroad** against disasters, a service to launch quickly |
#
# The article's criteria, seen today: on-premise availability is as good as the redundancy *you* build (two sites,
# spare hardware, staff on call); clouds sell availability too (several zones and regions), and a backup in another
# country is a few clicks there — which is why "disaster backup abroad" points to the cloud. With containers the choice
# is not final: the same image moves from one to the other, as you just saw.
#
# ## Exercises
# ### Exercise 1 — push your backend image as `todo-backend:v1`
# Push your backend image (`todo_api`, or the course's `dockerlab/backend:1.0`) to **your registry** as
# repository **`todo-backend`**, tag **`v1`**. The check asks the registry's HTTP API.

# %%
### BEGIN SOLUTION
pushed_v1 = reg.push(todo_api.tag, "todo-backend", "v1")
print(pushed_v1.cli)
print(reg.tags("todo-backend"), pushed_v1.digest)
### END SOLUTION

# %%
ex.q1.check()

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown]
# ### Exercise 2 — run `web` on the cloud server from the registry
# Deploy **`todo-backend:v1` from your registry** on the **cloud server**: a container named **`web`**, its port
# 8080 published on a free host port. Pull first: the cloud server only has what you ship to it.

# %%
### BEGIN SOLUTION
ref = reg.ref("todo-backend", "v1")
registry.pull(ref, client=cloud)
web = lab.run("web", ref, client=cloud, ports={8080: None}, wait="log:Started TodoApplication")
print(web.url(8080, "/api/info"))
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.hint(2)
# ex.q2.solution()

# %% [markdown]
# ### Exercise 3 — where should it run?
# *A two-person start-up sells concert tickets online. They own no servers and nobody wants to run a server room.
# Most days a handful of visitors come; when a big concert goes on sale, traffic jumps fifty-fold for two hours.
# No law requires them to keep the data in their own building.*
#
# Where should they run their containers? Answer `"on-premise"`, `"private cloud"` or `"public cloud"`.

# %%
answer = "____"
### BEGIN SOLUTION
answer = "public cloud"
### END SOLUTION

# %%
ex.q3.check(answer)

# %%
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown]
# ## Recap
# - Build **once**: a rebuild with no change runs nothing and gives the same image ID; a `--no-cache` rebuild of the
#   same content gives a **new** ID (the config records its creation time).
# - Ship by **file** (`docker save` → copy → `docker load`) or through a **registry** (`docker tag` + `docker push`,
#   then `docker pull` on the server). Either way the server gets the **same image ID**.
# - A remote engine is just an **address**: `DOCKER_HOST=…` for the CLI, `DockerClient(base_url=…)` for code.
#   The deploy is the same on your laptop, an on-premise server or a cloud VM.
# - Same image + same configuration ⇒ **byte-identical answers** on both servers. An image ID is a digest of the
#   config (classic store) or of the manifest (containerd store); a registry's layer digests are of compressed layers.
# - A compose file deploys the whole app on another engine: `DOCKER_HOST=… docker compose up -d`, the images pulled
#   from a registry.
# - "The same everywhere" holds on the same CPU architecture: an arm64 image on amd64 ends in `exec format error`
#   unless the machine emulates it (QEMU); multi-platform images carry one image per architecture.
# - A real registry needs **TLS and authentication**; the course's one is safe only because it listens on
#   127.0.0.1 (plain HTTP is allowed for 127.0.0.0/8 by default, for others only through `insecure-registries`).
#
# ## Clean up
# The reset removes your containers, images and volumes, the registry, and **stops the cloud server** and deletes
# its data folder.

# %%
report = ch.reset(purge=True)
print(report)
assert lab.leaks(chapter="08") == []
assert not cloud_server.running() and not server.folder.exists()  # the cloud server is gone, data and all
assert registry.find_registry() is None
