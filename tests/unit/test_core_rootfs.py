"""Offline: `docker import` (and `docker export | docker import`) as a kit call, labelled so reset finds the image."""

from __future__ import annotations

import io

import pytest

from dockerlab import labels
from dockerlab.cleanup import reset
from dockerlab.docker_run import run
from dockerlab.errors import BadInput, ImageMissing
from dockerlab.rootfs import import_image
from fakes import FakeClient

IMAGE = "debian:bookworm-slim"


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    labels.set_session("alice")
    labels.set_chapter("03")
    client = FakeClient()
    client.engine.add_image(IMAGE)
    yield client
    labels.set_session(None)
    labels.set_chapter(None)


def test_a_container_is_exported_then_imported_with_its_settings_and_the_kits_labels(fake):
    pad = run("pad", IMAGE, client=fake)
    image = import_image("flat:v1", pad, changes=['CMD ["notes", "run"]', "USER 10001"], client=fake)
    assert image.cli == ("docker export alice-pad | docker import --change 'CMD [\"notes\", \"run\"]' "
                         "--change 'USER 10001' --change 'LABEL org.dockerlab.kit=1' "
                         "--change 'LABEL org.dockerlab.session=alice' --change 'LABEL org.dockerlab.chapter=03' "
                         "--change 'LABEL org.dockerlab.role=import' - alice/flat:v1")  # every label: reset finds the twin
    call = fake.engine.calls[-1]
    assert ("export", "alice-pad") in fake.engine.calls and call[:2] == ("import_image", "alice/flat:v1")
    assert call[2] == len(b"root filesystem of alice-pad")  # the export streamed into the import
    assert call[3][:2] == ['CMD ["notes", "run"]', "USER 10001"]
    assert image.labels["org.dockerlab.session"] == "alice" and image.labels["org.dockerlab.chapter"] == "03"
    assert image.labels["org.dockerlab.role"] == "import"
    removed = reset("03", client=fake).removed
    assert "alice/flat:v1" in {r.name for r in removed}  # the chapter's reset finds it by its labels


def test_a_file_archive_and_bad_arguments(fake):
    image = import_image("dockerlab-base", io.BytesIO(b"tar bytes"), client=fake)
    assert image.cli.startswith("docker import --change 'LABEL org.dockerlab.kit=1' ")
    assert image.cli.endswith("--change 'LABEL org.dockerlab.role=import' - alice/dockerlab-base:latest")
    with pytest.raises(BadInput) as info:
        import_image("flat:v1", io.BytesIO(b""), changes="CMD bash", client=fake)  # type: ignore[arg-type]
    assert "list of Dockerfile lines" in info.value.what
    with pytest.raises(BadInput):
        import_image("", io.BytesIO(b""), client=fake)


def test_each_label_is_a_change_of_its_own_and_the_tag_travels_with_the_name(fake):
    """Podman reads only the first key=value of a LABEL change and ignores a separate tag: the kit sends one
    label per LABEL line and the name with its tag, as `docker import - name:tag` does."""
    import_image("flat:v2", io.BytesIO(b"tar"), client=fake)
    changes = fake.engine.calls[-1][3]
    assert changes and all(c.startswith("LABEL ") and c.count("=") == 1 for c in changes)
    assert fake.engine.calls[-1][1] == "alice/flat:v2"


def test_an_import_the_engine_names_otherwise_is_removed_and_named(fake, monkeypatch):
    """An engine that names the import otherwise (Podman 4.3 took a separate tag as :latest): the kit says the
    image is missing and removes what it imported, so nothing half-made stays behind."""
    real = fake.api.import_image
    monkeypatch.setattr(fake.api, "import_image",
                        lambda src=None, repository=None, tag=None, changes=None:
                        real(src=src, repository=repository.rpartition(":")[0], changes=changes))
    before = set(fake.engine.images)
    with pytest.raises(ImageMissing):
        import_image("flat:v3", io.BytesIO(b"tar"), client=fake)
    assert set(fake.engine.images) == before
