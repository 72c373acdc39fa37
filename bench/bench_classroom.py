"""Classroom: 1, 4 and 8 learners log into the hub at once, each with an empty rootless engine of their own.

For each count, time from login (the hub's token API, then "start my server") until the learner's engine answers
with every course image in it, two ways:
- bundle: the class bundle (base + every course image) is imported into each engine at login;
- rebuild: only the base image comes from a bundle; each learner's engine then builds the course images itself
  (`prepare(apps=True)` in the learner's kernel: what a class without a bundle must do).
Then, with all engines idle and ready: resident memory per learner engine (rootlesskit + dockerd + containerd +
slirp4netns, VmRSS from /proc) and disk per learner (the engine's data root, `du`). Root only; the learners are the
kit's users dlab-b1…dlab-b8 (their engine data is wiped before each round). Prints a table, writes
bench/out/classroom.json and bench/out/classroom.png.

    python bench/bench_classroom.py [--counts 1 4 8] [--modes bundle rebuild]
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
sys.path.insert(0, str(ROOT / "tests"))

from hubkit import ClassroomHub  # noqa: E402

ENGINE_PROCS = ("rootlesskit", "exe", "dockerd", "containerd", "slirp4netns")


def engine_rss_mb(user: str) -> float:
    """Resident memory of the user's engine processes (MB)."""
    uid = pwd.getpwnam(user).pw_uid
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            comm = (entry / "comm").read_text().strip()
            if comm not in ENGINE_PROCS:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def disk_mb(user: str) -> float:
    root = Path(pwd.getpwnam(user).pw_dir) / ".local/share/docker"
    done = subprocess.run(["du", "-sm", str(root)], capture_output=True, text=True)
    return float(done.stdout.split()[0]) if done.returncode == 0 and done.stdout else 0.0


def wipe(user: str) -> None:
    """An empty engine for the next round: the learner's images, containers and volumes go."""
    from dockerlab.rootless import RootlessEngine, RootlessPaths

    try:
        pwd.getpwnam(user)
    except KeyError:
        return
    engine = RootlessEngine(RootlessPaths.for_user(user, env={}))
    engine.stop(log=lambda _: None)
    shutil.rmtree(engine.paths.data_root, ignore_errors=True)


def one_round(n: int, mode: str, bundles: dict[str, Path]) -> dict:
    users = [f"dlab-b{i}" for i in range(1, n + 1)]
    for user in users:
        wipe(user)
    bundle = bundles["full" if mode == "bundle" else "base"]
    with ClassroomHub(users, bundle=str(bundle)) as hub:
        def login_to_ready(user: str) -> dict:
            started = time.monotonic()
            hub.start_server(user, timeout=1800)
            server_s = time.monotonic() - started
            if mode == "rebuild":
                k = hub.kernel(user)
                try:
                    k.run("from dockerlab.course.prepare import prepare\nprepare(apps=True)", timeout=3600).check()
                finally:
                    k.close()
            record = hub.ready_record(user)
            return {"user": user, "ready_s": time.monotonic() - started, "server_s": server_s,
                    "engine_s": record.get("engine_s"), "import_s": record.get("import_s")}

        t0 = time.monotonic()
        with ThreadPoolExecutor(n) as pool:
            learners = list(pool.map(login_to_ready, users))
        wall = time.monotonic() - t0
        time.sleep(5)  # idle engines
        for row in learners:
            row["rss_mb"] = engine_rss_mb(row["user"])
            row["disk_mb"] = disk_mb(row["user"])
    for user in users:
        wipe(user)
    result = {"learners": n, "mode": mode, "wall_s": wall, "rows": learners}
    ready = [r["ready_s"] for r in learners]
    print(f"  {mode:7s} {n} learner(s): all ready in {wall:6.1f} s (slowest {max(ready):.1f}, fastest "
          f"{min(ready):.1f}); engine RSS {sum(r['rss_mb'] for r in learners) / n:.0f} MB, disk "
          f"{sum(r['disk_mb'] for r in learners) / n:.0f} MB per learner", flush=True)
    return result


def plot(results: list[dict]) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for mode, style in (("bundle", "o-"), ("rebuild", "s--")):
        rows = [r for r in results if r["mode"] == mode]
        if not rows:
            continue
        ns = [r["learners"] for r in rows]
        ax1.plot(ns, [r["wall_s"] for r in rows], style, label=f"{mode}: all learners ready")
    ax1.set_xlabel("learners logging in at once")
    ax1.set_ylabel("seconds until all are ready")
    ax1.set_xticks(sorted({r["learners"] for r in results}))
    ax1.set_title("Login → ready engine (2 cores)")
    ax1.legend()
    rows = [r for r in results if r["mode"] == "bundle"] or results
    ns = [r["learners"] for r in rows]
    ax2.bar([str(n) for n in ns], [sum(x["rss_mb"] for x in r["rows"]) / r["learners"] for r in rows],
            label="engine memory (RSS, MB)")
    ax2.plot([str(n) for n in ns], [sum(x["disk_mb"] for x in r["rows"]) / r["learners"] for r in rows], "D-",
             color="C3", label="disk (MB)")
    ax2.set_xlabel("learners")
    ax2.set_title("Per learner, engines idle (after a bundle import)")
    ax2.legend()
    fig.tight_layout()
    OUT.mkdir(exist_ok=True)
    fig.savefig(OUT / "classroom.png", dpi=110)
    return OUT / "classroom.png"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--modes", nargs="+", default=["bundle", "rebuild"], choices=["bundle", "rebuild"])
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("bench_classroom: needs root (it creates the kit's learner users and starts JupyterHub); skipped")
        return 0
    from dockerlab.course import APPS, ensure_app
    from dockerlab.course.bundle import export_bundle

    for app in APPS:
        ensure_app(app)
    results: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="dlab-bench-") as tmp:
        os.chmod(tmp, 0o755)
        bundles = {"full": Path(tmp) / "full.tar", "base": Path(tmp) / "base.tar"}
        t = time.monotonic()
        export_bundle(bundles["full"], log=lambda _: None)
        print(f"export of the full bundle: {time.monotonic() - t:.1f} s, "
              f"{bundles['full'].stat().st_size / 1e6:.0f} MB", flush=True)
        export_bundle(bundles["base"], apps=[], log=lambda _: None)
        for mode in args.modes:
            for n in args.counts:
                results = _save(one_round(n, mode, bundles))  # each round is kept as soon as it is measured
    print("\nClassroom on one 2-core machine: login → a ready engine with every course image")
    print(f"{'mode':8s} {'learners':>8s} {'all ready':>10s} {'slowest':>8s} {'engine start':>13s} {'import':>7s} "
          f"{'RSS/learner':>12s} {'disk/learner':>13s}")
    for r in results:
        rows, n = r["rows"], r["learners"]
        avg = lambda key: sum((x.get(key) or 0) for x in rows) / n  # noqa: E731
        print(f"{r['mode']:8s} {n:8d} {r['wall_s']:9.1f}s {max(x['ready_s'] for x in rows):7.1f}s "
              f"{avg('engine_s'):12.1f}s {avg('import_s'):6.1f}s {avg('rss_mb'):9.0f} MB {avg('disk_mb'):10.0f} MB")
    print(f"plot: {plot(results)}")
    return 0


def _save(result: dict) -> list[dict]:
    """Add one round to bench/out/classroom.json (rounds of earlier runs, other modes or counts, stay)."""
    saved = OUT / "classroom.json"
    OUT.mkdir(exist_ok=True)
    results = json.loads(saved.read_text()) if saved.exists() else []
    results = [r for r in results if (r["mode"], r["learners"]) != (result["mode"], result["learners"])] + [result]
    results.sort(key=lambda r: (r["mode"], r["learners"]))
    saved.write_text(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
