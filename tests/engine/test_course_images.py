"""`prepare(apps=True)` builds every course image from images/<app>, and the final images are lean and safe:
no compiler, no Node/npm, no copy of the host's CA bundle, a non-root user and a HEALTHCHECK."""

from __future__ import annotations


import docker
import pytest

from dockerlab import course, labels
from conftest import run_as_root

from dockerlab.course import prepare as prep

pytestmark = [pytest.mark.engine, pytest.mark.slow]

SESSION = "t-course-images"  # its own: a reset of another file's fixed session removes what this one runs
#: what must not be in a final image: build tools, and the CA bundle the build stages may be given
FORBIDDEN = ("javac", "jar", "npm", "npx", "node", "nodejs", "host-ca.crt")


@pytest.fixture(scope="module")
def report(engine_client: docker.DockerClient) -> "prep.PrepareReport":
    sink = prep.RecordingProgress()
    built = prep.prepare(apps=True, progress=sink, client=engine_client)
    print("\n" + str(built))
    return built


@pytest.fixture
def client(module_session_client: docker.DockerClient) -> docker.DockerClient:
    return module_session_client


def sh_as_root(client: docker.DockerClient, image: str, script: str) -> str:
    """Run a shell line as root in a throw-away, labelled container of ``image`` (entrypoint bypassed)."""
    return run_as_root(client, image, script, network_mode="none")


def test_prepare_builds_every_course_image(report: "prep.PrepareReport") -> None:
    for app, tag in course.APPS.items():
        assert report.outcome(tag) == "built", f"{app}: {report.outcome(tag)}"
    assert report.ok


@pytest.mark.parametrize("app", ["backend", "frontend"])
def test_final_image_has_no_build_tools_and_no_ca_copy(report: "prep.PrepareReport", client: docker.DockerClient,
                                                       app: str) -> None:
    tag = course.APPS[app]
    names = " -o ".join(f"-name {n}" for n in FORBIDDEN)
    found = sh_as_root(client, tag, f"find / -xdev \\( {names} \\) ! -type d 2>/dev/null; true")
    assert found == "", f"{tag} holds build-time files:\n{found}"
    assert sh_as_root(client, tag, "command -v javac npm node || true") == ""


@pytest.mark.parametrize("app", ["backend", "frontend"])
def test_final_image_runs_as_non_root_with_a_healthcheck(report: "prep.PrepareReport",
                                                         client: docker.DockerClient, app: str) -> None:
    config = client.images.get(course.APPS[app]).attrs["Config"]
    assert config.get("User") not in (None, "", "root", "0", "0:0"), f"{app} runs as root"
    test = (config.get("Healthcheck") or {}).get("Test") or []
    assert test and test[0] != "NONE", f"{app} has no HEALTHCHECK"


def test_course_images_are_labelled_as_course_images(report: "prep.PrepareReport",
                                                     client: docker.DockerClient) -> None:
    for tag in course.APPS.values():
        image_labels = client.images.get(tag).labels
        assert image_labels.get(labels.KIT) == "1" and image_labels.get(labels.ROLE) == "course"
        assert labels.SESSION not in image_labels  # shared by every learner on the engine
