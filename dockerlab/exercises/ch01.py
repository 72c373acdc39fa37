"""Chapter 01 exercises: a container's own hostname, and what runs as PID 1 inside a container."""

from __future__ import annotations

from ..checks import AnswerProblem, Incorrect, NotAttempted, Problem, engine_name, state_words
from ..containers import find

__all__ = ["q1", "q2"]


class HostnameBox(Problem):
    title = "Exercise 1: a container with its own hostname"
    hints = (
        "`lab.run(name, image, command, hostname=...)` starts a container; a command that never ends is "
        "`['sleep', 'infinity']`.",
        "Name it 'box', image 'debian:bookworm-slim', command ['sleep', 'infinity'], and pass hostname='lab-box'.",
    )

    def inspect(self) -> str:
        box = find("box")
        if box is None:
            raise NotAttempted(f"There is no container named '{engine_name('box')}' yet: write and run your cell above "
                               "first.")
        box.reload()
        configured = box.attrs.get("Config", {}).get("Hostname", "")
        name = engine_name("box")
        if box.status != "running":
            raise Incorrect(f"Your container '{name}' is {state_words(box)}, not running: give it a command that "
                            "keeps running (`sleep infinity`), so you can look inside.")
        seen = box.exec("hostname").output.strip()
        if seen != "lab-box":
            if box.id.startswith(configured):
                raise Incorrect(f"Inside '{name}' the hostname is {seen!r}: the engine's default (the start of the "
                                "container's ID). Set the hostname when you start the container.")
            raise Incorrect(f"Inside '{name}' the hostname is {seen!r}, not the one the exercise asks for.")
        return ("'box' runs, and inside it the hostname is lab-box, while the host keeps its own name: "
                "each container has its own UTS namespace.")


class MysteryPid1(AnswerProblem):
    title = "Exercise 2: what runs as PID 1 in 'mystery'?"
    hints = (
        "Look inside the container: `mystery.exec(...)` runs a command there, like `docker exec`.",
        "The command line of process 1 is in the file /proc/1/cmdline; its arguments are separated by zero "
        "bytes, which `tr '\\0' ' '` turns into spaces.",
    )
    placeholder = "____"
    answer_type = (str, list)

    def example(self) -> object:
        return "sleep infinity"

    def normalize(self, value: object) -> object:
        if isinstance(value, (list, tuple)):
            return [str(v) for v in value]
        return str(value).replace("\0", " ").split()

    def _actual(self) -> list[str]:
        box = find("mystery")
        if box is None:
            raise Incorrect(f"There is no container named '{engine_name('mystery')}': run the cell that starts it "
                            "(the first lines of the exercise's cell), then look again.")
        box.reload()
        if box.status != "running":
            raise Incorrect(f"The container '{engine_name('mystery')}' is {state_words(box)}: run the cell that "
                            "starts it again, then look again.")
        raw = box.exec(["cat", "/proc/1/cmdline"]).output
        return [part for part in raw.split("\0") if part]

    def inspect(self) -> str:
        given = self._given
        if given is None or given is self.placeholder or given == "" or given == []:
            raise NotAttempted("Put PID 1's command line in mystery_pid1 (replace the ____), then run this check.")
        actual = self._actual()
        words = self.normalize(given)
        if words == actual:
            return (f"Right: PID 1 of 'mystery' is the image's start command ({actual[0]} …). "
                    "Inside a container, PID 1 is the program itself — no init system, no booted OS.")
        if words and words == ["sleep", "infinity"]:
            raise Incorrect("That is PID 1 of a container started with `sleep infinity`, not of 'mystery'.")
        if words and words[0] in ("bash", "sh", "cat", "ps", "tr") or words and "/proc" in " ".join(words):
            raise Incorrect("That looks like the command you ran to look, not what PID 1 runs: read the file "
                            "/proc/1/cmdline inside 'mystery'.")
        if words and words == actual[: len(words)]:
            raise Incorrect(f"You have the start of it ({len(words)} of {len(actual)} words): give the whole command "
                            "line, with every argument.")
        if words and actual and words[0] == actual[0]:
            raise Incorrect("The program is right but its arguments are not: give the whole command line exactly.")
        raise Incorrect("That is not what runs as PID 1 inside 'mystery': look inside that container.")


q1 = HostnameBox()
q2 = MysteryPid1()
