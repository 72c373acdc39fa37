"""Scale: how the multi-learner workload (chapter 00's exercises + a published port + a volume, then a
reset) grows with 1, 2, 4 and 8 learners at once on one engine. Uses the same worker as the test
(tests/learner_worker.py); prints a table and writes bench/out/scale.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
OUT = Path(__file__).resolve().parent / "out"

import learner_worker as lw  # noqa: E402


def main(counts: tuple[int, ...] = (1, 2, 4, 8)) -> int:
    rows = []
    for n in counts:
        res = lw.run_learners(n)
        rows.append(res)
        print(f"  {n} learner(s): {res['wall_seconds']:.1f} s", flush=True)
    base = rows[0]["wall_seconds"]
    print("\nMany learners on one engine (2 cores): all at once, wall seconds")
    print(f"{'learners':>8s} {'work wall':>10s} {'slowest':>8s} {'reset':>7s} {'per learner':>12s} {'vs 1':>6s} errors")
    for r in rows:
        n = r["learners"]
        print(f"{n:8d} {r['wall_seconds']:10.1f} {r['slowest_learner']:8.1f} {r['reset_seconds']:7.1f} "
              f"{r['wall_seconds'] / n:12.2f} {r['wall_seconds'] / base:6.2f} {len(r['errors'])}")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    OUT.mkdir(exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 4))
    ns = [r["learners"] for r in rows]
    ax.plot(ns, [r["wall_seconds"] for r in rows], "o-", label="all learners done (wall)")
    ax.plot(ns, [base * n for n in ns], ":", color="grey", label="one after another (1-learner time × n)")
    ax.set_xlabel("learners at once")
    ax.set_ylabel("seconds")
    ax.set_xticks(ns)
    ax.set_title("Many learners, one engine")
    ax.legend()
    fig.tight_layout()
    fig.savefig(OUT / "scale.png", dpi=110)
    print(f"plot: {OUT / 'scale.png'}")
    return 0 if all(not r["errors"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
