"""Chapter 11 exercises: a broken test stops the pipeline before deploy; fix it and ship."""

from __future__ import annotations

import json
import urllib.request

from ..checks import Incorrect, NotAttempted, Problem
from ..course.pipeline import find_server_client, server_container
from ..course.pipeline_runs import PipelineRun, load_runs
from ..course.registry import find_registry

__all__ = ["q1", "q2", "DEMO", "learner_runs"]

#: notes of the chapter's own runs start with this: the checks look only at the runs you made
DEMO = "demo"
REPO = "todo-backend"


def learner_runs() -> list[PipelineRun]:
    """Your pipeline runs (not the chapter's demonstration runs), oldest first."""
    return [r for r in load_runs() if not r.note.startswith(DEMO)]


class BrokenTestStopsPipeline(Problem):
    title = "Exercise 1: a failing test stops the pipeline"
    hints = (
        "Change the workspace's sources (`pipe.workspace`) so that one of the backend's tests fails, then run "
        "`pipe.run()` and read the step table.",
        "The test `testHealthAndInfo` expects /actuator/health to answer {\"status\":\"UP\"}: change \"UP\" in "
        'the line `Map.of("status", "UP")` of TodoController.java (in pipe.workspace) and run the pipeline.',
    )

    def inspect(self) -> str:
        runs = learner_runs()
        if not runs:
            raise NotAttempted("No pipeline run of yours yet: break a test in pipe.workspace, then run pipe.run().")
        # the latest run a failing test stopped: exercise 2's successful run after it must not undo this answer
        stopped = [r for r in runs if not r.ok and r.failed_at == "test"]
        last = stopped[-1] if stopped else runs[-1]
        if last.ok:
            raise Incorrect(f"Your last run (#{last.number}) passed every step and deployed {last.version}: your "
                            "change broke no test, so nothing stopped it.")
        if last.failed_at != "test":
            raise Incorrect(f"Your last run (#{last.number}) stopped at '{last.failed_at}', not at the test step: "
                            "the sources must compile, and a test must fail.")
        if last.deployed is not None or any(s.status != "skipped" for s in last.steps
                                            if s.name in ("package", "push", "deploy")):
            raise Incorrect("Your last run failed its tests but still went on: that is not what the pipeline did.")
        reg = find_registry()
        if reg is not None and last.version in reg.tags(REPO):
            raise Incorrect(f"The registry holds {last.version}: the broken version was pushed.")
        if last is not runs[-1]:  # later runs (exercise 2) changed the server since: that run's record is the proof
            return (f"Run #{last.number} ({last.version}) failed at the test step; package, push and deploy never "
                    f"ran, and the server kept {last.server_before}. A failing test protects production.")
        server = find_server_client()
        now = None
        if server is not None:
            c = server_container(server)
            now = c.labels.get("org.dockerlab.release") if c is not None and c.status == "running" else None
        if now != last.server_before:
            raise Incorrect(f"The server ran {last.server_before} before your run and runs {now} now: "
                            "something was deployed after all.")
        return (f"Run #{last.number} ({last.version}) failed at the test step; package, push and deploy never ran, "
                f"and the server still runs {now}. A failing test protects production.")


class FixAndShip(Problem):
    title = "Exercise 2: fix it and ship"
    hints = (
        "Undo your change in pipe.workspace (or take a fresh copy of the sources), then run the pipeline again.",
        "`pipe.checkout(fresh=True)` copies the original sources again; then `pipe.run()`.",
    )

    def inspect(self) -> str:
        runs = learner_runs()
        if not runs:
            raise NotAttempted("No pipeline run of yours yet: run pipe.run() after your fix.")
        last = runs[-1]
        if not last.ok:
            raise Incorrect(f"Your last run (#{last.number}) stopped at '{last.failed_at}': fix that, then run the "
                            "pipeline again.")
        server = find_server_client()
        if server is None:
            raise Incorrect("The cloud server is not running: run the cell that starts it, then the pipeline again.")
        c = server_container(server)
        if c is None or c.status != "running":
            raise Incorrect("No app runs on the server: run the pipeline again.")
        release = c.labels.get("org.dockerlab.release")
        if release != last.version:
            raise Incorrect(f"The server runs {release}, not {last.version} that your last run deployed.")
        try:
            with urllib.request.urlopen(c.url(8080, "/api/info"), timeout=5) as resp:  # noqa: S310 (loopback)
                info = json.loads(resp.read())
        except (OSError, ValueError) as exc:
            raise Incorrect(f"The app on the server does not answer GET /api/info ({exc}).") from None
        if info.get("version") != last.version:
            raise Incorrect(f"The server's app says it is {info.get('version')!r}, not {last.version}.")
        return (f"Run #{last.number} shipped {last.version}: built, tested, pushed, deployed and healthy on the server, "
                "which answers with that version.")


q1 = BrokenTestStopsPipeline()
q2 = FixAndShip()
