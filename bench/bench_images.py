"""Image sizes and build times: the local base image, the course images next to their official anchors, cold
(no-cache) builds of backend and frontend, and the rebuild after a one-line source change with its cache hits.

Everything is built under `dockerlab-bench/...` tags and removed at the end; debian:bookworm-slim and the
course's own tags are only read. Prints tables and writes bench/out/images.png.
Run: .venv/bin/python bench/bench_images.py [--skip-base] [--skip-cold]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import dockerlab
from dockerlab import course, images
from dockerlab.course.baseimage import BOOKWORM_SLIM, build_base
from dockerlab.engine import connect

OUT = Path(__file__).resolve().parent / "out"
BENCH = "dockerlab-bench"
#: sizes of the official images the course's images stand in for (Docker Hub, linux/amd64, uncompressed)
ANCHORS_MB = {"debian:bookworm-slim (official)": 75, "eclipse-temurin:17-jre (official)": 260,
              "nginx:alpine (official)": 50}
#: one-line edits: (app, file in the app's folder, the line appended)
EDITS = {"backend": ("src/main/java/org/dockerlab/todo/TodoController.java", "// bench: a one-line change\n"),
         "frontend": ("src/App.jsx", "// bench: a one-line change\n")}


def mb(ref: str) -> float:
    return connect().images.get(ref).attrs["Size"] / 1e6


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} on {os.cpu_count()} cores"


def bench_base(made: list[str]) -> tuple[float, float]:
    tag = f"{BENCH}/bookworm-slim:bench"
    images.remove(tag, missing_ok=True)
    made.append(tag)
    built = build_base(tag, BOOKWORM_SLIM)
    print(f"base image (mmdebstrap | import): {built.size_mb:.1f} MB in {built.seconds:.1f} s "
          f"({built.bytes_imported / 1e6:.1f} MB streamed; {load()})")
    return built.size_mb, built.seconds


def course_sizes() -> dict[str, float]:
    prepare = __import__("dockerlab.course.prepare", fromlist=["prepare"]).prepare
    prepare(apps=True)  # cached builds: makes sure every course image exists
    return {tag: mb(tag) for tag in course.APPS.values() if images.exists(tag)}


def cold_build(app: str, made: list[str]) -> float:
    tag = f"{BENCH}/{app}:cold"
    made.append(tag)
    result = images.build(tag, course.app_dir(app), role="bench", nocache=True)
    print(f"cold build of {app}: {result.seconds:.1f} s, {result.image.attrs['Size'] / 1e6:.0f} MB ({load()})")
    return result.seconds


def one_line_rebuild(app: str, made: list[str]) -> tuple[float, float, list[images.BuildStep]]:
    """(warm no-change rebuild s, rebuild after the edit s, its steps) on a temporary copy of images/<app>."""
    rel, line = EDITS[app]
    tag = f"{BENCH}/{app}:edit"
    made.append(tag)
    with tempfile.TemporaryDirectory(prefix=f"bench-{app}-") as tmp:
        copy = Path(tmp) / app
        shutil.copytree(course.app_dir(app), copy, ignore=shutil.ignore_patterns("node_modules", "dist"))
        images.build(tag, copy, role="bench")  # fills the cache for this exact context
        warm = images.build(tag, copy, role="bench")
        with open(copy / rel, "a") as fh:
            fh.write(line)
        edited = images.build(tag, copy, role="bench")
    print(f"\n{app}: no-change rebuild {warm.seconds:.1f} s; after one line in {rel}: {edited.seconds:.1f} s")
    for step in edited.steps:
        mark = "cache" if step.cached else ("from " if step.instruction.upper().startswith("FROM") else "RUN  ")
        print(f"   {mark}  {step.number:2d}/{step.total}  {step.seconds:6.1f} s  {step.instruction[:70]}")
    return warm.seconds, edited.seconds, edited.steps


def plot(sizes: dict[str, float], times: dict[str, float]) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5))
    names = list(sizes)
    colors = ["#999999" if "official" in n else "#2a7ab0" for n in names]
    left.barh(names, [sizes[n] for n in names], color=colors)
    left.set_xlabel("MB (uncompressed)")
    left.set_title("image sizes (grey: official anchors)")
    left.invert_yaxis()
    for i, n in enumerate(names):
        left.text(sizes[n], i, f" {sizes[n]:.0f}", va="center")
    tnames = list(times)
    right.barh(tnames, [times[n] for n in tnames], color="#d08a2c")
    right.set_xlabel("seconds")
    right.set_title(f"build times ({load()})")
    right.invert_yaxis()
    for i, n in enumerate(tnames):
        right.text(times[n], i, f" {times[n]:.0f}", va="center")
    fig.tight_layout()
    OUT.mkdir(exist_ok=True)
    path = OUT / "images.png"
    fig.savefig(path, dpi=110)
    return path


def main(argv: list[str]) -> int:
    args = argparse.ArgumentParser(description=__doc__).parse_known_args(argv)[1]
    dockerlab.set_session("bench-images")
    made: list[str] = []
    sizes: dict[str, float] = {}
    times: dict[str, float] = {}
    started = time.monotonic()
    try:
        if "--skip-base" not in args:
            size, seconds = bench_base(made)
            sizes["local base (mmdebstrap)"] = size
            times["base image (mmdebstrap + import)"] = seconds
        for name, anchor in ANCHORS_MB.items():
            sizes[name] = anchor
        sizes.update(course_sizes())
        if "--skip-cold" not in args:
            for app in ("backend", "frontend"):
                times[f"{app}: cold, no cache"] = cold_build(app, made)
        for app in ("backend", "frontend"):
            warm, edited, _ = one_line_rebuild(app, made)
            times[f"{app}: no-change rebuild"] = warm
            times[f"{app}: one-line change"] = edited
    finally:
        for tag in reversed(made):
            images.remove(tag, missing_ok=True)
        dockerlab.reset(session="bench-images")
    print("\nimage                                      size MB")
    for name, value in sizes.items():
        print(f"  {name:40s} {value:7.1f}")
    print("\nbuild                                      seconds")
    for name, value in times.items():
        print(f"  {name:40s} {value:7.1f}")
    print(f"\nplot: {plot(sizes, times)}  (bench total {time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
