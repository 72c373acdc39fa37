"""The speed targets, each measured and set beside its figure: met, or missed by how much and why.

  course warm   every chapter's solution notebook (English), one after another, on this engine with the course
                images cached                                                       target ≤ 150 s
  CI            the last `./lab test` run's wall time (.state/ci/summary.json: run every stage, not a part)
                                                                                    target ≤ 12 min
  backend       a one-line change in a .java file, rebuilt (cache warm)             target ≤ 2 s
  frontend      the course's frontend image                                         target ≤ 60 MB

The machine's load is printed with each figure (times on a shared machine are only as good as its load).
Run: .venv/bin/python bench/bench_targets.py [--skip-course]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bench_course  # noqa: E402
import bench_images  # noqa: E402

import dockerlab  # noqa: E402
from dockerlab import course  # noqa: E402
from dockerlab.engine import connect  # noqa: E402

TARGETS = {"course warm": 150.0, "CI": 12 * 60.0, "backend one-line": 2.0, "frontend image": 60.0}


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} on {os.cpu_count()} cores"


def verdict(name: str, value: float | None, unit: str) -> str:
    target = TARGETS[name]
    if value is None:
        return "not measured"
    if value <= target:
        return f"met ({target - value:.1f} {unit} to spare)"
    return f"MISSED by {value - target:.1f} {unit} ({value / target:.2f}×)"


def course_warm() -> tuple[float | None, str, str]:
    """(seconds, why, load): bench_course.py's warm run of the last 2 hours (``./lab bench`` runs it first) if it ran
    every chapter (a ``--chapters`` run is no figure for the course), else one made now."""
    saved = HERE / "out" / "course.json"
    chapters = {p.stem for p in (ROOT / "notebooks" / "en" / "solutions").glob("[0-9][0-9]-*.ipynb")}
    if saved.exists() and time.time() - saved.stat().st_mtime < 7200:
        data = json.loads(saved.read_text())
        if set(data["results"].get("warm") or ()) == chapters:
            times = data["results"]["warm"]
            one, five, _ = data["load"]
            at = time.strftime("%H:%M", time.localtime(saved.stat().st_mtime))
            return sum(times.values()), _slowest(times), f"bench_course.py at {at}, load {one:.1f}/{five:.1f}"
    print("course, warm (English solution notebooks, one after another):", flush=True)
    times = bench_course.run_notebooks({"DOCKERLAB_SESSION": "bench-targets"}, lang="en")
    if not times:
        return None, "no notebook found", load()
    return sum(times.values()), _slowest(times), load()


def _slowest(times: dict[str, float]) -> str:
    slowest = sorted(times.items(), key=lambda kv: -kv[1])[:3]
    return f"{len(times)} chapters; slowest: " + ", ".join(f"{c[:2]} {s:.0f} s" for c, s in slowest)


def ci_last_run() -> tuple[float | None, str]:
    path = ROOT / ".state" / "ci" / "summary.json"
    if not path.exists():
        return None, "no full ./lab test run on this checkout yet (.state/ci/summary.json)"
    summary = json.loads(path.read_text())
    names = {s["name"] for s in summary["stages"]}
    if not {"unit", "engine"} <= names or not any(n.startswith("nb-") for n in names):
        return None, f"the last run ran only {', '.join(sorted(names))}: run ./lab test for the whole"
    ends = sorted(summary["stages"], key=lambda s: -(s.get("ended") or 0))
    last = ends[0]
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(path.stat().st_mtime))
    one, five, _ = summary.get("load_at_end", (0, 0, 0))
    why = (f"run of {when}, {summary['lanes']} lanes, load {one:.1f}/{five:.1f} at its end; last to finish: "
           f"{last['name']} ({last['started']:.0f} → {last['ended']:.0f} s)")
    return float(summary["wall_seconds"]), why


def backend_one_line(made: list[str]) -> tuple[float, str]:
    _, edited, steps = bench_images.one_line_rebuild("backend", made)
    ran = [s for s in steps if not s.cached and not s.instruction.upper().startswith("FROM")]
    why = "steps that ran: " + "; ".join(f"{s.instruction.split()[0]} {s.seconds:.1f} s "
                                         f"({' '.join(s.instruction.split()[1:3])[:30]})" for s in ran)
    return edited, why


def frontend_size() -> tuple[float, str]:
    tag = course.APPS["frontend"]
    image = connect().images.get(tag)
    layers = image.history()
    biggest = sorted((h for h in layers if h.get("Size")), key=lambda h: -h["Size"])[:2]
    def step(h: dict) -> str:
        return h.get("CreatedBy", "").split("#(nop)")[-1].strip()[:40] or "(the base image)"

    why = "largest layers: " + "; ".join(f"{h['Size'] / 1e6:.1f} MB {step(h)}" for h in biggest)
    return image.attrs["Size"] / 1e6, why


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-course", action="store_true", help="leave out the course warm run (minutes)")
    args = parser.parse_args(argv)
    dockerlab.set_session("bench-targets")
    rows: list[tuple[str, float | None, str, str, str]] = []
    made: list[str] = []
    try:
        size, why = frontend_size()
        rows.append(("frontend image", size, "MB", why, load()))
        seconds, why = backend_one_line(made)
        rows.append(("backend one-line", seconds, "s", why, load()))
        if not args.skip_course:
            total, why, at = course_warm()
            rows.append(("course warm", total, "s", why, at))
        wall, why = ci_last_run()
        rows.append(("CI", wall, "s", why, "(its own run)"))
    finally:
        for tag in reversed(made):
            dockerlab.images.remove(tag, missing_ok=True)
        dockerlab.reset(session="bench-targets")
    print(f"\n{'target':18s} {'figure':>10s}  {'goal':>8s}  verdict / why")
    for name, value, unit, why, at in rows:
        figure = "—" if value is None else f"{value:.1f} {unit}"
        goal = f"≤ {TARGETS[name]:g} {unit}" if unit != "s" or TARGETS[name] < 600 else f"≤ {TARGETS[name] / 60:g} min"
        print(f"{name:18s} {figure:>10s}  {goal:>8s}  {verdict(name, value, unit)}")
        print(f"{'':18s} {'':>10s}  {'':>8s}  {why}; {at}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
