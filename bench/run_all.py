"""Run every benchmark in bench/ (one command: `./lab bench`), printing their tables; plots go to bench/out/."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["bench_import.py", "bench_overhead.py", "bench_display.py", "bench_images.py", "bench_scale.py",
         "bench_course.py", "bench_targets.py"]  # targets last: it reads bench_course's warm run


def main(argv: list[str]) -> int:
    scripts = [HERE / s for s in ORDER if (HERE / s).exists()]
    scripts += sorted(p for p in HERE.glob("bench_*.py") if p.name not in ORDER)
    if argv:
        scripts = [s for s in scripts if any(a in s.name for a in argv)]
    failed = []
    started = time.monotonic()
    for script in scripts:
        print(f"\n##### {script.name}", flush=True)
        t = time.monotonic()
        rc = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        print(f"##### {script.name}: {'ok' if rc == 0 else f'exit {rc}'} in {time.monotonic() - t:.0f} s", flush=True)
        if rc:
            failed.append(script.name)
    print(f"\nall benchmarks: {time.monotonic() - started:.0f} s; failed: {failed or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
