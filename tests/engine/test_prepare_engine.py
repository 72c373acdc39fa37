"""`prepare` on the real engine: the present image is kept in seconds, an unknown base fails cleanly, the local
mmdebstrap recipe's image is slim and labelled (debian:bookworm-slim when prepare bootstrapped it with this recipe,
else a bootstrap under a test tag: nothing here replaces debian:bookworm-slim), and a base is rebuilt only when its
recipe changes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docker
import pytest

from dockerlab import course, images, labels
from dockerlab.course.baseimage import BOOKWORM_SLIM, BaseRecipe, build_base, labels_of
from dockerlab.errors import BuildFailed, ImageMissing
from dockerlab.i18n import _
from conftest import KIT_LIMITS, run_as_root
from ports import free_port

from dockerlab.course import prepare as prep

pytestmark = pytest.mark.engine

TEST_TAG = "dockerlab-test/bookworm-slim:test"
SESSION = "t-prepare"


@pytest.fixture
def client(module_session_client: docker.DockerClient) -> docker.DockerClient:
    """The engine, with this file's learner session; fails if a test leaves a labelled container behind."""
    return module_session_client


@pytest.fixture
def test_tag(client: docker.DockerClient) -> Iterator[str]:
    images.remove(TEST_TAG, client, missing_ok=True)
    yield TEST_TAG
    images.remove(TEST_TAG, client, missing_ok=True)


def image_ids(client: docker.DockerClient) -> set[str]:
    return {img["Id"] for img in client.api.images(all=True)}  # summaries: images.list() races with other removals


@pytest.fixture
def removals(client: docker.DockerClient, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every image the kit asks the engine to remove (other engineers' builds may come and go meanwhile)."""
    calls: list[str] = []
    real = client.api.remove_image

    def spy(image: str, *args: object, **kwargs: object) -> object:
        calls.append(image)
        return real(image, *args, **kwargs)

    monkeypatch.setattr(client.api, "remove_image", spy)
    return calls


def sh(client: docker.DockerClient, image: str, script: str) -> str:
    """Run a shell line in a throw-away, labelled container of ``image`` and return its output."""
    return run_as_root(client, image, script)


def dockerfiles(tmp_path: Path, **apps: str) -> Path:
    for app, text in apps.items():
        (tmp_path / app).mkdir(parents=True)
        (tmp_path / app / "Dockerfile").write_text(text)
    return tmp_path


def test_present_base_image_is_kept_not_rebuilt(client: docker.DockerClient, tmp_path: Path) -> None:
    ref = course.BASE_IMAGES[0]
    before = client.images.get(ref)
    sink = prep.RecordingProgress()
    report = prep.prepare(progress=sink, images_dir=dockerfiles(tmp_path, app="FROM debian:bookworm-slim AS b\n"),
                          client=client)
    has_recipe = course.RECIPE_LABEL in (before.labels or {})
    expected = "up to date" if has_recipe and before.labels[course.RECIPE_LABEL] == BOOKWORM_SLIM.hash else \
        "kept" if not has_recipe else "rebuilt"
    assert report.outcome(ref) == expected
    if expected == "kept":
        assert sink.notes == [f"{ref}: {_('present, not built by the kit; kept')}, {before.attrs['Size'] / 1e6:.0f} MB"]
    assert client.images.get(ref).id == before.id


def test_unknown_base_image_fails_naming_it_and_removes_nothing(client: docker.DockerClient, tmp_path: Path,
                                                                removals: list[str]) -> None:
    base = client.images.get(course.BASE_IMAGES[0]).id
    started = time.monotonic()
    with pytest.raises(ImageMissing) as info:
        prep.prepare(progress=prep.RecordingProgress(), client=client,
                     images_dir=dockerfiles(tmp_path, bad="FROM nosuch/image:1 AS x\nFROM x\n"))
    assert time.monotonic() - started < 15  # the registry check is bounded: no minutes-long hang
    assert "nosuch/image:1" in info.value.what and "\nHint: " in str(info.value)
    assert removals == [] and client.images.get(course.BASE_IMAGES[0]).id == base


def test_failed_bootstrap_leaves_the_engine_as_it_was(client: docker.DockerClient, test_tag: str,
                                                      removals: list[str]) -> None:
    bad = BaseRecipe(mirror="http://127.0.0.1:9/debian", security_mirror="http://127.0.0.1:9/debian-security")
    with pytest.raises(BuildFailed) as info:
        build_base(test_tag, bad, client=client)
    assert "mmdebstrap" in str(info.value) and "Hint:" in str(info.value)
    assert not images.exists(test_tag, client)
    assert removals == []  # mmdebstrap failed before writing: nothing was imported, nothing removed
    assert not client.images.list(filters={"label": f"{course.RECIPE_LABEL}={bad.hash}"})


@dataclass(frozen=True)
class TarOfAFolder(BaseRecipe):
    """A recipe whose "bootstrap" is a tar of a small folder: what prepare does around a bootstrap is on the engine's
    side (the import, the label, the tag moving, the outdated image going), and another real mmdebstrap run (half of
    this file's time: 90 s of a busy CI's 2 cores) would only repeat the one prepare did."""

    folder: str = ""

    def mmdebstrap_args(self) -> list[str]:
        return ["tar", "-C", self.folder, "-cf", "-", "."]


def _slim_base(client: docker.DockerClient, test_tag: str) -> str:
    """The image the local recipe makes: ``debian:bookworm-slim`` when the kit bootstrapped it with this very recipe
    (its label says so: on a machine without a registry, `./lab test`'s prepare has just done that), else a
    bootstrap of the recipe under the test tag (a machine whose base came from a registry)."""
    ref = course.BASE_IMAGES[0]
    if (labels_of(ref, client) or {}).get(course.RECIPE_LABEL) == BOOKWORM_SLIM.hash:
        print(f"\n{ref} was built by this recipe ({BOOKWORM_SLIM.hash[:12]}): examined as it is")
        return ref
    sink = prep.RecordingProgress()
    item = prep.ensure_base(test_tag, recipe=BOOKWORM_SLIM, registry=False, progress=sink, client=client)
    print(f"\nlocal base image: {item.size_mb:.1f} MB in {item.seconds:.1f} s")
    assert item.outcome == "built"
    assert {_("bootstrapping Debian"), _("importing")} <= set(sink.phases)
    return test_tag


@pytest.mark.slow
def test_local_base_image_is_slim_and_labelled_only_with_its_recipe(client: docker.DockerClient,
                                                                    test_tag: str) -> None:
    base = _slim_base(client, test_tag)
    img = client.images.get(base)
    assert img.attrs["Size"] <= 80e6
    # only its recipe: a kit or role label would be inherited by every image and build step FROM it
    assert img.labels == {course.RECIPE_LABEL: BOOKWORM_SLIM.hash}
    assert img.attrs["Config"]["Cmd"] == ["bash"]

    sources = sh(client, base, "cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null; true")
    assert "bookworm-updates" in sources and "bookworm-security" in sources
    assert sh(client, base, "find /usr/share/doc -type f ! -name copyright") == ""
    assert int(sh(client, base, "find /usr/share/doc -name copyright | wc -l")) > 20
    assert sh(client, base, "find /usr/share/man /usr/share/locale /usr/share/info -type f ! -name dir") == ""
    assert sh(client, base, "test -e /etc/ssl/certs/ca-certificates.crt && echo yes || echo no") == "no\n"
    assert sh(client, base, "readlink /bin") == "usr/bin\n"  # merged /usr
    # only Essential perl-base, not the full perl that usrmerge drags in without the merged-usr hook
    assert sh(client, base, "for p in perl usrmerge; do dpkg -s $p >/dev/null 2>&1 && echo $p; done; true") == ""

    again = prep.ensure_base(base, recipe=BOOKWORM_SLIM, registry=False, client=client)
    assert again.outcome == "up to date" and client.images.get(base).id == img.id


def test_a_base_image_is_built_once_and_rebuilt_only_when_its_recipe_changes(
        client: docker.DockerClient, test_tag: str, tmp_path: Path) -> None:
    """What prepare does around the bootstrap (phases, the recipe's label, the tag moving, the outdated image going),
    with a recipe whose "bootstrap" is a tar of a small folder: the real one is examined above."""
    (tmp_path / "one" / "etc").mkdir(parents=True)
    (tmp_path / "one" / "etc" / "motd").write_text("a recipe\n")
    first = TarOfAFolder(cmd=("sh",), folder=str(tmp_path / "one"))
    sink = prep.RecordingProgress()
    built = prep.ensure_base(test_tag, recipe=first, registry=False, progress=sink, client=client)
    assert built.outcome == "built"
    assert {_("bootstrapping Debian"), _("importing")} <= set(sink.phases)
    img = client.images.get(test_tag)
    assert img.labels == {course.RECIPE_LABEL: first.hash}

    again = prep.ensure_base(test_tag, recipe=first, registry=False, client=client)
    assert again.outcome == "up to date" and client.images.get(test_tag).id == img.id

    (tmp_path / "two" / "etc").mkdir(parents=True)
    (tmp_path / "two" / "etc" / "motd").write_text("a changed recipe\n")
    changed = TarOfAFolder(cmd=("sh",), folder=str(tmp_path / "two"))
    assert changed.hash != first.hash
    rebuilt = prep.ensure_base(test_tag, recipe=changed, registry=False, client=client)
    assert rebuilt.outcome == "rebuilt"
    new = client.images.get(test_tag)
    assert new.id != img.id and new.labels[course.RECIPE_LABEL] == changed.hash
    assert img.id not in image_ids(client)  # the kit's outdated image went with the rebuild


def test_missing_base_image_is_pulled_when_its_registry_answers(client: docker.DockerClient, tmp_path: Path,
                                                                removals: list[str]) -> None:
    """A course registry on 127.0.0.1 stands in for Docker Hub: prepare pulls from it, showing bytes."""
    registry_image = course.APPS["registry"]
    if not images.exists(registry_image, client):
        prep.prepare(apps=True, progress=prep.RecordingProgress(), client=client)
    port = free_port()
    ref = f"127.0.0.1:{port}/dockerlab-test/pulled:1"
    registry = client.containers.run(registry_image, detach=True, ports={"5000/tcp": ("127.0.0.1", port)},
                                     labels=labels.kit_labels(), **KIT_LIMITS)
    try:
        for _attempt in range(50):
            if prep.registry_answers(ref, client, timeout=1):
                break
            time.sleep(0.2)
        images.build(ref, dockerfile="FROM debian:bookworm-slim\nRUN head -c 3000000 /dev/urandom > /blob\n",
                     client=client)
        for line in client.images.push(ref, stream=True, decode=True):
            assert "error" not in line, line
        client.images.remove(ref)
        sink = prep.RecordingProgress()
        report = prep.prepare(progress=sink, client=client,
                              images_dir=dockerfiles(tmp_path, app=f"FROM {ref} AS base\nFROM base\n"))
        assert report.outcome(ref) == "pulled"
        assert _("pulling {image}").format(image=ref) in sink.phases
        assert any(kind == "update" and "MB" in text for kind, text in sink.events)
        assert images.exists(ref, client)
        again = prep.prepare(progress=prep.RecordingProgress(), client=client,
                             images_dir=dockerfiles(tmp_path / "again", app=f"FROM {ref}\n"))
        assert again.outcome(ref) == "kept"  # pulled images carry no recipe label: never rebuilt
    finally:
        registry.remove(force=True, v=True)
        images.remove(ref, client, missing_ok=True)
