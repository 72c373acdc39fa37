"""Chapter 04 exercises: a named volume, the backend with its data in a volume, a read-only bind mount."""

from __future__ import annotations

import re

import docker
import docker.errors

from ..checks import Incorrect, NotAttempted, Problem, course_container, path_kind, state_words
from ..containers import find
from ..engine import connect
from ..labels import name as namespaced

__all__ = ["q1", "q2", "q3"]


def _mount_at(container: object, destination: str) -> dict | None:
    for mount in container.attrs.get("Mounts") or []:  # type: ignore[attr-defined]
        if mount.get("Destination") == destination:
            return mount
    return None


def _describe_mounts(container: object) -> str:
    mounts = container.attrs.get("Mounts") or []  # type: ignore[attr-defined]
    if not mounts:
        return "it has no mounts at all"
    return "its mounts: " + ", ".join(f"{m.get('Type')} at {m.get('Destination')}" for m in mounts)


def _volume(short: str) -> docker.models.volumes.Volume | None:
    """The learner's volume ``short`` by its engine name, made by the kit or in a terminal (`docker volume create`,
    or `docker run -v` on the fly)."""
    try:
        return connect().volumes.get(namespaced(short))
    except docker.errors.NotFound:
        return None


def _volume_mount(container: object, short: str, destination: str, what: str, writer: str) -> dict:
    """The mount of the learner's volume ``short`` at ``destination`` (`-v` or `--mount`), writable for ``writer``;
    else Incorrect saying what differs."""
    what = namespaced(what)
    mount = _mount_at(container, destination)
    if mount is None:
        raise Incorrect(f"Nothing is mounted at {destination} in {what!r} ({_describe_mounts(container)}).")
    if mount.get("Type") != "volume":
        raise Incorrect(f"{destination} in {what!r} is a {mount.get('Type')} mount, not a named volume.")
    if mount.get("Name") != namespaced(short):
        if re.fullmatch(r"[0-9a-f]{64}", str(mount.get("Name"))):
            raise Incorrect(f"{destination} in {what!r} is an anonymous volume (the image's VOLUME, made for this "
                            f"container alone), not your volume {namespaced(short)!r}: name it when you run.")
        raise Incorrect(f"{destination} in {what!r} is the volume {mount.get('Name')!r}, not your volume "
                        f"{namespaced(short)!r}.")
    if not mount.get("RW", True):
        raise Incorrect(f"The volume {namespaced(short)!r} is mounted read-only at {destination} in {what!r}: "
                        f"{writer} must write there. Mount it without ':ro' (or `readonly`).")
    return mount


class VolumeKeeper(Problem):
    title = "Exercise 1: keep your notes in a volume"
    hints = (
        "Three steps: `lab.volumes.create(name)`, `lab.run(..., volumes={volume: path})`, then `.exec(...)` to write.",
        "`volumes={'my-notes': '/app/notes'}` mounts your volume 'my-notes' at /app/notes; a shell `echo … >` writes.",
    )

    def inspect(self) -> str:
        if find("keeper") is None and _volume("my-notes") is not None:
            raise NotAttempted(f"Your volume '{namespaced('my-notes')}' is there; now run the container "
                               f"'{namespaced('keeper')}' with it.")
        c = course_container("keeper", "notes")
        _volume_mount(c, "my-notes", "/app/notes", "keeper", "the notes app (and you)")
        kind = path_kind(c, "/app/notes/keep.txt")
        if kind is None:
            raise Incorrect(f"The volume is mounted, but there is no /app/notes/keep.txt in it yet: write it through "
                            f"'{namespaced('keeper')}'.")
        if kind != "file":
            raise Incorrect(f"/app/notes/keep.txt is a {kind}, not a file: write a file (`echo … > "
                            "/app/notes/keep.txt`).")
        return (f"keep.txt is in the volume '{namespaced('my-notes')}': remove keeper, and the next container that "
                "mounts it finds it.")


class BackendWithVolume(Problem):
    title = "Exercise 2: run the backend with its data in a volume"
    hints = (
        "`lab.run` takes `ports={container_port: host_port}` and `volumes={volume: path}`; None picks a free host port.",
        "The backend keeps its data in /data and listens on 8080: `ports={8080: None}, volumes={'todos': '/data'}`.",
    )

    def inspect(self) -> str:
        c = course_container("api", "backend")
        _volume_mount(c, "todos", "/data", "api", "the backend (it saves its todos there)")
        bindings = ((c.attrs.get("HostConfig") or {}).get("PortBindings") or {}).get("8080/tcp") or []
        if not bindings:
            raise Incorrect("The container's port 8080 is not published: nobody outside can reach the API.")
        ips = {b.get("HostIp") or "0.0.0.0" for b in bindings}
        if ips != {"127.0.0.1"}:
            raise Incorrect(f"Port 8080 is published on {', '.join(sorted(ips))}: that is every network of this "
                            "machine, not only 127.0.0.1.")
        if c.status != "running":
            raise Incorrect(f"'{namespaced('api')}' is {state_words(c)}, not running: read its logs "
                            f"(`docker logs {namespaced('api')}`).")
        return (f"The todos now live in the volume '{namespaced('todos')}', and the API answers only on this machine "
                "(127.0.0.1).")


class ReadOnlyBind(Problem):
    title = "Exercise 3: a read-only bind mount"
    hints = (
        "A host path (it starts with '/') as the key of `volumes=` makes a bind mount; the value is where it appears.",
        "Add ':ro' after the container path: `volumes={folder: '/srv/shared:ro'}`.",
    )

    def inspect(self) -> str:
        c = course_container("viewer", "notes")
        mount = _mount_at(c, "/srv/shared")
        if mount is None:
            raise Incorrect(f"Nothing is mounted at /srv/shared in '{namespaced('viewer')}' ({_describe_mounts(c)}).")
        if mount.get("Type") != "bind":
            raise Incorrect(f"/srv/shared is a {mount.get('Type')} mount (a named volume), not a folder of the host.")
        if mount.get("RW"):
            raise Incorrect("/srv/shared is mounted read-write: the container could change your files.")
        return f"{mount.get('Source')} is visible in viewer at /srv/shared, and the container cannot change it."


q1 = VolumeKeeper()
q2 = BackendWithVolume()
q3 = ReadOnlyBind()
