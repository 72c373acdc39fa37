"""Chapter 04 exercises: a named volume, the backend with its data in a volume, a read-only bind mount."""

from __future__ import annotations

import docker
import docker.errors

from ..checks import Incorrect, NotAttempted, Problem, course_container
from ..containers import find
from ..engine import connect
from ..labels import name as namespaced, owned

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


def _kit_volume(short: str) -> docker.models.volumes.Volume | None:
    try:
        volume = connect().volumes.get(namespaced(short))
    except docker.errors.NotFound:
        return None
    labels = volume.attrs.get("Labels") or {}
    return volume if owned(labels) else None


def _volume_mount(container: object, short: str, destination: str, what: str) -> dict:
    """The mount of the session's volume ``short`` at ``destination``, or Incorrect saying what differs."""
    mount = _mount_at(container, destination)
    if mount is None:
        raise Incorrect(f"Nothing is mounted at {destination} in {what!r} ({_describe_mounts(container)}).")
    if mount.get("Type") != "volume":
        raise Incorrect(f"{destination} in {what!r} is a {mount.get('Type')} mount, not a named volume.")
    if mount.get("Name") != namespaced(short):
        raise Incorrect(f"{destination} in {what!r} is the volume {mount.get('Name')!r}, not your volume {namespaced(short)!r}.")
    if _kit_volume(short) is None:
        raise Incorrect(f"The volume {namespaced(short)!r} was not created by the kit: create it with lab.volumes.create.")
    return mount


class VolumeKeeper(Problem):
    title = "Exercise 1: keep your notes in a volume"
    hints = (
        "Three steps: `lab.volumes.create(name)`, `lab.run(..., volumes={volume: path})`, then `.exec(...)` to write.",
        "`volumes={'my-notes': '/app/notes'}` mounts your volume 'my-notes' at /app/notes; a shell `echo … >` writes.",
    )

    def inspect(self) -> str:
        if find("keeper") is None and _kit_volume("my-notes") is not None:
            raise NotAttempted(f"Your volume '{namespaced('my-notes')}' is there; now run the container "
                               f"'{namespaced('keeper')}' with it.")
        c = course_container("keeper", "notes")
        _volume_mount(c, "my-notes", "/app/notes", "keeper")
        try:
            c.sdk.get_archive("/app/notes/keep.txt")
        except docker.errors.NotFound:
            raise Incorrect("The volume is mounted, but there is no /app/notes/keep.txt in it yet: write it through "
                            "keeper.") from None
        return "keep.txt is in the volume 'my-notes': remove keeper, and the next container that mounts it finds it."


class BackendWithVolume(Problem):
    title = "Exercise 2: run the backend with its data in a volume"
    hints = (
        "`lab.run` takes `ports={container_port: host_port}` and `volumes={volume: path}`; None picks a free host port.",
        "The backend keeps its data in /data and listens on 8080: `ports={8080: None}, volumes={'todos': '/data'}`.",
    )

    def inspect(self) -> str:
        c = course_container("api", "backend")
        _volume_mount(c, "todos", "/data", "api")
        bindings = ((c.attrs.get("HostConfig") or {}).get("PortBindings") or {}).get("8080/tcp") or []
        if not bindings:
            raise Incorrect("The container's port 8080 is not published: nobody outside can reach the API.")
        ips = {b.get("HostIp") or "0.0.0.0" for b in bindings}
        if ips != {"127.0.0.1"}:
            raise Incorrect(f"Port 8080 is published on {', '.join(sorted(ips))}: that is every network of this "
                            "machine, not only 127.0.0.1.")
        if c.status != "running":
            raise Incorrect(f"'api' is {c.status}, not running: read its logs (`c.logs()`).")
        return "The todos now live in the volume 'todos', and the API answers only on this machine (127.0.0.1)."


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
            raise Incorrect(f"Nothing is mounted at /srv/shared in 'viewer' ({_describe_mounts(c)}).")
        if mount.get("Type") != "bind":
            raise Incorrect(f"/srv/shared is a {mount.get('Type')} mount (a named volume), not a folder of the host.")
        if mount.get("RW"):
            raise Incorrect("/srv/shared is mounted read-write: the container could change your files.")
        return f"{mount.get('Source')} is visible in viewer at /srv/shared, and the container cannot change it."


q1 = VolumeKeeper()
q2 = BackendWithVolume()
q3 = ReadOnlyBind()
