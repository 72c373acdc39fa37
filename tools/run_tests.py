"""The whole test suite, as the README's test command runs it.

Stages: the pytest suite (offline + engine + browser tiers), then every chapter notebook with nbval, in both
languages (notebooks/en/ and notebooks/ko/): solution versions with every check expected Correct, learner versions
with every check expected Not attempted, then the solution versions once more (a class re-runs chapters on the same
engine). Beside them, on its own Podman service, the engine tier and chapters 00–04 run again (tools/podman_stage.py;
DOCKERLAB_PODMAN=0 leaves it out). Any failure, or a stage that collects no test, makes the exit status non-zero.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools import podman_stage  # noqa: E402


NBVAL = ["--nbval-lax", "--nbval-cell-timeout=900", "-q"]


def stage(name: str, args: list[str], env: dict[str, str], out=None) -> tuple[int, int, int, float]:
    """Run one pytest stage (its output to ``out``, a log file, when given); (rc, passed, failed, seconds)."""
    xml = ROOT / ".state" / f"junit-{name}.xml"
    xml.parent.mkdir(exist_ok=True)
    cmd = [sys.executable, "-m", "pytest", *args, f"--junitxml={xml}", "-p", "no:cacheprovider"]
    print(f"\n=== {name}: {' '.join(cmd[2:])}", file=out or sys.stdout, flush=True)
    started = time.monotonic()
    rc = subprocess.call(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT if out else None)
    seconds = time.monotonic() - started
    passed = failed = 0
    if xml.exists():
        for suite in ET.parse(xml).getroot().iter("testsuite"):
            total = int(suite.get("tests", 0))
            bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skipped = int(suite.get("skipped", 0))
            failed += bad
            passed += total - bad - skipped
    if rc == 5 or passed + failed == 0:
        print(f"{name}: no test ran — that counts as a failure", file=out or sys.stdout)
        failed += 1
        rc = 1
    return rc, passed, failed, seconds


def main(argv: list[str]) -> int:
    os.chdir(ROOT)
    base = dict(os.environ, PYTHONUNBUFFERED="1")
    base.setdefault("DOCKERLAB_SESSION", "ci-" + str(os.getpid()))
    # the notebooks' checks record progress: into the run's state folder, not the home of whoever runs the tests
    base.setdefault("DOCKERLAB_PROGRESS", str(ROOT / ".state" / "progress" / "progress.json"))
    languages = ("en", "ko")  # tools/notebooks.py's LANGUAGES
    learner = sorted(str(p.relative_to(ROOT)) for lang in languages
                     for p in (ROOT / "notebooks" / lang).glob("[0-9][0-9]-*.ipynb"))
    solutions = sorted(str(p.relative_to(ROOT)) for lang in languages
                       for p in (ROOT / "notebooks" / lang / "solutions").glob("[0-9][0-9]-*.ipynb"))
    only = argv[0] if argv else None
    nbval = NBVAL
    stages: list[tuple[str, list[str], dict[str, str]]] = [("suite", ["tests", "-q", *argv[1:]], base)]
    if solutions:
        stages += [
            ("notebooks-solutions", [*nbval, *solutions], dict(base, DOCKERLAB_EXPECT_CHECKS="correct")),
            ("notebooks-learner", [*nbval, *learner], dict(base, DOCKERLAB_EXPECT_CHECKS="not_attempted")),
            ("notebooks-solutions-again", [*nbval, *solutions], dict(base, DOCKERLAB_EXPECT_CHECKS="correct")),
        ]
    if only:
        stages = [s for s in stages if s[0] == only] or stages
    results = []
    podman: list = []
    beside = None
    if podman_stage.wanted(base) and (not only or only.startswith("podman")):
        print(f"\n=== podman: the engine tier and chapters 00–04 on Podman, beside the other stages "
              f"(log: {podman_stage.log_path()})", flush=True)
        beside = threading.Thread(target=lambda: podman.extend(podman_stage.run(base, nbval, stage)),
                                  name="podman-stage")
        beside.start()
    if only and only.startswith("podman"):
        stages = []
    for name, args, env in stages:
        results.append((name, *stage(name, args, env)))
    if beside is not None:
        beside.join()
        results += podman or [("podman", 1, 0, 1, 0.0)]
        if not podman or any(r[1] != 0 for r in podman):
            print(f"\n=== the Podman stage's log, last lines\n{podman_stage.tail()}")
    print("\n=== summary")
    for name, rc, p, f, s in results:
        print(f"{name:28s} {'ok  ' if rc == 0 else 'FAIL'} {p:4d} passed {f:3d} failed  {s:7.1f} s")
    passed = sum(r[2] for r in results)
    failed = sum(r[3] for r in results)
    print(f"{passed} passed, {failed} failed")
    return 0 if all(r[1] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
