"""Chapter 02 exercises: build an image, order a Dockerfile for the build cache, tag an image, containerize an app."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import docker
import docker.errors

from ..builder import offline_line
from ..checks import HTTP_TIMEOUT, AnswerProblem, Incorrect, NotAttempted, Problem, image_ref, start_failure
from ..docker_run import run
from ..course import copy_app, work_folder
from ..engine import connect, patient
from ..errors import BuildFailed, ContainerExited, DockerlabError, ReadyTimeout
from ..images import BuildResult, build, remove
from ..labels import ROLE, kit_labels
from ..waiting import Http
from ..i18n import N_, _

__all__ = ["q1", "q2", "q3", "q4", "GREETING", "SLOW_STEP", "APP", "app_folder", "fresh_app"]

GREETING = "Hello, Docker!"
SLOW_STEP = "RUN dd if=/dev/zero of=/opt/deps.bin bs=1M count=5 status=none && sleep 2"
_INSTRUCTIONS = ("FROM debian:bookworm-slim", "COPY app.txt /app/app.txt", SLOW_STEP, 'CMD ["cat", "/app/app.txt"]')


def _image(short_tag: str, client: docker.DockerClient) -> docker.models.images.Image | None:
    repo, _colon, version = short_tag.partition(":")
    try:
        return client.images.get(image_ref(short_tag))
    except docker.errors.ImageNotFound:
        return None


def _run_once(client: docker.DockerClient, image_id: str, timeout: float = 20) -> tuple[int, str]:
    """Run the image's default command in a labelled throw-away container: (exit code, output)."""
    c = patient(client).containers.create(image_id, labels=kit_labels(extra={"org.dockerlab.role": "check"}),
                                          mem_limit="256m", pids_limit=64)
    try:
        try:
            c.start()
        except docker.errors.APIError as err:  # the image's command is not a program: the learner's to fix
            raise start_failure(err, _("A container from your image")) from None
        try:
            code = int(c.wait(timeout=timeout)["StatusCode"])
        except Exception:
            return -1, _("(it was still running after {seconds} s)").format(seconds=timeout)
        return code, c.logs().decode("utf-8", "replace")
    finally:
        c.remove(force=True, v=True)  # with an anonymous volume the image may declare


class BuildGreeter(Problem):
    title = N_("Exercise 1: build your own image")
    hints = (
        N_("Two instructions are enough: FROM (the base image) and CMD (what a container runs when it starts)."),
        N_("A CMD that prints a text: `CMD [\"echo\", \"...\"]`. Build it with "
           "`lab.build(\"greeter:v1\", dockerfile=\"FROM debian:bookworm-slim\\nCMD [...]\\n\")`."),
    )

    def inspect(self) -> str:
        client = connect()
        image = _image("greeter:v1", client)
        if image is None:
            if _image("greeter:latest", client) is not None:
                raise Incorrect(_("You built greeter:latest: give the tag its version, greeter:v1."))
            raise NotAttempted(_("There is no image {ref} yet: build it in the cell above first.").format(
                ref=image_ref("greeter:v1")))
        code, out = _run_once(client, image.id)
        if code != 0:
            raise Incorrect(_("A container from greeter:v1 exited with code {code}; it printed: {output!r}").format(
                code=code, output=out.strip()[:200]))
        if out.strip() != GREETING:
            shown = out.strip()[:120] or _("nothing")
            raise Incorrect(_("A container from greeter:v1 printed {shown!r}, not the greeting the exercise asks for.")
                            .format(shown=shown))
        return _("A container from greeter:v1 says hello. That CMD is part of the image: every container gets it.")


class ReorderForCache(AnswerProblem):
    title = N_("Exercise 2: fix the order")
    hints = (
        N_("Which step is slow and does not need app.txt? Which step changes every time you edit app.txt?"),
        N_("Keep FROM first and CMD last; move the RUN step above the COPY step."),
    )
    placeholder = "____"

    def example(self) -> object:
        return "FROM debian:bookworm-slim\n…"

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [" ".join(line.split()) for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]

    def _build(self, dockerfile: str, content: str) -> BuildResult:
        try:
            return build("order-check:v1", dockerfile=dockerfile, files={"app.txt": content}, role="check")
        except BuildFailed as err:
            raise Incorrect(_("Your Dockerfile does not build: {what}").format(what=err.what)) from None

    def inspect(self) -> str:
        given = self._given
        if given is None or given is self.placeholder or not str(given).strip() or given == "____":
            raise NotAttempted(_("Put your Dockerfile in good_dockerfile (replace the ____), then run this check."))
        lines = self._lines(str(given))
        wanted = [" ".join(i.split()) for i in _INSTRUCTIONS]
        missing = [w for w in wanted if w not in lines]
        if missing:
            raise Incorrect(_("Your Dockerfile lacks this instruction of the original: {line!r}. Keep every instruction "
                              "as it is; only change their order.").format(line=missing[0]))
        extra = [line for line in lines if line not in wanted]
        if extra:
            raise Incorrect(_("Your Dockerfile has a line the original does not: {line!r}. Only change the order.")
                            .format(line=extra[0]))
        twice = next((line for line in wanted if lines.count(line) > 1), None)
        if twice:
            raise Incorrect(_("{line!r} is in your Dockerfile {count} times: you copied it to its new place but did not "
                              "remove it from the old one.").format(line=twice, count=lines.count(twice)))
        client = connect()
        results: list[BuildResult] = []
        try:
            results.append(self._build(str(given), "version 1\n"))
            results.append(self._build(str(given), f"version 2, edited at {time.monotonic_ns()}\n"))
            code, out = _run_once(client, results[-1].id)
        finally:
            for r in results:
                try:
                    remove(r.id, client, force=True)
                except DockerlabError:
                    pass
        slow = next((s for s in results[-1].steps if " ".join(s.instruction.split()) == SLOW_STEP), None)
        if slow is None:
            raise Incorrect(_("The check could not find the slow RUN step in your build."))
        if not slow.cached:
            raise Incorrect(_("After editing app.txt the slow RUN step ran again: a step is rebuilt when any step above "
                              "it changed. Which step above it depends on app.txt?"))
        if not out.startswith("version 2"):
            raise Incorrect(_("The slow step was cached, but a container from your image does not print the edited "
                              "app.txt (it printed {output!r}).").format(output=out.strip()[:80]))
        return _("After editing app.txt the slow RUN step came from the cache: only COPY and what follows ran again. "
                 "Rarely-changing steps first, your often-changing files last.")

    def why_wrong(self, given: object) -> str:  # not used: inspect decides
        return _("Try hint().")


class TagStable(Problem):
    title = N_("Exercise 3: a second name")
    hints = (
        N_("A new tag is a new name for an image that exists: `lab.images.tag(existing, new)` (`docker tag`)."),
        N_("Tag greeter:v1 as greeter:stable — do not build again: a new build could make a different image."),
    )

    def inspect(self) -> str:
        client = connect()
        stable = _image("greeter:stable", client)
        if stable is None:
            raise NotAttempted(_("There is no image {ref} yet: run your cell above first.").format(
                ref=image_ref("greeter:stable")))
        v1 = _image("greeter:v1", client)
        if v1 is None:
            raise Incorrect(_("{stable} exists, but {v1} does not any more: do exercise 1, then tag it.").format(
                stable=image_ref("greeter:stable"), v1=image_ref("greeter:v1")))
        if stable.id != v1.id:
            raise Incorrect(_("greeter:stable is the image {stable}, and greeter:v1 is {v1}: two different images. A tag "
                              "must point at the same image ID (did you build again?).").format(
                                  stable=stable.short_id, v1=v1.short_id))
        return _("greeter:v1 and greeter:stable both point at {id}: one image, two names. It is stored once; `docker "
                 "images` shows it on two rows.").format(id=v1.short_id)


#: the app of exercise 4 (images/ch02-app) and the port it listens on
APP = "ch02-app"
APP_PORT = 8000
_APP_GREETING = "Hello from a containerized app!"
_NOT_CODE = ("apt-get", "apt ", "pip", "npm", "useradd", "adduser", "groupadd", "addgroup")


def app_folder() -> Path:
    """Your copy of the app to containerize (exercise 4): write its Dockerfile here."""
    return work_folder(APP)


def fresh_app() -> Path:
    """Put a fresh copy of the app in :func:`app_folder` (a Dockerfile you wrote there is kept as Dockerfile.old)."""
    return copy_app(APP)


def _get_json(url: str) -> dict:
    try:
        with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT) as resp:  # noqa: S310 (loopback only)
            return json.load(resp)
    except (OSError, ValueError) as exc:
        raise Incorrect(_("GET / of your app answered no JSON ({error}): is it the app of the folder, unchanged?")
                        .format(error=exc)) from None


class ContainerizeApp(Problem):
    title = N_("Exercise 4: containerize this app")
    hints = (
        N_("Four things: a base image with Python 3 (Debian's package python3), the app's file, a user that is not "
           "root, and the command that starts the app (python3 app.py)."),
        N_("Order for the cache: FROM, then RUN apt-get update && apt-get install -y --no-install-recommends python3, "
           "then RUN useradd … (a user), then COPY app.py, then USER and CMD [\"python3\", \"app.py\"] — each word of "
           "the exec form is its own string."),
    )

    def inspect(self) -> str:
        folder = app_folder()
        dockerfile = folder / "Dockerfile"
        if folder.is_dir() and dockerfile.is_dir():
            raise Incorrect(_("{path} is a folder: the Dockerfile must be a file of that name.").format(path=dockerfile))
        if not dockerfile.is_file() or not [line for line in dockerfile.read_text(errors="replace").splitlines()
                                            if line.strip() and not line.lstrip().startswith("#")]:
            where = "" if folder.is_dir() else _(" (run the cell that copies the app there first)")
            raise NotAttempted(_("There is no Dockerfile in {folder} yet{where}: write it there, then check again.")
                               .format(folder=folder, where=where))
        client = connect()
        made: list[str] = []
        try:
            image = self._build("myapp-check:v1", folder, made)
            uid = self._run(image, client)
            if uid == 0:
                user = (image.image.attrs.get("Config") or {}).get("User") or _("none")  # type: ignore[union-attr]
                raise Incorrect(_("Your app runs as root (uid 0; the image's USER: {user}): a bug in it could do "
                                  "anything root can in the container. Add a user and a USER line.").format(user=user))
            with tempfile.TemporaryDirectory(prefix="dockerlab-ch02-check-") as tmp:
                edited_folder = Path(tmp) / APP
                shutil.copytree(folder, edited_folder)
                with open(edited_folder / "app.py", "a") as source:
                    source.write(f"\n# an edit of the source, made by the check ({time.monotonic_ns()})\n")
                edited = self._build("myapp-check:edited", edited_folder, made)
        finally:
            for tag in made:
                try:
                    remove(tag, client, force=True)
                except DockerlabError:
                    pass
        ran = [s for s in edited.steps if not s.cached and not s.instruction.upper().startswith("FROM")]
        again = [s for s in ran if s.instruction.upper().startswith("RUN")]
        if again:
            slow = next((s for s in again if any(w in s.instruction for w in _NOT_CODE)), again[0])
            raise Incorrect(_("After an edit of app.py, step {number} ({instruction}) ran again: every edit of your code "
                              "would redo it. Put the steps that do not need your code above the COPY of your code.")
                            .format(number=slow.number, instruction=slow.instruction[:70]))
        if not any(s.instruction.upper().startswith(("COPY", "ADD")) for s in ran):
            raise Incorrect(_("After an edit of app.py no COPY step ran again: does your image copy app.py?"))
        return _("Your Dockerfile builds, the app answers on port {port} as uid {uid} (not root), and an edit of app.py "
                 "rebuilds only {steps}: the code layers.").format(
                     port=APP_PORT, uid=uid, steps=", ".join(s.instruction.split()[0] for s in ran))

    @staticmethod
    def _build(tag: str, folder: Path, made: list[str]) -> BuildResult:
        try:
            result = build(tag, folder, role="check")
        except BuildFailed as err:
            unreachable = offline_line(err.output)
            if unreachable:  # an offline class: apt-get cannot reach Debian's mirror, whatever the Dockerfile says
                raise Incorrect(_("Your Dockerfile in {folder} stopped at {step}: it downloads from a server this "
                                  "machine cannot reach ({line}). If the address is right, the network is what failed: "
                                  "check it (in a class without one, ask your teacher), then check again.").format(
                                      folder=folder, step=err.step, line=unreachable[:120])) from None
            raise Incorrect(_("Your Dockerfile in {folder} does not build: {what}").format(folder=folder, what=err.what)) \
                from None
        made.append(result.tag)
        return result

    @staticmethod
    def _run(image: BuildResult, client: docker.DockerClient) -> int:
        """Run the image, wait for GET /health on its port; the uid the app reports."""
        try:
            c = run("myapp-check", image.id, ports={APP_PORT: None}, labels={ROLE: "check"}, mem_limit="256m",
                    wait=Http("/health", APP_PORT), timeout=30, client=client)
        except (ContainerExited, ReadyTimeout) as err:
            raise Incorrect(_("A container from your image did not answer on port {port}: {what} ").format(
                port=APP_PORT, what=err.what) + " | ".join(err.details[-4:])) from None
        except DockerlabError as err:
            raise start_failure(err, _("A container from your image")) from None
        try:
            answer = _get_json(c.url(APP_PORT, "/"))
        finally:
            c.remove()
        if answer.get("message") != _APP_GREETING:
            raise Incorrect(_("GET / answered {answer!r}, not the app's greeting: is it the app of the folder?").format(
                answer=answer))
        return int(answer.get("uid", -1))


q1 = BuildGreeter()
q2 = ReorderForCache()
q3 = TagStable()
q4 = ContainerizeApp()
