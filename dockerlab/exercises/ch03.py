"""Chapter 03 exercises: the writable layer, a read-only root filesystem, and commit."""

from __future__ import annotations

import re

import docker
import docker.errors

from ..checks import (PATH_KINDS, Incorrect, NotAttempted, Problem, course_container, course_image_id, engine_name,
                      path_kind, state_words)
from ..containers import Container
from ..engine import connect, patient
from ..labels import image_repo, kit_labels
from ..polling import poll
from ..i18n import N_, _

__all__ = ["q1", "q2", "q3", "NOTE_PATH", "SNAPSHOT"]

NOTE_PATH = "/app/notes/mine.txt"
SNAPSHOT = "notes-snapshot:v1"


class WriteInContainer(Problem):
    title = N_("Exercise 1: write into a container")
    hints = (
        N_("Start the container with `lab.run(name, image)`, then run a shell command in it with `.exec(...)`."),
        N_("`c.exec(\"echo hello > /some/file\")` writes a file inside the container; the folder is /app/notes."),
    )

    def inspect(self) -> str:
        c = course_container("scratchpad", "notes")
        changes = dict((path, kind) for kind, path in c.diff())
        if NOTE_PATH not in changes:
            mine = sorted(p for p in changes if p.endswith("/mine.txt"))
            if mine:
                raise Incorrect(_("There is a mine.txt in the writable layer, but at {path}, not in /app/notes.").format(
                    path=mine[0]))
            raise Incorrect(_("The container's writable layer (docker diff) has no mine.txt in /app/notes: did the "
                              "command that writes it run inside the container, and did it succeed?"))
        if changes[NOTE_PATH] == "D":
            raise Incorrect(_("mine.txt was written and then deleted again: the diff shows it as deleted."))
        kind = path_kind(c, NOTE_PATH)
        if kind != "file":
            raise Incorrect(_("{path} in '{name}' is a {kind}, not a file: write a file there (`echo … > {path}`).")
                            .format(path=NOTE_PATH, name=engine_name("scratchpad"),
                                    kind=_(PATH_KINDS[kind]) if kind in PATH_KINDS else _("path that went away")))
        return _("docker diff shows {kind} {path}: the file lives in scratchpad's own writable layer, and the notes "
                 "image did not change.").format(kind=changes[NOTE_PATH], path=NOTE_PATH)


class ReadOnlyRoot(Problem):
    title = N_("Exercise 2: lock it down")
    hints = (
        N_("`lab.run` has options for both: look at its docstring (`help(lab.run)`) for `read_only` and `tmpfs`."),
        N_("`tmpfs={\"/tmp\": \"size=16m\"}` mounts one; `env={\"NOTES_FILE\": \"/tmp/notes.txt\"}` makes the app "
           "write there."),
    )

    def inspect(self) -> str:
        c = course_container("locked", "notes")
        name = engine_name("locked")
        host = c.attrs.get("HostConfig") or {}
        tmpfs = _tmpfs_paths(c)
        if not host.get("ReadonlyRootfs"):
            raise Incorrect(_("The root filesystem of '{name}' is writable (HostConfig.ReadonlyRootfs is false).")
                            .format(name=name))
        if "/tmp" not in tmpfs:
            where = _(" (it has one at {paths})").format(paths=", ".join(sorted(tmpfs))) if tmpfs else ""
            raise Incorrect(_("'{name}' has no tmpfs mounted at /tmp{where}.").format(name=name, where=where))
        if not _app_keeps_writing(c):
            if "cannot write" in c.logs():
                last = [line for line in c.logs().splitlines() if "cannot write" in line][-1]
                raise Incorrect(_("'{name}' is read-only with a tmpfs at /tmp, but the notes app in it stopped: it "
                                  "cannot write its notes file ({line}). Where does NOTES_FILE point?").format(
                                      name=name, line=last.strip()))
            raise Incorrect(_("'{name}' is {state}: the app was stopped, not refused its writes. Start it again "
                              "(`docker start {name}`), then check again.").format(name=name, state=state_words(c)))
        return _("Read-only root filesystem with a tmpfs at /tmp: the app writes its notes in memory, nowhere else.")


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
    title = N_("Exercise 3: save your scratchpad as an image")
    hints = (
        N_("A container has a method that saves its files as a new image, named like the `docker commit` command."),
        N_("`lab.container(\"scratchpad\").commit(\"notes-snapshot:v1\")` — and exercise 1 must be done first."),
    )

    def inspect(self) -> str:
        client = connect()
        name, _colon, version = SNAPSHOT.partition(":")
        ref = f"{image_repo(name)}:{version}"
        try:
            image = client.images.get(ref)
        except docker.errors.ImageNotFound:
            raise NotAttempted(_("There is no image {ref} yet: run your cell above.").format(ref=ref)) from None
        base = course_image_id("notes")
        if image.id == base:
            raise Incorrect(_("{ref} is the notes image itself (same ID): a tag is only a new name, not a new image "
                              "with your file in it.").format(ref=SNAPSHOT))
        if base is not None and not _built_on(client, image.attrs, base):
            raise Incorrect(_("{ref} was not made from the notes image: commit the 'scratchpad' container.").format(
                ref=SNAPSHOT))
        if _has_file(client, image.id, NOTE_PATH) != "file":
            raise Incorrect(_("{ref} is a new image, but it has no file {path}: commit the container in which you "
                              "wrote it (exercise 1: run its cells again if that container is gone).").format(
                                  ref=ref, path=NOTE_PATH))
        return _("{ref} is a new image ({id}) with your mine.txt in its top layer; dockerlab/notes:1.0 kept its own "
                 "ID.").format(ref=SNAPSHOT, id=image.short_id)


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
    probe = patient(client).containers.create(image_id, ["true"],
                                              labels=kit_labels(extra={"org.dockerlab.role": "check"}))
    try:
        return path_kind(probe, path)
    finally:
        probe.remove(force=True, v=True)


q1 = WriteInContainer()
q2 = ReadOnlyRoot()
q3 = CommitSnapshot()
