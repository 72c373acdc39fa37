"""Offline: the one reader of the engine's streams — build output parsed into steps, and stream errors."""

from __future__ import annotations

import pytest

from dockerlab.streams import BuildStream, stream_error, strip_ansi

# what Docker 20.10's classic builder streamed for a two-stage build whose last RUN fails (recorded from
# the engine; the kit passed two labels, so the builder counted 9 steps for the Dockerfile's 7)
MULTI_STAGE_FAILING = [
    {"stream": "Step 1/9 : FROM debian:bookworm-slim AS one"}, {"stream": "\n"}, {"stream": " ---> 8fde14fcfa2e\n"},
    {"stream": "Step 2/9 : RUN echo out-one && echo err-one >&2"}, {"stream": "\n"},
    {"stream": " ---> Running in 93b3b119e277\n"}, {"stream": "out-one\n"}, {"stream": "\u001b[91merr-one\n\u001b[0m"},
    {"stream": "Removing intermediate container 93b3b119e277\n"}, {"stream": " ---> 89fd9a20fa78\n"},
    {"aux": {"ID": "sha256:89fd9a20fa78a8e7adbfbb9c3e49ad2c4a55629a90f58489a0b36db7ba60e7a1"}},
    {"stream": "Step 3/9 : FROM one AS two"}, {"stream": "\n"}, {"stream": " ---> 89fd9a20fa78\n"},
    {"stream": "Step 4/9 : RUN echo two"}, {"stream": "\n"}, {"stream": " ---> Running in c8c5dbc680f3\n"},
    {"stream": "two\n"}, {"stream": "Removing intermediate container c8c5dbc680f3\n"}, {"stream": " ---> b23f2047a944\n"},
    {"aux": {"ID": "sha256:b23f2047a9441ff047068603f9d29f6f81a5ad6a8bd735734afc5b9a5b6467b7"}},
    {"stream": "Step 5/9 : FROM debian:bookworm-slim"}, {"stream": "\n"}, {"stream": " ---> 8fde14fcfa2e\n"},
    {"stream": "Step 6/9 : COPY --from=two /etc/hostname /x"}, {"stream": "\n"}, {"stream": " ---> 1bfaaf09ff81\n"},
    {"stream": "Step 7/9 : RUN echo bad >&2; exit 3"}, {"stream": "\n"}, {"stream": " ---> Running in 377d36e0cf2b\n"},
    {"stream": "\u001b[91mbad\n\u001b[0m"}, {"stream": "Removing intermediate container 377d36e0cf2b\n"},
    {"errorDetail": {"code": 3, "message": "The command '/bin/sh -c echo bad >&2; exit 3' returned a non-zero code: 3"},
     "error": "The command '/bin/sh -c echo bad >&2; exit 3' returned a non-zero code: 3"},
]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        self.now += 0.5
        return self.now


def feed_all(chunks, **kw) -> BuildStream:
    stream = BuildStream(clock=Clock(), **kw)
    for chunk in chunks:
        if stream.error is None:
            stream.feed(chunk)
    stream.close()
    return stream


def test_a_failing_multi_stage_build_is_read_step_by_step():
    lines, finished = [], []
    s = feed_all(MULTI_STAGE_FAILING, kit_label_steps=2, on_line=lines.append, on_step=finished.append)
    assert [(x.number, x.total) for x in s.steps] == [(1, 7), (2, 7), (3, 7), (4, 7), (5, 7), (6, 7), (7, 7)]
    assert s.steps[1].output == ["out-one", "err-one"]  # stderr without its colour codes
    assert s.steps[6].failed and s.steps[6].output == ["bad"] and s.failed_step is s.steps[6]
    assert s.error == "The command '/bin/sh -c echo bad >&2; exit 3' returned a non-zero code: 3"
    # stage one lives on inside stage two (FROM one AS two); the failing stage made no image of its own
    assert s.stage_images == ["b23f2047a944"]
    assert s.steps[5].image == "1bfaaf09ff81"  # …but its COPY step did: what a retry's cache starts from
    assert finished == s.steps and all(x.seconds > 0 for x in s.steps)
    assert lines == s.log and "Step 7/7 : RUN echo bad >&2; exit 3" in s.log
    assert not any("\x1b" in line for line in s.log + s.raw)


def test_the_kits_label_steps_are_hidden_and_not_counted():
    chunks = [{"stream": "Step 1/4 : FROM debian:bookworm-slim\n"}, {"stream": " ---> 8fde14fcfa2e\n"},
              {"stream": "Step 2/4 : RUN make\n"}, {"stream": " ---> Using cache\n"}, {"stream": " ---> 0a1b2c3d4e5f\n"},
              {"stream": "Step 3/4 : LABEL org.dockerlab.kit=1\n"}, {"stream": " ---> Running in 77aa88bb99cc\n"},
              {"stream": "Removing intermediate container 77aa88bb99cc\n"}, {"stream": " ---> 5e6f7a8b9c0d\n"},
              {"stream": "Step 4/4 : LABEL org.dockerlab.session=alice\n"}, {"stream": " ---> 1234567890ab\n"},
              {"aux": {"ID": "sha256:" + "12" * 32}},
              {"stream": "Successfully built 1234567890ab\n"}, {"stream": "Successfully tagged alice/x:1\n"}]
    s = feed_all(chunks, kit_label_steps=2)
    assert [x.label for x in s.steps] == ["Step 1/2 : FROM debian:bookworm-slim", "Step 2/2 : RUN make"]
    assert s.steps[1].cached and s.steps[1].output == [] and s.steps[1].image == "0a1b2c3d4e5f"
    assert not any("org.dockerlab" in line or "/4" in line for line in s.log)
    assert s.log[-2:] == ["Successfully built 1234567890ab", "Successfully tagged alice/x:1"]
    assert s.image_id == "sha256:" + "12" * 32


def test_lines_cut_anywhere_and_progress_bars_redrawn_in_place():
    s = BuildStream(clock=Clock())
    for piece in ["Step 1/2 : FROM debian", ":bookworm-slim\n ---> 8fde14fcfa2e\nStep 2/2 : RUN get\n ---> Running",
                  " in 0123456789ab\n", "10%\r50%\r100%\n", "do", "ne"]:
        s.feed_text(piece)
    s.close()
    assert s.steps[0].instruction == "FROM debian:bookworm-slim"
    assert s.steps[1].output == ["100%", "done"]


def test_podman_output():
    """Podman 4.3 counts the API's labels as steps too (quoted), and numbers a multi-stage build's steps per stage."""
    text = ("STEP 1/5: FROM debian:bookworm-slim\nSTEP 2/5: RUN echo hi\n--> Using cache 4f5e6d7c8b9a\n"
            "--> 4f5e6d7c8b9a\nSTEP 3/5: CMD [\"x\"]\n--> 5a6b7c8d9e0f\nSTEP 4/5: LABEL \"org.dockerlab.kit\"=\"1\"\n"
            "STEP 5/5: LABEL \"org.dockerlab.session\"=\"alice\"\nCOMMIT alice/x:1\n--> 9a8b7c6d5e4f\n" + "9a" * 32 + "\n")
    s = BuildStream(clock=Clock(), kit_label_steps=2)
    s.feed_text(text)
    s.close()
    assert [(x.number, x.total, x.cached) for x in s.steps] == [(1, 3, False), (2, 3, True), (3, 3, False)]
    assert s.image_id == "9a" * 32 and s.steps[2].output == [] and not any("org.dockerlab" in x for x in s.log)
    staged = BuildStream(clock=Clock(), kit_label_steps=1)
    staged.feed_text("[1/2] STEP 1/2: FROM debian AS build\n[1/2] STEP 2/2: LABEL maintainer=me\n--> 1a2b3c4d5e6f\n"
                     "[2/2] STEP 1/3: FROM debian\n[2/2] STEP 2/3: COPY --from=build /x /x\n--> 2b3c4d5e6f7a\n"
                     "[2/2] STEP 3/3: LABEL \"org.dockerlab.kit\"=\"1\"\n[2/2] COMMIT x\n--> 3c4d5e6f7a8b\n")
    staged.close()
    assert [(x.number, x.total, x.instruction) for x in staged.steps] == [
        (1, 4, "FROM debian AS build"), (2, 4, "LABEL maintainer=me"), (3, 4, "FROM debian"),
        (4, 4, "COPY --from=build /x /x")]


@pytest.mark.parametrize("chunk, expected", [
    ({"status": "Pushing", "id": "abc"}, None),
    ({"error": "denied"}, "denied"),
    ({"errorDetail": {"message": "manifest unknown"}, "error": "other words"}, "manifest unknown"),
    ({"errorDetail": {}, "error": "\x1b[91mred\x1b[0m"}, "red"),
    ({"errorDetail": None}, "the engine reported an error without a message"),
])
def test_stream_error(chunk, expected):
    assert stream_error(chunk) == expected


def test_strip_ansi():
    assert strip_ansi("\x1b[91mE: no such package\x1b[0m \x1b[1;32mok\x1b[m\x1b[2K") == "E: no such package ok"
