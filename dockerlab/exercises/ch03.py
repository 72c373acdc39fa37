"""Chapter 03 exercises: the writable layer, a read-only root filesystem, and commit."""

from __future__ import annotations

import re

import docker
import docker.errors

from ..checks import (Incorrect, NotAttempted, Problem, course_container, course_image_id, engine_name, path_kind,
                      state_words)
from ..containers import Container
from ..engine import connect
from ..labels import image_repo, kit_labels
from ..polling import poll

__all__ = ["q1", "q2", "q3", "NOTE_PATH", "SNAPSHOT"]

NOTE_PATH = "/app/notes/mine.txt"
SNAPSHOT = "notes-snapshot:v1"


class WriteInContainer(Problem):
    title = "Exercise 1: write into a container"
    hints = (
        "Start the container with `lab.run(name, image)`, then run a shell command in it with `.exec(...)`.",
        "`c.exec(\"echo hello > /some/file\")` writes a file inside the container; the folder is /app/notes.",
    )

    def inspect(self) -> str:
        c = course_container("scratchpad", "notes")
        changes = dict((path, kind) for kind, path in c.diff())
        if NOTE_PATH not in changes:
            mine = sorted(p for p in changes if p.endswith("/mine.txt"))
            if mine:
                raise Incorrect(f"There is a mine.txt in the writable layer, but at {mine[0]}, not in /app/notes.")
            raise Incorrect("The container's writable layer (docker diff) has no mine.txt in /app/notes: "
                            "did the command that writes it run inside the container, and did it succeed?")
        if changes[NOTE_PATH] == "D":
            raise Incorrect("mine.txt was written and then deleted again: the diff shows it as deleted.")
        kind = path_kind(c, NOTE_PATH)
        if kind != "file":
            raise Incorrect(f"{NOTE_PATH} in '{engine_name('scratchpad')}' is a {kind or 'path that went away'}, not "
                            f"a file: write a file there (`echo … > {NOTE_PATH}`).")
        return (f"docker diff shows {changes[NOTE_PATH]} {NOTE_PATH}: the file lives in scratchpad's own "
                "writable layer, and the notes image did not change.")


class ReadOnlyRoot(Problem):
    title = "Exercise 2: lock it down"
    hints = (
        "`lab.run` has options for both: look at its docstring (`help(lab.run)`) for `read_only` and `tmpfs`.",
        "`tmpfs={\"/tmp\": \"size=16m\"}` mounts one; `env={\"NOTES_FILE\": \"/tmp/notes.txt\"}` makes the app "
        "write there.",
    )

    def inspect(self) -> str:
        c = course_container("locked", "notes")
        name = engine_name("locked")
        host = c.attrs.get("HostConfig") or {}
        tmpfs = _tmpfs_paths(c)
        if not host.get("ReadonlyRootfs"):
            raise Incorrect(f"The root filesystem of '{name}' is writable (HostConfig.ReadonlyRootfs is false).")
        if "/tmp" not in tmpfs:
            where = f" (it has one at {', '.join(sorted(tmpfs))})" if tmpfs else ""
            raise Incorrect(f"'{name}' has no tmpfs mounted at /tmp{where}.")
        if not _app_keeps_writing(c):
            if "cannot write" in c.logs():
                last = [line for line in c.logs().splitlines() if "cannot write" in line][-1]
                raise Incorrect(f"'{name}' is read-only with a tmpfs at /tmp, but the notes app in it stopped: it "
                                f"cannot write its notes file ({last.strip()}). Where does NOTES_FILE point?")
            raise Incorrect(f"'{name}' is {state_words(c)}: the app was stopped, not refused its writes. Start it "
                            f"again (`docker start {name}`), then check again.")
        return "Read-only root filesystem with a tmpfs at /tmp: the app writes its notes in memory, nowhere else."


def _tmpfs_paths(container: Container) -> set[str]:
    """Where the container has a tmpfs: `--tmpfs` (HostConfig.Tmpfs) or `--mount type=tmpfs` (Mounts)."""
    host = container.attrs.get("HostConfig") or {}
    paths = set(host.get("Tmpfs") or {})
    paths |= {m.get("Target") for m in host.get("Mounts") or [] if m.get("Type") == "tmpfs"}
    paths |= {m.destination for m in container.mounts if m.type == "tmpfs"}
    return {p for p in paths if p}


def _app_keeps_writing(container: Container, timeout: float = 10.0) -> bool:
    """True once the notes app has logged a note it wrote; False when the container stopped first."""
    def wrote() -> bool | None:
        if container.reload().status != "running":
            return None  # stopped: stop asking
        return bool(re.search(r" note \d+$", container.logs(), re.M))

    return bool(poll(lambda: wrote() is not False, timeout=timeout)) and container.status == "running"


class CommitSnapshot(Problem):
    title = "Exercise 3: save your scratchpad as an image"
    hints = (
        "A container has a method that saves its files as a new image, named like the `docker commit` command.",
        "`lab.container(\"scratchpad\").commit(\"notes-snapshot:v1\")` — and exercise 1 must be done first.",
    )

    def inspect(self) -> str:
        client = connect()
        name, _, version = SNAPSHOT.partition(":")
        ref = f"{image_repo(name)}:{version}"
        try:
            image = client.images.get(ref)
        except docker.errors.ImageNotFound:
            raise NotAttempted(f"There is no image {ref} yet: run your cell above.") from None
        base = course_image_id("notes")
        if image.id == base:
            raise Incorrect(f"{SNAPSHOT} is the notes image itself (same ID): a tag is only a new name, "
                            "not a new image with your file in it.")
        if base is not None and not _built_on(client, image.attrs, base):
            raise Incorrect(f"{SNAPSHOT} was not made from the notes image: commit the 'scratchpad' container.")
        if _has_file(client, image.id, NOTE_PATH) != "file":
            raise Incorrect(f"{ref} is a new image, but it has no file {NOTE_PATH}: commit the container in which "
                            "you wrote it (exercise 1: run its cells again if that container is gone).")
        return (f"{SNAPSHOT} is a new image ({image.short_id}) with your mine.txt in its top layer; "
                "dockerlab/notes:1.0 kept its own ID.")


def _built_on(client: docker.DockerClient, image: dict, base_id: str) -> bool:
    """Is ``image`` made from the image ``base_id``? Its layers begin with all of the base's. (Docker's history lists
    a commit's parent image; Podman's lists other IDs, so the layers are what both engines agree on.)"""
    try:
        base_layers = client.api.inspect_image(base_id).get("RootFS", {}).get("Layers") or []
    except docker.errors.APIError:
        return False
    layers = (image.get("RootFS") or {}).get("Layers") or []
    return bool(base_layers) and layers[:len(base_layers)] == base_layers


def _has_file(client: docker.DockerClient, image_id: str, path: str) -> str | None:
    """What ``path`` is in an image, without running it: create a container, read the path, remove it."""
    probe = client.containers.create(image_id, ["true"], labels=kit_labels(extra={"org.dockerlab.role": "check"}))
    try:
        return path_kind(probe, path)
    finally:
        probe.remove(force=True, v=True)


q1 = WriteInContainer()
q2 = ReadOnlyRoot()
q3 = CommitSnapshot()
