"""Chapter 09 exercises (try it): a container that comes back after a crash; a healthcheck of your own."""

from __future__ import annotations


from ..checks import Incorrect, Problem, attempted_container, image_ref, runs_course_image, state_words
from ..containers import Container
from ..engine import connect
from ..i18n import N_, _
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
    title = N_("Exercise 1: a container that comes back after a crash")
    hints = (
        N_("`lab.run(..., restart=...)` is `docker run --restart ...`; the policy 'no' (the default) never restarts."),
        N_("`restart=\"on-failure\"` restarts a program that exits with an error code; then crash it once: "
           "`crash_and_watch(resilient)` from section 2.1 does it and waits until the engine has brought it back."),
    )

    def inspect(self) -> str:
        c = attempted_container("resilient")
        name = engine_name("resilient")
        flaky = _flaky_id()
        if c.image_id != flaky and "flaky" not in c.image:
            raise Incorrect(_("'{name}' runs the image {image!r}: use your flaky:1 image, the one that can "
                              "crash.").format(name=name, image=c.image))
        policy = c.restart_policy
        if policy in ("", "no"):
            raise Incorrect(_("'{name}' has the restart policy 'no': after a crash the engine leaves it "
                              "stopped.").format(name=name))
        state = c.attrs.get("State") or {}
        if c.restart_count == 0:
            if c.status == "exited":
                raise Incorrect(_("'{name}' (policy {policy!r}) is stopped and was never restarted: stopping it "
                                  "yourself is not a crash. Make its program crash instead (`touch "
                                  "/tmp/crash`).").format(name=name, policy=policy))
            raise Incorrect(_("The policy {policy!r} is set, but '{name}' has not crashed yet, so we cannot see it "
                              "come back: make its program crash once, then check again.").format(
                                  name=name, policy=policy))
        if state.get("Restarting") or c.status == "restarting":
            raise Incorrect(_("'{name}' is restarting right now: check again in a second.").format(name=name))
        if c.status != "running":
            raise Incorrect(_("'{name}' restarted {count} time(s) but is {state} now: did it run out of retries "
                              "(`on-failure:N`), or did you stop it?").format(name=name, count=c.restart_count,
                                                                             state=state_words(c)))
        return _("The engine restarted '{name}' {count} time(s) after a crash (policy {policy!r}). Same container, "
                 "same files: a restart is not a new container.").format(
                     name=name, count=c.restart_count, policy=policy)


def _own_healthcheck(c: Container) -> dict:
    """The healthcheck the container was run with (the image's when it was given none)."""
    return dict((c.attrs.get("Config") or {}).get("Healthcheck") or {})


class OwnHealthcheck(Problem):
    title = N_("Exercise 2: a healthcheck of your own")
    hints = (
        N_("`lab.run(..., healthcheck={...})` is `docker run --health-cmd … --health-interval … --health-retries …`: "
           "times in seconds."),
        N_("healthcheck={\"test\": [\"CMD\", \"/usr/local/bin/healthcheck\"], \"interval\": 2, \"retries\": 2}, and "
           "wait=\"healthy\" so the cell returns once the first checks passed."),
    )

    def inspect(self) -> str:
        c = attempted_container("checked")
        name = engine_name("checked")
        if not runs_course_image(c, "backend"):
            raise Incorrect(_("'{name}' runs {image!r}, not the course's backend image.").format(
                name=name, image=c.image))
        check = _own_healthcheck(c)
        interval = (check.get("Interval") or 0) / _NS
        retries = int(check.get("Retries") or 0)
        if not check.get("Test") or check.get("Test") == ["NONE"]:
            raise Incorrect(_("'{name}' has no healthcheck at all (`--no-healthcheck`?): the engine cannot tell if it "
                              "works.").format(name=name))
        if interval in (0, 10):
            raise Incorrect(_("'{name}' uses the image's own check, every 10 s: give it an interval of {interval} "
                              "s.").format(name=name, interval=HEALTH_INTERVAL))
        if interval != HEALTH_INTERVAL or retries != HEALTH_RETRIES:
            raise Incorrect(_("'{name}' checks every {interval:g} s with {retries} retries: the exercise asks for "
                              "every {wanted} s and {wanted_retries} retries.").format(
                                  name=name, interval=interval, retries=retries or _("the default 3"),
                                  wanted=HEALTH_INTERVAL, wanted_retries=HEALTH_RETRIES))
        poll(lambda: c.reload().health != "starting", timeout=8)  # a check that just started says so for a moment
        if c.status != "running":
            raise Incorrect(_("'{name}' is {state}: it should keep running (read its logs: `docker logs "
                              "{name}`).").format(name=name, state=state_words(c)))
        if c.health != "healthy":
            last = (c.health_log[-1].output.strip()[-120:] or _("nothing (exit code {code})").format(
                code=c.health_log[-1].exit_code) if c.health_log else _("nothing yet"))
            if c.health == "starting":
                raise Incorrect(_("'{name}' is not healthy yet (still starting): no check has passed. Wait a few "
                                  "seconds and check again; if it stays so, look at the test command (its last check "
                                  "said {last}).").format(name=name, last=last))
            raise Incorrect(_("'{name}' is {health}: its last check said {last}. Is the test command right?").format(
                name=name, health=c.health, last=last))
        return _("'{name}' is checked every {interval:g} s and is healthy: a sick backend now shows within {seconds:g} "
                 "s or so.").format(name=name, interval=interval, seconds=interval * retries)


q1 = ResilientContainer()
q2 = OwnHealthcheck()
