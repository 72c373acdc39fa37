"""Course wall time: every chapter notebook (solution version) executed with nbclient, warm and cold.

warm: on the current engine, course images already cached.
cold: on a brand-new engine (a separate dockerd with an empty data root and its own bridge), so the
      base image, every course image and every build cache are made from nothing, as in a new classroom.
Prints a per-chapter table and writes bench/out/course.png. Targets (2 cores): warm ≤ 150 s (issue 17), cold ≤ 12 min.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"


@contextlib.contextmanager
def swarm_lock(path: Path):
    """A chapter that turns Swarm mode on holds the machine's swarm lock (one swarm per engine; tools/run_tests.py and
    people running Swarm tests by hand take the same file)."""
    source = next((ROOT / "notebooks" / "src").glob(f"{path.name[:2]}-*.py"), None)
    if source is None or "ensure_swarm(" not in source.read_text():
        yield
        return
    with open("/tmp/dockerlab-swarm.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def slowest_cells(nb: nbformat.NotebookNode, count: int = 3) -> list[tuple[float, int, str]]:
    """The chapter's slowest code cells: (seconds, cell number, first line), from nbclient's execution timestamps."""
    found = []
    for i, cell in enumerate(nb.cells):
        timing = cell.get("metadata", {}).get("execution", {})
        start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        if cell.cell_type == "code" and start and end:
            seconds = (datetime.fromisoformat(end.rstrip("Z")) - datetime.fromisoformat(start.rstrip("Z")))
            first = next((line for line in cell.source.splitlines() if line.strip()), "")
            found.append((seconds.total_seconds(), i, first[:70]))
    return sorted(found, reverse=True)[:count]


def run_notebooks(env_extra: dict[str, str], lang: str = "en", only: set[str] | None = None) -> dict[str, float]:
    times: dict[str, float] = {}
    saved = dict(os.environ)
    os.environ.update(env_extra)
    os.environ["DOCKERLAB_EXPECT_CHECKS"] = "correct"
    try:
        for path in sorted((ROOT / "notebooks" / lang / "solutions").glob("[0-9][0-9]-*.ipynb")):
            if only and path.name[:2] not in only:
                continue
            nb = nbformat.read(path, as_version=4)
            with swarm_lock(path):  # the time spent waiting for it is not the chapter's
                started = time.monotonic()
                NotebookClient(nb, timeout=1200, kernel_name="python3",
                               resources={"metadata": {"path": str(path.parent)}}).execute()
                times[path.stem] = time.monotonic() - started
            print(f"  {path.stem:34s} {times[path.stem]:7.1f} s", flush=True)
            for seconds, number, first in slowest_cells(nb):
                print(f"      cell {number:3d} {seconds:6.1f} s  {first}", flush=True)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return times


def cold_engine():
    from dockerlab.daemon import Daemon, state_dir

    folder = state_dir() / "bench-cold"
    return Daemon(name="bench-cold", socket=str(folder / "docker.sock"), data_root=str(folder / "root"),
                  exec_root=str(folder / "exec"), bridge="dlcold0", bridge_cidr="172.30.99.1/24")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["warm", "cold", "both"], default="both")
    parser.add_argument("--chapters", default="", help="only these chapters, e.g. 06,10 (the totals then cover them only)")
    args = parser.parse_args()
    only = {c.strip().zfill(2) for c in args.chapters.split(",") if c.strip()} or None
    results: dict[str, dict[str, float]] = {}
    session = {"DOCKERLAB_SESSION": "bench-course"}
    if args.mode in ("warm", "both"):
        print("warm run (images cached):")
        results["warm"] = run_notebooks(session, only=only)
    if args.mode in ("cold", "both"):
        daemon = cold_engine()
        daemon.start(log=lambda m: None)
        try:
            env = dict(session, DOCKER_HOST=daemon.address)
            print(f"cold run on a fresh engine at {daemon.address}:")
            started = time.monotonic()
            subprocess.run([sys.executable, "-m", "dockerlab", "prepare"], env=dict(os.environ, **env), check=True,
                           stdout=subprocess.DEVNULL)
            prep = time.monotonic() - started
            print(f"  {'prepare (base image)':34s} {prep:7.1f} s")
            results["cold"] = {"prepare": prep, **run_notebooks(env, only=only)}
        finally:
            daemon.stop(log=lambda m: None)
            shutil.rmtree(Path(daemon.data_root).parent, ignore_errors=True)
    print("\nCourse wall time (solution notebooks, seconds)")
    chapters = sorted({c for r in results.values() for c in r})
    print(f"{'chapter':34s} " + " ".join(f"{m:>8s}" for m in results))
    for c in chapters:
        print(f"{c:34s} " + " ".join(f"{results[m].get(c, 0):8.1f}" for m in results))
    for mode, r in results.items():
        target = 150 if mode == "warm" else 720
        total = sum(r.values())
        verdict = "met" if total <= target else f"missed by {total - target:.0f} s"
        print(f"total {mode}: {total:.0f} s = {total / 60:.1f} min (target ≤ {target} s: {verdict}; "
              f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    OUT.mkdir(exist_ok=True)
    (OUT / "course.json").write_text(json.dumps({"results": results, "load": os.getloadavg(),
                                                 "cores": os.cpu_count()}, indent=1) + "\n")
    plot(results, chapters)


def plot(results: dict[str, dict[str, float]], chapters: list[str]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    OUT.mkdir(exist_ok=True)
    fig, ax = plt.subplots(figsize=(8, 4))
    modes = list(results)
    for mode_i, mode in enumerate(modes):
        bottom = 0.0
        for c in chapters:
            v = results[mode].get(c, 0.0) / 60
            ax.bar(mode_i, v, bottom=bottom, label=c if mode_i == 0 or mode == "cold" and c == "prepare" else None)
            bottom += v
    ax.set_xticks(range(len(modes)), modes)
    ax.set_ylabel("minutes")
    ax.set_title("Course wall time per chapter")
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(OUT / "course.png", dpi=110)
    print(f"plot: {OUT / 'course.png'}")


if __name__ == "__main__":
    main()
