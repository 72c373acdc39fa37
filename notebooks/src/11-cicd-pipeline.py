# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 11 · Docker in CI/CD: build, test, ship, deploy — and roll back
#
# *"Docker lets developers take part in CI/CD, reaching into the infrastructure side."* This chapter builds
# a small but real delivery pipeline in the notebook and runs it against real engines.
#
# **In this chapter you will**
# 1. see what CI and CD are, and why a Dockerfile makes a developer part of them;
# 2. start the pipeline's infrastructure: a private **registry** and a **cloud server** (a second engine);
# 3. run the pipeline: **build** the backend, **test** it inside a container, **tag** it with a version made from
#    its sources, **push** it to the registry, **deploy** it on the server from the registry, **verify** its health;
# 4. release a **bad version** and watch the pipeline detect the failing health check and **roll back** by itself;
# 5. break a test yourself and see the pipeline stop **before** anything reaches the server.
#
# Run the cells from top to bottom with **Shift+Enter**. The first run builds the backend (about a minute on a
# fresh machine, seconds when the builder's cache is warm).

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind — including the
# registry and the cloud server it started, and the pipeline's workspace.

# %%
import json
import time
import urllib.request

import dockerlab as lab
from dockerlab.course import app_dir, cloud_server, ensure_app, pipeline, registry
from dockerlab.display.pipeline import history_table, run_view
from dockerlab.exercises import ch11 as ex

ch = lab.start_chapter("11", "Docker in CI/CD")
ch.reset()

# %% [markdown]
# ## 1. CI/CD, and where Docker fits
# **Continuous integration (CI)**: every change a developer pushes is built and tested automatically, so a
# mistake is found minutes after it was made. **Continuous delivery / deployment (CD)**: every change that passes
# is packaged and can go — or goes — to the servers automatically, and a bad release is undone quickly.
#
# Before containers, "build" and "run" happened on different machines set up by different people, and the
# server's setup was the operations team's job. With Docker, the **developer's Dockerfile** describes the build
# environment, the test environment and what runs in production. That is how developers reach into the
# infrastructure side: the same file drives every step below.
#
# ```
#  sources ─► build ─► test ─► package ─► push ─► deploy ─► verify ──► live
#            javac in   tests in  image +    to the   the server  health    │
#            a container a container version tag registry pulls it check ──┴─► rollback (the previous release)
# ```

# %% [markdown]
# ## 2. The infrastructure: a registry and a server
# A pipeline needs a place to put images (a **registry**) and somewhere to run them (a **server**).
#
# - The registry is the course's `dockerlab/registry:2.8` in a container on your engine, on a free port of
#   127.0.0.1 (chapter 08 shows it in detail).
# - The "cloud server" is a **second Docker engine** on this machine, with its own socket, storage and network.
#   The pipeline reaches it by address, exactly like a real server in the cloud (`DOCKER_HOST=ssh://…`).

# %%
reg = registry.start(chapter="11")
print("registry:", reg.url, "| holds:", reg.catalog())
cloud = cloud_server.start()
server = cloud.client()
print("cloud server:", cloud.docker_host)
print("server engine:", lab.engine_info(server).server_version,
      "| images on it:", len(lab.images.list(client=server)))
assert reg.catalog() == [] and lab.images.list(client=server) == []  # an empty registry, an empty server

# %% [markdown]
# ## 3. The workspace and the version
# The pipeline builds a **copy** of the backend's sources (`images/backend`) in a workspace folder, so you can edit
# it without touching the course. Every release needs a **version**. Teams often use `git describe`, which names a
# commit (`v1.0.0-3-g5e59aa4`). Our workspace is not a git checkout, so the pipeline does the same with the
# **content** of the sources: `1.0.0-<first 7 hex digits of a hash of every file>`. Same sources, same version;
# change one character, new version.

# %%
backend_image = ensure_app("backend")  # the course image: its build warms the builder's cache
pipe = pipeline.Pipeline(registry=reg, server_client=server)
workspace = pipe.checkout(fresh=True)
print("workspace:", workspace)
print("files:", sorted(p.relative_to(workspace).as_posix() for p in workspace.rglob("*") if p.is_file())[:6], "…")
print("git describe of the course's own repository:", pipeline.git_describe(app_dir("backend")) or "(no git here)")
first_version = pipe.version()
print("the pipeline's version for these sources:", first_version)
assert first_version == pipe.version() and pipe.changed_files() == []

# %% [markdown]
# ## 4. The first release
# `pipe.run()` runs every step in order and stops at the first failure. Each step prints when it starts; at the
# end, the step table shows status and time. (The `note` marks this run as the chapter's demonstration, so the
# exercises later look only at your own runs.)
#
# What each step does:
#
# | step | what it does | the `docker` command |
# |---|---|---|
# | checkout | copies the sources, computes the version | `git clone`, `git describe` |
# | build | compiles the Java code **in a container** (the Dockerfile's `build` stage) | `docker build --target build .` |
# | test | runs the tests **in a container** (stage `test`): a failing test fails this build | `docker build --target test .` |
# | package | the runtime image, tagged with the version | `docker build -t todo-ci:<version> .` |
# | push | uploads it to the registry | `docker push 127.0.0.1:<port>/todo-backend:<version>` |
# | deploy | the **server** pulls it from the registry **by digest** and runs it | `DOCKER_HOST=… docker run -d … 127.0.0.1:<port>/todo-backend@sha256:…` |
# | verify | waits for the server's health check, then asks `GET /api/info` | `docker inspect --format '{{.State.Health.Status}}'` |

# %%
first = pipe.run(note="demo: first release")
run_view(first)

# %%
assert first.ok and first.deployed == first_version  # S14: built, tested, pushed, deployed
assert [s.status for s in first.steps] == ["ok"] * 7 + ["skipped"]
assert first_version in reg.tags("todo-backend")
assert pipeline.server_release(server) == first_version

# %% [markdown]
# The server never saw the sources, the JDK or the build: it pulled one image from the registry. The image it runs
# has **the same ID** as the one built on your engine — the registry moved it byte for byte. And the app there
# answers with the version the pipeline gave it.
#
# **By digest, not by tag.** A tag is a name that anyone with push rights can move to another image later
# (`todo-backend:1.0.0-…` today, something else tomorrow). The claim "production runs exactly what was tested" needs a
# name that cannot move: the image's **digest**, `todo-backend@sha256:…`, the SHA-256 of its manifest. The pipeline
# asks the registry for the digest of the release it pushed and deploys that — `docker run` of a digest, which is
# also what Kubernetes manifests and Compose files pin in production.

# %%
live = pipeline.server_container(server)
built_id = lab.images.inspect(f"todo-ci:{first_version}").id  # your image of that tag
print("image ID built here     :", built_id[:19])
print("image ID on the server  :", live.image_id[:19])
with urllib.request.urlopen(live.url(8080, "/api/info"), timeout=5) as resp:
    info = json.loads(resp.read())
print("the server's app says   :", info)
print("the server runs          :", live.image)
assert live.image_id == built_id and info["version"] == first_version  # S14: what was tested is what runs
assert live.image == f"{reg.host}/todo-backend@{reg.digest('todo-backend', first_version)}"  # pinned by digest
assert lab.ps(client=server) and len(lab.images.list(client=server)) == 1

# %% [markdown]
# ## 5. A bad release: the health check catches it, the pipeline rolls back
# A developer changes the port the app listens on to 8081 in the Dockerfile — and forgets that the server's
# deployment publishes and **probes port 8080**. The tests still pass (they start the app on a random port of their
# own), the image builds and is pushed. Only on the server does it show: the app runs, but nothing answers where the
# health check asks. The pipeline waits for the health check, sees **unhealthy**, and puts the previous release
# back.

# %%
dockerfile = workspace / "Dockerfile"
original_dockerfile = dockerfile.read_text()
dockerfile.write_text(original_dockerfile + "\n# release 2: listen on 8081 (the deployment still expects 8080)\n"
                      "ENV SERVER_PORT=8081\n")
print("changed files:", pipe.changed_files(), "→ new version", pipe.version())
bad = pipe.run(note="demo: bad release")
run_view(bad)

# %% [markdown]
# The table shows it: every step up to `deploy` passed; `verify` failed with the health check's verdict, and
# `rollback` deployed the previous release again — from the registry, where it still was.

# %%
live = pipeline.server_container(server)
with urllib.request.urlopen(live.url(8080, "/api/info"), timeout=5) as resp:
    info = json.loads(resp.read())
print("the server runs", pipeline.server_release(server), "| its app says", info["version"], "| health:", live.health)
print("the registry holds:", reg.tags("todo-backend"))
assert bad.failed_at == "verify" and bad.rolled_back and bad.deployed is None
assert bad.step("verify").detail.startswith("unhealthy")  # the failing health check was detected
assert pipeline.server_release(server) == first_version == info["version"]  # S14: rolled back automatically
assert bad.version in reg.tags("todo-backend")  # the bad image was pushed (it passed its tests) but is not live

# %% [markdown]
# We undo the developer's change: the workspace gets the original Dockerfile back, and with it the first version
# number — the same sources always give the same version.

# %%
dockerfile.write_text(original_dockerfile)
print("changed files:", pipe.changed_files(), "| version:", pipe.version())
assert pipe.version() == first_version

# %% [markdown]
# ## 6. The pipeline's history
# Every run is recorded (in the workspace's `runs.json`): a real CI server keeps the same kind of history, so a team
# can see what was released when, and what failed where.

# %%
history_table(pipe.runs)

# %% [markdown]
# ## Exercises
# ### Exercise 1 — a failing test stops the pipeline
# Change the sources in `pipe.workspace` so that **a test fails**, then run the pipeline (`pipe.run()`).
# The pipeline must stop at the `test` step: nothing is packaged, pushed or deployed, and the server keeps running
# the good release. The check reads your last run's record, the registry and the server.

# %%
### BEGIN SOLUTION
controller = next(pipe.workspace.rglob("TodoController.java"))
controller.write_text(controller.read_text().replace('Map.of("status", "UP")', 'Map.of("status", "DOWN")'))
broken = pipe.run()
run_view(broken)
### END SOLUTION

# %%
ex.q1.check()

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown]
# ### Exercise 2 — fix it and ship
# Undo your change and run the pipeline again: this time the release must reach the server and answer there.

# %%
### BEGIN SOLUTION
pipe.checkout(fresh=True)
shipped = pipe.run()
run_view(shipped)
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown]
# ## Recap
# - **CI** builds and tests every change; **CD** ships what passed — with Docker, the developer's Dockerfile
#   defines the build, the tests and what runs in production.
# - Tests run **inside a container** (the Dockerfile's `test` stage): a failing test stops the pipeline before
#   anything is pushed or deployed.
# - A version made from the sources (`git describe`, or a content hash) names each release; the **registry**
#   keeps every release; the **server** pulls a release **by digest** (`repo@sha256:…`, a name no push can move) and
#   runs exactly what was tested.
# - A release is only done when the server's **health check** passes; otherwise the pipeline **rolls back** to the
#   previous release — which is still in the registry.
#
# ## Clean up
# This removes the chapter's images and containers, stops the registry and the cloud server, and deletes the
# pipeline's workspace.

# %%
ch.reset()
assert lab.leaks(chapter="11") == []
assert not cloud_server.cloud().folder.exists() and registry.find_registry() is None
