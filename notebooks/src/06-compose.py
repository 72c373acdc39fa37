# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 06 · Compose: the whole app in one file
#
# **In this chapter you will**
# 1. read chapter 05's app — backend, frontend, network, volume, healthcheck, start order — as one **`compose.yaml`**;
# 2. start it with one command (`docker compose up`), list it (`ps`), read its logs (`logs`) and use it;
# 3. see what Compose made on the engine: ordinary containers, a network and a volume, named after the **project**;
# 4. change the file and `up` again: Compose replaces only what changed, and the data stays;
# 5. take it all down (`down`, `down -v`);
# 6. edit the YAML yourself: a second frontend, and the API on another port.
#
# In chapter 05 it took eight cells to start the app, and every one of them had to be right. A team writes that down
# once — in a file that lives next to the code — and everybody starts the same app with one command. That file is a
# **compose file**; the program that reads it is **Docker Compose**.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit, removes anything an earlier run of this chapter left behind, and copies the course's
# compose file into your work folder, **`work/<you>/todo-app/`** (open it from JupyterLab's file browser).
# A re-run puts the original file back: your edits from a previous run are gone.

# %%
import json
import time
from datetime import datetime
import urllib.error
import urllib.request

import yaml

import dockerlab as lab
from dockerlab import compose
from dockerlab.course import copy_compose_example
from dockerlab.display.containers import containers_table
from dockerlab.exercises import ch06 as ex

ch = lab.start_chapter("06", "Compose: the whole app in one file")
ch.reset(purge=True)
folder = copy_compose_example()
print("Compose on this machine:", compose.tool())
print("your compose file:", folder / "compose.yaml")

# %% [markdown]
# ## 1. The app as a file
# Here is the whole file. Read it from the top; the table below says which `docker run` option each line replaces.

# %%
print((folder / "compose.yaml").read_text())

# %% [markdown]
# | in `compose.yaml` | what chapter 05 typed |
# |---|---|
# | `services:` `backend:` / `frontend:` | one `docker run` each; the service name is also its **name on the network** |
# | `image: …` | the image argument of `docker run` |
# | `environment:` | `-e SERVER_PORT=8080`, `-e BACKEND_URL=…` |
# | `volumes: - todo-data:/data` + the top-level `volumes: todo-data:` | `docker volume create` + `-v todo-data:/data` |
# | `networks: - todo-net` + the top-level `networks: todo-net:` | `docker network create` + `--network todo-net` |
# | `ports: - "127.0.0.1::8080"` | `-p 127.0.0.1::8080` (a free host port, on this machine only) |
# | `healthcheck:` | `--health-cmd … --health-interval 2s …` |
# | `depends_on: backend: condition: service_healthy` | *nothing*: in chapter 05 **you** waited for the backend before starting the frontend |
#
# YAML is indentation: two spaces per level, a list item starts with `- `. A file is only text, so Python reads it
# like any other YAML — two services, one network, one volume:

# %%
spec = yaml.safe_load((folder / "compose.yaml").read_text())
print("services:", list(spec["services"]), "| networks:", list(spec["networks"]), "| volumes:", list(spec["volumes"]))
assert set(spec["services"]) == {"backend", "frontend"} and list(spec["volumes"]) == ["todo-data"]
assert spec["services"]["frontend"]["depends_on"]["backend"]["condition"] == "service_healthy"

# %% [markdown]
# ### How Compose reads it
# `docker compose config` prints the file the way Compose understands it: variables filled in, short forms written
# out in full. `${REGISTRY:-}` means "the variable `REGISTRY`, or nothing if it is not set" — empty here, so the
# images are the course's own. (Chapter 08 sets it to a registry's address, and the same file deploys elsewhere.)
#
# The kit's `compose.Project` runs the real Compose program — `docker compose` (version 2, a plugin of the `docker`
# CLI) where your machine has it, else `docker-compose` (version 1, Debian's package). Both read the same file.
# A **project name** keeps your app apart from everybody else's: every name Compose makes starts with it.

# %%
app = compose.Project("todo", folder)
config = app.config()
print(app.cli)
print("project name:", app.name)
for name, service in config["services"].items():
    print(f"{name:>9}: image {service['image']}")
assert config["services"]["backend"]["image"] == "dockerlab/backend:1.0"  # ${REGISTRY:-} was empty

# %% [markdown]
# ## 2. `up`: the whole app, one command
# `docker compose up -d` creates the network and the volume, then the containers — in the order `depends_on` asks:
# the frontend only once the backend's healthcheck passes. `-d` (detached) gives the terminal back, as `docker run -d`.
#
# The kit adds a second, small file next to yours, `.dockerlab.yaml`: Compose merges it over yours (`-f compose.yaml
# -f .dockerlab.yaml`). It gives everything Compose makes the kit's labels, so the chapter's reset finds and removes
# it, and the kit's memory and pids limits. Run the printed command in a terminal and you get exactly the same.

# %%
started = time.monotonic()
app.up()
print(app.cli)
print(f"up and healthy after {time.monotonic() - started:.1f} s")
print((folder / compose.OVERRIDE_FILE).read_text())

# %% [markdown]
# `docker compose ps` lists the project's containers. Each one is an ordinary container: the table is the kit's
# usual one.

# %%
containers = app.ps()
print(app.cli)
backend, frontend = app.container("backend"), app.container("frontend")
assert {c.labels[compose.SERVICE_LABEL] for c in containers} == {"backend", "frontend"}
assert backend.health == "healthy" and frontend.status == "running"
containers_table(containers, title=f"Compose project {app.name}")

# %% [markdown]
# **The start order, measured.** The engine keeps the backend's health-check results with their times
# (`docker inspect`'s `State.Health.Log`, read here from `.inspect()`, the same JSON). The frontend started only
# **after** the backend's first successful check — Compose waited, as `depends_on` asked.

# %%
def instant(stamp: str) -> datetime:
    """An engine timestamp ('2026-11-30T06:18:18.98012345Z', UTC, nanoseconds) as a datetime."""
    head, _, fraction = stamp.rstrip("Z").partition(".")
    return datetime.fromisoformat(f"{head}.{(fraction + '000000')[:6]}+00:00")


backend_state, frontend_state = backend.inspect()["State"], frontend.inspect()["State"]  # `docker inspect`
first_ok = next(entry for entry in backend_state["Health"]["Log"] if entry["ExitCode"] == 0)
frontend_started = instant(frontend_state["StartedAt"])
print("backend started       :", instant(backend_state["StartedAt"]).time())
print("backend first healthy :", instant(first_ok["End"]).time())
print("frontend started      :", frontend_started.time())
assert frontend_started > instant(first_ok["Start"])  # depends_on: condition: service_healthy

# %% [markdown]
# ## 3. What Compose made
# Compose is a client: it only asks the engine for the same things you asked for in chapter 05, with names built from
# the project (`<project>_<service>_1` for Compose 1, `<project>-<service>-1` for Compose 2) and labels of its own
# (`com.docker.compose.project`, `com.docker.compose.service`). The kit's `leaks` finds all of it by the kit's labels:

# %%
made = lab.leaks(chapter="06")
for resource in made:
    print(f"{resource.kind:>9}  {resource.name}")
assert {r.kind for r in made} >= {"container", "network", "volume"}
print("backend's labels:", {k: v for k, v in backend.labels.items() if k.startswith("com.docker.compose.")
                            and k.split(".")[-1] in ("project", "service")})

# %% [markdown]
# On the project's network, each **service name** is a name in Docker's DNS: the frontend finds the backend as
# `backend` — which is why `BACKEND_URL` in the file can say `http://backend:8080` for every learner at once.

# %%
resolved = frontend.exec(["getent", "hosts", "backend"])
network = backend.networks[0]
print("$", resolved.cli)
print(resolved.output.strip(), "| backend's address on", network, "is", backend.ip(network))
assert resolved.ok and resolved.output.split()[0] == backend.ip(network)

# %% [markdown]
# ## 4. Use the app
# As in chapter 05, everything goes through the frontend's published port.

# %%
def http(method: str, url: str, body: dict | None = None) -> tuple[int, bytes]:
    """One HTTP request from the notebook: (status, body)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, resp.read()


api = frontend.url(8080, "/api/todos")
print("Open the todo app:", frontend.url(8080, "/"))
for title in ("write compose.yaml", "docker compose up", "docker compose down"):
    status, _ = http("POST", api, {"title": title})
    assert status == 201
status, body = http("GET", api)
print("GET /api/todos ->", status, body.decode())
assert [t["title"] for t in json.loads(body)] == ["write compose.yaml", "docker compose up", "docker compose down"]

# %% [markdown]
# ## 5. `logs`: every service's log in one place
# `docker compose logs` puts the services' logs side by side, each line with its service's name in front
# (`--tail 3`: the last three lines of each). In a terminal, `docker compose logs -f` keeps following them.

# %%
print(app.logs(tail=3))
print(app.cli)
assert "POST /api/todos" in app.logs("backend")

# %% [markdown]
# ## 6. Change the file, `up` again
# Configuration lives in the file now. Give the backend a version number: add `APP_VERSION: "1.1.0"` under its
# `environment:` (this cell edits the file; you could do it in JupyterLab's editor). Then `up` again: Compose compares
# each service with what runs and **replaces only the containers whose configuration changed**.

# %%
compose_file = folder / "compose.yaml"
compose_file.write_text(compose_file.read_text().replace("      DATA_DIR: /data\n",
                                                         '      DATA_DIR: /data\n      APP_VERSION: "1.1.0"\n'))
before = {c.labels[compose.SERVICE_LABEL]: c.id for c in app.ps()}
app.up()
after = {c.labels[compose.SERVICE_LABEL]: c.id for c in app.ps()}
for service in before:
    print(f"{service:>9}: {'replaced' if before[service] != after[service] else 'kept'}")
assert before["backend"] != after["backend"]  # a new container for the changed service

# %% [markdown]
# The new backend container mounted the **same volume**, so the todos are still there, and the app reports its new
# version. (nginx in the frontend looks the name `backend` up again every 10 s, so the first answers may take a moment.)

# %%
def get_json(url: str, tries: int = 60) -> object:
    """GET a JSON answer, retrying while nginx still points at the replaced container (502)."""
    for _ in range(tries):
        try:
            return json.loads(http("GET", url)[1])
        except (urllib.error.HTTPError, OSError):
            time.sleep(0.5)
    raise AssertionError(f"{url} never answered")


frontend = app.container("frontend")
info = get_json(frontend.url(8080, "/api/info"))
todos = get_json(frontend.url(8080, "/api/todos"))
print(info)
print([t["title"] for t in todos])
assert info["version"] == "1.1.0" and len(todos) == 3  # a new container, the same data

# %% [markdown]
# ## 7. `down`, and `down -v`
# `docker compose down` stops and removes the project's containers and its network. The **volume stays**: it holds
# data, and Compose never deletes data unless you say `-v`.

# %%
print(app.down())
print(app.cli)
left = {(r.kind, r.name) for r in lab.leaks(chapter="06")}
print("still there:", left)
assert app.ps() == [] and {kind for kind, _ in left} == {"volume"}

# %% [markdown]
# `up` again, and the todos are back — the new containers found the volume. These containers are the ones the
# exercises below start from.

# %%
app.up()
frontend = app.container("frontend")
todos = get_json(frontend.url(8080, "/api/todos"))
print(len(todos), "todos after down and up:", [t["title"] for t in todos])
assert len(todos) == 3

# %% [markdown]
# ## Exercises
# Both exercises change **your `compose.yaml`** (its path is printed below: open it from the file browser on the left,
# edit, save with Ctrl+S) and then start the change with `app.up()` — or `docker compose -p <project> up -d` in a
# terminal, in that folder (the project name is printed below too). The checks read what runs on the engine.

# %%
print("your project:", app.name, "| your file:", compose_file)

# %% [markdown]
# ### Exercise 1 — a second frontend
# Add a service **`frontend2`** to the file: the same image as `frontend`, on the network `todo-net`, talking to the
# **same backend**, its port 8080 published on a free port of 127.0.0.1. Keep `frontend` as it is. Then `up`.

# %%
### BEGIN SOLUTION
FRONTEND2 = """
  frontend2:
    image: ${REGISTRY:-}dockerlab/frontend:1.0
    environment:
      BACKEND_URL: http://backend:8080
    ports:
      - "127.0.0.1::8080"
    networks:
      - todo-net
    depends_on:
      backend:
        condition: service_healthy
"""
text = compose_file.read_text()
compose_file.write_text(text.replace("\nvolumes:\n", FRONTEND2 + "\nvolumes:\n", 1))
app.up()
### END SOLUTION

# %%
ex.q1.check()

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown]
# ### Exercise 2 — the API on port 9090
# Ops wants the backend to listen on port **9090**. Change it in the file — the backend reads its port from
# `SERVER_PORT` — and everywhere else the old port matters, so the app keeps working. Then `up`.

# %%
### BEGIN SOLUTION
text = compose_file.read_text()
text = text.replace('SERVER_PORT: "8080"', 'SERVER_PORT: "9090"').replace("http://backend:8080", "http://backend:9090")
compose_file.write_text(text)
app.up()
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.hint(2)
# ex.q2.solution()

# %% [markdown]
# ## Recap
# - A **compose file** describes an app: its services (image, environment, ports, volumes, networks, healthcheck) and
#   their order (`depends_on: condition: service_healthy`). It lives next to the code, in version control.
# - `docker compose up -d` makes it real; `ps`, `logs` show it; `up` again after an edit replaces only what changed;
#   `down` removes containers and networks, `down -v` the volumes too.
# - Compose asks the engine for ordinary containers, networks and volumes, named after the **project**; on the
#   project's network each service is reachable by its **service name**.
# - Variables (`${REGISTRY:-}`) let one file run in several places: chapter 08 deploys this very file on another server.
#
# ## Clean up
# `down -v` removes the project, its network and its volume; the reset removes whatever else the chapter made.

# %%
print(app.down(volumes=True))
ch.reset(purge=True)
assert lab.leaks(chapter="06") == []
