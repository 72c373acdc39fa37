"""Offline: reading Dockerfiles (instructions, stages, base images) and the host-CA rule for final stages."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerlab import dockerfile as df
from dockerlab.errors import BadInput
from dockerlab.hostca import check_final_stage, uses_ca_image

APP = Path(__file__).resolve().parents[1] / "foreign" / "app"


def test_instructions_join_continuations_and_skip_comments():
    text = ("# syntax=docker/dockerfile:1\n# escape=`\nFROM debian AS a\nRUN echo one `\n  # a comment inside\n\n"
            "  && echo two\n# last\nCMD [\"x\"]\n")
    found = df.instructions(text)
    assert [(i.keyword, i.line) for i in found] == [("FROM", 3), ("RUN", 4), ("CMD", 9)]
    assert found[1].args == "echo one  && echo two"


def test_stages_of_the_foreign_app():
    stages = df.stages((APP / "Dockerfile").read_text())
    assert [(s.index, s.name, s.base) for s in stages] == [(0, "assets", "debian:bookworm-slim"),
                                                           (1, None, "debian:bookworm-slim")]
    assert stages[1].copies_from() == ["assets"]
    assert df.final_stage(stages).index == 1 and df.final_stage(stages, "assets").index == 0
    assert df.from_images((APP / "Dockerfile").read_text()) == ["debian:bookworm-slim"]
    assert df.stages((APP / "Dockerfile").read_text(), {"BASE": "alpine:3"})[0].base == "alpine:3"


def test_copy_flags_and_json_sources():
    ins = df.instructions('COPY --from=build --chown=1:1 ["a b", "/dst/"]\n')[0]
    assert ins.flags() == {"from": "build", "chown": "1:1"} and ins.words() == ["a b", "/dst/"]


def test_lineage_follows_from_stage_lines():
    stages = df.stages("FROM debian AS jdk\nRUN x\nFROM jdk AS build\nRUN y\nFROM build AS test\nFROM debian\n")
    assert [s.index for s in df.lineage(stages, stages[2])] == [2, 1, 0]
    assert [s.index for s in df.lineage(stages, stages[3])] == [3]


CA_IN_BUILD_STAGE = ("FROM debian:bookworm-slim AS build\nCOPY --from=dockerlab/host-ca:1.0 /host-ca.crt /tmp/\n"
                     "RUN npm ci\nFROM debian:bookworm-slim\nCOPY --from=build /src/dist /srv\n")


@pytest.mark.parametrize("text", [
    CA_IN_BUILD_STAGE,
    "FROM debian:bookworm-slim\nCOPY . .\n",  # the CA is never in the context, so COPY . . cannot take it
])
def test_the_ca_in_a_build_stage_only_is_fine(text):
    check_final_stage(text)


@pytest.mark.parametrize("text, where", [
    ("FROM debian\nCOPY --from=dockerlab/host-ca:1.0 /host-ca.crt /etc/ssl/x.crt\n", "/etc/ssl/x.crt"),
    ("FROM dockerlab/host-ca:1.0 AS ca\nFROM debian\nCOPY --from=ca /host-ca.crt /x\n", "/x"),
    ("FROM debian AS build\nCOPY --from=dockerlab/host-ca /host-ca.crt /tmp/\nFROM build\nCMD [\"app\"]\n",
     "/tmp/host-ca.crt"),  # the final stage is built FROM the stage that took it
    ("FROM debian AS build\nCOPY --from=0 /x /y\nFROM dockerlab/host-ca:1.0\n", "/host-ca.crt"),
    # a build stage took it, and the final stage copies it (or a folder that holds it) from there
    ("FROM debian AS deps\nCOPY --from=dockerlab/host-ca:1.0 /host-ca.crt /tmp/ca.crt\n"
     "FROM debian\nCOPY --from=deps /tmp/ca.crt /app/ca.crt\n", "/app/ca.crt"),
    ("FROM debian AS deps\nWORKDIR /src\nCOPY --from=dockerlab/host-ca:1.0 /host-ca.crt certs/\n"
     "FROM debian\nCOPY --from=deps /src /app\n", "/app/certs/host-ca.crt"),
    ("FROM debian AS deps\nCOPY --from=dockerlab/host-ca:1.0 /host-ca.crt /tmp/\n"
     "FROM debian AS mid\nCOPY --from=deps / /copy/\nFROM debian\nCOPY --from=mid /copy/tmp /t\n", "/t/host-ca.crt"),
])
def test_the_ca_in_the_final_image_is_refused(text, where):
    with pytest.raises(BadInput) as info:
        check_final_stage(text)
    assert f"final stage (at {where})" in info.value.what and "Hint: Take it in a build stage only" in str(info.value)


def test_copying_other_files_from_a_stage_that_took_the_ca_is_fine():
    check_final_stage("FROM debian AS deps\nCOPY --from=dockerlab/host-ca:1.0 /host-ca.crt /tmp/ca.crt\n"
                      "RUN npm ci && npm run build\nFROM debian\nCOPY --from=deps /src/dist /srv\n")


def test_target_picks_the_final_stage():
    text = "FROM debian AS dev\nCOPY --from=dockerlab/host-ca:1.0 /host-ca.crt /tmp/\nFROM debian AS prod\n"
    check_final_stage(text, target="prod")
    with pytest.raises(BadInput):
        check_final_stage(text, target="dev")


def test_uses_ca_image():
    assert uses_ca_image(CA_IN_BUILD_STAGE)
    assert not uses_ca_image((APP / "Dockerfile").read_text())


def test_the_backend_image_is_built_without_running_its_tests():
    """The classic builder builds every stage up to the target: a stage that ran the tests would run on every build
    of the backend image, a one-line change included. They run in a container of the build stage (chapter 11)."""
    from dockerlab import course
    from dockerlab.course.pipeline import TEST_COMMAND

    stages = df.stages((course.app_dir("backend") / "Dockerfile").read_text())
    assert [s.name for s in stages] == ["jdk", "build", "runtime"]
    runs = [i.args for s in stages for i in s.instructions if i.keyword == "RUN"]
    assert runs and not [r for r in runs if TEST_COMMAND[-1] in r]
