"""Chapter 02 exercises: build an image, order a Dockerfile for the build cache, tag an image."""

from __future__ import annotations

import time

import docker
import docker.errors

from ..checks import AnswerProblem, Incorrect, NotAttempted, Problem, image_ref
from ..engine import connect
from ..errors import BuildFailed, DockerlabError
from ..images import BuildResult, build, remove
from ..labels import kit_labels

__all__ = ["q1", "q2", "q3", "GREETING", "SLOW_STEP"]

GREETING = "Hello, Docker!"
SLOW_STEP = "RUN dd if=/dev/zero of=/opt/deps.bin bs=1M count=5 status=none && sleep 2"
_INSTRUCTIONS = ("FROM debian:bookworm-slim", "COPY app.txt /app/app.txt", SLOW_STEP, 'CMD ["cat", "/app/app.txt"]')


def _image(short_tag: str, client: docker.DockerClient) -> docker.models.images.Image | None:
    repo, _, version = short_tag.partition(":")
    try:
        return client.images.get(image_ref(short_tag))
    except docker.errors.ImageNotFound:
        return None


def _run_once(client: docker.DockerClient, image_id: str, timeout: float = 20) -> tuple[int, str]:
    """Run the image's default command in a labelled throw-away container: (exit code, output)."""
    c = client.containers.create(image_id, labels=kit_labels(extra={"org.dockerlab.role": "check"}),
                                 mem_limit="256m", pids_limit=64)
    try:
        c.start()
        try:
            code = int(c.wait(timeout=timeout)["StatusCode"])
        except Exception:
            return -1, "(it was still running after %d s)" % timeout
        return code, c.logs().decode("utf-8", "replace")
    finally:
        c.remove(force=True)


class BuildGreeter(Problem):
    title = "Exercise 1: build your own image"
    hints = (
        "Two instructions are enough: FROM (the base image) and CMD (what a container runs when it starts).",
        "A CMD that prints a text: `CMD [\"echo\", \"...\"]`. Build it with "
        "`lab.build(\"greeter:v1\", dockerfile=\"FROM debian:bookworm-slim\\nCMD [...]\\n\")`.",
    )

    def inspect(self) -> str:
        client = connect()
        image = _image("greeter:v1", client)
        if image is None:
            if _image("greeter:latest", client) is not None:
                raise Incorrect("You built greeter:latest: give the tag its version, greeter:v1.")
            raise NotAttempted(f"There is no image {image_ref('greeter:v1')} yet: build it in the cell above first.")
        code, out = _run_once(client, image.id)
        if code != 0:
            raise Incorrect(f"A container from greeter:v1 exited with code {code}; it printed: {out.strip()[:200]!r}")
        if out.strip() != GREETING:
            shown = out.strip()[:120] or "nothing"
            raise Incorrect(f"A container from greeter:v1 printed {shown!r}, not the greeting the exercise asks for.")
        return "A container from greeter:v1 says hello. That CMD is part of the image: every container gets it."


class ReorderForCache(AnswerProblem):
    title = "Exercise 2: fix the order"
    hints = (
        "Which step is slow and does not need app.txt? Which step changes every time you edit app.txt?",
        "Keep FROM first and CMD last; move the RUN step above the COPY step.",
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
            raise Incorrect(f"Your Dockerfile does not build: {err.what}") from None

    def inspect(self) -> str:
        given = self._given
        if given is None or given is self.placeholder or not str(given).strip() or given == "____":
            raise NotAttempted("Put your Dockerfile in good_dockerfile (replace the ____), then run this check.")
        lines = self._lines(str(given))
        wanted = [" ".join(i.split()) for i in _INSTRUCTIONS]
        missing = [w for w in wanted if w not in lines]
        if missing:
            raise Incorrect(f"Your Dockerfile lacks this instruction of the original: {missing[0]!r}. Keep every "
                            "instruction as it is; only change their order.")
        extra = [line for line in lines if line not in wanted]
        if extra:
            raise Incorrect(f"Your Dockerfile has a line the original does not: {extra[0]!r}. Only change the order.")
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
            raise Incorrect("The check could not find the slow RUN step in your build.")
        if not slow.cached:
            raise Incorrect("After editing app.txt the slow RUN step ran again: a step is rebuilt when any step "
                            "above it changed. Which step above it depends on app.txt?")
        if not out.startswith("version 2"):
            raise Incorrect("The slow step was cached, but a container from your image does not print the edited "
                            f"app.txt (it printed {out.strip()[:80]!r}).")
        return ("After editing app.txt the slow RUN step came from the cache: only COPY and what follows ran again. "
                "Rarely-changing steps first, your often-changing files last.")

    def why_wrong(self, given: object) -> str:  # not used: inspect decides
        return "Try hint()."


class TagStable(Problem):
    title = "Exercise 3: a second name"
    hints = (
        "A new tag is a new name for an image that exists: `lab.images.tag(existing, new)` (`docker tag`).",
        "Tag greeter:v1 as greeter:stable — do not build again: a new build could make a different image.",
    )

    def inspect(self) -> str:
        client = connect()
        stable = _image("greeter:stable", client)
        if stable is None:
            raise NotAttempted(f"There is no image {image_ref('greeter:stable')} yet: run your cell above first.")
        v1 = _image("greeter:v1", client)
        if v1 is None:
            raise Incorrect(f"{image_ref('greeter:stable')} exists, but {image_ref('greeter:v1')} does not any more: do "
                            "exercise 1, then tag it.")
        if stable.id != v1.id:
            raise Incorrect(f"greeter:stable is the image {stable.short_id}, and greeter:v1 is {v1.short_id}: two "
                            "different images. A tag must point at the same image ID (did you build again?).")
        return (f"greeter:v1 and greeter:stable both point at {v1.short_id}: one image, two names. "
                "It is stored once; `docker images` shows it on two rows.")


q1 = BuildGreeter()
q2 = ReorderForCache()
q3 = TagStable()
