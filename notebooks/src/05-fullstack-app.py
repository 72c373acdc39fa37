# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 05 · A Spring-style backend and a React frontend
#
# **In this chapter you will**
# 1. build the two images of a real web app — a Java REST backend (the shape of a Spring Boot service) and a
#    React frontend — and read their build logs;
# 2. see why a **multi-stage** build leaves the compilers behind: no JDK, no Node, no npm in what you ship;
# 3. put both containers on a **user-defined network**, where they find each other **by name**;
# 4. keep the backend's data in a **volume**, and use the app from this notebook through the frontend's port.
#
# The article's story: a developer builds a Spring Boot backend and a React frontend on a laptop, ships them as
# images, and a Linux server runs them unchanged. This chapter is the laptop half; chapter 06 ships them.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind
# (`purge=True`: the chapter's volume too, so the app starts with an empty todo list).

# %%
import json
import platform
import time
import urllib.request

import dockerlab as lab
from dockerlab.course import app_dir, app_tag
from dockerlab.display.buildlog import BuildLog
from dockerlab.display.containers import containers_table
from dockerlab.display.network import network_view
from dockerlab.exercises import ch05 as ex

ch = lab.start_chapter("05", "A Spring-style backend and a React frontend")
ch.reset(purge=True)
info = lab.engine_info()

# %% [markdown]
# ## 1. The app: two programs, two images
#
# ```
#  browser ──> frontend (nginx + React files) ──/api/──> backend (Java todo API) ──> /data (a volume)
#              port 8080, published on the host          port 8080, only on the network
# ```
#
# * **backend** — a todo REST API in Java 17, laid out like a Spring Boot app (`TodoApplication`,
#   `TodoController`, `TodoService`, `TodoRepository`): `GET/POST /api/todos`, `DELETE /api/todos/{id}`,
#   `GET /actuator/health`. It reads its settings from environment variables: `SERVER_PORT`, `DATA_DIR`.
# * **frontend** — a React app, compiled by Vite into plain HTML/JS files, served by **nginx**. nginx also
#   forwards `/api/…` to the backend named in `BACKEND_URL`.
#
# Each has a `Dockerfile` in `images/`. Here are the stages of the backend's — every `FROM` starts a new stage:

# %%
def stages(app: str) -> list[str]:
    """The FROM lines of a course Dockerfile: one per build stage."""
    text = (app_dir(app) / "Dockerfile").read_text()
    return [line for line in text.splitlines() if line.startswith("FROM ")]


for app in ("backend", "frontend"):
    print(f"images/{app}/Dockerfile")
    for line in stages(app):
        print("   ", line)
assert len(stages("backend")) >= 2 and len(stages("frontend")) >= 2  # both are multi-stage builds

# %% [markdown]
# ## 2. Build both images
# `lab.build` is `docker build`: it sends the folder (the *build context*) to the engine, which runs the
# Dockerfile step by step. Each step either **runs** or is **taken from the cache** when nothing it depends on
# changed. The course images are probably built already, so most steps say `CACHED` — the log still shows
# every step, with the last lines of output of the steps that ran.
# (A first build takes a few minutes: it installs a JDK and Node inside the build stages.)

# %%
backend_build = lab.build(app_tag("backend"), app_dir("backend"), role="course")
assert backend_build.image is not None
BuildLog(backend_build)

# %%
frontend_build = lab.build(app_tag("frontend"), app_dir("frontend"), role="course")
assert frontend_build.image is not None
BuildLog(frontend_build)

# %% [markdown]
# The backend's Dockerfile has four stages: `jdk`, `build`, `test` (runs the app's unit tests) and `runtime`. The
# runtime stage copies nothing from `test` — and still the log above shows the tests running. That is the kit's
# **classic builder**: it builds every stage of the Dockerfile, in order, up to the target. **BuildKit** (`docker
# build` on Docker 23+) builds only the stages the target needs, so it would *skip* `test` (unless you ask for it:
# `docker build --target test .`). Keep that in mind when a stage is there only to check something.

# %%
test_steps = [s for s in backend_build.steps if "AllTests" in s.instruction]
print("the test stage's step in this build:", test_steps[0].label if test_steps else "(skipped)")
if any(line.startswith("Step ") for line in backend_build.log):  # Docker's classic builder
    assert test_steps  # the classic builder ran a stage that the runtime image does not use

# %% [markdown]
# The full log is in `backend_build.log`. Its last lines are the runtime stage: a small Debian, a user, the
# Java runtime copied **from another stage** (`COPY --from=jdk`), and the app's jar last:

# %%
print("\n".join(backend_build.log[-14:]))

# %% [markdown]
# ## 3. Multi-stage: why the shipped image has no JDK and no Node
#
# Compiling needs big tools: the JDK (`javac`, `jar`) for Java, Node and npm (plus ~100 MB of
# `node_modules`) for React. Running needs much less: a Java *runtime*, and for the frontend just nginx and
# the compiled files. A multi-stage Dockerfile builds in a fat **build stage**, then starts a fresh
# **runtime stage** and copies only the results across. Everything else stays behind.
#
# Let us build *only* the backend's build stage (`--target build`, as your own image), and compare sizes.
# The steps are cached from the build above, so this is quick.

# %%
backend_stage = lab.build("backend-build-stage", app_dir("backend"), target="build")
print("$", backend_stage.cli)

MB = 1e6
build_size, runtime_size = lab.images.inspect(backend_stage.tag).size, lab.images.inspect(backend_build.tag).size
print(f"{'app':<10}{'build stage':>14}{'runtime image':>16}{'left behind':>14}")
print(f"{'backend':<10}{build_size / MB:>11.0f} MB{runtime_size / MB:>13.0f} MB{(build_size - runtime_size) / MB:>11.0f} MB")
assert runtime_size < build_size  # the runtime image is the smaller one

# %% [markdown]
# The frontend's build stage holds one more thing that must never ship: to reach npm through a proxy that re-signs
# HTTPS, it takes the host's CA bundle (from the kit's image `dockerlab/host-ca:1.0`). So the kit refuses to make
# that stage a final image — one more reason the runtime stage starts from a clean base and copies only `dist/`:

# %%
try:
    lab.build("frontend-build-stage", app_dir("frontend"), target="build")
    refused = None
except lab.BadInput as err:
    refused = err
print(refused)
assert refused is not None and "CA bundle" in str(refused)  # a stage with the host's CA is never a final image

# %% [markdown]
# Sizes are one thing; let us **look inside**. A container from the build stage has the Java compiler:

# %%
jdk = lab.run("jdk-stage", backend_stage.tag, ["javac", "-version"])
jdk.wait(timeout=60)
print(jdk.cli)
print(jdk.logs().strip())
assert "javac 17" in jdk.logs()

# %% [markdown]
# Now start the real app. First a **user-defined network** (`docker network create`): containers on it
# find each other by name through Docker's own DNS server. Then a **volume** for the backend's data, and the
# backend itself — **without publishing its port**: it gets no port on the host, so your browser (and every other
# machine) cannot reach it; the frontend will, over the network.

# %%
net = lab.networks.create("todo-net")
print(net.cli)
data = lab.volumes.create("todo-data")
print(data.cli)

backend = lab.run("backend", app_tag("backend"), network="todo-net", volumes={"todo-data": "/data"},
                  wait="log:Started TodoApplication")
print(backend.cli)
print(backend.logs().strip().splitlines()[-1])
assert backend.status == "running"
assert "8080/tcp" not in backend.ports  # not published: no port on the host

# %% [markdown]
# Careful: *unpublished* does not mean *unreachable*. On Linux the host itself sits on every bridge network the
# engine makes (it is the network's gateway), so a program **on the engine's host** can still open the container's
# own IP address directly. Publishing only adds a port on the host's addresses; it is not a firewall. (With Docker
# Desktop or a rootless engine, the bridge lives inside a VM or a namespace of its own, and the host cannot.)

# %%
backend_ip = backend.ip(lab.name("todo-net"))
on_engine_host = info.address.startswith("unix://") and platform.release() == info.kernel and not info.rootless
print(f"backend on the network: {backend_ip}:8080, published on the host: nowhere")
if on_engine_host:
    with urllib.request.urlopen(f"http://{backend_ip}:8080/actuator/health", timeout=5) as resp:
        direct = resp.status, resp.read().decode()
    print(f"GET http://{backend_ip}:8080/actuator/health from this notebook →", *direct)
    assert direct[0] == 200  # the host reaches an unpublished container by its bridge IP
else:
    print("(this notebook does not run on the engine's host network: the bridge is out of its reach)")

# %% [markdown]
# Inside the runtime image: `java` is there (a trimmed runtime made by `jlink`, holding only the two Java
# modules the app uses), but **no `javac`**. The exit code of `command -v` says whether a program exists.

# %%
for program in ("java", "javac", "jar"):
    found = backend.exec(f"command -v {program}")
    print(f"{program:>6}: {found.output.strip() or 'not in this image'}")
print(backend.exec("java --list-modules").output)
assert backend.exec("command -v java").ok
assert not backend.exec("command -v javac").ok and not backend.exec("command -v jar").ok  # no JDK shipped

# %% [markdown]
# Now the frontend, on the same network. `BACKEND_URL` tells nginx where the API is: the backend
# container's **name** (with your session in front: `lab.name("backend")`) and the port it listens on
# *inside* the network. The frontend's port 8080 is published on a free host port.

# %%
BACKEND_URL = f"http://{lab.name('backend')}:8080"
frontend = lab.run("frontend", app_tag("frontend"), network="todo-net", env={"BACKEND_URL": BACKEND_URL},
                   ports={8080: None}, wait=lab.Http("/", 8080))
print(frontend.cli)
print(frontend.logs().strip().splitlines()[0])

# %%
for program in ("nginx", "node", "npm"):
    found = frontend.exec(f"command -v {program}")
    print(f"{program:>6}: {found.output.strip() or 'not in this image'}")
assert frontend.exec("command -v nginx").ok
assert not frontend.exec("command -v node").ok and not frontend.exec("command -v npm").ok  # no Node shipped

# %% [markdown]
# ## 4. Names on a user-defined network
# How does nginx find `BACKEND_URL`'s host? Docker runs a small DNS server (127.0.0.11) for every user-defined
# network. Ask it from **inside** the frontend with `getent hosts`, and compare with the backend's address:

# %%
resolved = frontend.exec(["getent", "hosts", lab.name("backend")])
print("$", resolved.cli)
print(resolved.output.strip())
backend_ip = backend.ip(lab.name("todo-net"))
print("backend's address on the network:", backend_ip)
assert resolved.ok and resolved.output.split()[0] == backend_ip

# %% [markdown]
# The network's members, as `docker network inspect` lists them, and the two containers:

# %%
members = lab.networks.members("todo-net")
assert {lab.name("backend"), lab.name("frontend")} <= {m["name"] for m in members}
network_view("todo-net")

# %%
containers_table([backend, frontend], title="The app's containers")

# %% [markdown]
# ## 5. Use the app
# Everything goes through the **frontend's** published port, as a browser would: nginx serves the React page at
# `/`, and forwards `/api/…` to the backend over the network. First the page itself:

# %%
def http(method: str, url: str, body: dict | None = None) -> tuple[int, bytes]:
    """One HTTP request from the notebook: (status, body)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, resp.read()


status, page = http("GET", frontend.url(8080, "/"))
print(status, page.decode()[:300])
assert status == 200 and b'id="root"' in page  # React mounts the app into <div id="root">

# %% [markdown]
# Open the app in your browser (on the course machine, or through the teacher's port forwarding):

# %%
print("Open the todo app:", frontend.url(8080, "/"))

# %% [markdown]
# Now the API, through the frontend: list (empty: a fresh volume), add three todos, delete one, list again.

# %%
api = frontend.url(8080, "/api/todos")
status, body = http("GET", api)
print("GET    /api/todos ->", status, body.decode())
assert status == 200 and json.loads(body) == []

added = []
for title in ("build the images", "run them on a network", "ship them to a server"):
    status, body = http("POST", api, {"title": title})
    added.append(json.loads(body))
    print("POST   /api/todos ->", status, body.decode())
    assert status == 201

status, _ = http("DELETE", f"{api}/{added[0]['id']}")
print(f"DELETE /api/todos/{added[0]['id']} ->", status)
assert status == 204

status, body = http("GET", api)
todos = json.loads(body)
print("GET    /api/todos ->", status, body.decode())
assert [t["title"] for t in todos] == ["run them on a network", "ship them to a server"]

# %% [markdown]
# The backend's log shows each request arriving **from the frontend's address** on the network — not from
# the notebook: the notebook only ever talked to nginx.

# %%
frontend_ip = frontend.ip(lab.name("todo-net"))
api_lines = [line for line in backend.logs().splitlines() if "/api/todos" in line]
print("\n".join(api_lines[-4:]))
assert api_lines and all(line.endswith(f"from {frontend_ip}") for line in api_lines)

# %% [markdown]
# ## 6. The data lives in the volume
# Remove the backend container and start a new one from the same image, with the same volume. The todos are
# still there: they were written to `/data`, which is the volume, not the container's own layer.

# %%
backend.remove()
backend = lab.run("backend", app_tag("backend"), network="todo-net", volumes={"todo-data": "/data"},
                  wait="log:Started TodoApplication")
print([line for line in backend.logs().splitlines() if "Loaded" in line][0])
body = None
for attempt in range(120):  # nginx may still hold the old container's address for up to 10 s
    try:
        status, body = http("GET", api)
        break
    except OSError:  # 502 Bad Gateway while the name points to the removed container
        time.sleep(0.5)
assert body is not None, "the frontend never reached the new backend container"
assert [t["title"] for t in json.loads(body)] == ["run them on a network", "ship them to a server"]
print("after a new backend container:", body.decode())

# %% [markdown]
# nginx found the **new** container by the same name, with no restart of the frontend: names, not addresses, wire
# the app together. But that is not automatic. Docker's DNS always answers with the name's *current* address; nginx,
# though, looks a name up **once, when it starts**, and keeps that address — unless told otherwise. Two lines of the
# frontend's configuration (`images/frontend/docker/nginx.conf.template`) tell it: a `resolver` with `valid=10s`
# (ask Docker's DNS at 127.0.0.11 again after 10 s), and a `proxy_pass` to a *variable*, which makes nginx resolve
# the name at request time. Without them, the frontend would answer 502 until you restarted it.

# %%
conf = frontend.exec(["grep", "-E", r"^\s*(resolver|set \$backend|proxy_pass) ", "/tmp/nginx/nginx.conf"]).output
print(conf)
assert "valid=10s" in conf and "proxy_pass $backend;" in conf  # what makes nginx follow a replaced container

# %% [markdown]
# ## Exercises
# ### Exercise 1 — a second frontend for the same backend
# Run a second frontend container named **`frontend2`** from `dockerlab/frontend:1.0`, on the network
# `todo-net`, talking to the **same backend**, with its port 8080 published on a free host port.
# The check looks at the engine: the network, `BACKEND_URL`, the port, and an HTTP call through it.

# %%
### BEGIN SOLUTION
frontend2 = lab.run("frontend2", app_tag("frontend"), network="todo-net",
                    env={"BACKEND_URL": f"http://{lab.name('backend')}:8080"},
                    ports={8080: None}, wait=lab.Http("/", 8080))
print(frontend2.url())
### END SOLUTION

# %%
ex.q1.check()

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown]
# ### Exercise 2 — the backend on port 9090
# Ops wants the API on port **9090**. Don't rebuild anything: the backend reads its port from the environment
# variable **`SERVER_PORT`**. Run a container named **`backend9090`** from `dockerlab/backend:1.0` that listens on
# 9090 *inside*, and publish that port on a free host port. (It needs no network and no volume.)

# %%
### BEGIN SOLUTION
api9090 = lab.run("backend9090", app_tag("backend"), env={"SERVER_PORT": "9090"},
                  ports={9090: None}, wait=lab.Http("/actuator/health", 9090))
print(api9090.url(9090, "/api/info"))
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.hint(2)
# ex.q2.solution()

# %% [markdown]
# ### Exercise 3 — write the runtime stage
# Here is the backend's Dockerfile **without its last stage**: the stages `jdk` (a JDK, and a small Java runtime made
# by `jlink` in `/opt/java`), `build` (compiles the app into `/src/app.jar`) and `test`. Write the missing **runtime
# stage** yourself, in `runtime_stage`, and build the whole Dockerfile as **`backend-slim:v1`** with the backend's
# folder as the build context (`app_dir("backend")`; with the CLI: `docker build -f <your Dockerfile> -t
# backend-slim:v1 images/backend`).
#
# The check runs your image: the app must answer `GET /actuator/health` on port 8080 (it keeps its data in `/data`,
# which its user must be able to write), and the image must hold **no compiler and no `node`**, and weigh less than
# **150 MB**.

# %%
print(ex.BUILD_STAGES[-600:])

# %%
runtime_stage = "____"
### BEGIN SOLUTION
runtime_stage = """
FROM debian:bookworm-slim AS runtime
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin app \\
 && mkdir -p /data && chown app /data
COPY --from=jdk /opt/java /opt/java
COPY --from=build /src/app.jar /app/app.jar
USER app
EXPOSE 8080
ENTRYPOINT ["/opt/java/bin/java", "-jar", "/app/app.jar"]
"""
slim = lab.build("backend-slim:v1", app_dir("backend"), dockerfile=ex.BUILD_STAGES + runtime_stage)
BuildLog(slim)
### END SOLUTION

# %%
ex.q3.check()

# %%
# ex.q3.hint()
# ex.q3.hint(2)
# ex.q3.solution()

# %% [markdown]
# ## Recap
# - A **multi-stage** Dockerfile compiles in a fat build stage and ships a slim runtime stage: the backend image
#   has a Java runtime but no `javac`; the frontend image has nginx and the built files, but no Node and no npm.
#   You wrote one yourself: `FROM` a small base, then `COPY --from=<stage>` only what runs the app.
# - On a **user-defined network**, containers reach each other **by name** (Docker's DNS, 127.0.0.11). nginx follows
#   a replaced container only because its config re-resolves the name (`resolver … valid=10s`).
# - Only the frontend publishes a port. The backend has no host port — but on Linux the engine's host can still open
#   its bridge IP: not publishing is not a firewall.
# - Settings come from **environment variables** (`BACKEND_URL`, `SERVER_PORT`): one image, many configurations.
# - The data lives in a **volume**: a new backend container finds the old todos.
#
# Next, chapter 06 ships these images to another server — by file and through a registry — and shows they run
# there unchanged.
#
# ## Clean up
# This removes the containers, the network, your build-stage images and (with `purge=True`) the todo volume.

# %%
ch.reset(purge=True)
assert lab.leaks(chapter="05") == []
