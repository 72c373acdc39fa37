"""Offline: the build log shows each step with CACHED/RAN, its time and last lines; a failure stands out."""

from __future__ import annotations

import io

from rich.console import Console

from dockerlab.docker_cli import CliCommand
from dockerlab.display.buildlog import BuildLog, LiveBuildLog, fake_steps, step_status
from dockerlab.images import BuildResult, BuildStep


def text(renderable: object, width: int = 100) -> str:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(renderable)
    return out.getvalue()


def result(steps: list[BuildStep], error: str | None = None) -> BuildResult:
    return BuildResult(tag="alice/hello:latest", image=None, steps=steps, log=[], seconds=4.5,
                       cli=CliCommand("docker build -t alice/hello:latest ."), error=error)


def test_each_step_shows_instruction_cache_marker_and_time() -> None:
    steps = fake_steps([
        ("FROM debian:bookworm-slim", False, 0.0, []),
        ("RUN apt-get update", True, 0.01, []),
        ("COPY app.py /app/", False, 1.5, []),
    ])
    out = text(BuildLog(result(steps)))
    lines = out.splitlines()
    row = {n: next(line for line in lines if line.startswith(f"{n}/3")) for n in (1, 2, 3)}
    assert "FROM debian:bookworm-slim" in row[1] and "BASE" in row[1]
    assert "RUN apt-get update" in row[2] and "CACHED" in row[2] and "0.0 s" in row[2]
    assert "COPY app.py /app/" in row[3] and "RAN" in row[3] and "1.5 s" in row[3]
    assert "1 of 2 step(s) from cache" in out and "in 4.5 s" in out
    assert "$ docker build -t alice/hello:latest ." in out


def test_output_is_folded_under_its_step_last_lines_only() -> None:
    steps = fake_steps([("RUN seq 1 10", False, 0.4, [str(i) for i in range(1, 11)]),
                        ("CMD [\"x\"]", False, 0.1, [])])
    out = text(BuildLog(result(steps), tail=3))
    lines = out.splitlines()
    i = next(n for n, line in enumerate(lines) if "RUN seq 1 10" in line)
    assert "7 earlier line(s)" in lines[i + 1]
    assert [line.strip() for line in lines[i + 2:i + 5]] == ["│ 8", "│ 9", "│ 10"]
    assert "│ 1\n" not in out
    assert lines[i + 5].startswith("2/2")


def test_failed_step_stands_out_with_the_error() -> None:
    steps = fake_steps([("FROM debian:bookworm-slim", False, 0, []), ("RUN false", False, 0.3, ["about to fail"])])
    steps[-1].failed = True
    out = text(BuildLog(result(steps, error="The command '/bin/sh -c false' returned a non-zero code: 1")))
    assert out.startswith("FAILED alice/hello:latest")
    line = next(line for line in out.splitlines() if "RUN false" in line)
    assert line.startswith("✘ 2/2") and "FAILED" in line
    assert "error: The command '/bin/sh -c false' returned a non-zero code: 1" in out
    assert step_status(steps[-1]) == "FAILED"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_live_log_follows_the_builder_lines() -> None:
    clock = Clock()
    live = LiveBuildLog("hello", clock=clock)
    assert live.total == 0 and live.completed == 0 and not live.done
    for line in ["Step 1/3 : FROM debian:bookworm-slim", " ---> f8e4cbac6643", "Step 2/3 : RUN apt-get update",
                 " ---> Using cache", " ---> 1234", "Step 3/3 : RUN make"]:
        live.on_line(line)
    clock.now = 102.5
    live.on_line("compiling…")
    out = text(live)
    assert "building hello — 2.5 s, step 2/3" in out
    assert "CACHED" in next(line for line in out.splitlines() if "apt-get" in line)
    running = next(line for line in out.splitlines() if "RUN make" in line)
    assert "RUNNING" in running and "2.5 s" in running
    assert "│ compiling…" in out
    live.on_step(BuildStep(3, 3, "RUN make", False, 2.7, ["compiling…"]))
    assert live.completed == 3 and "RAN" in next(line for line in text(live).splitlines() if "RUN make" in line)


def test_live_log_marks_the_failed_step() -> None:
    from dockerlab.errors import BuildFailed

    live = LiveBuildLog("hello", clock=Clock())
    seen: list[int] = []
    live.on_change = lambda log: seen.append(log.completed)
    live.on_line("Step 1/2 : FROM debian:bookworm-slim")
    live.on_line("Step 2/2 : RUN false")
    live.fail(BuildFailed("Building alice/hello:latest failed at Step 2/2 : RUN false: The command returned 1",
                          step="Step 2/2 : RUN false"))
    out = text(live)
    assert live.done and seen
    assert out.startswith("FAILED hello")
    assert "✘ 2/2" in out and "error: The command returned 1" in out


def test_live_log_callbacks_fit_images_build() -> None:
    live = LiveBuildLog()
    assert set(live.callbacks()) == {"on_line", "on_step"}


def test_mimebundle_has_html_and_text_and_respects_no_color(monkeypatch) -> None:
    steps = fake_steps([("RUN true", True, 0.0, [])])
    bundle = BuildLog(result(steps))._repr_mimebundle_()
    assert "CACHED" in bundle["text/plain"] and "<pre" in bundle["text/html"]
    assert "color:" in bundle["text/html"]
    monkeypatch.setenv("NO_COLOR", "1")
    bundle = BuildLog(result(steps))._repr_mimebundle_()
    assert "color:" not in bundle["text/html"] and "CACHED" in bundle["text/html"]
    assert "\x1b[" not in bundle["text/plain"]
    assert str(BuildLog(result(steps))).count("CACHED") == 1


def test_the_build_log_in_korean(monkeypatch) -> None:
    """DOCKERLAB_LANG=ko: the header, the columns and a failure's error line are Korean; Docker's words for a step's
    result (CACHED, RAN, BASE, FAILED) and the instructions stay as Docker writes them."""
    monkeypatch.setenv("DOCKERLAB_LANG", "ko")
    steps = fake_steps([("FROM debian:bookworm-slim", False, 0.0, []), ("RUN apt-get update", True, 0.01, [])])
    out = text(BuildLog(result(steps)))
    assert out.startswith("빌드함 alice/hello:latest 4.5초 — 단계 1개 중 1개는 캐시에서")
    assert "명령어" in out and "결과" in out and "CACHED" in out and "RUN apt-get update" in out
    failed = text(BuildLog(result(steps, error="The command returned 1")))
    assert failed.startswith("FAILED alice/hello:latest") and "오류: The command returned 1" in failed
