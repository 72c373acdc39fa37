"""Wrapper overhead: the same operation through dockerlab, raw docker-py and the docker CLI, interleaved.

Operations: run+wait+remove of a trivial container, build of a cached image, exec with exit code,
volume create/remove. Prints median and spread per tool, the dockerlab/docker-py ratio, and writes
bench/out/overhead.png. Target: dockerlab ≤ 1.05 × docker-py, and below the CLI.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import docker

import dockerlab
from dockerlab.labels import kit_labels

OUT = Path(__file__).resolve().parent / "out"
IMAGE = "debian:bookworm-slim"
DOCKERFILE = "FROM debian:bookworm-slim\nRUN echo cached > /cached.txt\nCMD [\"cat\", \"/cached.txt\"]\n"


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=9)
    args = parser.parse_args()
    dockerlab.set_session("bench")
    dockerlab.labels.set_chapter("bench")
    dockerlab.connect()  # the kit's client is made once, outside the timings
    raw = docker.from_env()
    cli = shutil.which("docker")
    labels = kit_labels("bench")
    label_args = [a for k, v in labels.items() for a in ("--label", f"{k}={v}")]

    # warm the build cache once for each path
    dockerlab.build("bench-cached:1", dockerfile=DOCKERFILE, chapter="bench")
    holder = dockerlab.run("bench-exec", IMAGE, ["sleep", "600"], chapter="bench")

    def kit_run() -> None:
        c = dockerlab.run("bench-run", IMAGE, ["true"], chapter="bench")
        c.sdk.wait()
        c.remove()

    def raw_run() -> None:
        c = raw.containers.run(IMAGE, ["true"], detach=True, name="bench-raw-run", labels=labels,
                               mem_limit="512m", pids_limit=256)
        c.wait()
        c.remove(force=True)

    def cli_run() -> None:
        subprocess.run([cli, "run", "--rm", "--memory", "512m", "--pids-limit", "256", *label_args, IMAGE, "true"],
                       check=True, capture_output=True)

    import io
    import tarfile

    def ctx() -> io.BytesIO:
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            data = DOCKERFILE.encode()
            info = tarfile.TarInfo("Dockerfile")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        buf.seek(0)
        return buf

    def kit_build() -> None:
        dockerlab.build("bench-cached:1", dockerfile=DOCKERFILE, chapter="bench")

    def raw_build() -> None:  # docker-py's own "build and give me the Image", as the kit returns one
        raw.images.build(fileobj=ctx(), custom_context=True, tag="bench/bench-cached:1", labels=labels, rm=True)

    def cli_build() -> None:
        subprocess.run([cli, "build", "-q", "-t", "bench/bench-cached:1", *label_args, "-"], input=DOCKERFILE.encode(),
                       check=True, capture_output=True, env={"DOCKER_BUILDKIT": "0", "PATH": "/usr/bin:/bin"})

    def kit_exec() -> None:
        assert holder.exec(["sh", "-c", "exit 3"]).exit_code == 3

    def raw_exec() -> None:
        ex = raw.api.exec_create(holder.id, ["sh", "-c", "exit 3"])
        raw.api.exec_start(ex["Id"])
        assert raw.api.exec_inspect(ex["Id"])["ExitCode"] == 3

    def cli_exec() -> None:
        assert subprocess.run([cli, "exec", holder.name, "sh", "-c", "exit 3"], capture_output=True).returncode == 3

    def kit_volume() -> None:
        dockerlab.volumes.create("bench-vol", chapter="bench")
        dockerlab.volumes.remove("bench-vol")

    def raw_volume() -> None:
        raw.volumes.create("bench-raw-vol", labels=labels).remove(force=True)

    def cli_volume() -> None:
        subprocess.run([cli, "volume", "create", *label_args, "bench-cli-vol"], check=True, capture_output=True)
        subprocess.run([cli, "volume", "rm", "bench-cli-vol"], check=True, capture_output=True)

    ops = {
        "run+wait+rm": (kit_run, raw_run, cli_run),
        "cached build": (kit_build, raw_build, cli_build),
        "exec (exit code)": (kit_exec, raw_exec, cli_exec),
        "volume create+rm": (kit_volume, raw_volume, cli_volume),
    }
    results: dict[str, dict[str, list[float]]] = {op: {"dockerlab": [], "docker-py": [], "CLI": []} for op in ops}
    try:
        for op, (kit, rawf, clif) in ops.items():
            for fn in (kit, rawf, clif):  # warm-up
                if fn is not clif or cli:
                    fn()
            for _ in range(args.reps):  # interleaved: the three tools share the machine's noise
                results[op]["dockerlab"].append(timed(kit))
                results[op]["docker-py"].append(timed(rawf))
                if cli:
                    results[op]["CLI"].append(timed(clif))
    finally:
        holder.remove()
        dockerlab.reset("bench", purge_volumes=True)
        for ref in ("bench/bench-cached:1",):
            try:
                raw.images.remove(ref, force=True)
            except docker.errors.ImageNotFound:
                pass

    print(f"\nWrapper overhead, median (min–max) of {args.reps} interleaved runs, seconds")
    print(f"{'operation':18s} {'dockerlab':>20s} {'docker-py':>20s} {'CLI':>20s} {'kit/py':>7s} {'kit/CLI':>7s}")
    rows = []
    for op, per in results.items():
        med = {k: statistics.median(v) if v else float("nan") for k, v in per.items()}
        cells = [f"{med[k]:.3f} ({min(v):.3f}–{max(v):.3f})" if v else "n/a" for k, v in per.items()]
        ratio = med["dockerlab"] / med["docker-py"]
        ratio_cli = med["dockerlab"] / med["CLI"] if per["CLI"] else float("nan")
        rows.append((op, med, ratio, ratio_cli))
        print(f"{op:18s} {cells[0]:>20s} {cells[1]:>20s} {cells[2]:>20s} {ratio:7.2f} {ratio_cli:7.2f}")
    plot(rows)


def plot(rows: list) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    OUT.mkdir(exist_ok=True)
    fig, ax = plt.subplots(figsize=(8, 4))
    tools = ["dockerlab", "docker-py", "CLI"]
    width = 0.27
    for i, tool in enumerate(tools):
        ax.bar([j + (i - 1) * width for j in range(len(rows))], [r[1][tool] * 1000 for r in rows], width, label=tool)
    ax.set_xticks(range(len(rows)), [r[0] for r in rows])
    ax.set_ylabel("median ms")
    ax.set_title("Same operation through dockerlab, docker-py and the docker CLI")
    ax.legend()
    fig.tight_layout()
    fig.savefig(OUT / "overhead.png", dpi=110)
    print(f"plot: {OUT / 'overhead.png'}")


if __name__ == "__main__":
    main()
