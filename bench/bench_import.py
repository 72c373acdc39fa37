"""Import time of dockerlab (target ≤ 0.5 s): fresh interpreters, median of N, plus `-X importtime` top entries."""

from __future__ import annotations

import statistics
import subprocess
import sys


def main(reps: int = 9) -> list[float]:
    times = []
    for _ in range(reps):
        out = subprocess.run([sys.executable, "-c", "import time; t=time.perf_counter(); import dockerlab; "
                              "print(time.perf_counter()-t)"], capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip()))
    print(f"import dockerlab: median {statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f}) "
          f"over {reps} fresh interpreters; target ≤ 0.5 s")
    prof = subprocess.run([sys.executable, "-X", "importtime", "-c", "import dockerlab"], capture_output=True, text=True)
    rows = []
    for line in prof.stderr.splitlines()[1:]:
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[0].startswith("import time:"):
            rows.append((int(parts[1]), parts[2]))
    top = sorted((r for r in rows if not r[1].startswith(" ")), reverse=True)[:6]
    print("largest top-level imports (cumulative µs):", ", ".join(f"{name} {us}" for us, name in top))
    return times


if __name__ == "__main__":
    main()
