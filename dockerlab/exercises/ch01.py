"""Chapter 01 exercises: a container's own hostname, and what runs as PID 1 inside a container."""

from __future__ import annotations

from ..checks import AnswerProblem, Incorrect, NotAttempted, Problem, engine_name, exec_answer, state_words
from ..containers import find
from ..i18n import N_, _

__all__ = ["q1", "q2"]


class HostnameBox(Problem):
    title = N_("Exercise 1: a container with its own hostname")
    hints = (
        N_("`lab.run(name, image, command, hostname=...)` starts a container; a command that never ends is "
           "`['sleep', 'infinity']`."),
        N_("Name it 'box', image 'debian:bookworm-slim', command ['sleep', 'infinity'], and pass hostname='lab-box'."),
    )

    def inspect(self) -> str:
        box = find("box")
        if box is None:
            raise NotAttempted(_("There is no container named '{name}' yet: write and run your cell above first.")
                               .format(name=engine_name("box")))
        box.reload()
        configured = box.attrs.get("Config", {}).get("Hostname", "")
        name = engine_name("box")
        if box.status != "running":
            raise Incorrect(_("Your container '{name}' is {state}, not running: give it a command that keeps running "
                              "(`sleep infinity`), so you can look inside.").format(name=name, state=state_words(box)))
        seen = exec_answer(box, "hostname").strip()
        if seen != "lab-box":
            if box.id.startswith(configured):
                raise Incorrect(_("Inside '{name}' the hostname is {seen!r}: the engine's default (the start of the "
                                  "container's ID). Set the hostname when you start the container.").format(
                                      name=name, seen=seen))
            raise Incorrect(_("Inside '{name}' the hostname is {seen!r}, not the one the exercise asks for.").format(
                name=name, seen=seen))
        return _("'box' runs, and inside it the hostname is lab-box, while the host keeps its own name: each container "
                 "has its own UTS namespace.")


class MysteryPid1(AnswerProblem):
    title = N_("Exercise 2: what runs as PID 1 in 'mystery'?")
    hints = (
        N_("Look inside the container: `mystery.exec(...)` runs a command there, like `docker exec`."),
        N_("The command line of process 1 is in the file /proc/1/cmdline; its arguments are separated by zero "
           "bytes, which `tr '\\0' ' '` turns into spaces."),
    )
    placeholder = "____"
    answer_type = (str, list)

    def example(self) -> object:
        return "sleep infinity"

    def normalize(self, value: object) -> list[str]:
        if isinstance(value, (list, tuple)):
            return [str(v) for v in value]
        return str(value).replace("\0", " ").split()

    def _actual(self) -> list[str]:
        box = find("mystery")
        if box is None:
            raise Incorrect(_("There is no container named '{name}': run the cell that starts it (the first lines of "
                              "the exercise's cell), then look again.").format(name=engine_name("mystery")))
        box.reload()
        if box.status != "running":
            raise Incorrect(_("The container '{name}' is {state}: run the cell that starts it again, then look "
                              "again.").format(name=engine_name("mystery"), state=state_words(box)))
        raw = exec_answer(box, "cat /proc/1/cmdline")
        return [part for part in raw.split("\0") if part]

    def inspect(self) -> str:
        given = self._given
        if given is None or given is self.placeholder or given == "" or given == []:
            raise NotAttempted(_("Put PID 1's command line in mystery_pid1 (replace the ____), then run this check."))
        actual = self._actual()
        words = self.normalize(given)
        if words == actual:
            return _("Right: PID 1 of 'mystery' is the image's start command ({program} …). Inside a container, PID 1 "
                     "is the program itself — no init system, no booted OS.").format(program=actual[0])
        if words and words == ["sleep", "infinity"]:
            raise Incorrect(_("That is PID 1 of a container started with `sleep infinity`, not of 'mystery'."))
        if words and words[0] in ("bash", "sh", "cat", "ps", "tr") or words and "/proc" in " ".join(words):
            raise Incorrect(_("That looks like the command you ran to look, not what PID 1 runs: read the file "
                              "/proc/1/cmdline inside 'mystery'."))
        if words and words == actual[: len(words)]:
            raise Incorrect(_("You have the start of it ({given} of {total} words): give the whole command line, with "
                              "every argument.").format(given=len(words), total=len(actual)))
        if words and actual and words[0] == actual[0]:
            raise Incorrect(_("The program is right but its arguments are not: give the whole command line exactly."))
        raise Incorrect(_("That is not what runs as PID 1 inside 'mystery': look inside that container."))


q1 = HostnameBox()
q2 = MysteryPid1()
