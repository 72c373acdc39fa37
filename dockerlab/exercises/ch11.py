"""Chapter 11 exercises: a broken test stops the pipeline before deploy; fix it and ship."""

from __future__ import annotations

import json
import urllib.request

from ..checks import HTTP_TIMEOUT, Incorrect, NotAttempted, Problem, state_words
from ..course.pipeline import find_server_client, server_container
from ..course.pipeline_runs import PipelineRun, load_runs
from ..course.registry import find_registry
from ..i18n import N_, _

__all__ = ["q1", "q2", "DEMO", "learner_runs"]

#: notes of the chapter's own runs start with this: the checks look only at the runs you made
DEMO = "demo"
REPO = "todo-backend"


def learner_runs() -> list[PipelineRun]:
    """Your pipeline runs (not the chapter's demonstration runs), oldest first."""
    return [r for r in load_runs() if not r.note.startswith(DEMO)]


class BrokenTestStopsPipeline(Problem):
    title = N_("Exercise 1: a failing test stops the pipeline")
    hints = (
        N_("Change the workspace's sources (`pipe.workspace`) so that one of the backend's tests fails, then run "
           "`pipe.run()` and read the step table."),
        N_("The test `testHealthAndInfo` expects /actuator/health to answer {\"status\":\"UP\"}: change \"UP\" in "
           'the line `Map.of("status", "UP")` of TodoController.java (in pipe.workspace) and run the pipeline.'),
    )

    def inspect(self) -> str:
        runs = learner_runs()
        if not runs:
            raise NotAttempted(_("No pipeline run of yours yet: break a test in pipe.workspace, then run pipe.run()."))
        # the latest run a failing test stopped: exercise 2's successful run after it must not undo this answer
        stopped = [r for r in runs if not r.ok and r.failed_at == "test"]
        last = stopped[-1] if stopped else runs[-1]
        if last.ok:
            raise Incorrect(_("Your last run (#{number}) passed every step and deployed {version}: your change broke "
                              "no test, so nothing stopped it.").format(number=last.number, version=last.version))
        if last.failed_at != "test":
            raise Incorrect(_("Your last run (#{number}) stopped at '{step}', not at the test step: the sources must "
                              "compile, and a test must fail.").format(number=last.number, step=last.failed_at))
        if last.deployed is not None or any(s.status != "skipped" for s in last.steps
                                            if s.name in ("package", "push", "deploy")):
            raise Incorrect(_("Your last run failed its tests but still went on: that is not what the pipeline did."))
        reg = find_registry()
        if reg is not None and last.version in reg.tags(REPO):
            raise Incorrect(_("The registry holds {version}: the broken version was pushed.").format(
                version=last.version))
        if last is not runs[-1]:  # later runs (exercise 2) changed the server since: that run's record is the proof
            return _("Run #{number} ({version}) failed at the test step; package, push and deploy never ran, and the "
                     "server kept {release}. A failing test protects production.").format(
                         number=last.number, version=last.version, release=last.server_before)
        server = find_server_client()
        now = None
        if server is not None:
            c = server_container(server)  # running or stopped: its release says what was deployed last
            now = c.labels.get("org.dockerlab.release") if c is not None else None
        if now != last.server_before:
            raise Incorrect(_("The server ran {before} before your run and runs {now} now: something was deployed "
                              "after all.").format(before=last.server_before, now=now))
        return _("Run #{number} ({version}) failed at the test step; package, push and deploy never ran, and the "
                 "server still runs {release}. A failing test protects production.").format(
                     number=last.number, version=last.version, release=now)


class FixAndShip(Problem):
    title = N_("Exercise 2: fix it and ship")
    hints = (
        N_("Undo your change in pipe.workspace (or take a fresh copy of the sources), then run the pipeline again."),
        N_("`pipe.checkout(fresh=True)` copies the original sources again; then `pipe.run()`."),
    )

    def inspect(self) -> str:
        runs = learner_runs()
        if not runs:
            raise NotAttempted(_("No pipeline run of yours yet: run pipe.run() after your fix."))
        last = runs[-1]
        if not last.ok:
            raise Incorrect(_("Your last run (#{number}) stopped at '{step}': fix that, then run the pipeline "
                              "again.").format(number=last.number, step=last.failed_at))
        server = find_server_client()
        if server is None:
            raise Incorrect(_("The cloud server is not running: run the cell that starts it, then the pipeline again."))
        c = server_container(server)
        if c is None:
            raise Incorrect(_("No app runs on the server: run the pipeline again."))
        if c.status != "running":
            raise Incorrect(_("The app on the server ({name}) is {state}: start it again (`docker start {name}` against "
                              "the cloud server), or run the pipeline again.").format(name=c.name, state=state_words(c)))
        release = c.labels.get("org.dockerlab.release")
        if release != last.version:
            raise Incorrect(_("The server runs {release}, not {version} that your last run deployed.").format(
                release=release, version=last.version))
        try:
            with urllib.request.urlopen(c.url(8080, "/api/info"), timeout=HTTP_TIMEOUT) as resp:  # noqa: S310 (loopback)
                info = json.loads(resp.read())
        except (OSError, ValueError) as exc:
            raise Incorrect(_("The app on the server does not answer GET /api/info ({error}).").format(
                error=exc)) from None
        if info.get("version") != last.version:
            raise Incorrect(_("The server's app says it is {said!r}, not {version}.").format(
                said=info.get("version"), version=last.version))
        return _("Run #{number} shipped {version}: built, tested, pushed, deployed and healthy on the server, which "
                 "answers with that version.").format(number=last.number, version=last.version)


q1 = BrokenTestStopsPipeline()
q2 = FixAndShip()
