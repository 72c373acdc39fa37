"""Chapter 04 exercises: a named volume, the backend with its data in a volume, a read-only bind mount."""

from __future__ import annotations

import re

import docker
import docker.errors

from ..checks import PATH_KINDS, Incorrect, NotAttempted, Problem, course_container, path_kind, state_words
from ..containers import find
from ..engine import connect
from ..i18n import N_, _
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
        return _("it has no mounts at all")
    return _("its mounts: {mounts}").format(mounts=", ".join(
        _("{kind} at {path}").format(kind=m.get("Type"), path=m.get("Destination")) for m in mounts))


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
        raise Incorrect(_("Nothing is mounted at {path} in {what!r} ({mounts}).").format(
            path=destination, what=what, mounts=_describe_mounts(container)))
    if mount.get("Type") != "volume":
        raise Incorrect(_("{path} in {what!r} is a {kind} mount, not a named volume.").format(
            path=destination, what=what, kind=mount.get("Type")))
    if mount.get("Name") != namespaced(short):
        if re.fullmatch(r"[0-9a-f]{64}", str(mount.get("Name"))):
            raise Incorrect(_("{path} in {what!r} is an anonymous volume (the image's VOLUME, made for this container "
                              "alone), not your volume {volume!r}: name it when you run.").format(
                                  path=destination, what=what, volume=namespaced(short)))
        raise Incorrect(_("{path} in {what!r} is the volume {other!r}, not your volume {volume!r}.").format(
            path=destination, what=what, other=mount.get("Name"), volume=namespaced(short)))
    if not mount.get("RW", True):
        raise Incorrect(_("The volume {volume!r} is mounted read-only at {path} in {what!r}: {writer} must write "
                          "there. Mount it without ':ro' (or `readonly`).").format(
                              volume=namespaced(short), path=destination, what=what, writer=writer))
    return mount


class VolumeKeeper(Problem):
    title = N_("Exercise 1: keep your notes in a volume")
    hints = (
        N_("Three steps: `lab.volumes.create(name)`, `lab.run(..., volumes={volume: path})`, then `.exec(...)` to write."),
        N_("`volumes={'my-notes': '/app/notes'}` mounts your volume 'my-notes' at /app/notes; a shell `echo … >` writes."),
    )

    def inspect(self) -> str:
        if find("keeper") is None and _volume("my-notes") is not None:
            raise NotAttempted(_("Your volume '{volume}' is there; now run the container '{name}' with it.").format(
                volume=namespaced("my-notes"), name=namespaced("keeper")))
        c = course_container("keeper", "notes")
        _volume_mount(c, "my-notes", "/app/notes", "keeper", _("the notes app (and you)"))
        kind = path_kind(c, "/app/notes/keep.txt")
        if kind is None:
            raise Incorrect(_("The volume is mounted, but there is no /app/notes/keep.txt in it yet: write it through "
                              "'{name}'.").format(name=namespaced("keeper")))
        if kind != "file":
            raise Incorrect(_("/app/notes/keep.txt is a {kind}, not a file: write a file (`echo … > "
                              "/app/notes/keep.txt`).").format(kind=_(PATH_KINDS[kind]) if kind in PATH_KINDS else kind))
        return _("keep.txt is in the volume '{volume}': remove keeper, and the next container that mounts it finds "
                 "it.").format(volume=namespaced("my-notes"))


class BackendWithVolume(Problem):
    title = N_("Exercise 2: run the backend with its data in a volume")
    hints = (
        N_("`lab.run` takes `ports={container_port: host_port}` and `volumes={volume: path}`; None picks a free host "
           "port."),
        N_("The backend keeps its data in /data and listens on 8080: `ports={8080: None}, volumes={'todos': '/data'}`."),
    )

    def inspect(self) -> str:
        c = course_container("api", "backend")
        _volume_mount(c, "todos", "/data", "api", _("the backend (it saves its todos there)"))
        bindings = ((c.attrs.get("HostConfig") or {}).get("PortBindings") or {}).get("8080/tcp") or []
        if not bindings:
            raise Incorrect(_("The container's port 8080 is not published: nobody outside can reach the API."))
        ips = {b.get("HostIp") or "0.0.0.0" for b in bindings}
        if ips != {"127.0.0.1"}:
            raise Incorrect(_("Port 8080 is published on {addresses}: that is every network of this machine, not only "
                              "127.0.0.1.").format(addresses=", ".join(sorted(ips))))
        if c.status != "running":
            raise Incorrect(_("'{name}' is {state}, not running: read its logs (`docker logs {name}`).").format(
                name=namespaced("api"), state=state_words(c)))
        return _("The todos now live in the volume '{volume}', and the API answers only on this machine "
                 "(127.0.0.1).").format(volume=namespaced("todos"))


class ReadOnlyBind(Problem):
    title = N_("Exercise 3: a read-only bind mount")
    hints = (
        N_("A host path (it starts with '/') as the key of `volumes=` makes a bind mount; the value is where it "
           "appears."),
        N_("Add ':ro' after the container path: `volumes={folder: '/srv/shared:ro'}`."),
    )

    def inspect(self) -> str:
        c = course_container("viewer", "notes")
        mount = _mount_at(c, "/srv/shared")
        if mount is None:
            raise Incorrect(_("Nothing is mounted at /srv/shared in '{name}' ({mounts}).").format(
                name=namespaced("viewer"), mounts=_describe_mounts(c)))
        if mount.get("Type") != "bind":
            raise Incorrect(_("/srv/shared is a {kind} mount (a named volume), not a folder of the host.").format(
                kind=mount.get("Type")))
        if mount.get("RW"):
            raise Incorrect(_("/srv/shared is mounted read-write: the container could change your files."))
        return _("{source} is visible in viewer at /srv/shared, and the container cannot change it.").format(
            source=mount.get("Source"))


q1 = VolumeKeeper()
q2 = BackendWithVolume()
q3 = ReadOnlyBind()
