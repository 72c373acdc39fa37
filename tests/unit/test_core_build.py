"""Offline: `build` parses the engine's build stream (Docker and Podman), and says where a build failed."""

from __future__ import annotations

import shlex

import docker.errors
import pytest

from dockerlab import labels
from dockerlab.errors import BadInput, BuildFailed, EngineUnavailable
from dockerlab.images import BuildResult, build, image_repo_tag, load
from fakes import api_error, docker_build_chunks, podman_build_chunks

DOCKERFILE = "FROM debian:bookworm-slim\nRUN echo hello\nCMD [\"true\"]\n"


@pytest.fixture
def fake(fake, monkeypatch, tmp_path):
    """The unit tier's fake engine, in chapter 04, with no host CA bundle named by the environment."""
    monkeypatch.setenv("DOCKERLAB_STATE", str(tmp_path / "state"))  # where text builds' contexts are written
    for var in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "PIP_CERT", "DOCKERLAB_CA_BUNDLE",
                "DOCKERLAB_TRUST_HOST_CA"):
        monkeypatch.delenv(var, raising=False)
    labels.set_chapter("04")
    return fake


def with_labels(steps, error=None):
    """Chunks as Docker streams them, with the LABEL steps for whatever labels the kit passed."""
    return lambda kwargs: docker_build_chunks(steps, labels=kwargs["labels"], error=error)


def test_steps_cache_and_kit_labels_filtered(fake):
    fake.engine.build_chunks = with_labels([("FROM debian:bookworm-slim", []), ("RUN echo hello", ["hello"]),
                                            ('CMD ["true"]', [])])
    seen_lines, seen_steps = [], []
    result = build("hello:v1", dockerfile=DOCKERFILE, client=fake, on_line=seen_lines.append,
                   on_step=seen_steps.append)
    assert isinstance(result, BuildResult)
    assert result.tag == "alice/hello:v1"
    assert [s.instruction for s in result.steps] == ["FROM debian:bookworm-slim", "RUN echo hello", 'CMD ["true"]']
    assert [s.label for s in result.steps][1] == "Step 2/3 : RUN echo hello"  # the kit's LABEL steps not counted
    assert result.steps[1].output == ["hello"]
    assert result.cached_steps == [] and result.rebuilt_steps == [2, 3] and not result.fully_cached
    assert seen_steps == result.steps  # on_step saw each learner step once, none of the kit's
    # the log counts the Dockerfile's steps as the steps do: no kit LABEL step, no "Step 4/6"
    assert [line for line in seen_lines if line.startswith("Step")] == [s.label for s in result.steps]
    assert seen_lines == result.log and not any("org.dockerlab" in line for line in seen_lines)
    assert result.image is not None and result.id.startswith("sha256:")
    passed = fake.engine.build_kwargs["labels"]
    assert passed[labels.KIT] == "1" and passed[labels.SESSION] == "alice" and passed[labels.CHAPTER] == "04"
    assert fake.engine.build_kwargs["rm"] and fake.engine.build_kwargs["forcerm"]


def test_docker_cache_hits(fake):
    fake.engine.build_chunks = with_labels([("FROM debian:bookworm-slim", []), ("RUN echo hello", "cache"),
                                            ('CMD ["true"]', "cache")])
    result = build("hello:v1", dockerfile=DOCKERFILE, client=fake)
    assert result.cached_steps == [2, 3] and result.fully_cached
    assert all(s.output == [] for s in result.steps)


def test_podman_stream(fake):
    steps = [("FROM debian:bookworm-slim", []), ("RUN echo hello", "cache"), ("RUN echo again", ["again"])]
    fake.engine.build_chunks = lambda kwargs: podman_build_chunks(steps, labels=kwargs["labels"])
    result = build("hello:v1", dockerfile=DOCKERFILE, client=fake)
    # the kit's labels (Podman's LABEL "org.dockerlab.…" steps) are not the learner's steps, nor in the totals
    assert [s.label for s in result.steps] == ["Step 1/3 : FROM debian:bookworm-slim", "Step 2/3 : RUN echo hello",
                                               "Step 3/3 : RUN echo again"]
    assert result.cached_steps == [2] and result.rebuilt_steps == [3]
    assert result.steps[2].output == ["again"]  # "--> id" and "COMMIT" lines are not output


def test_podman_multi_stage_stream_is_numbered_through_the_build(fake):
    steps = [("FROM debian:bookworm-slim AS build", []), ("RUN make", ["built"]), ("FROM debian:bookworm-slim", []),
             ("COPY --from=build /out /out", "cache"), ('CMD ["/out"]', [])]
    fake.engine.build_chunks = lambda kwargs: podman_build_chunks(steps, labels=kwargs["labels"], stages=[2, 3])
    result = build("hello:v1", dockerfile=DOCKERFILE, client=fake)
    assert [s.label for s in result.steps] == [
        "Step 1/5 : FROM debian:bookworm-slim AS build", "Step 2/5 : RUN make", "Step 3/5 : FROM debian:bookworm-slim",
        "Step 4/5 : COPY --from=build /out /out", 'Step 5/5 : CMD ["/out"]']
    assert result.cached_steps == [4] and result.rebuilt_steps == [2, 5] and result.steps[1].output == ["built"]


def test_failing_run_names_the_step_and_shows_the_log(fake):
    error = "The command '/bin/sh -c exit 3' returned a non-zero code: 3"
    fake.engine.build_chunks = with_labels([("FROM debian:bookworm-slim", []), ("RUN echo hello", "cache"),
                                            ("RUN echo about to fail && exit 3", ["about to fail"])], error=error)
    with pytest.raises(BuildFailed) as info:
        build("hello:v1", dockerfile=DOCKERFILE, client=fake)
    err = info.value
    assert err.step == "Step 3/3 : RUN echo about to fail && exit 3"
    assert "non-zero code: 3" in err.what and "alice/hello:v1" in err.what
    assert "about to fail" in err.log_tail
    assert "RUN step failed" in err.hint
    assert str(err).splitlines()[-1].startswith("Hint:")


def test_error_detail_without_error_key(fake):
    fake.engine.build_chunks = [{"stream": "Step 1/3 : FROM nothere/base:1"}, {"stream": "\n"},
                                {"errorDetail": {"message": 'Get "https://registry-1.docker.io/v2/": dial tcp: '
                                                            "lookup registry-1.docker.io: no such host"}}]
    with pytest.raises(BuildFailed) as info:
        build("hello:v1", dockerfile="FROM nothere/base:1\n", client=fake)
    assert "FROM nothere/base:1" in info.value.step and "prepare" in info.value.hint


def test_parse_error_from_the_api(fake):
    def refuse(kwargs):
        raise api_error(400, "dockerfile parse error line 2: unknown instruction: FOO")

    fake.engine.build_chunks = refuse
    with pytest.raises(BuildFailed) as info:
        build("hello:v1", dockerfile="FROM debian:bookworm-slim\nFOO bar\n", client=fake)
    assert info.value.step == "Dockerfile line 2" and "unknown instruction: FOO" in info.value.what
    assert "spelling of the instruction" in info.value.hint


def test_missing_copy_source_hint(fake):
    fake.engine.build_chunks = with_labels([("FROM debian:bookworm-slim", []), ("COPY app.py /app/", [])],
                                           error="COPY failed: file not found in build context or excluded by "
                                                 ".dockerignore: stat app.py: file does not exist")
    with pytest.raises(BuildFailed) as info:
        build("hello:v1", dockerfile="FROM debian:bookworm-slim\nCOPY app.py /app/\n", client=fake)
    assert "COPY app.py" in info.value.step and "build context" in info.value.hint


def test_engine_down_during_build(fake):
    fake.engine.up = False
    with pytest.raises(EngineUnavailable) as info:
        build("hello:v1", dockerfile=DOCKERFILE, client=fake)
    assert "unix:///fake/docker.sock" in info.value.what


def test_interrupt_from_on_line_propagates_and_restores_the_timeout(fake):
    fake.engine.build_chunks = with_labels([("FROM debian:bookworm-slim", []), ("RUN sleep 100", ["zzz"])])
    fake.api.timeout = 17

    def stop(line):
        if line == "zzz":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build("hello:v1", dockerfile=DOCKERFILE, client=fake, on_line=stop)
    assert fake.api.timeout == 17  # the shared client's timeout is never changed …
    assert fake.engine.build_timeout == 1800  # … the build request carries its own
    assert fake.engine.find_image("alice/hello:v1") is None  # the fake only tags when the stream ran to its end
    # the stream was closed at once (so the engine stops building), although the traceback keeps its frame alive
    assert fake.engine.last_build_stream.gi_frame is None


def test_bad_inputs_before_the_engine_is_asked(fake, tmp_path):
    with pytest.raises(BuildFailed) as empty:
        build("hello:v1", dockerfile="   \n", client=fake)
    assert "empty" in empty.value.what and "FROM" in empty.value.hint
    with pytest.raises(BuildFailed) as missing:
        build("hello:v1", tmp_path / "nope", client=fake)
    assert "nope" in missing.value.what and "does not exist" in missing.value.what
    with pytest.raises(BuildFailed) as nofile:
        build("hello:v1", tmp_path, client=fake)
    assert "no Dockerfile" in nofile.value.what
    with pytest.raises(BadInput):
        build("hello:v1", client=fake)
    with pytest.raises(BadInput):
        build("Hello World", dockerfile=DOCKERFILE, client=fake)
    assert fake.engine.build_kwargs == {}


def test_build_cli_line(fake, tmp_path):
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    fake.engine.build_chunks = with_labels([("FROM debian:bookworm-slim", [])])
    result = build("hello:v1", tmp_path, client=fake, buildargs={"V": "1"}, target="app", nocache=True)
    assert shlex.split(result.cli) == ["docker", "build", "-t", "alice/hello:v1", "--target", "app",
                                       "--build-arg", "V=1", "--no-cache", "--force-rm", "--memory", "2g",
                                       "--memory-swap", "2g", "--label", "org.dockerlab.kit=1",
                                       "--label", "org.dockerlab.session=alice", "--label", "org.dockerlab.chapter=04",
                                       "--label", "org.dockerlab.role=learner", str(tmp_path)]
    assert fake.engine.build_kwargs["memory"] == fake.engine.build_kwargs["memswap"] == 2 * 1024**3
    from_text = build("hello:v2", dockerfile=DOCKERFILE, client=fake)  # written to a folder the line names
    folder = shlex.split(from_text.cli)[-1]
    assert folder == from_text.context and (tmp_path / "state" / "contexts" / "alice" / "04") in \
        __import__("pathlib").Path(folder).parents
    assert (__import__("pathlib").Path(folder) / "Dockerfile").read_text() == DOCKERFILE


def test_course_images_carry_role_and_no_session(fake):
    fake.engine.build_chunks = with_labels([("FROM debian:bookworm-slim", [])])
    result = build("dockerlab/hello:1.0", dockerfile=DOCKERFILE, role="course", client=fake)
    passed = fake.engine.build_kwargs["labels"]
    assert result.tag == "dockerlab/hello:1.0"
    assert passed[labels.ROLE] == "course" and labels.SESSION not in passed


def test_context_follows_dockerignore_and_keeps_modes(tmp_path):
    import io
    import tarfile

    from dockerlab.buildcontext import prepare

    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "run.sh").write_text("#!/bin/sh\n")
    (tmp_path / "run.sh").chmod(0o755)
    (tmp_path / "secret.txt").write_text("s")
    (tmp_path / ".dockerignore").write_text("# comment\nsecret.txt\nDockerfile\n")
    data, name = prepare("x:1", "alice", None, path=tmp_path, dockerfile=None, dockerfile_path=None,
                         files=None).tar()
    members = {m.name: m for m in tarfile.open(fileobj=io.BytesIO(data.getvalue())).getmembers()}
    assert name == "Dockerfile" and "Dockerfile" in members  # the CLI sends the Dockerfile even when ignored
    assert "secret.txt" not in members and members["run.sh"].mode & 0o777 == 0o755
    assert {m.uid for m in members.values()} == {0}


@pytest.mark.parametrize("tag, full", [("alice/hello", "alice/hello:latest"), ("alice/hello:v1", "alice/hello:v1"),
                                       ("localhost:5000/x/y:2", "localhost:5000/x/y:2")])
def test_image_repo_tag(tag, full):
    assert image_repo_tag(tag) == full


def test_not_found_base_image_gets_the_prepare_hint():
    from dockerlab.builder import _hint_for

    assert "prepare" in _hint_for("pull access denied for nothere, repository does not exist", [], {})
    assert "spelling" in _hint_for("unknown instruction: RUNN", [], {})
    assert issubclass(docker.errors.ImageNotFound, docker.errors.NotFound)


def test_a_failed_builds_leftovers_are_adopted_under_the_builds_memory_limit(fake):
    """The last image a failed build made gets a labelled child (reset finds it); that small FROM + LABEL build's
    step containers run under the build's memory limit too, like every container the kit makes."""
    left = fake.engine.add_image()  # what the build's RUN step committed before the next one failed
    short = left.id.removeprefix("sha256:")[:12]
    fake.engine.build_chunks = [{"stream": "Step 1/3 : FROM debian:bookworm-slim\n"}, {"stream": " ---> f8e4cbac6643\n"},
                                {"stream": "Step 2/3 : RUN echo hello\n"}, {"stream": " ---> Running in 0a1b2c3d4e5f\n"},
                                {"stream": "hello\n"}, {"stream": f" ---> {short}\n"},
                                {"stream": "Step 3/3 : RUN false\n"}, {"stream": " ---> Running in 1a1b2c3d4e5f\n"},
                                {"error": "The command '/bin/sh -c false' returned a non-zero code: 1",
                                 "errorDetail": {"code": 1, "message": "returned a non-zero code: 1"}}]
    with pytest.raises(BuildFailed):
        build("hello:v1", dockerfile=DOCKERFILE + "RUN false\n", client=fake, mem_limit="300m")
    assert ("quiet_build", None) in fake.engine.calls
    assert fake.engine.quiet_build_limits == [{"memory": 300 * 2**20, "memswap": 300 * 2**20}]


def test_the_ca_images_build_steps_have_the_build_memory_limit(fake, tmp_path, monkeypatch):
    from dockerlab import hostca, limits

    bundle = tmp_path / "ca.crt"
    bundle.write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    monkeypatch.setenv("DOCKERLAB_CA_BUNDLE", str(bundle))
    assert hostca.ensure_ca_image(fake) is True
    assert ("quiet_build", hostca.CA_IMAGE) in fake.engine.calls
    memory = limits.memory_bytes(limits.BUILD_MEMORY)
    assert fake.engine.quiet_build_limits == [{"memory": memory, "memswap": memory}]


@pytest.mark.parametrize("said", [
    ["Loaded image: alice/tally:1\n", "Loaded image: alice/tally:2\n"],  # Docker: a line per name
    ["Loaded image: alice/tally:1,docker.io/alice/tally:2\n"],  # Podman 4: a line per image, its names joined
])
def test_load_names_each_image_of_the_file(fake, tmp_path, said):
    saved = tmp_path / "two.tar"
    saved.write_bytes(b"a docker save file")
    fake.api.load_image = lambda data: [{"stream": line} for line in said]
    loaded = load(saved, client=fake)
    assert loaded.images == ["alice/tally:1", "alice/tally:2"] and loaded.cli == f"docker load -i {saved}"
