# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 02 · Images, layers and the build cache
#
# An **image** is the package a container runs from: the program plus every file it needs.
# You make one with `docker build` from a recipe called a **Dockerfile**.
#
# **In this chapter you will**
# 1. build an image from a Dockerfile, step by step, and run it;
# 2. see that an image is a **stack of layers**, one per step that changes files, and how big each is;
# 3. watch the **build cache** at work: which steps are reused and which run again after a change;
# 4. see why the **order** of the instructions matters for fast rebuilds;
# 5. give one image several **tags**, see what an image **ID** is a digest of, and which rebuilds keep it.
#
# Run the cells from top to bottom with **Shift+Enter**.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind
# (containers and the images you built in it).

# %%
import re
import shutil
import tempfile
import time
from pathlib import Path

import dockerlab as lab
from dockerlab.course import images_dir
from dockerlab.display.buildlog import BuildLog
from dockerlab.display.layerstack import layer_stack
from dockerlab.exercises import ch02 as ex

ch = lab.start_chapter("02", "Images, layers and the build cache")
ch.reset()
info = lab.engine_info()

# %% [markdown]
# ## 1. A Dockerfile is a recipe
# The course ships a tiny project in `images/ch02-welcome/`: a text file `app.txt` and a Dockerfile.
# We copy it to a scratch folder, so that we can edit it freely (like your own project folder), and sign the
# Dockerfile with your name.

# %%
project = Path(tempfile.mkdtemp(prefix="dockerlab-ch02-")) / "welcome"
shutil.copytree(images_dir() / "ch02-welcome", project)
dockerfile = project / "Dockerfile"
dockerfile.write_text(dockerfile.read_text().replace("your name here", lab.session_id()))
print("project folder:", project)
print(sorted(p.name for p in project.iterdir()))
print()
print(dockerfile.read_text())

# %% [markdown]
# Read it from top to bottom; each line is an **instruction**, and the builder runs them in order:
#
# | instruction | what it does |
# |---|---|
# | `FROM debian:bookworm-slim` | start from an existing image (a small Debian) |
# | `LABEL maintainer=…` | write a note into the image's settings (here: who made it) |
# | `RUN …` | run a command during the build, and keep the files it makes. Here it stands in for *installing dependencies*: slow (2 s) and big (5 MB), like `apt-get install` or `npm install` |
# | `COPY app.txt /app/app.txt` | copy a file from your folder (the **build context**) into the image |
# | `CMD [...]` | the command a container runs when it starts (here: print the file) |
#
# Now build it. `lab.build` is `docker build -t <tag> <folder>`; your images get your session's name in front
# (`welcome:v1` becomes `<you>/welcome:v1`). We say `nocache=True` (`--no-cache`) for this first build, so
# that every step really runs and you see how long each takes.

# %%
first = lab.build("welcome:v1", project, nocache=True)
BuildLog(first)

# %% [markdown]
# Every step after `FROM` ran (result **RAN**): nothing came from the cache. The slow step took about two seconds.
# (The kit adds a few labels of its own at the end of every build, to find your images later; the log hides them.)
#
# **Which builder?** The kit builds through the engine's API with Docker's **classic builder** (the Python SDK cannot
# drive BuildKit): its log says `Step 3/5 : RUN …` and ` ---> Using cache`. The `docker build` command of Docker 23
# and newer uses **BuildKit**, whose log looks different (`#6 [3/4] RUN …`, `#6 CACHED`) and which can run
# independent steps at the same time. Layers and the cache rules of this chapter are the same in both; where the two
# differ, the chapter says so.

# %%
print("image:", first.tag, first.id[:19])
print("steps that ran:", first.rebuilt_steps, "| from cache:", first.cached_steps)
slow_step = next(s for s in first.steps if s.instruction.startswith("RUN"))
print(f"the slow RUN step took {slow_step.seconds:.1f} s")
assert first.cached_steps == [] and len(first.rebuilt_steps) == 4
assert slow_step.seconds >= 1.5

# %% [markdown]
# ### Run it
# A container from this image runs its `CMD`, prints the file and exits. `lab.run` finds your image by its
# short tag.

# %%
greet = lab.run("welcome", "welcome:v1")
greet.wait()
print(greet.cli)
print(greet.logs())
assert greet.logs() == (project / "app.txt").read_text()

# %% [markdown]
# ## 2. An image is a stack of layers
# Each instruction that changes files (`RUN`, `COPY`, `ADD`) adds a **layer**: a read-only set of file
# changes laid on top of the ones below. Instructions like `CMD` or `ENV` only change the image's settings
# (its *config*) and add no files. `docker history` lists the steps; the table below matches them to the
# layers and their sizes.

# %%
layer_stack(first.tag)

# %% [markdown]
# Let us check what the table says, straight from the engine:
# - the bottom layer is the Debian base, **shared** with `debian:bookworm-slim` (stored once on disk);
# - the `RUN` layer holds the 5 MB it made; the `COPY` layer is as small as `app.txt`;
# - `LABEL` and `CMD` made no layer at all.
#
# (On **Podman**, `history` gives a layer's size as the size of its archive: `app.txt` plus a header, in 512-byte
# blocks — a few kB for a few bytes of text.)

# %%
image = lab.images.inspect(first.tag)
base = lab.images.inspect("debian:bookworm-slim")
layers = image.layers  # RootFS.Layers: the digest of each file layer, base first
print(f"$ docker image inspect --format '{{{{.RootFS.Layers}}}}' {first.tag}")
for digest in layers:
    print("  ", digest[:19], "(from the base image)" if digest in base.layers else "")
print("$ docker history", first.tag)
for h in lab.images.history(first.tag):
    made_by = h["CreatedBy"].replace("/bin/sh -c #(nop) ", "").replace("/bin/sh -c ", "RUN ").strip()
    if not made_by.startswith(("LABEL org.dockerlab", 'LABEL "org.dockerlab')):  # the kit's own labels: not ours
        made_by = made_by or "(the base image's files, imported)"
        print(f"   {h['Size'] / 1e6:8.3f} MB  {made_by[:70]}")
sizes = {h["CreatedBy"]: h["Size"] for h in lab.images.history(first.tag)}
run_size = next(v for k, v in sizes.items() if "dd if=/dev/zero" in k)
copy_size = next(v for k, v in sizes.items() if "COPY" in k)
cmd_size = next(v for k, v in sizes.items() if "CMD" in k)
assert layers[: len(base.layers)] == base.layers  # the base is shared
assert len(layers) == len(base.layers) + 2  # RUN and COPY made layers, LABEL and CMD did not
app_bytes = len((project / "app.txt").read_bytes())
assert run_size >= 5 * 2**20 and cmd_size == 0
if lab.engine_info().kind == "Podman":
    assert app_bytes <= copy_size <= app_bytes + 4096  # the archive of one small file
else:
    assert copy_size == app_bytes

# %% [markdown]
# ## 3. The build cache
# Before it runs a step, the builder asks: *have I already run **this** instruction, on top of **this** exact
# parent layer (and, for `COPY`, with **these** exact files)?* If so, it reuses the result: a **cache hit**.
#
# The cache belongs to the engine, not to you: on a shared engine, a classmate's identical steps would be
# reused too. Your name in the `LABEL` line makes your parent layers yours, so what you see below is your own cache.
# (That is the classic builder's rule: every instruction, `LABEL` included, is a step whose result is the parent of
# the next, so a different `LABEL` line changes the cache key of every step below it. **BuildKit** keys its cache on
# the steps that make files; a `LABEL` only changes the image's settings there, and two Dockerfiles that differ only
# in a `LABEL` share the cache of their `RUN` and `COPY` steps.)
#
# ### 3.1 Build again, change nothing
# Every step is a cache hit. The build takes a fraction of a second, and the result is **the very same
# image**: same ID. (Keep this in mind for later chapters: *build the image once, and it is the same everywhere*.)

# %%
again = lab.build("welcome:v1", project)
BuildLog(again)

# %%
print(f"first build {first.seconds:.2f} s → rebuild {again.seconds:.2f} s")
print("same image ID:", again.id == first.id, again.id[:19])
assert again.fully_cached  # S6: a rebuild with no change is fully cached …
if lab.engine_info().kind == "Podman":
    # Podman may answer the rebuild of a --no-cache build from an older, identical build in its cache (another ID);
    # from then on, every rebuild gives that very same image
    assert lab.build("welcome:v1", project).id == again.id
else:
    assert again.id == first.id  # … and gives the very same image

# %% [markdown]
# Careful with what "same" means: the ID stayed because the cache handed back **the very same build**. Build the same
# files again **without** the cache (`--no-cache`), and every step runs anew: the image records its own creation
# time (and the `RUN` step writes its files with new timestamps), so it gets a **new ID** although nothing in your
# project changed. That is why you ship the image you tested, not "the same Dockerfile built again".

# %%
rebuilt = lab.build("welcome:nocache", project, nocache=True)
print("$", rebuilt.cli)
print("cached rebuild :", again.id[:19], "created", lab.images.inspect(again.id).created)
print("--no-cache     :", rebuilt.id[:19], "created", lab.images.inspect(rebuilt.id).created)
assert rebuilt.fully_cached is False and rebuilt.id != again.id  # same source, a new build: a new ID

# %% [markdown]
# ### 3.2 Edit a file, build again
# Now we edit `app.txt`, the way you edit your code. The steps **before** `COPY app.txt` are still cache hits;
# `COPY` sees different file content, so it runs again, and so does every step after it (their parent changed).

# %%
(project / "app.txt").write_text(f"Welcome to the Docker course! (edited at {time.strftime('%H:%M:%S')})\n")
edited = lab.build("welcome:v1", project)
BuildLog(edited)

# %%
def step_of(result: lab.images.BuildResult, keyword: str) -> lab.images.BuildStep:
    """The first build step whose instruction starts with ``keyword`` (RUN, COPY, CMD…)."""
    return next(s for s in result.steps if s.instruction.upper().startswith(keyword))


copy_at = step_of(edited, "COPY").number
for s in edited.steps:
    print(f"step {s.number}: {'cache hit' if s.cached else 'ran':9}  {s.instruction[:60]}")
assert all(s.cached for s in edited.steps if 1 < s.number < copy_at)  # before the change: cached
assert not any(s.cached for s in edited.steps if s.number >= copy_at)  # the change and after: rebuilt
assert edited.id != first.id

# %% [markdown]
# The tag `welcome:v1` now names the **new** image. The old one still exists, without a name
# (`docker images` shows it as `<none>`): a tag is just a name that moved.

# %%
old = lab.images.get(first.id)
print("old image", first.id[:19], "tags now:", old.tags)
print("new image", edited.id[:19], "tags now:", lab.images.get(edited.id).tags)
assert old.tags == [] and lab.images.get(edited.tag).id == edited.id

# %% [markdown]
# ### 3.3 Edit an early line of the Dockerfile
# A change high up invalidates **everything below it**, even lines you did not touch. Let us make the slow
# step write one more MB (6 instead of 5):

# %%
size_mb = int(re.search(r"count=(\d+)", dockerfile.read_text()).group(1)) + 1
dockerfile.write_text(re.sub(r"count=\d+", f"count={size_mb}", dockerfile.read_text()))
print([line for line in dockerfile.read_text().splitlines() if line.startswith("RUN")][0])
early = lab.build("welcome:v1", project)
BuildLog(early)

# %%
print(f"rebuilt steps: {early.rebuilt_steps} in {early.seconds:.1f} s")
assert not step_of(early, "RUN").cached and not step_of(early, "COPY").cached  # everything below re-ran
assert early.seconds >= 1.5

# %% [markdown]
# ## 4. Why the order of instructions matters
# So the rule is: **put what changes rarely first, and what changes often last.** Installing dependencies
# changes rarely; your own files change all the time.
#
# Here are two Dockerfiles with the same three steps, in two orders. In the *bad* one, `COPY` of our files
# comes before the slow step. We build each, edit `app.txt`, and build each again.

# %%
SIGNED = f'FROM debian:bookworm-slim\nLABEL maintainer="{lab.session_id()}"\n'
SLOW = "RUN dd if=/dev/zero of=/opt/deps.bin bs=1M count=5 status=none && sleep 2"
BAD = SIGNED + f"COPY app.txt /app/app.txt\n{SLOW}\nCMD [\"cat\", \"/app/app.txt\"]\n"
GOOD = SIGNED + f"{SLOW}\nCOPY app.txt /app/app.txt\nCMD [\"cat\", \"/app/app.txt\"]\n"
print("— bad order —\n" + BAD + "\n— good order —\n" + GOOD)


def build_edit_rebuild(tag: str, dockerfile_text: str) -> tuple[lab.images.BuildResult, lab.images.BuildResult]:
    """Build, edit app.txt, build again: the two BuildResults."""
    before = lab.build(tag, dockerfile=dockerfile_text, files={"app.txt": "version 1\n"})
    after = lab.build(tag, dockerfile=dockerfile_text,
                      files={"app.txt": f"version 2, edited at {time.strftime('%H:%M:%S')}\n"})
    return before, after


bad_before, bad_after = build_edit_rebuild("order-bad:v1", BAD)
good_before, good_after = build_edit_rebuild("order-good:v1", GOOD)

# %% [markdown]
# The rebuild after the edit, with the bad order:

# %%
BuildLog(bad_after)

# %% [markdown]
# And with the good order:

# %%
BuildLog(good_after)

# %%
print(f"rebuild after editing app.txt — bad order: {bad_after.seconds:.1f} s, good order: {good_after.seconds:.1f} s")
assert not step_of(bad_after, "RUN").cached  # the slow step ran again, for a one-line text change
assert step_of(good_after, "RUN").cached  # the slow step came from the cache
assert step_of(bad_after, "RUN").seconds >= 1.5  # the seconds the good order saves on every edit

# %% [markdown]
# Two seconds here; in a real project it is `npm install` or `apt-get install`: minutes, on every edit.
# That is why real Dockerfiles copy the *list* of dependencies (`package.json`, `pom.xml`, `requirements.txt`)
# and install them **before** copying the rest of the source.

# %% [markdown]
# ## 5. Tags and IDs
# ### 5.1 What an ID is a digest of
# An image is stored as a few JSON documents and its layers:
# - each **layer** is a tar archive of files; `RootFS.Layers` lists the sha256 of each layer's **uncompressed** tar
#   (its *diff ID*). A registry stores layers gzip-compressed and names them by the digest of the *compressed* bytes,
#   so the digests you see on a registry (chapter 06) are not these;
# - the **config** holds the settings (`CMD`, `ENV`, labels…), the creation time and the list of layer digests;
# - the **manifest** names the config and the (compressed) layers: it is what a registry serves.
#
# Which of them the ID is the digest of depends on the engine's **image store**. The classic store (Docker Engine
# before 29, upgraded installs, and this course's set-up) uses the digest of the **config**; the **containerd image
# store** (the default of fresh Docker Engine 29+ installs and of recent Docker Desktop) uses the digest of the
# **manifest**. Either way the ID is a digest of content, so it cannot change while the image exists — and it names
# exactly one build.
#
# `docker save` writes an image as a tar archive of these very files. We hash every file in it and look for the layer
# digests and the ID:

# %%
saved = lab.layers.saved_digests(first.id)  # the first build of welcome:v1 (section 2)
print("this engine's image store:", info.image_store)
by_digest = {d: name for name, d in saved.items()}
for n, digest in enumerate(layers):
    print(f"layer {n}: {digest[:19]}…  = sha256 of {by_digest.get(digest, '(not in the archive)')}")
print(f"ID     : {first.id[:19]}…  = sha256 of {by_digest.get(first.id, '(not in the archive)')}")
assert all(digest in by_digest for digest in layers)  # RootFS.Layers = digests of the uncompressed layer tars
assert first.id in by_digest  # the ID is the digest of one file: the config (classic store) or the manifest

# %% [markdown]
# ### 5.2 Tags
# A **tag** (`name:version`) is a name that points at an ID; one image can have many tags, and a tag can move to
# another image. `docker tag <image> <new name>` adds a name; in Python, `lab.images.tag(...)`.

# %%
print(lab.images.tag("welcome:v1", "welcome:stable"))
v1 = lab.images.get_resolved("welcome:v1")
stable = lab.images.get_resolved("welcome:stable")
print("welcome:v1     →", v1.id[:19])
print("welcome:stable →", stable.id[:19])
print("all names of that image:", v1.tags)
assert v1.id == stable.id and len(v1.tags) == 2  # two tags, one image

# %% [markdown]
# `docker images` shows one row per tag, so the same image appears twice, with the same ID and size.
# It is stored once. Removing one tag (`docker rmi welcome:stable`) only removes the name:

# %%
repo = lab.labels.image_repo("welcome")
print(f"$ docker images {repo}")
for img in lab.images.list(repo):
    for t in img.tags:
        print(f"   {t:36} {img.short_id:14} {img.size / 1e6:.1f} MB")
lab.images.remove(f"{repo}:stable")
print(f"$ docker rmi {repo}:stable")
print("welcome:v1 still there:", lab.images.exists(f"{repo}:v1"), "| tags now:", lab.images.get(f"{repo}:v1").tags)
assert lab.images.get(f"{repo}:v1").id == v1.id and not lab.images.exists(f"{repo}:stable")

# %% [markdown]
# ## Exercises
# ### Exercise 1 — build your own image
# Build an image tagged **`greeter:v1`** whose default command prints exactly **`Hello, Docker!`**.
# Start from `debian:bookworm-slim`. You may write the Dockerfile as a string: `lab.build(tag, dockerfile=...)`.
# The check runs a container from your image and reads what it prints.

# %%
### BEGIN SOLUTION
greeter = lab.build("greeter:v1", dockerfile='FROM debian:bookworm-slim\nCMD ["echo", "Hello, Docker!"]\n')
BuildLog(greeter)
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
# ### Exercise 2 — fix the order
# This Dockerfile rebuilds its slow step every time `app.txt` changes. Write `good_dockerfile`: the same
# instructions (do not change any of them), in an order that keeps the slow `RUN` step cached when only
# `app.txt` changes. The check builds your Dockerfile, edits `app.txt`, builds again and looks at the cache.

# %%
slow_dockerfile = """FROM debian:bookworm-slim
COPY app.txt /app/app.txt
RUN dd if=/dev/zero of=/opt/deps.bin bs=1M count=5 status=none && sleep 2
CMD ["cat", "/app/app.txt"]
"""
good_dockerfile = "____"
### BEGIN SOLUTION
good_dockerfile = """FROM debian:bookworm-slim
RUN dd if=/dev/zero of=/opt/deps.bin bs=1M count=5 status=none && sleep 2
COPY app.txt /app/app.txt
CMD ["cat", "/app/app.txt"]
"""
### END SOLUTION

# %%
ex.q2.check(good_dockerfile)

# %%
# ex.q2.hint()
# ex.q2.hint(2)
# ex.q2.solution()

# %% [markdown]
# ### Exercise 3 — a second name
# Give your image `greeter:v1` (exercise 1) a second tag, **`greeter:stable`**, without building anything.
# The check compares the two IDs.

# %%
### BEGIN SOLUTION
print(lab.images.tag("greeter:v1", "greeter:stable"))
### END SOLUTION

# %%
ex.q3.check()

# %%
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown]
# ### Exercise 4 — containerize this app
# Time to write a Dockerfile of your own for a real program. `images/ch02-app/` holds a small Python web app,
# `app.py`, and no Dockerfile. It needs **Python 3** (on Debian: the package `python3`, installed with
# `apt-get install`) and listens on **port 8000**; its page `/` says which user id it runs as.
#
# The next cell copies the app into **your own folder** (a Dockerfile you wrote there before is kept as
# `Dockerfile.old`). Write a file named `Dockerfile` in that folder — from a cell as below, with JupyterLab's editor,
# or in a terminal — and build it (`lab.build("myapp:v1", app)`, or `docker build -t myapp:v1 .` in the folder).
# Your Dockerfile must:
# - start from `debian:bookworm-slim` and install Python 3;
# - run the app as a user that is **not root** (a program that needs no root powers should not have them);
# - keep the build cache useful: **an edit of `app.py` may only rebuild the steps that copy your code**, never the
#   installation of Python.
#
# The check builds your folder, runs the image, asks the app who it runs as, then edits `app.py` (in a copy) and
# builds again to see which steps ran.

# %%
app = ex.fresh_app()
print("your app folder:", app)
print(sorted(p.name for p in app.iterdir()))

# %%
### BEGIN SOLUTION
app_dockerfile = """FROM debian:bookworm-slim
RUN apt-get update \\
 && apt-get install -y --no-install-recommends python3 \\
 && apt-get clean && rm -rf /var/lib/apt/lists/*
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY app.py .
USER app
EXPOSE 8000
CMD ["python3", "app.py"]
"""
(app / "Dockerfile").write_text(app_dockerfile)
myapp = lab.build("myapp:v1", app)
BuildLog(myapp)
### END SOLUTION

# %%
ex.q4.check()

# %%
# ex.q4.hint()
# ex.q4.hint(2)
# ex.q4.solution()

# %% [markdown]
# ## Recap
# - A **Dockerfile** is a recipe; `docker build` runs its instructions in order and makes an **image**.
# - An image is a **stack of read-only layers**: one per `RUN`/`COPY`/`ADD`; `CMD`, `ENV`… only set config.
#   Layers shared by several images (like the Debian base) are stored once.
# - The **build cache** reuses a step when the instruction, its parent and (for `COPY`) the files are unchanged.
#   A change invalidates that step **and every step after it**.
# - So: rarely-changing steps (installing dependencies) **first**, your often-changing files **last**.
# - A Dockerfile of your own: a base, the dependencies, a non-root user, your code last, and a `CMD` in exec form
#   (`["python3", "app.py"]`: one string per word).
# - An image **ID** is a digest of content (the config on the classic image store, the manifest on the containerd
#   store); layer digests are those of the uncompressed layer tars. **Tags** are names pointing at an ID.
# - A rebuild with no change is fully cached and gives the **same ID**; a `--no-cache` rebuild of the same files is a
#   new build with a **new ID**.
# - The kit builds with the classic builder; `docker build` (Docker 23+) uses BuildKit: another log, and a `LABEL`
#   does not change BuildKit's cache of the steps below it.
#
# ## Clean up
# This removes the containers and images this chapter made for you (only those: the kit finds them by label),
# and the scratch copy of the project.

# %%
ch.reset()
shutil.rmtree(project.parent, ignore_errors=True)
assert lab.leaks(chapter="02") == []
