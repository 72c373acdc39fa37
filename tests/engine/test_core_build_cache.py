"""Engine tier: real builds — the log streams while the build runs, a rebuild hits the cache, failures name the step."""

from __future__ import annotations

import time
import uuid

import pytest

import dockerlab as lab
from dockerlab.errors import BuildFailed
from corekit import BASE, last_line

pytestmark = pytest.mark.engine


def test_build_streams_then_rebuild_is_cached(session, engine_client, tmp_path):
    marker = uuid.uuid4().hex[:8]  # a step no other build has cached
    (tmp_path / "Dockerfile").write_text(
        f"FROM {BASE}\nRUN echo building-{marker} && sleep 2 && echo done-{marker}\nCOPY msg.txt /msg.txt\n"
        'CMD ["cat", "/msg.txt"]\n')
    (tmp_path / "msg.txt").write_text("hello from my image\n")
    seen: list[tuple[float, str]] = []
    steps = []
    first = lab.build("greeter:v1", tmp_path, on_line=lambda line: seen.append((time.monotonic(), line)),
                      on_step=steps.append)
    finished = time.monotonic()
    assert first.tag == f"{session}/greeter:v1"
    assert [s.instruction.split()[0] for s in first.steps] == ["FROM", "RUN", "COPY", "CMD"]
    assert all(s.total == 4 for s in first.steps)
    assert first.rebuilt_steps == [2, 3, 4] and first.cached_steps == []
    assert f"building-{marker}" in first.steps[1].output and f"done-{marker}" in first.steps[1].output
    # streamed: the RUN step's first line reached on_line well before the build was over
    early = next(t for t, line in seen if line == f"building-{marker}")
    assert finished - early > 1.0
    assert [s.number for s in steps] == [1, 2, 3, 4]
    assert first.steps[1].seconds >= 1.5
    assert first.cli.startswith("docker build -t ") and str(tmp_path) in first.cli
    labels = first.image.labels
    assert labels["org.dockerlab.session"] == session and labels["org.dockerlab.kit"] == "1"

    again = lab.build("greeter:v1", tmp_path)
    assert again.fully_cached and again.cached_steps == [2, 3, 4] and again.id == first.id

    (tmp_path / "msg.txt").write_text("changed\n")
    third = lab.build("greeter:v2", tmp_path)
    assert third.cached_steps == [2] and third.rebuilt_steps == [3, 4]  # cache stops at the changed COPY

    run = lab.run("greeter", "greeter:v2")  # the short tag finds the learner's own image
    assert run.image == f"{session}/greeter:v2"  # as `docker ps` shows it (Podman answers docker.io/…)
    assert run.sdk.wait(timeout=30)["StatusCode"] == 0 and run.logs() == "changed\n"
    history = lab.images.history("greeter:v2")
    assert any("msg.txt" in (h.get("CreatedBy") or "") for h in history)
    report = lab.reset()
    assert {r.name for r in report.removed if r.kind == "image"} == {f"{session}/greeter:v1", f"{session}/greeter:v2"}


def test_failing_run_step_names_the_step(session, engine_client):
    with pytest.raises(BuildFailed) as info:
        lab.build("broken:v1", dockerfile=f"FROM {BASE}\nRUN echo about to fail && exit 7\n")
    err = info.value
    assert err.step == "Step 2/2 : RUN echo about to fail && exit 7"
    assert "non-zero code: 7" in err.what and "about to fail" in "\n".join(err.log_tail)
    assert last_line(err).startswith("Hint: ")
    assert not lab.images.exists(f"{session}/broken:v1")


def test_dockerfile_text_with_files(session, engine_client):
    result = lab.build("texty:v1", dockerfile=f"FROM {BASE}\nCOPY app.sh /app.sh\nCMD [\"sh\", \"/app.sh\"]\n",
                       files={"app.sh": "echo from a text context\n"})
    c = lab.run("texty", "texty:v1")
    c.sdk.wait(timeout=30)
    assert c.logs() == "from a text context\n"
    lab.reset()
    # the line names the folder the kit wrote the Dockerfile and its files to: it runs as it is (test_cli_twins)
    assert result.cli.endswith(" " + result.context) and not result.cli.endswith(" -")
