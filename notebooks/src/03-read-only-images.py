# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 03 · The read-only image model
#
# *"A Docker image file is read-only. All the data created from the moment the image runs piles up inside the
# container — or, with a volume, in the host's storage. The image itself is never changed or saved."*
# — the article this course follows calls this the part beginners confuse most.
#
# **In this chapter you will**
# 1. take the fingerprint of an image: its ID, its creation date and the digests of its layers;
# 2. write files inside a running container and find them in the container's own **writable layer** (`docker diff`),
#    while the image's fingerprint stays the same;
# 3. remove the container and see its data go with it; start a new one and see it start clean;
# 4. make the container's root filesystem read-only, with a small scratch area in memory (`tmpfs`);
# 5. run an image many times without changing it — and meet the three things that *do* make a new image:
#    `docker commit`, `docker build` and `docker import`.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind.

# %%
import os
import time
from pathlib import Path

import dockerlab as lab
from dockerlab.course import ensure_app
from dockerlab.display.layerstack import layer_stack
from dockerlab.exercises import ch03 as ex
from dockerlab.rootfs import import_image

ch = lab.start_chapter("03", "The read-only image model")
ch.reset()

# %% [markdown]
# ## 1. An image has a fingerprint
# We use the course's small **notes** image (`dockerlab/notes:1.0`, built from `images/notes/`).
# An image is a stack of read-only **layers**. Three things identify it:
# - its **ID**: a digest (sha256) of its *config*, which names every layer (on the containerd image store: of its
#   *manifest*, which names the config — chapter 02) — change one byte and the ID changes;
# - its **creation date**, written once when it was built;
# - the **digests of its layers** (`RootFS.Layers`): the sha256 of each layer's files as an uncompressed tar.
#
# `docker image inspect` shows them. The cell keeps them in `before`, so that we can compare later.

# %%
NOTES = ensure_app("notes")


def fingerprint(ref: str) -> dict:
    """What identifies an image: ID, creation date, layer digests."""
    image = lab.images.inspect(ref)
    return {"id": image.id, "created": image.created, "layers": image.layers}


before = fingerprint(NOTES)
print("$ docker image inspect", NOTES)
print("ID      :", before["id"])
print("created :", before["created"])
for number, digest in enumerate(before["layers"]):
    print(f"layer {number} : {digest[:23]}…")
assert before["id"].startswith("sha256:") and before["layers"]

# %% [markdown]
# Which instruction of the Dockerfile made each layer? The layer stack shows it, base at the bottom.
# Rows without a size only changed the image's settings (like `CMD` or `ENV`): they hold no files.

# %%
layer_stack(NOTES, top_first=True)

# %% [markdown]
# ## 2. Writing inside a running container
# A container is the image's layers **plus one thin layer of its own on top**, the *writable layer*.
# Everything the container writes goes there.
#
# The notes app is made for this: while it runs, it appends a line to `/app/notes/notes.txt` every 5 seconds.
# We start a container called `pad` and wait for its first note (`wait="log:note 1"` waits for that log line).

# %%
pad = lab.run("pad", NOTES, wait="log:note 1")
print(pad.cli)
print(pad.logs())

# %% [markdown]
# We also write a file ourselves. `exec` runs a command inside the running container, like `docker exec`;
# it gives back the exit code and the output.

# %%
wrote = pad.exec("echo 'buy milk' > /app/notes/today.txt && ls -l /app/notes")
print(wrote.cli)
print(wrote.output)
assert wrote.ok, wrote.output

# %% [markdown]
# Where did the files go? `docker diff` lists what the container **A**dded, **C**hanged or **D**eleted compared with
# its image. That list *is* the writable layer: the app's `notes.txt` and our `today.txt` are both in it.

# %%
changes = pad.diff()
print(f"$ docker diff {pad.name}")
for kind, path in changes:
    print(kind, path)
assert ("A", "/app/notes/today.txt") in changes  # S7: the new files are in the container's own layer
assert ("A", "/app/notes/notes.txt") in changes

# %% [markdown]
# Here is the whole stack of `pad`: the writable layer (**W**) on top of the image's read-only layers.
# The image's rows are exactly the ones we saw in section 1.

# %%
layer_stack(pad, top_first=True)

# %% [markdown]
# Now the important question: **did the image change?** Take its fingerprint again and compare.

# %%
now = fingerprint(NOTES)
print("same ID           :", now["id"] == before["id"])
print("same creation date:", now["created"] == before["created"])
print("same layers       :", now["layers"] == before["layers"])
# S7: writing in a container leaves its image as it was
assert now == before, "the image changed — it never should"

# %% [markdown]
# The writable layer is an ordinary folder on the engine's disk. With the `overlay2` storage driver the engine
# *stacks* folders: the image's layers are read-only **lower** folders, the container's own layer is the **upper**
# folder. When the engine runs on this machine (and we may read its files), we can look into it:

# %%
graph = pad.inspect()["GraphDriver"]  # `docker inspect`'s GraphDriver: the storage driver and its folders
print("storage driver:", graph["Name"])
upper = Path(graph.get("Data", {}).get("UpperDir") or "/nonexistent")
host_sees_layers = graph["Name"] == "overlay2" and os.path.isdir(upper)  # False when we may not look
if host_sees_layers:
    note = upper / "app" / "notes" / "today.txt"
    print("the container's layer:", upper)
    print("our note, read from the host:", note.read_text().strip())
    lower = graph["Data"]["LowerDir"].split(":")
    print("below it:", len(lower), "read-only folders (the image's layers, and a small '-init' layer of the engine)")
    assert note.read_text().strip() == "buy milk"
else:
    print("(the engine's files are not visible from here — e.g. Docker Desktop keeps them inside its VM)")

# %% [markdown]
# ### Changing and deleting files of the image
# What if the container changes or deletes a file that *belongs to the image*? The engine first copies the file up
# into the writable layer and changes the copy (*copy-on-write*); a deletion is recorded as a marker (a *whiteout*).
# The image's own copy is never touched.
#
# The image has `/app/readme.txt`, which the app's user may edit. Deleting `/etc/debian_version` needs root:
# `exec(..., user="root")` is `docker exec -u root`.

# %%
assert pad.exec("echo 'edited in pad' >> /app/readme.txt").ok
removed = pad.exec("rm /etc/debian_version", user="root")
print(removed.cli)
assert removed.ok, removed.output
changes = {path: kind for kind, path in pad.diff()}
for path in ("/app/readme.txt", "/etc/debian_version"):
    print(changes.get(path), path)
assert changes.get("/app/readme.txt") == "C" and changes.get("/etc/debian_version") == "D"
assert fingerprint(NOTES) == before  # S7: still the same image

# %% [markdown]
# A second container from the same image proves it: the file `pad` deleted is still there for it, the readme has no
# edit, and `pad`'s note is not there. Each container has **its own** writable layer.

# %%
other = lab.run("other", NOTES)
has_version = other.exec("test -e /etc/debian_version").ok
readme_edited = "edited in pad" in other.exec("cat /app/readme.txt").output
has_today = other.exec("test -e /app/notes/today.txt").ok
print("in 'other': /etc/debian_version exists:", has_version, "| readme edited:", readme_edited,
      "| today.txt exists:", has_today)
assert has_version and not readme_edited and not has_today  # S8: containers do not share their writable layers
other.remove()

# %% [markdown]
# ## 3. Remove the container, and its data is gone
# Stopping a container keeps its writable layer: start it again and the files are still there — the app even says
# how many notes it found.

# %%
pad.stop()
pad.start()
time.sleep(1)
print(pad.logs(tail=2))
assert pad.exec("cat /app/notes/today.txt").output.strip() == "buy milk"
print("after stop + start, today.txt is still there")

# %% [markdown]
# **Removing** the container deletes its writable layer — and every file in it.

# %%
print(pad.remove())  # -f: stop it first; -v: its anonymous volumes too (chapter 04)
assert lab.containers.find("pad") is None
if host_sees_layers:
    assert not os.path.exists(upper)  # S8: the writable layer's folder is deleted with the container
    print("its layer folder is gone from the host too:", upper)

# %% [markdown]
# Start a new container with the same name, from the same image. It starts from the image again: **clean**.

# %%
pad = lab.run("pad", NOTES, wait="log:note 1")
print(pad.logs())
fresh = pad.exec("test -e /app/notes/today.txt")
print(fresh.cli, "→ exit code", fresh.exit_code, "(1 means: no such file)")
assert "(0 already there)" in pad.logs()  # S8: the app's notes died with the old container …
assert fresh.exit_code != 0  # … and so did ours
assert pad.exec("test -e /etc/debian_version").ok  # the deleted file is back

# %% [markdown]
# The lesson: **a container's files are temporary.** Data that must outlive the container belongs in a *volume* —
# the next chapter.

# %% [markdown]
# ## 4. A read-only root filesystem
# You can make the rule strict: `read_only=True` (`docker run --read-only`) makes the container's root filesystem
# refuse every write. The notes app needs to write, so on its own it stops at once — its log says why:

# %%
strict = lab.run("strict", NOTES, read_only=True)
exit_code = strict.wait(timeout=30)
print(strict.cli)
print("exit code", exit_code)
print(strict.logs())
assert exit_code != 0 and "Read-only file system" in strict.logs()  # S7: the root filesystem refuses writes
strict.remove()

# %% [markdown]
# Programs need *some* place to write. A `tmpfs` is a folder kept in memory, gone when the container stops. We mount
# one at `/tmp` and tell the app to keep its notes there (its `NOTES_FILE` setting):

# %%
locked_demo = lab.run("locked-demo", NOTES, read_only=True, tmpfs={"/tmp": "size=16m"},
                      env={"NOTES_FILE": "/tmp/notes.txt"}, wait="log:note 1")
print(locked_demo.cli)
refused = locked_demo.exec("echo 'try' > /app/notes/try.txt")
print(refused.cli, "→ exit code", refused.exit_code, "|", refused.output.strip())
assert refused.exit_code != 0 and "Read-only file system" in refused.output  # S7: writes to the image's files fail

scratch = locked_demo.exec("echo 'scratch' > /tmp/scratch.txt && cat /tmp/scratch.txt")
print(scratch.cli, "→ exit code", scratch.exit_code, "|", scratch.output.strip())
assert scratch.ok and scratch.output.strip() == "scratch"  # only the tmpfs takes writes
print("writable layer:", locked_demo.diff(), "(empty: nothing was written into the container's own layer)")
assert all(not path.startswith("/app") for _, path in locked_demo.diff())
print("HostConfig.ReadonlyRootfs:", locked_demo.host_config["ReadonlyRootfs"])
print("HostConfig.Tmpfs         :", locked_demo.host_config["Tmpfs"])

# %% [markdown]
# A read-only root filesystem is a good habit for production: an attacker (or a bug) cannot change the program's
# files, and everything the program writes goes to places you chose on purpose (a tmpfs, or a volume).

# %% [markdown]
# ## 5. Running an image never changes it
# Let us run the image five times. Each run appends a line to a log file and prints the file.
# If runs could change the image, the file would grow from run to run.

# %%
started = time.monotonic()
for i in range(1, 6):
    run = lab.run(f"run-{i}", NOTES, ["sh", "-c", f"echo 'run {i}' >> /app/notes/runs.log; cat /app/notes/runs.log"])
    run.wait(timeout=30)
    printed = run.logs().strip()
    print(f"run {i} saw: {printed!r}")
    assert printed == f"run {i}"  # S8: every run starts from the clean image
    run.remove()
print(f"5 containers created, run and removed in {time.monotonic() - started:.1f} s")

after_runs = fingerprint(NOTES)
assert after_runs == before  # S10: same ID, same creation date, same layers after any number of runs
print("image ID and creation date unchanged:", after_runs["id"][:19], after_runs["created"])

# %% [markdown]
# ## 6. What *does* make a new image: `commit`, `build` and `import`
# Running never changes an image. Three commands make a **new** one (besides `docker pull` and `docker load`, which
# copy an image that already exists somewhere else):
# - **`docker commit`** saves a container's writable layer as a new layer on top of its image — a *new* image with a
#   *new* ID. The old image stays as it was. (Handy for an experiment; a Dockerfile is better for anything you keep.)
# - **`docker build`** runs a Dockerfile and makes a new image, also with a new ID.
# - **`docker import`** turns a plain archive of files (a root filesystem) into an image with **one** layer and no
#   build history.
#
# `pad.commit("notes-snapshot:demo")` does the first; in plain docker-py it is
# `container.commit(repository=..., tag=..., conf={"Labels": ...})` — the kit adds its labels so that the chapter's
# reset can remove the image again.

# %%
assert pad.exec("echo 'keep me' > /app/notes/keep.txt").ok
snapshot = pad.commit("notes-snapshot:demo")
print(snapshot.cli)
snap = fingerprint(snapshot.id)
print("base image ID    :", before["id"][:19], "with", len(before["layers"]), "layers")
print("snapshot image ID:", snap["id"][:19], "with", len(snap["layers"]), "layers")
assert snap["id"] != before["id"]  # S10: commit made a NEW image …
assert snap["layers"][:-1] == before["layers"] and len(snap["layers"]) == len(before["layers"]) + 1  # … one layer more
assert fingerprint(NOTES) == before  # … and the base image did not change
print("the snapshot's top layer holds everything pad wrote: keep.txt, and the app's notes.txt too")

# %% [markdown]
# A container from the snapshot has the file; a container from the base image does not.

# %%
from_snapshot = lab.run("from-snapshot", snapshot.tags[0])
assert from_snapshot.exec("cat /app/notes/keep.txt").output.strip() == "keep me"
from_base = lab.run("from-base", NOTES)
assert not from_base.exec("test -e /app/notes/keep.txt").ok
print("snapshot has keep.txt; the base image does not")

# %% [markdown]
# The same with a build: a two-line Dockerfile on top of the notes image. New image, new ID; the base stays.

# %%
built = lab.build("notes-built:demo", dockerfile=f"FROM {NOTES}\nRUN echo 'built in' > /app/notes/built.txt\n")
print(built.cli)
print("built image ID:", built.id[:19])
assert built.id not in (before["id"], snap["id"])  # S10: a build makes a new image too
assert fingerprint(NOTES) == before

# %% [markdown]
# And the third way. This course's own base image, `debian:bookworm-slim`, may have been made with it: where no
# registry answers, `prepare` builds a Debian root filesystem with `mmdebstrap` and pipes it into `docker import`.
# Such an image has one layer, and its history has one row with no instruction — *"Imported from -"*:

# %%
base_history = lab.images.history("debian:bookworm-slim")
made_by_import = any(h["Comment"].startswith("Imported") for h in base_history)
for h in base_history:
    print(f"   {h['Size'] / 1e6:6.1f} MB  {h['CreatedBy'] or '(no instruction)'}  {h['Comment']}")
print("debian:bookworm-slim here was made by", "docker import (the kit's recipe)" if made_by_import
      else "a registry's build (pulled)")
if made_by_import:
    assert len(lab.images.inspect("debian:bookworm-slim").layers) == 1  # one layer, no steps

# %% [markdown]
# Any container's files can go the same way: `docker export` writes a container's whole filesystem (its image's
# layers and its writable layer, flattened) as one tar archive, and `docker import` reads it back as a new image. An
# archive holds only files — no `CMD`, no `USER` — so we give those settings as Dockerfile lines (`--change`).

# %%
flat = import_image("notes-flat:demo", pad, changes=['CMD ["notes", "run"]', "USER 10001:10001", "WORKDIR /app"])
print(flat.cli)
flat_print = fingerprint(flat.id)
flat_history = lab.images.history(flat.id)
print("imported image ID:", flat_print["id"][:19], "with", len(flat_print["layers"]), "layer;",
      "history:", [(h["CreatedBy"], h["Comment"]) for h in flat_history])
assert flat_print["id"] not in (before["id"], snap["id"], built.id)  # S10: import made a NEW image …
assert len(flat_print["layers"]) == 1 and len(flat_history) == 1  # … with one layer and no build steps
assert fingerprint(NOTES) == before  # … and the notes image did not change
from_import = lab.run("from-import", flat.tags[0])
assert from_import.exec("cat /app/notes/keep.txt").output.strip() == "keep me"  # pad's files, flattened in

# %% [markdown]
# ## Exercises
# ### Exercise 1 — write into a container
# Run a container named **`scratchpad`** from `dockerlab/notes:1.0` and create the file `/app/notes/mine.txt`
# in it (any content). The check reads the container's writable layer (`docker diff`).

# %%
### BEGIN SOLUTION
scratchpad = lab.run("scratchpad", "dockerlab/notes:1.0")
scratchpad.exec("echo 'my own note' > /app/notes/mine.txt")
print(scratchpad.diff())
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
# ### Exercise 2 — lock it down
# Run a container named **`locked`** from `dockerlab/notes:1.0` whose root filesystem is **read-only**, with a
# **tmpfs at `/tmp`**. The notes app must keep running: tell it to write its notes into the tmpfs
# (its setting `NOTES_FILE`, as in section 4).

# %%
### BEGIN SOLUTION
locked = lab.run("locked", "dockerlab/notes:1.0", read_only=True, tmpfs={"/tmp": "size=16m"},
                 env={"NOTES_FILE": "/tmp/notes.txt"})
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown]
# ### Exercise 3 — save your scratchpad as an image
# Commit your `scratchpad` container (from exercise 1) to an image **`notes-snapshot:v1`**.
# The check makes sure it is a new image (not the base one) and that it holds your `mine.txt`.

# %%
### BEGIN SOLUTION
snapshot_v1 = lab.container("scratchpad").commit("notes-snapshot:v1")
print(snapshot_v1.cli)
### END SOLUTION

# %%
ex.q3.check()

# %%
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown]
# ## Recap
# - An image is a stack of **read-only** layers; its ID, creation date and layer digests are its fingerprint.
# - A container adds **one writable layer** on top. Everything it writes, changes or deletes lands there
#   (`docker diff` lists it); the image never changes.
# - Stopping a container keeps that layer; **removing** the container throws it away. A new container starts clean.
# - `read_only=True` (`--read-only`) forbids writes to the root filesystem; a `tmpfs` gives scratch space in memory.
# - Running an image any number of times leaves it as it was. **`commit`**, **`build`** and **`import`** make a new
#   image, with a new ID (an imported one has a single layer and no build history).
# - Data that must live longer than a container goes into a **volume** (chapter 04).
#
# ## Clean up
# This removes the containers and images this chapter made for you (found by their labels).

# %%
ch.reset()
assert lab.leaks(chapter="03") == []
