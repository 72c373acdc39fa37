"""Offline tests of `prepare` and the local base-image recipe: a fake engine, no network, no mmdebstrap."""

from __future__ import annotations

import hashlib
import io
import json
import time
from pathlib import Path

import docker.errors
import pytest
from rich.console import Console

from dockerlab import course
from dockerlab.course import baseimage
from dockerlab.course.baseimage import BOOKWORM_SLIM, BaseBuild, BaseRecipe
from dockerlab.errors import BuildFailed, DockerlabError, ImageMissing
from dockerlab.i18n import _
from dockerlab.labels import ROLE
from dockerlab.course import prepare as prep
from dockerlab.course.prepare import Action, RecordingProgress, decide, from_images
from dockerlab.display.prepare import PrepareView, RichProgress
from dockerlab.widgets.prepare import WidgetProgress, default_progress, in_jupyter

# Changing the recipe rebuilds every kit-built base image on every machine: do it on purpose, then update this.
BOOKWORM_SLIM_HASH = "3e21dfa9f2315b1c27947a9fa0ccef8631d6787652c4a476ff20ffef6e75b9bc"


# --------------------------------------------------------------------------- a fake engine

class FakeAPI:
    def __init__(self, images: dict[str, dict]) -> None:
        self.images = images
        self.timeout = 60
        self.imports: list[list[str]] = []
        self.import_timeouts: list[float | None] = []
        self.removed: list[str] = []

    def inspect_image(self, ref: str) -> dict:
        if ref not in self.images:
            raise docker.errors.ImageNotFound(f"No such image: {ref}")
        return self.images[ref]

    def _url(self, path: str) -> str:
        return path

    def _result(self, response: str) -> str:
        return response

    def _post(self, url: str, data=None, params=None, headers=None, timeout=None, **_: object) -> str:  # noqa: ANN001
        """`POST /images/create?fromSrc=-` (docker import) with the request's own timeout."""
        assert url == "/images/create" and params["fromSrc"] == "-" and headers["Content-Type"] == "application/tar"
        self.import_timeouts.append(timeout)
        return self.import_image(data, params.get("changes"))

    def import_image(self, src, changes=None, **_: object) -> str:  # noqa: ANN001
        data = b"".join(src)
        iid = "sha256:" + hashlib.sha256(data).hexdigest()
        labels = dict(kv.split("=", 1) for c in changes or [] if c.startswith("LABEL ") for kv in c[6:].split())
        self.images[iid] = {"Id": iid, "Size": len(data), "RepoTags": [], "Config": {"Labels": labels}}
        self.imports.append(list(changes or []))
        return json.dumps({"status": iid}) + "\r\n"

    def tag(self, iid: str, repo: str, tag: str, force: bool = False) -> bool:
        for attrs in self.images.values():
            attrs["RepoTags"] = [t for t in attrs.get("RepoTags", []) if t != f"{repo}:{tag}"]
        self.images[iid]["RepoTags"].append(f"{repo}:{tag}")
        self.images[f"{repo}:{tag}"] = self.images[iid]
        return True

    def remove_image(self, iid: str, noprune: bool = False) -> None:
        self.removed.append(iid)
        self.images.pop(iid, None)

    def build(self, tag: str, labels: dict, **_: object) -> list[dict]:
        """The small builds prepare asks for (the host-CA image): a labelled image, at once."""
        iid = "sha256:" + hashlib.sha256(tag.encode()).hexdigest()
        self.images[tag] = self.images[iid] = {"Id": iid, "Size": 200_000, "RepoTags": [tag],
                                               "Config": {"Labels": dict(labels)}}
        return [{"aux": {"ID": iid}}]


class FakeClient:
    def __init__(self, images: dict[str, dict] | None = None) -> None:
        self.api = FakeAPI(images or {})

    def info(self) -> dict:
        return {}


def image(labels: dict[str, str] | None = None, size: int = 75_000_000) -> dict:
    return {"Id": "sha256:" + "ab" * 32, "Size": size, "RepoTags": [], "Config": {"Labels": labels}}


def kit_base(recipe_hash: str) -> dict:
    return image({course.RECIPE_LABEL: recipe_hash})  # only its recipe: nothing FROM it inherits a kit label


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Replace the real mmdebstrap build with one that records (tag, recipe hash) and adds a labelled image."""
    calls: list[tuple[str, str]] = []

    def fake_build(tag: str, recipe: BaseRecipe | None = None, *, progress=None, client=None) -> BaseBuild:  # noqa: ANN001
        recipe = recipe or BOOKWORM_SLIM
        progress.phase("bootstrapping Debian")
        progress.phase("importing")
        calls.append((tag, recipe.hash))
        client.api.images[tag] = kit_base(recipe.hash)
        return BaseBuild(tag, "sha256:new", 74_500_000, 25.0, 77_000_000, recipe.hash, recipe.cli(tag))

    monkeypatch.setattr(prep, "build_base", fake_build)
    return calls


@pytest.fixture
def no_images(tmp_path: Path) -> Path:
    return tmp_path


# --------------------------------------------------------------------------- the recipe

def test_recipe_hash_is_stable_and_independent_of_the_tag() -> None:
    assert BOOKWORM_SLIM.hash == BaseRecipe().hash == BOOKWORM_SLIM_HASH
    assert "debian:bookworm-slim" not in BOOKWORM_SLIM.hash
    assert BaseRecipe(include=("ca-certificates",)).hash != BOOKWORM_SLIM.hash
    assert BaseRecipe(cmd=("sh",)).hash != BOOKWORM_SLIM.hash


def test_recipe_is_slim_and_has_updates_and_security() -> None:
    args = BOOKWORM_SLIM.mmdebstrap_args()
    assert args[:2] == ["mmdebstrap", "--variant=minbase"]
    assert f"--hook-dir={baseimage.MERGED_USR_HOOKS}" in args
    for path in ("man", "doc", "locale", "info", "lintian"):
        assert f"--dpkgopt=path-exclude=/usr/share/{path}/*" in args
    assert "--dpkgopt=path-include=/usr/share/doc/*/copyright" in args
    assert '--aptopt=APT::Install-Recommends "false"' in args
    assert not any("ca-certificates" in a for a in args)
    sources = " ".join(BOOKWORM_SLIM.sources())
    assert "bookworm-updates" in sources and "bookworm-security" in sources
    assert args[args.index("bookworm") + 1] == "-"
    assert 'CMD ["bash"]' in BOOKWORM_SLIM.changes()
    assert BOOKWORM_SLIM.labels()[course.RECIPE_LABEL] == BOOKWORM_SLIM.hash
    assert BOOKWORM_SLIM.cli("debian:bookworm-slim").endswith("- debian:bookworm-slim")
    assert baseimage.recipe_for("debian:bookworm-slim") is BOOKWORM_SLIM
    assert baseimage.recipe_for("docker.io/library/debian:bookworm-slim") is BOOKWORM_SLIM
    assert baseimage.recipe_for("nosuch/image:1") is None


# --------------------------------------------------------------------------- FROM lines

def test_from_images_multi_stage_ignores_stage_names() -> None:
    text = """# syntax comment
FROM debian:bookworm-slim AS jdk
RUN true
FROM jdk as build
FROM build AS test
FROM --platform=linux/amd64 node:18 AS web
FROM debian:bookworm-slim
COPY --from=build /x /x
"""
    assert from_images(text) == ["debian:bookworm-slim", "node:18"]


def test_from_images_normalises_and_handles_continuations_args_scratch_digests() -> None:
    text = """ARG BASE=debian:bookworm-slim
ARG TAG
FROM ${BASE} AS one
FROM \\
    nginx AS two
FROM scratch
FROM alpine@sha256:abc
FROM localhost:5000/team/app
FROM $UNSET_THING
"""
    assert from_images(text) == ["debian:bookworm-slim", "nginx:latest", "alpine@sha256:abc",
                                 "localhost:5000/team/app:latest"]


def test_from_images_without_arg_and_lowercase_keywords() -> None:
    assert from_images("from debian:bookworm-slim as base\nfrom base\n") == ["debian:bookworm-slim"]
    assert from_images("") == []
    assert from_images("FROM \\\n\n  # a comment\n  debian:bookworm-slim \\\n  AS x\nRUN true \\") == \
        ["debian:bookworm-slim"]


def test_base_images_reads_every_app_dockerfile(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "Dockerfile").write_text("FROM debian:bookworm-slim AS b\nFROM b\n")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "Dockerfile").write_text("FROM nosuch/image:1\n")
    (tmp_path / "c").mkdir()  # an app not written yet
    assert prep.base_images(tmp_path) == ["debian:bookworm-slim", "nosuch/image:1"]
    assert prep.base_images(tmp_path / "missing") == ["debian:bookworm-slim"]


# --------------------------------------------------------------------------- decisions

@pytest.mark.parametrize(("labels", "recipe", "force", "expected"), [
    (None, "h1", False, Action.OBTAIN),
    (None, None, False, Action.OBTAIN),
    ({}, "h1", False, Action.KEEP),
    ({"maintainer": "someone"}, "h1", True, Action.KEEP),
    ({ROLE: "base", course.RECIPE_LABEL: "h1"}, "h1", False, Action.UP_TO_DATE),
    ({ROLE: "base", course.RECIPE_LABEL: "h0"}, "h1", False, Action.REBUILD),
    ({ROLE: "base", course.RECIPE_LABEL: "h1"}, "h1", True, Action.FORCE),
    ({ROLE: "base", course.RECIPE_LABEL: "h1"}, None, False, Action.KEEP),
    # built FROM the kit's base (so it inherited the recipe label) and then tagged with a base's name: not ours
    ({ROLE: "learner", course.RECIPE_LABEL: "h0"}, "h1", False, Action.KEEP),
    # the base as the kit builds it now: only its recipe label (the older format also had kit and role labels)
    ({course.RECIPE_LABEL: "h0"}, "h1", False, Action.REBUILD),
    ({course.RECIPE_LABEL: "h1"}, "h1", False, Action.UP_TO_DATE),
    ({ROLE: "course", course.RECIPE_LABEL: "h0"}, "h1", False, Action.KEEP),
])
def test_decide(labels: dict | None, recipe: str | None, force: bool, expected: Action) -> None:
    assert decide(labels, recipe, force=force) is expected


def test_present_foreign_image_is_kept(builds: list, no_images: Path) -> None:
    client = FakeClient({"debian:bookworm-slim": image({})})
    sink = RecordingProgress()
    report = prep.prepare(progress=sink, images_dir=no_images, registry=False, client=client)
    assert report.outcome("debian:bookworm-slim") == "kept"
    assert "present, not built by the kit; kept" in sink.notes[0]
    assert builds == [] and client.api.removed == []


def test_current_kit_image_is_up_to_date(builds: list, no_images: Path) -> None:
    client = FakeClient({"debian:bookworm-slim": kit_base(BOOKWORM_SLIM.hash)})
    report = prep.prepare(progress=RecordingProgress(), images_dir=no_images, registry=False, client=client)
    assert report.outcome("debian:bookworm-slim") == "up to date" and builds == []


def test_outdated_kit_image_is_rebuilt_and_force_rebuilds(builds: list, no_images: Path) -> None:
    client = FakeClient({"debian:bookworm-slim": kit_base("0" * 64)})
    report = prep.prepare(progress=RecordingProgress(), images_dir=no_images, registry=False, client=client)
    assert report.outcome("debian:bookworm-slim") == "rebuilt"
    assert builds == [("debian:bookworm-slim", BOOKWORM_SLIM.hash)]
    report = prep.prepare(progress=RecordingProgress(), images_dir=no_images, registry=False, client=client)
    assert report.outcome("debian:bookworm-slim") == "up to date"
    report = prep.prepare(force=True, progress=RecordingProgress(), images_dir=no_images, registry=False,
                          client=client)
    assert report.outcome("debian:bookworm-slim") == "rebuilt" and len(builds) == 2


def test_missing_image_is_built_locally_without_registry(builds: list, no_images: Path) -> None:
    sink = RecordingProgress()
    report = prep.prepare(progress=sink, images_dir=no_images, registry=False, client=FakeClient())
    assert report.outcome("debian:bookworm-slim") == "built"
    assert "bootstrapping Debian" in sink.phases and "importing" in sink.phases
    assert "no registry gives it" in report.items[0].detail


def test_missing_image_is_pulled_when_a_registry_answers(builds: list, no_images: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    client = FakeClient()

    def fake_pull(ref: str, *, progress=None, client=None) -> str:  # noqa: ANN001
        client.api.images[ref] = image({})
        return "sha256:pulled"

    monkeypatch.setattr(prep, "pull", fake_pull)
    report = prep.prepare(progress=RecordingProgress(), images_dir=no_images, registry=True, client=client)
    assert report.outcome("debian:bookworm-slim") == "pulled" and builds == []


def test_failed_pull_falls_back_to_the_local_recipe(builds: list, no_images: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_pull(ref: str, **_: object) -> str:
        raise ImageMissing(f"Pulling {ref} failed: timeout")

    monkeypatch.setattr(prep, "pull", failing_pull)
    report = prep.prepare(progress=RecordingProgress(), images_dir=no_images, registry=True, client=FakeClient())
    assert report.outcome("debian:bookworm-slim") == "built" and len(builds) == 1


def test_unknown_base_image_fails_naming_it_and_removes_nothing(builds: list, tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "Dockerfile").write_text("FROM nosuch/image:1 AS x\nFROM x\n")
    client = FakeClient({"debian:bookworm-slim": image({})})
    with pytest.raises(ImageMissing) as info:
        prep.prepare(progress=RecordingProgress(), images_dir=tmp_path, registry=False, client=client)
    message = str(info.value)
    assert "nosuch/image:1" in message and "\nHint: " in message
    assert info.value.report.outcome("debian:bookworm-slim") == "kept"  # type: ignore[attr-defined]
    assert builds == [] and client.api.removed == [] and "debian:bookworm-slim" in client.api.images


def test_apps_are_built_with_course_role_and_missing_ones_skipped(builds: list, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from dockerlab import images

    (tmp_path / "hello").mkdir()
    (tmp_path / "hello" / "Dockerfile").write_text("FROM debian:bookworm-slim\n")
    calls: list[tuple] = []

    def fake_build(tag: str, path: Path, **kwargs: object) -> images.BuildResult:
        calls.append((tag, Path(path).name, kwargs["role"], kwargs["trust_host_ca"]))
        step = images.BuildStep(1, 1, "FROM debian:bookworm-slim")
        kwargs["on_step"](step)  # type: ignore[operator]
        return images.BuildResult(tag, None, [step], [], 1.5, None)  # type: ignore[arg-type]

    monkeypatch.setattr(images, "build", fake_build)
    client = FakeClient({"debian:bookworm-slim": image({})})
    report = prep.prepare(apps=True, progress=RecordingProgress(), images_dir=tmp_path, registry=False,
                          client=client)
    assert calls == [(course.APPS["hello"], "hello", "course", None)]
    assert report.outcome(course.APPS["hello"]) == "built"
    for app in set(course.APPS) - {"hello"}:
        assert report.outcome(course.APPS[app]) == "skipped"
        assert "does not exist yet" in next(i.detail for i in report.items if i.ref == course.APPS[app])


def test_report_renders_as_a_table() -> None:
    report = PrepareView([prep.PrepareItem("debian:bookworm-slim", "base", "kept",
                                           prep.Action.KEEP.value, size_mb=82.4)])
    out = io.StringIO()
    Console(file=out, width=100, color_system=None).print(report)
    assert "debian:bookworm-slim" in out.getvalue() and "kept" in out.getvalue()
    assert str(report) == "debian:bookworm-slim: present, not built by the kit; kept, 82 MB"


# --------------------------------------------------------------------------- build_base, offline

class FakeRecipe(BaseRecipe):
    """Writes a small tar instead of running mmdebstrap (optionally failing afterwards)."""

    def __init__(self, folder: Path, exit_code: int = 0) -> None:
        super().__init__()
        object.__setattr__(self, "_script", f"echo 'I: downloading packages with apt...' >&2; "
                                            f"tar -C {folder} -cf - .; exit {exit_code}")

    def mmdebstrap_args(self) -> list[str]:
        return ["sh", "-c", self._script]  # type: ignore[attr-defined]


@pytest.fixture
def offline_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setattr(baseimage, "ensure_mmdebstrap", lambda progress=None: "/bin/true")
    monkeypatch.setattr(baseimage, "MERGED_USR_HOOKS", str(tmp_path))
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "os-release").write_text("ID=debian\n" * 5000)
    return root


def test_build_base_streams_the_tar_and_tags_only_after_success(offline_build: Path) -> None:
    old = kit_base("0" * 64)
    old["Id"] = "sha256:old"
    old["RepoTags"] = ["t/base:1"]
    client = FakeClient({"t/base:1": old, "sha256:old": old})
    sink = RecordingProgress()
    built = baseimage.build_base("t/base:1", FakeRecipe(offline_build), progress=sink, client=client, chunk=4096)
    assert built.tag == "t/base:1" and built.bytes_imported > 50_000
    assert sink.phases[:2] == ["bootstrapping Debian", "importing"]
    assert any("MB imported" in text for kind, text in sink.events if kind == "update")
    assert client.api.images["t/base:1"]["Id"] == built.id
    changes = client.api.imports[0]
    assert 'CMD ["bash"]' in changes
    assert [c for c in changes if c.startswith("LABEL ")] == [f"LABEL {course.RECIPE_LABEL}={FakeRecipe(offline_build).hash}"]
    assert built.replaced == "sha256:old" and client.api.removed == ["sha256:old"]
    assert client.api.import_timeouts == [600] and client.api.timeout == 60  # its own timeout; the shared one untouched


def test_build_base_failure_leaves_the_engine_as_it_was(offline_build: Path) -> None:
    foreign = image({})
    client = FakeClient({"t/base:1": foreign})
    with pytest.raises(BuildFailed) as info:
        baseimage.build_base("t/base:1", FakeRecipe(offline_build, exit_code=3), client=client)
    assert "exit code 3" in str(info.value) and "Hint:" in str(info.value)
    assert client.api.images["t/base:1"] is foreign
    assert len(client.api.removed) == 1  # the untagged import, nothing else
    assert client.api.removed[0] not in ("t/base:1", foreign["Id"])


def test_missing_mmdebstrap_without_root_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(baseimage.shutil, "which", lambda name: None)
    monkeypatch.setattr(baseimage.os, "geteuid", lambda: 1000)
    with pytest.raises(DockerlabError) as info:
        baseimage.ensure_mmdebstrap()
    assert "apt-get install mmdebstrap" in str(info.value) and "\nHint: " in str(info.value)


def test_registry_check_is_bounded() -> None:
    started = time.monotonic()
    assert baseimage.registry_answers("127.0.0.1:9/nothing:1", FakeClient(), timeout=1) is False
    assert time.monotonic() - started < 5


# --------------------------------------------------------------------------- progress sinks

def test_rich_progress_prints_notes_with_an_injected_clock() -> None:
    out = io.StringIO()
    sink = RichProgress(Console(file=out, width=100, color_system=None), clock=lambda: 0.0)
    sink.phase("bootstrapping Debian")
    sink.update("downloading packages", 2, 7)
    sink.note("debian:bookworm-slim: up to date")
    sink.close()
    assert "✔ debian:bookworm-slim: up to date" in out.getvalue()


def test_widget_progress_shows_phase_detail_and_seconds() -> None:
    now = [100.0]
    sink = WidgetProgress(clock=lambda: now[0], show=False, tick=None)
    sink.phase("importing")
    now[0] = 112.0
    sink.update("40.0 MB imported", 40, 80)
    assert sink.label.value == "importing · 40.0 MB imported · 12 s"
    assert sink.bar.value == pytest.approx(0.5)
    sink.note("debian:bookworm-slim: built")
    sink.close()
    assert "built" in sink.results.value and sink.bar.bar_style == "success"


def test_default_progress_is_a_terminal_spinner_outside_jupyter() -> None:
    assert in_jupyter() is False  # pytest runs outside a kernel
    sink = default_progress()
    try:
        assert isinstance(sink, RichProgress)
    finally:
        sink.close()


def test_widget_progress_ticks_while_a_step_is_silent() -> None:
    now = [0.0]
    sink = WidgetProgress(clock=lambda: now[0], show=False, tick=0.01)
    sink.phase("bootstrapping Debian")
    now[0] = 7.0
    time.sleep(0.2)
    assert sink.label.value == "bootstrapping Debian · 7 s"
    sink.close()


def test_a_failing_app_does_not_stop_the_others(builds: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockerlab import images

    for app in ("hello", "notes"):
        (tmp_path / app).mkdir()
        (tmp_path / app / "Dockerfile").write_text("FROM debian:bookworm-slim\n")

    def fake_build(tag: str, path: Path, **kwargs: object) -> images.BuildResult:
        if "hello" in tag:
            raise BuildFailed(f"Building {tag} failed at Step 2/2 : RUN false: exit 1", step="Step 2/2 : RUN false")
        return images.BuildResult(tag, None, [], [], 1.0, None)  # type: ignore[arg-type]

    monkeypatch.setattr(images, "build", fake_build)
    with pytest.raises(BuildFailed) as info:
        prep.prepare(apps=True, progress=RecordingProgress(), images_dir=tmp_path, registry=False,
                     client=FakeClient({"debian:bookworm-slim": image({})}))
    report = info.value.report  # type: ignore[attr-defined]
    assert report.outcome(course.APPS["hello"]) == "failed" and report.outcome(course.APPS["notes"]) == "built"
    assert info.value.step == "Step 2/2 : RUN false" and "Hint:" in str(info.value)


def test_two_failing_apps_are_named_in_one_error(builds: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With Debian's mirror out of reach every app fails: one BuildFailed naming both (it raised a TypeError: the
    summary passed ``details=`` to BuildFailed, whose lines are its ``log_tail``)."""
    from dockerlab import images

    for app in ("hello", "notes"):
        (tmp_path / app).mkdir()
        (tmp_path / app / "Dockerfile").write_text("FROM debian:bookworm-slim\n")

    def fake_build(tag: str, path: Path, **kwargs: object) -> images.BuildResult:
        raise BuildFailed(f"Building {tag} failed at Step 2/2 : RUN apt-get update: exit 100",
                          step="Step 2/2 : RUN apt-get update", log_tail=[f"E: {tag}: could not resolve the mirror"])

    monkeypatch.setattr(images, "build", fake_build)
    with pytest.raises(BuildFailed) as info:
        prep.prepare(apps=True, progress=RecordingProgress(), images_dir=tmp_path, registry=False,
                     client=FakeClient({"debian:bookworm-slim": image({})}))
    text = str(info.value)
    assert text.startswith("2 images could not be prepared:") and text.count("Hint:") == 1
    assert all(f"{app}:1.0 failed" in text and f"{app}:1.0: could not resolve" in text for app in ("hello", "notes"))
    report = info.value.report  # type: ignore[attr-defined]
    assert {report.outcome(course.APPS[app]) for app in ("hello", "notes")} == {"failed"}


def test_prepare_speaks_korean(builds: list, no_images: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DOCKERLAB_LANG=ko: the phases, the bootstrap's steps, each result and the table are Korean; the report's data
    (outcome, kind) stays English for the code that reads it, and a Korean failure line is still shown as failed."""
    from dockerlab.display.render import to_text
    from dockerlab.i18n import _

    monkeypatch.setenv("DOCKERLAB_LANG", "ko")
    sink = RecordingProgress()
    report = prep.prepare(progress=sink, images_dir=no_images, registry=False, client=FakeClient())
    item = report.items[0]
    assert item.outcome == "built" and item.kind == "base"
    assert any(text == _("checking {image}").format(image="debian:bookworm-slim") for text in sink.phases)
    assert item.detail.startswith("내려받을 레지스트리가 없음: Debian 패키지로 이 컴퓨터에서 빌드함(레시피 ")
    table = to_text(PrepareView(report.items), 120)
    assert "결과" in table and "베이스" in table and "빌드함" in table and "outcome" not in table
    out = io.StringIO()
    rich = RichProgress(console=Console(file=out, width=100, color_system=None))
    rich.note(_("{image}: failed — {error}").format(image="debian:bookworm-slim", error="…"))
    rich.close()
    assert "✘ debian:bookworm-slim: 실패 — …" in out.getvalue()
    widget = WidgetProgress(clock=lambda: 0.0, show=False, tick=None)
    assert widget.label.value.startswith("시작하는 중")
    widget.note(_("{image}: failed — {error}").format(image="x", error="y"))
    widget.close()
    assert "✘" in widget.results.value and widget.label.value.startswith("완료")


def test_build_base_reports_its_steps_in_korean(offline_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bootstrap's phases and steps are matched in mmdebstrap's English and shown in the learner's language."""
    monkeypatch.setenv("DOCKERLAB_LANG", "ko")
    sink = RecordingProgress()
    baseimage.build_base("t/base:1", FakeRecipe(offline_build), progress=sink, client=FakeClient(), chunk=4096)
    assert sink.phases[:2] == ["Debian 부트스트랩", "가져오기(import)"] and sink.phases[-1] == "태그 붙이기"
    updates = [text for kind, text in sink.events if kind == "update"]
    assert "패키지 내려받기" in updates and any(text.endswith(" MB 가져옴") for text in updates)


# --------------------------------------------------------------------------- course images, two at once

class BigEngine(FakeClient):
    def __init__(self, info: object = None) -> None:
        super().__init__({"debian:bookworm-slim": image({})})
        self._info = info if info is not None else {"NCPU": 2, "MemTotal": 8 * 2**30}

    def info(self) -> dict:
        if isinstance(self._info, Exception):
            raise self._info
        return self._info


@pytest.mark.parametrize("info, lanes", [
    ({"NCPU": 2, "MemTotal": 24 * 2**30}, 2), ({"NCPU": 16, "MemTotal": 64 * 2**30}, 2),
    ({"NCPU": 1, "MemTotal": 24 * 2**30}, 1), ({"NCPU": 8, "MemTotal": 2 * 2**30}, 1),
    ({}, 1), (docker.errors.APIError("no"), 1)])
def test_build_lanes_follow_the_engines_cpus_and_memory(info: object, lanes: int) -> None:
    assert prep.build_lanes(BigEngine(info)) == lanes  # type: ignore[arg-type]


def test_course_images_build_two_at_once_and_are_reported_in_course_order(builds: list, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """backend and frontend wait for each other inside their builds: only builds that run at once get past the
    barrier. Each result is a note when it ends; the report keeps course.APPS' order; a failure stops no other build."""
    import threading

    from dockerlab import images

    for app in ("backend", "frontend", "registry"):
        (tmp_path / app).mkdir()
        (tmp_path / app / "Dockerfile").write_text("FROM debian:bookworm-slim\n")
    together = threading.Barrier(2, timeout=10)

    def fake_build(tag: str, path: Path, **kwargs: object) -> images.BuildResult:
        step = images.BuildStep(1, 2, "RUN make")
        if "backend" in tag or "frontend" in tag:
            together.wait()  # a BrokenBarrierError after 10 s if the other build never runs beside this one
        kwargs["on_step"](step)  # type: ignore[operator]
        if "registry" in tag:
            raise BuildFailed(f"Building {tag} failed at Step 2/2 : RUN false: exit 1", step="Step 2/2 : RUN false")
        return images.BuildResult(tag, None, [step], [step], 1.0, None)  # type: ignore[arg-type]

    monkeypatch.setattr(images, "build", fake_build)
    sink = RecordingProgress()
    with pytest.raises(BuildFailed) as info:
        prep.prepare(apps=True, progress=sink, images_dir=tmp_path, registry=False, client=BigEngine())
    report = info.value.report  # type: ignore[attr-defined]
    course_items = [i for i in report.items if i.kind == "course"]
    assert [i.ref for i in course_items] == list(course.APPS.values())
    assert [i.outcome for i in course_items] == ["skipped", "skipped", "built", "built", "failed"]
    both = _("building {image}").format(image="backend:1.0, frontend:1.0")
    assert both in sink.phases
    assert any(text.startswith(("backend:1.0: ", "frontend:1.0: ")) for kind, text in sink.events if kind == "update")
    built_notes = [n for n in sink.notes if "built from images/" in n or "failed" in n]
    assert len(built_notes) == 3 and "Hint:" in str(info.value)


def test_a_small_engine_builds_the_course_images_one_after_another(builds: list, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from dockerlab import images

    for app in ("backend", "frontend"):
        (tmp_path / app).mkdir()
        (tmp_path / app / "Dockerfile").write_text("FROM debian:bookworm-slim\n")
    running: list[str] = []
    overlaps: list[list[str]] = []

    def fake_build(tag: str, path: Path, **kwargs: object) -> images.BuildResult:
        running.append(tag)
        overlaps.append(list(running))
        time.sleep(0.05)
        running.remove(tag)
        return images.BuildResult(tag, None, [], [], 0.05, None)  # type: ignore[arg-type]

    monkeypatch.setattr(images, "build", fake_build)
    sink = RecordingProgress()
    report = prep.prepare(apps=True, progress=sink, images_dir=tmp_path, registry=False,
                          client=BigEngine({"NCPU": 2, "MemTotal": 2 * 2**30}))  # a 2-GiB Docker Desktop VM
    assert overlaps == [[course.APPS["backend"]], [course.APPS["frontend"]]]
    assert report.outcome(course.APPS["backend"]) == report.outcome(course.APPS["frontend"]) == "built"
    assert _("building {image}").format(image=course.APPS["backend"]) in sink.phases
