"""Cleanup by label only: ``reset`` removes what the kit made for this learner, ``leaks`` lists it.

Order matters: services, then containers (they hold networks and volumes), then networks,
then the session's own images, then volumes — the last only when purging, since volumes hold
the learner's data. Nothing without the kit's label is ever touched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import docker
import docker.errors

from .engine import connect
from .errors import translated
from .i18n import N_, _
from .labels import CHAPTER, ROLE, SESSION, acting_as, kit_filter, matches, session_id
from .polling import poll
from .refs import familiar
from .swarm import swarm_active

__all__ = ["Resource", "ResetReport", "ResetHook", "Failed", "reset", "leaks", "register_reset_hook"]

ResetHook = Callable[[str | None, docker.DockerClient], list[str]]  # hook(chapter, client) -> what it did
_hooks: list[ResetHook] = []  # this kernel's (register_reset_hook)


@dataclass(frozen=True)
class Resource:
    kind: str  # container | network | volume | image | service
    name: str
    id: str
    session: str | None
    chapter: str | None


class Failed(str):
    """A reset line saying that something could not be done: ``ResetReport.failed`` finds it in any language."""


@dataclass
class ResetReport:
    removed: list[Resource] = field(default_factory=list)
    kept_volumes: list[Resource] = field(default_factory=list)
    other: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if not self.removed and not self.other:
            text = _("Nothing of the kit's to remove.")
        else:
            text = _("Removed {what}").format(what=", ".join(f"{kind_word(r.kind)} {r.name}"
                                                           for r in self.removed)) if self.removed else ""
            if self.other:
                text += ("; " if text else "") + "; ".join(self.other)
        if self.kept_volumes:
            text += " " + _("Kept volume(s) {names} (purge=True removes them).").format(
                names=", ".join(v.name for v in self.kept_volumes))
        return text

    @property
    def failed(self) -> list[str]:
        """The lines (of the hooks and of the removal) that say something could not be done."""
        return [line for line in self.other if isinstance(line, Failed)]

    def _repr_pretty_(self, p, cycle) -> None:  # IPython
        p.text(str(self))


#: the kinds of resource, as a learner reads them
KINDS = {"container": N_("container"), "network": N_("network"), "volume": N_("volume"), "image": N_("image"),
         "service": N_("service")}


def kind_word(kind: str) -> str:
    """A resource's kind ("volume") in the learner's language."""
    return _(KINDS[kind]) if kind in KINDS else kind


def register_reset_hook(hook: ResetHook) -> None:
    """Run ``hook(chapter, client)`` on every reset of this kernel's own learner; it returns what it did.

    For things that live only in this kernel (the display layer's live widgets): a teacher's reset of another learner
    leaves them alone. What outlives a kernel — a second engine, Swarm mode, the registry — is passed to :func:`reset`
    explicitly (``hooks=``; see :func:`dockerlab.chapter.reset`), so a fresh kernel's reset stops it too.
    """
    if hook not in _hooks:
        _hooks.append(hook)


def _resource(kind: str, name: str, rid: str, labels: dict | None) -> Resource:
    labels = labels or {}
    return Resource(kind, name, rid, labels.get(SESSION), labels.get(CHAPTER))


def _images_listed(client: docker.DockerClient, flt: dict) -> list:
    """The images ``flt`` matches. Asked with one label only and checked here: Podman 4.3 answers an image listing
    with several label filters with nothing. One another learner deletes meanwhile is gone, not an error."""
    wanted = flt.get("label", [])
    ask = {"label": [max(wanted, key=lambda w: "=" in w)]} if wanted else {}
    found = []
    for summary in client.api.images(filters=ask) or []:
        if not matches(summary.get("Labels"), flt):
            continue
        try:
            found.append(client.images.get(summary["Id"]))
        except docker.errors.NotFound:
            continue
    return found


def _remove(client: docker.DockerClient, res: Resource) -> Exception | None:
    """Remove one resource; None when it is gone (already gone is fine), else why not."""
    kind = res.kind
    try:
        with translated(f"removing {kind} {res.name}", client):
            if kind == "service":
                client.services.get(res.id).remove()
            elif kind == "container":
                client.api.remove_container(res.id, force=True, v=True)
            elif kind == "network":
                client.api.remove_network(res.id)
            elif kind == "image":
                client.api.remove_image(res.id, force=True)
            else:
                client.api.remove_volume(res.id, force=True)
    except Exception as exc:  # noqa: BLE001 - reported, not fatal
        if "No such" not in str(exc) and "not found" not in str(exc).lower():
            return exc
    return None


def _services(client: docker.DockerClient, flt: dict[str, list[str]]) -> list[Resource]:
    """The kit's services while the engine is in a swarm. Another learner on the same engine may turn Swarm mode on or
    off at any moment: while its manager starts or leaves, the engine answers 503 (no control socket) — ask again
    until it has settled (a swarm gone took its services with it)."""
    def listed() -> tuple[list[Resource]] | None:
        if not swarm_active(client):
            return ([],)
        try:
            return ([_resource("service", s.name, s.id, s.attrs["Spec"].get("Labels"))
                     for s in client.services.list(filters=flt)],)
        except docker.errors.APIError as exc:
            if exc.status_code == 503 or not swarm_active(client):
                return None  # the swarm is starting or leaving
            raise

    settled = poll(listed, timeout=30, interval=0.5)
    if settled is None:  # still unsettled: the engine's own answer says why
        return [_resource("service", s.name, s.id, s.attrs["Spec"].get("Labels"))
                for s in client.services.list(filters=flt)]
    return settled[0]


def leaks(*, chapter: str | None = None, session: str | None | bool = True, include_course_images: bool = False,
          client: docker.DockerClient | None = None) -> list[Resource]:
    """Everything labelled by the kit that is still on the engine (this session's by default; session=None: all)."""
    client = client or connect()
    flt = kit_filter(chapter, session=session if session is not None else False)
    found: list[Resource] = []
    with translated(_("listing the kit's resources"), client):
        found += _services(client, flt)
        found += [_resource("container", c.name, c.id, c.labels) for c in client.containers.list(all=True, filters=flt, ignore_removed=True)]
        found += [_resource("network", n.name, n.id, n.attrs.get("Labels"))
                  for n in client.networks.list(filters=flt)]
        for img in _images_listed(client, flt):
            if img.labels.get(ROLE) in ("course", "course-stage", "base") and not include_course_images:  # shared
                continue
            stage_of = img.labels.get("org.dockerlab.stage-of")
            stage = _("{image} (a build stage of {tag})").format(image=img.short_id, tag=stage_of) if stage_of else ""
            name = familiar((img.tags or [stage or img.short_id])[0])
            found.append(_resource("image", name, img.id, img.labels))
        found += [_resource("volume", v.name, v.id, v.attrs.get("Labels")) for v in client.volumes.list(filters=flt)
                  if matches(v.attrs.get("Labels"), flt)]
    return found


def reset(chapter: str | None = None, *, purge_volumes: bool = False, session: str | None = None,
          client: docker.DockerClient | None = None, say: Callable[[str], None] | None = None,
          hooks: Sequence[ResetHook] = ()) -> ResetReport:
    """Remove this learner's kit resources (of one chapter, or all); volumes only with purge_volumes=True.

    ``hooks`` run first (each ``hook(chapter, client)`` says what it did), as the learner reset (``session``: whatever
    they ask :func:`~dockerlab.labels.session_id` is that learner's), then the hooks this kernel registered, when the
    learner is this kernel's own.
    """
    client = client or connect()
    own = session_id()
    who = session or own
    report = ResetReport()
    with acting_as(who):
        for hook in hooks:
            report.other += hook(chapter, client)
    if who == own:
        for hook in (h for h in _hooks if h not in hooks):
            report.other += hook(chapter, client)
    todo = leaks(chapter=chapter, session=who, client=client)
    volumes = [r for r in todo if r.kind == "volume"]
    if purge_volumes and volumes and say is not None:
        say(_("Purging will delete these volumes and the data in them: {names}").format(
            names=", ".join(v.name for v in volumes)))
    order = ["service", "container", "network", "image"] + (["volume"] if purge_volumes else [])
    for kind in order:
        pending = [r for r in todo if r.kind == kind]
        while pending:  # an image another one is built on (a commit of a container of it) goes after that one
            failed = [(res, exc) for res in pending if (exc := _remove(client, res)) is not None]
            if len(failed) == len(pending) or kind != "image":
                break
            pending = [res for res, _exc in failed]
        else:
            failed = []
        report.removed += [r for r in todo if r.kind == kind and r not in {res for res, _exc in failed}]
        for res, exc in failed:
            report.other.append(Failed(_("could not remove {kind} {name}: {error}").format(
                kind=kind_word(kind), name=res.name, error=exc)))
    if not purge_volumes:
        report.kept_volumes = volumes
    return report
