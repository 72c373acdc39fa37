"""How fast the teaching displays are on a real engine.

    .venv/bin/python bench/bench_display.py [--repeat 7]

Builds a 30-layer image (30 `RUN echo n > /fN` steps) and starts 20 tiny `sleep` containers, all with
chapter "bench" in the session "bench-display"; times the layer stack (data, text, HTML), reading a layer's
files from `docker save`, and one dashboard refresh; prints the medians, writes bench/out/display.png, and
removes everything with `dockerlab.reset("bench")`.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import dockerlab
from dockerlab.display.layerstack import LayerStack
from dockerlab.display.render import mimebundle, to_text
from dockerlab.labels import kit_filter
from dockerlab.layers import forget_caches, image_layers, layer_files

OUT = Path(__file__).resolve().parent / "out"
CHAPTER = "bench"
LAYERS = 30
CONTAINERS = 20


def median_ms(fn: Callable[[], object], repeat: int, before: Callable[[], None] | None = None) -> float:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    dockerlab.set_session("bench-display")
    client = dockerlab.connect()
    results: list[tuple[str, float]] = []
    try:
        dockerfile = "FROM debian:bookworm-slim\n" + "".join(f"RUN echo {n} > /f{n}\n" for n in range(1, LAYERS + 1))
        started = time.perf_counter()
        built = dockerlab.build("bench-layers", dockerfile=dockerfile, chapter=CHAPTER)
        print(f"built {built.tag} ({LAYERS} RUN layers) in {time.perf_counter() - started:.1f} s")
        stack = image_layers(built.tag, client)
        assert len(stack.file_layers) == LAYERS + 1, len(stack.file_layers)

        results.append(("layer stack data, cold cache", median_ms(lambda: image_layers(built.tag, client),
                                                                 args.repeat, before=forget_caches)))
        results.append(("layer stack data, warm cache", median_ms(lambda: image_layers(built.tag, client),
                                                                 args.repeat)))
        results.append(("layer stack → text (100 cols)", median_ms(lambda: to_text(LayerStack(stack)), args.repeat)))
        results.append(("layer stack → HTML + text", median_ms(lambda: mimebundle(LayerStack(stack)), args.repeat)))
        top = stack.file_layers[-1]
        results.append(("files of top layer, docker save", median_ms(lambda: layer_files(built.tag, top, client),
                                                                     args.repeat, before=forget_caches)))
        results.append(("files of top layer, cached", median_ms(lambda: layer_files(built.tag, top, client),
                                                                args.repeat)))

        started = time.perf_counter()
        for i in range(CONTAINERS):
            dockerlab.run(f"bench-sleep-{i:02}", "debian:bookworm-slim", ["sleep", "600"], chapter=CHAPTER,
                          mem_limit="32m", pids_limit=16)
        print(f"started {CONTAINERS} containers in {time.perf_counter() - started:.1f} s")
        from dockerlab.widgets import Dashboard

        board = Dashboard(autostart=False, client=client)
        assert len(board.rows) == CONTAINERS, len(board.rows)
        results.append((f"dashboard refresh, {CONTAINERS} containers", median_ms(board.refresh, args.repeat)))
        results.append((f"(docker-py containers.list, {CONTAINERS})", median_ms(
            lambda: client.containers.list(all=True, filters=kit_filter(CHAPTER)), args.repeat)))
        board.close()
    finally:
        report = dockerlab.reset(CHAPTER)
        print(f"cleanup: {len(report.removed)} resource(s) removed")
        dockerlab.set_session(None)

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"dockerlab displays — median of {args.repeat} runs")
    table.add_column("what")
    table.add_column("median (ms)", justify="right")
    for what, ms in results:
        table.add_row(what, f"{ms:.1f}")
    Console().print(table)
    plot(results, args.repeat)


def plot(results: list[tuple[str, float]], repeat: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    OUT.mkdir(parents=True, exist_ok=True)
    labels = [what for what, _ in results][::-1]
    values = [ms for _, ms in results][::-1]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    bars = ax.barh(labels, values, color="#2b7bb9")
    ax.bar_label(bars, labels=[f"{v:.1f} ms" for v in values], padding=3, fontsize=8)
    ax.set_xlabel(f"milliseconds (median of {repeat})")
    ax.set_title(f"dockerlab displays: {LAYERS}-layer image, {CONTAINERS} containers")
    ax.set_xlim(0, max(values) * 1.25)
    fig.tight_layout()
    fig.savefig(OUT / "display.png", dpi=120)
    print(f"wrote {OUT / 'display.png'}")


if __name__ == "__main__":
    main()
