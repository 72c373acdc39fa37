"""One learner working through chapter 00 on a shared engine, as a separate process.

    python tests/learner_worker.py                 # one learner; session from DOCKERLAB_SESSION / JUPYTERHUB_USER
    python tests/learner_worker.py --learners 1 2 4 8   # N learners at once, for each N: wall times (a benchmark)

A worker does what a learner does in chapter 00 — exercise 1 (the engine's version), exercise 2 (run
`first` from dockerlab/hello:1.0 and wait) — then publishes a port (a tiny web server, fetched from the
host) and keeps data in a named volume. It prints one JSON line (``phase: "ready"``), then waits for a
line on stdin: ``reset`` (or end of input) makes it reset its session and print a second JSON line
(``phase: "done"``). ``--no-wait`` resets right away. ``run_learners(n)`` drives n workers and is what
tests/engine/test_multi_learner.py and a benchmark reuse.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "debian:bookworm-slim"
HELLO = "dockerlab/hello:1.0"
#: a tiny HTTP server with nothing but Debian slim's perl: answers with its hostname
HTTP_SERVER = ["perl", "-MIO::Socket::INET", "-e",
               '$|=1; $s=IO::Socket::INET->new(LocalPort=>8080,Listen=>16,ReuseAddr=>1) or die "listen: $!"; '
               'print "Listening on 8080\\n"; '
               'while($c=$s->accept){ <$c>; print $c "HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\n\\r\\n'
               'hello from $ENV{HOSTNAME}\\n"; close $c }']


def emit(record: dict) -> None:
    print(json.dumps(record), flush=True)


def learner(wait_for_reset: bool = True) -> int:
    """Work through chapter 00 plus a port and a volume; report; reset when told."""
    os.environ.pop("DOCKERLAB_EXPECT_CHECKS", None)  # this worker reports outcomes, it does not assert them
    started = time.monotonic()
    times: dict[str, float] = {}
    record: dict = {"phase": "ready", "pid": os.getpid()}

    def lap(name: str, t0: float) -> None:
        times[name] = round(time.monotonic() - t0, 3)

    try:
        t0 = time.monotonic()
        import dockerlab as lab
        from dockerlab.exercises import ch00 as ex

        lap("import", t0)
        record["session"] = lab.session_id()
        ch = lab.start_chapter("00", "Setup check")
        t0 = time.monotonic()
        ch.reset()
        lap("reset_at_start", t0)

        t0 = time.monotonic()
        untouched = ex.q2.check()
        server_version = lab.connect().version()["Version"]
        q1 = ex.q1.check(server_version)
        lap("q1", t0)

        t0 = time.monotonic()
        first = lab.run("first", HELLO)
        first.sdk.wait(timeout=60)
        q2 = ex.q2.check()
        lap("q2", t0)
        record["checks"] = {"q2_before": untouched.outcome.value, "q1": q1.outcome.value, "q2": q2.outcome.value}
        record["first"] = {"name": first.name, "logs": first.logs().strip()[:200]}

        t0 = time.monotonic()
        web = lab.run("web", BASE, HTTP_SERVER, ports={8080: None}, wait="http:/", timeout=60)
        with urllib.request.urlopen(web.url(), timeout=10) as resp:
            body = resp.read().decode().strip()
        lap("port", t0)
        record["web"] = {"name": web.name, "host_port": web.host_port(8080), "body": body,
                         "hostname": web.attrs["Config"]["Hostname"],
                         "host_ip": web.attrs["HostConfig"]["PortBindings"]["8080/tcp"][0]["HostIp"]}

        t0 = time.monotonic()
        me = record["session"]
        writer = lab.run("writer", BASE, ["sh", "-c", f"echo {me} > /data/owner"], volumes={"data": "/data"})
        writer.sdk.wait(timeout=60)
        reader = lab.run("reader", BASE, ["cat", "/data/owner"], volumes={"data": "/data:ro"})
        reader.sdk.wait(timeout=60)
        lap("volume", t0)
        record["volume"] = {"name": lab.volumes.get("data").name, "content": reader.logs().strip()}
        record["resources"] = sorted(f"{r.kind}:{r.name}" for r in lab.leaks())
        record["labels_ok"] = all(c.labels.get("org.dockerlab.session") == me and c.name.startswith(me + "-")
                                  for c in (first, web, writer, reader))
    except Exception as exc:  # report, do not hang the parent
        record["error"] = f"{type(exc).__name__}: {exc}"
    record["times"] = times
    record["seconds"] = round(time.monotonic() - started, 3)
    emit(record)

    if wait_for_reset:
        line = sys.stdin.readline()
        if line.strip() not in ("reset", ""):
            return 2
    done: dict = {"phase": "done", "session": record.get("session")}
    try:
        import dockerlab as lab

        t0 = time.monotonic()
        report = lab.reset(purge_volumes=True)
        done["reset_seconds"] = round(time.monotonic() - t0, 3)
        done["removed"] = sorted(f"{r.kind}:{r.name}" for r in report.removed)
        done["left"] = sorted(f"{r.kind}:{r.name}" for r in lab.leaks())
    except Exception as exc:
        done["error"] = f"{type(exc).__name__}: {exc}"
    emit(done)
    return 0 if "error" not in record and "error" not in done else 1


@dataclass
class Learner:
    env_name: str
    env_value: str
    proc: subprocess.Popen
    ready: dict = field(default_factory=dict)
    done: dict = field(default_factory=dict)

    def read(self) -> dict:
        line = self.proc.stdout.readline()  # type: ignore[union-attr]
        if not line:
            err = self.proc.stderr.read() if self.proc.stderr else ""  # type: ignore[union-attr]
            return {"error": f"worker ended without a report: {err[-2000:]}"}
        return json.loads(line)


def start_learners(n: int, *, prefix: str | None = None) -> list[Learner]:
    """Start n worker processes; half get their session from JUPYTERHUB_USER, half from DOCKERLAB_SESSION."""
    prefix = prefix or f"ml{uuid.uuid4().hex[:5]}"
    learners = []
    for i in range(n):
        env = {k: v for k, v in os.environ.items() if k not in ("DOCKERLAB_SESSION", "JUPYTERHUB_USER")}
        env["PYTHONUNBUFFERED"] = "1"
        # JupyterHub ids are long and alike: cut to 24 characters they would all be "jupyter-<prefix>-learner."
        name, value = (("JUPYTERHUB_USER", f"jupyter-{prefix}-Learner.Number{i}") if i % 2 else
                       ("DOCKERLAB_SESSION", f"{prefix}-s{i}"))
        env[name] = value
        proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve())], cwd=ROOT, env=env,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        learners.append(Learner(name, value, proc))
    return learners


def wait_ready(learners: list[Learner]) -> float:
    started = time.monotonic()
    for ln in learners:
        ln.ready = ln.read()
    return time.monotonic() - started


def reset_one(ln: Learner, timeout: float = 120) -> dict:
    assert ln.proc.stdin is not None
    ln.proc.stdin.write("reset\n")
    ln.proc.stdin.flush()
    ln.done = ln.read()
    ln.proc.wait(timeout=timeout)
    return ln.done


def stop_all(learners: list[Learner]) -> None:
    for ln in learners:
        if ln.proc.poll() is None:
            try:
                if ln.proc.stdin and not ln.proc.stdin.closed:
                    ln.proc.stdin.close()  # end of input: the worker resets and exits
                ln.proc.wait(timeout=120)
            except Exception:
                ln.proc.kill()


def ensure_images() -> None:
    """Build the course's hello image once, before the learners start (never eight builds at once)."""
    sys.path.insert(0, str(ROOT))
    from dockerlab.course import ensure_app

    ensure_app("hello")


def run_learners(n: int) -> dict:
    """n learners at once, each through chapter 00 + a port + a volume, then each resets; timings and records."""
    ensure_images()
    started = time.monotonic()
    learners = start_learners(n)
    try:
        ready_after = wait_ready(learners)
        work_wall = time.monotonic() - started
        t0 = time.monotonic()
        for ln in learners:
            reset_one(ln)
        reset_wall = time.monotonic() - t0
    finally:
        stop_all(learners)
    return {"learners": n, "wall_seconds": round(work_wall, 2), "reset_seconds": round(reset_wall, 2),
            "slowest_learner": max(ln.ready.get("seconds", 0) for ln in learners),
            "errors": [ln.ready.get("error") or ln.done.get("error") for ln in learners
                       if ln.ready.get("error") or ln.done.get("error")],
            "ready_wait": round(ready_after, 2), "records": [ln.ready for ln in learners]}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--learners", type=int, nargs="*", help="run N learners at once (several N: one run each)")
    p.add_argument("--no-wait", action="store_true", help="reset right after the work (no stdin handshake)")
    p.add_argument("--json", action="store_true", help="with --learners: print the full results as JSON")
    args = p.parse_args(argv)
    if not args.learners:
        return learner(wait_for_reset=not args.no_wait)
    results = []
    for n in args.learners:
        res = run_learners(n)
        results.append(res)
        print(f"{n} learner(s): {res['wall_seconds']:.1f} s wall (slowest learner {res['slowest_learner']:.1f} s), "
              f"reset {res['reset_seconds']:.1f} s, errors: {len(res['errors'])}", flush=True)
    if args.json:
        print(json.dumps([{k: v for k, v in r.items() if k != "records"} for r in results]))
    return 0 if all(not r["errors"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
