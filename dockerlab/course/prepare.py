"""`dockerlab prepare`: make sure the course's base images are on the engine, and optionally its app images.

Each base image the course's Dockerfiles name in FROM lines is kept when present, pulled when a registry
answers, and otherwise built locally from the kit's recipe (see :mod:`dockerlab.course.baseimage`). A second
run does nothing but say so. Progress goes to a sink (:class:`~dockerlab.course.baseimage.Progress`): a spinner in a
terminal (:mod:`dockerlab.display.prepare`), a bar in JupyterLab (:mod:`dockerlab.widgets.prepare`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import docker
import docker.errors
from docker.auth import resolve_repository_name
from docker.utils import parse_repository_tag

from .. import course
from .baseimage import (BaseRecipe, NullProgress, Progress, build_base, labels_of, pull, recipe_for,
                        registry_answers)
from ..engine import connect
from ..errors import BuildFailed, DockerlabError, ImageMissing
from ..dockerfile import from_images, normalise_ref as _normalise
from ..hostca import CA_IMAGE, ensure_ca_image
from ..i18n import N_, _
from ..labels import ROLE

__all__ = ["Action", "PrepareItem", "PrepareReport", "prepare", "ensure_base", "decide", "from_images",
           "base_images", "build_lanes", "RecordingProgress", "OUTCOME_WORDS", "KIND_WORDS"]

#: an item's outcome and kind in the learner's words (``_(OUTCOME_WORDS[item.outcome])``); the data stays English
OUTCOME_WORDS = {"kept": N_("kept"), "up to date": N_("up to date"), "pulled": N_("pulled"), "built": N_("built"),
                 "rebuilt": N_("rebuilt"), "skipped": N_("skipped"), "failed": N_("failed")}
KIND_WORDS = {"base": N_("base"), "course": N_("course")}


# --------------------------------------------------------------------------- which base images

def base_images(images_dir: Path | None = None) -> list[str]:
    """course.BASE_IMAGES plus every image named in a FROM line of `images/*/Dockerfile`."""
    folder = images_dir if images_dir is not None else course.images_dir()
    refs = [_normalise(r) for r in course.BASE_IMAGES]
    for dockerfile in sorted(folder.glob("*/Dockerfile")) if folder.is_dir() else []:
        refs += [r for r in from_images(dockerfile.read_text(errors="replace")) if r not in refs]
    return refs


# --------------------------------------------------------------------------- what to do with one

class Action(str, Enum):
    """What prepare does with a base image, decided from its labels and the kit's recipe."""

    KEEP = N_("present, not built by the kit; kept")
    UP_TO_DATE = N_("up to date")
    REBUILD = N_("built by the kit from an older recipe; rebuilding")
    FORCE = N_("rebuilding (forced)")
    OBTAIN = N_("missing")


def decide(labels: Mapping[str, str] | None, recipe_hash: str | None, *, force: bool = False) -> Action:
    """``labels`` are the image's (None: not on the engine); ``recipe_hash`` is the kit's recipe (None: no recipe)."""
    if labels is None:
        return Action.OBTAIN
    built = course.built_base_recipe(dict(labels))
    if not built or recipe_hash is None:
        return Action.KEEP  # pulled, or built by someone else: never replaced
    if force:
        return Action.FORCE
    return Action.UP_TO_DATE if built == recipe_hash else Action.REBUILD


@dataclass
class PrepareItem:
    """One image prepare looked at: what it found or did, in the learner's words."""

    ref: str
    kind: str  # "base" or "course"
    outcome: str  # kept, up to date, pulled, built, rebuilt, skipped, failed
    detail: str
    seconds: float = 0.0
    size_mb: float | None = None

    @property
    def summary(self) -> str:
        size = f", {self.size_mb:.0f} MB" if self.size_mb else ""
        took = " " + _("in {seconds:.0f} s").format(seconds=self.seconds) if self.seconds >= 1 else ""
        return f"{self.detail}{size}{took}"

    @property
    def line(self) -> str:
        return f"{self.ref}: {self.summary}"


@dataclass
class PrepareReport:
    """What `prepare` found and did; renders as a table in a terminal and in JupyterLab."""

    items: list[PrepareItem] = field(default_factory=list)

    def outcome(self, ref: str) -> str | None:
        return next((i.outcome for i in self.items if i.ref == ref), None)

    @property
    def ok(self) -> bool:
        return all(i.outcome != "failed" for i in self.items)

    def __str__(self) -> str:
        return "\n".join(i.line for i in self.items)


def ensure_base(ref: str, *, recipe: BaseRecipe | None = None, force: bool = False, registry: bool | None = None,
                progress: Progress | None = None, client: docker.DockerClient | None = None) -> PrepareItem:
    """Make sure one base image exists: keep, pull, or build it from ``recipe`` (default: the kit's for ``ref``).

    ``registry``: None checks whether a registry answers (3 s), False never pulls, True pulls without checking.
    """
    progress = progress or NullProgress()
    client = client or connect()
    recipe = recipe or recipe_for(ref)
    started = time.monotonic()
    progress.phase(_("checking {image}").format(image=ref))
    action = decide(labels_of(ref, client), recipe.hash if recipe else None, force=force)

    def size() -> float:
        return int(client.api.inspect_image(ref)["Size"]) / 1e6

    if action is Action.KEEP or action is Action.UP_TO_DATE:
        return PrepareItem(ref, "base", "kept" if action is Action.KEEP else "up to date", _(action.value),
                           size_mb=size())
    pull_error: DockerlabError | None = None
    if action is Action.OBTAIN:
        reachable = registry if registry is not None else registry_answers(ref, client)
        if reachable:
            try:
                pull(ref, progress=progress, client=client)
                return PrepareItem(ref, "base", "pulled", _("pulled from its registry"),
                                   round(time.monotonic() - started, 1), size())
            except DockerlabError as err:
                pull_error = err
        if recipe is None:
            why = _("pulling it failed ({error})").format(error=pull_error.what) if pull_error else \
                _("no registry answers from here")
            raise ImageMissing(_("The base image {image} is not on the engine, {why}, and the kit has no recipe to "
                                 "build it locally.").format(image=ref, why=why),
                               _("Check the FROM line that names {image!r}; if it is right, load the image on this "
                                 "engine (`docker pull {image}` where a registry answers, or `docker save`/`docker "
                                 "load`), then run prepare again.").format(image=ref))
    built = build_base(ref, recipe, progress=progress, client=client)
    why = {Action.REBUILD: N_("the kit's recipe changed"), Action.FORCE: N_("forced")}.get(
        action, N_("no registry gives it") if pull_error is None else N_("pulling failed"))
    verb = "built" if action is Action.OBTAIN else "rebuilt"
    return PrepareItem(ref, "base", verb, _("{why}: {verb} locally from Debian packages (recipe {recipe})").format(
        why=_(why), verb=_(OUTCOME_WORDS[verb]), recipe=built.recipe_hash[:12]), built.seconds, built.size_mb)


def _build_app(app: str, tag: str, folder: Path, progress: _SharedProgress,
               client: docker.DockerClient) -> PrepareItem:
    from .. import images

    def on_step(step: images.BuildStep) -> None:
        progress.step(tag, step.label, step.number, step.total)

    try:
        before: str | None = client.api.inspect_image(tag)["Id"]
    except docker.errors.ImageNotFound:
        before = None
    result = images.build(tag, folder, role="course", trust_host_ca=None, on_step=on_step, client=client)
    if before and before != result.id:
        _remove_replaced(client, before)
    steps = [s for s in result.steps if not s.instruction.upper().startswith("FROM")]
    rebuilt = len(result.rebuilt_steps)
    cache = _("every step from the cache") if not rebuilt else _("{rebuilt} of {total} steps rebuilt").format(
        rebuilt=rebuilt, total=len(steps))
    size = (result.image.attrs.get("Size") or 0) / 1e6 if result.image is not None else None
    return PrepareItem(tag, "course", "built", _("built from images/{app} ({cache})").format(app=app, cache=cache),
                       result.seconds, size)


#: how many course images are built at once (javac and npm each leave a core idle much of the time), on an engine
#: with at least that many CPUs and BUILD_MEMORY_BYTES of memory per build (a small Docker Desktop VM builds one by one)
BUILD_LANES = 2
BUILD_MEMORY_BYTES = 1536 * 2**20


def build_lanes(client: docker.DockerClient) -> int:
    """How many course images this engine builds at once: up to BUILD_LANES, by its CPUs and memory."""
    try:
        info = client.info()
    except docker.errors.DockerException:
        return 1
    cpus = int(info.get("NCPU") or 1)
    memory = int(info.get("MemTotal") or 0)
    return max(1, min(BUILD_LANES, cpus, memory // BUILD_MEMORY_BYTES))


class _SharedProgress:
    """One progress sink for builds that run at once: each call under a lock, the phase names every build in flight,
    a detail line says whose step it is."""

    def __init__(self, sink: Progress) -> None:
        self.sink = sink
        self.lock = threading.Lock()
        self.building: list[str] = []

    def _phase(self) -> None:
        if self.building:  # two at once by their short names, so the line fits a terminal of 80 columns
            names = self.building if len(self.building) == 1 else [t.split("/")[-1] for t in self.building]
            self.sink.phase(_("building {image}").format(image=", ".join(names)))

    def start(self, tag: str) -> None:
        with self.lock:
            self.building.append(tag)
            self._phase()

    def step(self, tag: str, label: str, done: float | None, total: float | None) -> None:
        with self.lock:
            detail = f"{tag.split('/')[-1]}: {label}" if len(self.building) > 1 else label
            self.sink.update(detail[:70], done, total)

    def finish(self, tag: str, line: str) -> None:
        with self.lock:
            if tag in self.building:
                self.building.remove(tag)
            self.sink.note(line)
            self._phase()


def _build_apps(folder: Path, sink: Progress, client: docker.DockerClient, report: PrepareReport,
                failures: list[DockerlabError], record: Callable[[PrepareItem], None]) -> None:
    """Build the course's images from `images/<app>` (those whose folder has a Dockerfile), ``build_lanes`` at once;
    each result is shown as it ends, and the report lists them in course.APPS' order."""
    outcomes: dict[str, PrepareItem] = {}
    errors: dict[str, DockerlabError] = {}
    todo = [(app, tag) for app, tag in course.APPS.items() if (folder / app / "Dockerfile").is_file()]
    shared = _SharedProgress(sink)

    def build(app: str, tag: str) -> None:
        shared.start(tag)
        try:
            item = _build_app(app, tag, folder / app, shared, client)
        except DockerlabError as err:
            errors[tag] = err
            shared.finish(tag, _("{image}: failed — {error}").format(image=tag, error=err.what.splitlines()[0]))
        else:
            outcomes[tag] = item
            shared.finish(tag, item.line)

    lanes = build_lanes(client) if len(todo) > 1 else 1
    if lanes == 1:
        for app, tag in todo:
            build(app, tag)
    else:
        with ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="dockerlab-build") as pool:
            for done in [pool.submit(build, app, tag) for app, tag in todo]:
                done.result()  # build() keeps every DockerlabError; anything else is a bug and is raised here
    for app, tag in course.APPS.items():
        if tag in outcomes:
            report.items.append(outcomes[tag])
        elif tag in errors:
            report.items.append(PrepareItem(tag, "course", "failed", errors[tag].what.splitlines()[0]))
            failures.append(errors[tag])
        else:
            record(PrepareItem(tag, "course", "skipped", _("images/{app}/Dockerfile does not exist yet; skipped")
                               .format(app=app)))


def _remove_replaced(client: docker.DockerClient, image_id: str) -> None:
    """The course image a rebuild replaced, now without a name: removed unless something still uses it (a
    learner's container, an image built FROM it), so course rebuilds do not pile up on the engine."""
    try:
        attrs = client.api.inspect_image(image_id)
        if not attrs.get("RepoTags") and (attrs.get("Config") or {}).get("Labels", {}).get(ROLE) == "course":
            client.api.remove_image(image_id)
    except docker.errors.DockerException:
        pass  # in use, or already gone: it stays, as it must


def prepare(apps: bool = False, force: bool = False, progress: Progress | None = None, *,
            images_dir: Path | None = None, registry: bool | None = None,
            client: docker.DockerClient | None = None) -> PrepareReport:
    """Make sure the course's base images exist (kept, pulled, or built locally), and with ``apps=True`` build
    the course's images from `images/<app>`. Prints each result as it goes; returns the report."""
    client = client or connect()
    folder = images_dir if images_dir is not None else course.images_dir()
    own_sink = progress is None
    sink = progress or NullProgress()
    report = PrepareReport()
    failures: list[DockerlabError] = []
    reachable: dict[str, bool] = {}

    def record(item: PrepareItem) -> None:
        report.items.append(item)
        sink.note(item.line)

    try:
        for ref in base_images(folder):
            host = resolve_repository_name(parse_repository_tag(ref)[0])[0]
            if registry is None and host not in reachable and labels_of(ref, client) is None:
                reachable[host] = registry_answers(ref, client)  # once per registry, only when needed
            try:
                record(ensure_base(ref, force=force, registry=registry if registry is not None else
                                   reachable.get(host), progress=sink, client=client))
            except DockerlabError as err:
                report.items.append(PrepareItem(ref, "base", "failed", err.what))
                sink.note(_("{image}: failed — {error}").format(image=ref, error=err.what))
                failures.append(err)
        try:  # what build stages take the host's CA bundle from (see dockerlab.hostca)
            sink.phase(_("checking {image}").format(image=CA_IMAGE))
            made = ensure_ca_image(client)
            outcome = "built" if made else "up to date"
            record(PrepareItem(CA_IMAGE, "base", outcome, _("the host's CA bundle for build stages: {outcome}").format(
                outcome=_(OUTCOME_WORDS[outcome]))))
        except DockerlabError as err:
            report.items.append(PrepareItem(CA_IMAGE, "base", "failed", err.what))
            failures.append(err)
        if failures:
            _raise(failures, report)
        if apps:
            _build_apps(folder, sink, client, report, failures, record)
        if failures:
            _raise(failures, report)
    finally:
        if own_sink:
            sink.close()
    return report


def _raise(failures: list[DockerlabError], report: PrepareReport) -> None:
    err = failures[0]
    if len(failures) > 1:
        what = _("{count} images could not be prepared:").format(count=len(failures))
        lines = [line for f in failures for line in (f.what, *("  " + d for d in f.details))]  # one Hint, below
        if all(isinstance(f, BuildFailed) for f in failures):  # its lines are its log_tail
            err = BuildFailed(what, failures[0].hint, log_tail=lines)
        else:
            err = ImageMissing(what, failures[0].hint, details=lines)
    err.report = report  # type: ignore[attr-defined]
    raise err


# --------------------------------------------------------------------------- progress sinks

class RecordingProgress:
    """Keeps every event in ``events`` (for tests and for logs)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def phase(self, name: str) -> None:
        self.events.append(("phase", name))

    def update(self, detail: str = "", done: float | None = None, total: float | None = None) -> None:
        self.events.append(("update", detail))

    def note(self, line: str) -> None:
        self.events.append(("note", line))

    def close(self) -> None:
        self.events.append(("close", ""))

    @property
    def phases(self) -> list[str]:
        return [text for kind, text in self.events if kind == "phase"]

    @property
    def notes(self) -> list[str]:
        return [text for kind, text in self.events if kind == "note"]
