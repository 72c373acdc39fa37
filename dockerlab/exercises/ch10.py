"""Chapter 10 exercises: a restart policy that survives a crash; roll a Swarm service back; scale it."""

from __future__ import annotations

from ..checks import Incorrect, NotAttempted, Problem, attempted_container
from ..services import find as find_service

__all__ = ["q1", "q2", "q3", "WEB_REPLICAS"]

#: how many replicas the exercise set-up cell gives the service `web`
WEB_REPLICAS = 3


class ResilientContainer(Problem):
    title = "Exercise 1: a container that comes back after a crash"
    hints = (
        "`lab.run(..., restart=...)` is `docker run --restart ...`; the policy 'no' (the default) never restarts.",
        "`restart=\"on-failure\"` restarts a program that exits with an error code; then crash it once: "
        "`crash_and_watch(resilient)` from section 2.1 does it and waits until the engine has brought it back.",
    )

    def inspect(self) -> str:
        c = attempted_container("resilient")
        if "flaky" not in c.image:
            raise Incorrect(f"'resilient' runs the image {c.image!r}: use your flaky image, the one that can crash.")
        policy, count, status = c.restart_policy, c.restart_count, c.status
        if policy == "no":
            raise Incorrect("'resilient' has the restart policy 'no': after a crash the engine leaves it stopped.")
        if count == 0:
            if status == "exited":
                raise Incorrect(f"'resilient' (policy {policy!r}) has stopped and was never restarted: stopping it "
                                "yourself is not a crash. Make its program crash instead.")
            raise Incorrect(f"The policy {policy!r} is set, but 'resilient' has not crashed yet, so we cannot see it "
                            "come back: make its program crash once, then check again.")
        if status == "restarting":
            raise Incorrect("'resilient' is restarting right now: check again in a second.")
        if status != "running":
            raise Incorrect(f"'resilient' restarted {count} time(s) but is not running now "
                            f"(status {status}): did it run out of retries?")
        return (f"The engine restarted 'resilient' {count} time(s) after a crash (policy {policy!r}). "
                "Same container, same files: a restart is not a new container.")


def _web_image_tag(image: str) -> str:
    return image.split("@")[0].rsplit("/", 1)[-1]


class RollBackWeb(Problem):
    title = "Exercise 2: roll the service back to v1"
    hints = (
        "A Swarm service remembers the spec before its last change; `docker service rollback` goes back to it.",
        "`web = services.get(\"web\")`, then `web.rollback()` (it waits until the rollback is done).",
    )

    def inspect(self) -> str:
        web = find_service("web")
        if web is None:
            raise NotAttempted("There is no service 'web': run the set-up cell above the exercises first.")
        image = _web_image_tag(web.image)
        state = web.update_state
        if image == "todo:v1":
            running = {_web_image_tag(t["Spec"]["ContainerSpec"]["Image"]) for t in web.tasks(running=True)}
            if running != {"todo:v1"}:
                raise Incorrect(f"The spec says v1, but the running tasks are {sorted(running)}: the rollback is not "
                                "over yet. Wait a few seconds and check again.")
            how = "rolled back" if state and state.startswith("rollback") else "updated back"
            return f"web {how} to todo:v1; every running task runs v1 again."
        if image == "todo:v2" and state and state.startswith("rollback"):
            raise Incorrect("web went back and forth: it runs todo:v2 again. A rollback returns to the spec before "
                            "the last change — after one rollback, that spec is the v2 one.")
        if image == "todo:v2":
            raise NotAttempted("web still runs todo:v2, as the set-up cell left it.")
        raise Incorrect(f"web runs {image!r}, which is not the version it ran before the update.")


class ScaleWeb(Problem):
    title = "Exercise 3: scale the service to 2 replicas"
    hints = (
        "Scaling changes only the number of replicas in the spec; the orchestrator starts or stops tasks to match.",
        "`services.get(\"web\").scale(2)` is `docker service scale <name>=2`.",
    )

    def inspect(self) -> str:
        web = find_service("web")
        if web is None:
            raise NotAttempted("There is no service 'web': run the set-up cell above the exercises first.")
        wanted = web.replicas
        if wanted == WEB_REPLICAS:
            raise NotAttempted(f"web still asks for the {WEB_REPLICAS} replicas the set-up cell gave it.")
        if wanted != 2:
            raise Incorrect(f"web's spec asks for {wanted} replica(s), not the number the exercise asks for.")
        running = len(web.tasks(running=True))
        if running != 2:
            raise Incorrect(f"The spec asks for 2, but {running} task(s) run right now: give the orchestrator a "
                            "moment, then check again.")
        return "web runs 2 replicas: the orchestrator stopped the extra task to match the spec."


q1 = ResilientContainer()
q2 = RollBackWeb()
q3 = ScaleWeb()
