"""Chapter 09 exercises (try it): a container that comes back after a crash; a healthcheck of your own."""

from __future__ import annotations


from ..checks import Incorrect, Problem, attempted_container, image_ref, runs_course_image
from ..containers import Container
from ..engine import connect
from ..polling import poll
from ..labels import name as engine_name

__all__ = ["q1", "q2", "HEALTH_INTERVAL", "HEALTH_RETRIES"]

#: what exercise 2 asks of the healthcheck
HEALTH_INTERVAL = 2
HEALTH_RETRIES = 2
_NS = 1_000_000_000


def _flaky_id() -> str | None:
    try:
        return connect().images.get(image_ref("flaky:1")).id
    except Exception:
        return None


class ResilientContainer(Problem):
    title = "Exercise 1: a container that comes back after a crash"
    hints = (
        "`lab.run(..., restart=...)` is `docker run --restart ...`; the policy 'no' (the default) never restarts.",
        "`restart=\"on-failure\"` restarts a program that exits with an error code; then crash it once: "
        "`crash_and_watch(resilient)` from section 2.1 does it and waits until the engine has brought it back.",
    )

    def inspect(self) -> str:
        c = attempted_container("resilient")
        name = engine_name("resilient")
        flaky = _flaky_id()
        if c.image_id != flaky and "flaky" not in c.image:
            raise Incorrect(f"'{name}' runs the image {c.image!r}: use your flaky:1 image, the one that can crash.")
        policy = c.restart_policy
        if policy in ("", "no"):
            raise Incorrect(f"'{name}' has the restart policy 'no': after a crash the engine leaves it stopped.")
        state = c.attrs.get("State") or {}
        if c.restart_count == 0:
            if c.status == "exited":
                raise Incorrect(f"'{name}' (policy {policy!r}) is stopped and was never restarted: stopping it "
                                "yourself is not a crash. Make its program crash instead (`touch /tmp/crash`).")
            raise Incorrect(f"The policy {policy!r} is set, but '{name}' has not crashed yet, so we cannot see it "
                            "come back: make its program crash once, then check again.")
        if state.get("Restarting") or c.status == "restarting":
            raise Incorrect(f"'{name}' is restarting right now: check again in a second.")
        if c.status != "running":
            raise Incorrect(f"'{name}' restarted {c.restart_count} time(s) but is {c.status} now: did it run out of "
                            "retries, or did you stop it?")
        return (f"The engine restarted '{name}' {c.restart_count} time(s) after a crash (policy {policy!r}). "
                "Same container, same files: a restart is not a new container.")


def _own_healthcheck(c: Container) -> dict:
    """The healthcheck the container was run with (the image's when it was given none)."""
    return dict((c.attrs.get("Config") or {}).get("Healthcheck") or {})


class OwnHealthcheck(Problem):
    title = "Exercise 2: a healthcheck of your own"
    hints = (
        "`lab.run(..., healthcheck={...})` is `docker run --health-cmd … --health-interval … --health-retries …`: "
        "times in seconds.",
        "healthcheck={\"test\": [\"CMD\", \"/usr/local/bin/healthcheck\"], \"interval\": 2, \"retries\": 2}, and "
        "wait=\"healthy\" so the cell returns once the first checks passed.",
    )

    def inspect(self) -> str:
        c = attempted_container("checked")
        name = engine_name("checked")
        if not runs_course_image(c, "backend"):
            raise Incorrect(f"'{name}' runs {c.image!r}, not the course's backend image.")
        check = _own_healthcheck(c)
        interval = (check.get("Interval") or 0) / _NS
        retries = int(check.get("Retries") or 0)
        if not check.get("Test") or check.get("Test") == ["NONE"]:
            raise Incorrect(f"'{name}' has no healthcheck at all (`--no-healthcheck`?): the engine cannot tell if it "
                            "works.")
        if interval in (0, 10):
            raise Incorrect(f"'{name}' uses the image's own check, every 10 s: give it an interval of "
                            f"{HEALTH_INTERVAL} s.")
        if interval != HEALTH_INTERVAL or retries != HEALTH_RETRIES:
            raise Incorrect(f"'{name}' checks every {interval:g} s with {retries or 'the default 3'} retries: the "
                            f"exercise asks for every {HEALTH_INTERVAL} s and {HEALTH_RETRIES} retries.")
        poll(lambda: c.reload().health != "starting", timeout=8)  # a check that just started says so for a moment
        if c.status != "running":
            raise Incorrect(f"'{name}' is {c.status}: it should keep running (read its logs).")
        if c.health != "healthy":
            last = (c.health_log[-1].output.strip()[-120:] or f"nothing (exit code {c.health_log[-1].exit_code})"
                    if c.health_log else "nothing yet")
            if c.health == "starting":
                raise Incorrect(f"'{name}' is not healthy yet (still starting): no check has passed. Wait a few seconds "
                                f"and check again; if it stays so, look at the test command (its last check said "
                                f"{last}).")
            raise Incorrect(f"'{name}' is {c.health}: its last check said {last}. Is the test command right?")
        return (f"'{name}' is checked every {interval:g} s and is healthy: a sick backend now shows within "
                f"{interval * retries:g} s or so.")


q1 = ResilientContainer()
q2 = OwnHealthcheck()
