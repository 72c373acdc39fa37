"""Chapter 10 exercises (try it, one per section), all on the learner's own Swarm service `web`: create it, kill a
replica, scale it, update it, roll it back — and the Kubernetes command for a rollout that fails. Each check reads
the service's spec and its tasks, so `docker service …` in a terminal counts too, and an earlier exercise stays
Correct after the later ones."""

from __future__ import annotations

from typing import Any

import docker

from ..checks import AnswerProblem, Incorrect, NotAttempted, Problem, image_ref
from ..engine import connect
from ..i18n import N_, _
from ..labels import name as engine_name
from ..polling import poll
from ..services import Service, find as find_service

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "WEB", "REPLICAS", "SCALED"]

WEB = "web"
#: exercise 1's replicas, and exercise 3's
REPLICAS = 2
SCALED = 3
#: the chapter's two versions of the app, as the checks name them
CHAPTER_TAGS = ("todo:v1", "todo:v2")


#: a service's update state as a learner reads it
STATES = {"updating": N_("updating"), "rollback_started": N_("rolling back")}


def _tag(image: str) -> str:
    """'alice/todo:v1@sha256:…' → 'todo:v1'. An image named otherwise — by its ID, or by another tag of the same
    image (`docker tag todo:v1 todo:stable`) — is the chapter's todo:v1 or todo:v2 when it is that very image."""
    short = image.split("@")[0].rsplit("/", 1)[-1]
    if short in CHAPTER_TAGS:
        return short
    return _chapter_tag_of(image.split("@")[0]) or short


def _chapter_tag_of(ref: str) -> str | None:
    """'todo:v1' or 'todo:v2' when ``ref`` is the same image (same ID) as that tag of yours, else None."""
    client = connect()
    try:
        wanted = client.images.get(ref).id
    except docker.errors.DockerException:
        return None
    for tag in CHAPTER_TAGS:
        try:
            if client.images.get(image_ref(tag)).id == wanted:
                return tag
        except docker.errors.DockerException:
            continue
    return None


def _web(exercise: int) -> Service:
    web = find_service(WEB)
    if web is None:
        if exercise > 1:
            raise NotAttempted(_("There is no service named '{name}' yet: create it first (exercise 1).").format(
                name=engine_name(WEB)))
        raise NotAttempted(_("There is no service named '{name}' yet: create it.").format(name=engine_name(WEB)))
    return web


def _attrs(web: Service) -> dict[str, Any]:
    return web.reload().sdk.attrs


def _previous_image(web: Service) -> str | None:
    previous = (_attrs(web).get("PreviousSpec") or {}).get("TaskTemplate", {}).get("ContainerSpec", {})
    return _tag(previous["Image"]) if previous.get("Image") else None


def _converged(web: Service, seconds: float = 15) -> int:
    """The number of running tasks once it matches the spec (or after ``seconds``)."""
    counts: list[int] = []

    def matches() -> bool:
        counts.append(len(web.tasks(running=True)))
        return counts[-1] == web.replicas

    poll(matches, timeout=seconds, interval=0.5)
    return counts[-1]


def _running_images(web: Service) -> set[str]:
    return {_tag(t["Spec"]["ContainerSpec"]["Image"]) for t in web.tasks(running=True)}


def _ever_ran(web: Service, image: str) -> bool:
    """Did a task of ``web`` ever run ``image`` (the task history, or the spec before the last change)?"""
    return _previous_image(web) == image or any(
        _tag(t["Spec"]["ContainerSpec"]["Image"]) == image and t["Status"]["State"] in ("running", "shutdown")
        for t in web.tasks())


def _failed_images(web: Service) -> list[str]:
    """Images other than the chapter's whose tasks failed: an update that was rolled back."""
    return sorted({_tag(t["Spec"]["ContainerSpec"]["Image"]) for t in web.tasks()
                   if t["Status"]["State"] in ("failed", "rejected")} - set(CHAPTER_TAGS))


class CreateWeb(Problem):
    title = N_("Exercise 1: a service of your own")
    hints = (
        N_("`services.create(name, image, replicas=…)` is `docker service create --name … --replicas …`; give it the "
           "chapter's healthcheck and tmpfs like `todo`."),
        N_("services.create(\"web\", \"todo:v1\", replicas=2, healthcheck=HEALTH, tmpfs=[\"/data\"])."),
    )

    def inspect(self) -> str:
        web = _web(1)
        image = _tag(web.image)
        updated = bool(_attrs(web).get("UpdateStatus"))
        if image != "todo:v1" and not (updated and image in ("todo:v2", "todo:v1")):
            raise Incorrect(_("'{name}' runs {image!r}: the exercise asks for the chapter's todo:v1.").format(
                name=web.name, image=image))
        if web.replicas < REPLICAS:
            raise Incorrect(_("'{name}' asks for {count} replica(s): with one copy, a crash means nobody answers. The "
                              "exercise asks for {wanted}.").format(name=web.name, count=web.replicas, wanted=REPLICAS))
        running = _converged(web)
        if running != web.replicas:
            raise Incorrect(_("'{name}' asks for {count} replicas but {running} run: give the orchestrator a moment "
                              "(`docker service ps {name}` shows why).").format(
                                  name=web.name, count=web.replicas, running=running))
        return _("'{name}' runs {running} replicas of {image}: the orchestrator keeps them running from now "
                 "on.").format(name=web.name, running=running, image=image)


class KillReplica(Problem):
    title = N_("Exercise 2: kill one of web's replicas")
    hints = (
        N_("`web.containers()` are the running tasks' containers; `.kill()` one of them (or `docker kill` it)."),
        N_("web = services.get(\"web\"); victim = web.containers()[0]; victim.kill(); web.wait_replaced(victim.id)."),
    )

    def inspect(self) -> str:
        web = _web(2)
        killed = [t for t in web.tasks() if t["Status"]["State"] in ("failed", "complete")
                  and "unhealthy" not in t["Status"].get("Err", "")]
        if not killed:
            raise NotAttempted(_("No task of '{name}' has been killed yet: kill one of its containers (they are named "
                                 "{name}.<slot>.<id>).").format(name=web.name))
        running = _converged(web, 60)
        if running != web.replicas:
            raise Incorrect(_("A task of '{name}' was killed, but {running} of {count} run now: the replacement has "
                              "not started yet. Check again in a few seconds.").format(
                                  name=web.name, running=running, count=web.replicas))
        task = killed[0]
        code = (task["Status"].get("ContainerStatus") or {}).get("ExitCode")
        return _("The task in slot {slot} ended (exit code {code}) and the orchestrator started a new one: {running} "
                 "of {count} run, as declared. A new container, not a restart.").format(
                     slot=task.get("Slot"), code=code, running=running, count=web.replicas)


class ScaleWeb(Problem):
    title = N_("Exercise 3: scale web to 3")
    hints = (
        N_("Scaling changes only the number of replicas in the spec; the orchestrator starts or stops tasks to match."),
        N_("`services.get(\"web\").scale(3)` is `docker service scale web=3`."),
    )

    def inspect(self) -> str:
        web = _web(3)
        wanted = web.replicas
        if wanted == REPLICAS:
            raise NotAttempted(_("'{name}' still asks for the {count} replicas of exercise 1.").format(
                name=web.name, count=REPLICAS))
        if wanted != SCALED:
            raise Incorrect(_("'{name}' asks for {count} replica(s), not the {wanted} the exercise asks for.").format(
                name=web.name, count=wanted, wanted=SCALED))
        running = _converged(web, 60)
        if running != SCALED:
            raise Incorrect(_("The spec asks for {wanted}, but {running} task(s) run right now: give the orchestrator "
                              "a moment, then check again.").format(wanted=SCALED, running=running))
        return _("'{name}' runs {count} replicas: the orchestrator started one more to match the spec.").format(
            name=web.name, count=SCALED)


class UpdateWeb(Problem):
    title = N_("Exercise 4: a rolling update of web to v2")
    hints = (
        N_("`docker service update --image IMAGE NAME` is `service.update_image(image)`: it replaces the tasks one by "
           "one."),
        N_("`services.get(\"web\").update_image(\"todo:v2\")` (it waits until the update is over)."),
    )

    def inspect(self) -> str:
        web = _web(4)
        image, state = _tag(web.image), web.update_state
        if state in ("updating", "rollback_started"):
            raise Incorrect(_("'{name}' is still {state}: check again when it is over.").format(
                name=web.name, state=_(STATES[state])))
        if image == "todo:v2" and state in ("completed", None):
            running = _running_images(web)
            if running != {"todo:v2"}:
                raise Incorrect(_("The spec says todo:v2, but the running tasks run {images}: the update is not over "
                                  "yet.").format(images=sorted(running)))
            return _("'{name}' was rolled out to todo:v2, one task at a time; every running task runs v2.").format(
                name=web.name)
        if image == "todo:v1" and _ever_ran(web, "todo:v2"):
            return _("'{name}' was updated to todo:v2 (and rolled back since, in exercise 5): the update "
                     "happened.").format(name=web.name)
        failed = _failed_images(web)
        if image == "todo:v1" and failed:
            raise Incorrect(_("'{name}' was updated to {image!r}, whose tasks failed, and rolled back by itself: "
                              "update it to todo:v2.").format(name=web.name, image=failed[0]))
        if image == "todo:v1":
            raise NotAttempted(_("'{name}' still runs todo:v1: update it to todo:v2.").format(name=web.name))
        raise Incorrect(_("'{name}' runs {image!r}: the exercise asks for todo:v2.").format(name=web.name, image=image))


class RollBackWeb(Problem):
    title = N_("Exercise 5: roll web back")
    hints = (
        N_("A Swarm service remembers the spec before its last change; `docker service rollback` goes back to it."),
        N_("`services.get(\"web\").rollback()` (it waits until the rollback is over)."),
    )

    def inspect(self) -> str:
        web = _web(5)
        image, state, previous = _tag(web.image), web.update_state, _previous_image(web)
        if state in ("updating", "rollback_started"):
            raise Incorrect(_("'{name}' is still {state}: check again when it is over.").format(
                name=web.name, state=_(STATES[state])))
        if image == "todo:v1" and (previous == "todo:v2" or _ever_ran(web, "todo:v2")):
            running = _running_images(web)
            if running != {"todo:v1"}:
                raise Incorrect(_("The spec says v1, but the running tasks run {images}: the rollback is not over yet. "
                                  "Wait a few seconds and check again.").format(images=sorted(running)))
            if state and state.startswith("rollback"):
                return _("'{name}' rolled back to todo:v1; every running task runs v1 again.").format(name=web.name)
            return _("'{name}' updated back to todo:v1; every running task runs v1 again.").format(name=web.name)
        if image == "todo:v2" and state and state.startswith("rollback"):
            raise Incorrect(_("'{name}' went back and forth: it runs todo:v2 again. A rollback returns to the spec "
                              "before the last change — after one rollback, that spec is the v2 one. Roll back once "
                              "more.").format(name=web.name))
        if image == "todo:v2":
            raise NotAttempted(_("'{name}' runs todo:v2: roll it back.").format(name=web.name))
        if image == "todo:v1" and state and state.startswith("rollback"):
            raise Incorrect(_("Your rollback undid '{name}''s last change, which was not the update to v2 (it asks for "
                              "{count} replicas now). Re-run exercise 3's and exercise 4's cells, then roll "
                              "back.").format(name=web.name, count=web.replicas))
        if image == "todo:v1":
            raise NotAttempted(_("'{name}' was never updated to v2, so there is nothing to roll back: do exercise 4 "
                                 "first.").format(name=web.name))
        raise Incorrect(_("'{name}' runs {image!r}, which is not the version it ran before the update.").format(
            name=web.name, image=image))


class KubernetesRollback(AnswerProblem):
    title = N_("Exercise 6: a Kubernetes rollout that fails")
    hints = (
        N_("Kubernetes' command-line tool is `kubectl`; a Deployment's rollouts are managed with `kubectl rollout …`."),
        N_("`kubectl rollout undo deployment/<name>` goes back to the previous revision — Swarm's `docker service "
           "rollback`."),
    )
    placeholder = "____"
    answer = "kubectl rollout undo deployment/web"

    def example(self) -> object:
        return "kubectl get pods"

    def normalize(self, value: object) -> object:
        if not isinstance(value, str):
            return value
        words = value.replace("/", " ").split()
        return " ".join(words[:3]).lower()  # "kubectl rollout undo" (+ deployment/web, deploy web, …)

    def inspect(self) -> str:
        given = self._given
        if isinstance(given, str) and given.strip() and given != self.placeholder:
            rest = given.lower().replace("/", " ").split()[3:]
            names = [w for w in rest if w not in ("deployment", "deployments", "deploy") and not w.startswith("-")]
            if self.normalize(given) == "kubectl rollout undo" and names and "web" not in names:
                raise Incorrect(_("{given!r} undoes the rollout of something else: name the Deployment web.").format(
                    given=given))
        return super().inspect()

    def why_wrong(self, given: object) -> str:
        text = str(given).lower()
        if "docker service" in text:
            return _("That is Swarm's command. The team runs web as a Kubernetes Deployment: which tool talks to it?")
        if any(w in text for w in ("nothing", "itself", "automatic", "wait", "자동", "기다")):
            return _("A Deployment does not roll back by itself: its old pods keep serving, the rollout stalls, and "
                     "after progressDeadlineSeconds it is marked failed — then it waits for someone.")
        if "rollout" in text and "kubectl" in text:
            return _("Close: `kubectl rollout status` and `history` look; one other subcommand goes back.")
        return _("{given!r} does not bring the previous version back. Try hint().").format(given=given)

    def why_right(self) -> str:
        return _("Right: `kubectl rollout undo` goes back to the previous revision. Unlike Swarm's "
                 "--update-failure-action rollback, Kubernetes waits for someone (or a CD tool) to run it.")


q1 = CreateWeb()
q2 = KillReplica()
q3 = ScaleWeb()
q4 = UpdateWeb()
q5 = RollBackWeb()
q6 = KubernetesRollback()
