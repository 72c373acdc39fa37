"""Chapter 00 exercises: talk to your engine, run your first container."""

from __future__ import annotations

from ..checks import AnswerProblem, Incorrect, Problem, course_container, engine_name
from ..engine import engine_info
from ..i18n import N_, _

__all__ = ["q1", "q2"]


class ServerVersion(AnswerProblem):
    title = N_("Exercise 1: ask the engine its version")
    hints = (
        N_("The SDK client has a method named like the `docker version` command."),
        N_("`client = lab.connect()` then `client.version()` returns a dict; the engine's version is under 'Version'."),
    )
    placeholder = "____"

    def example(self) -> object:
        return "20.10.24"

    @property
    def answer(self) -> str:  # type: ignore[override]
        return engine_info().server_version

    def why_wrong(self, given: object) -> str:
        if str(given).startswith(("1.", "2.")) and "." in str(given) and len(str(given)) <= 5:
            return _("{given!r} looks like an API version; the question asks for the engine's own version.").format(
                given=given)
        return _("{given!r} is not the version your engine reports. Try hint().").format(given=given)

    def why_right(self) -> str:
        return _("That is the engine's version, read through the SDK — the same number `docker version` shows.")


class FirstContainer(Problem):
    title = N_("Exercise 2: run your first container")
    hints = (
        N_("Use `lab.run(name, image)`; the image is `dockerlab/hello:1.0`."),
        N_("Name it 'first', and wait until it is done: `c.wait()` blocks until the program exits (`docker wait`)."),
    )

    def inspect(self) -> str:
        c = course_container("first", "hello")
        name = engine_name("first")
        if c.status == "created":
            raise Incorrect(_("Your container '{name}' was created but never started (`docker create` without "
                              "`docker start`): start it, then wait until its program has finished.").format(name=name))
        if c.exit_code is None:  # running, restarting, paused, or (Podman) stopping
            raise Incorrect(_("Your container '{name}' is still running: wait until its program has finished "
                              "(`c.wait()`, `docker wait`).").format(name=name))
        if c.exit_code != 0:
            raise Incorrect(_("Your container '{name}' exited with code {code}, not 0: read its logs "
                              "(`docker logs {name}`).").format(name=name, code=c.exit_code))
        if "Hello" not in c.logs():
            raise Incorrect(_("'{name}' ran, but printed no greeting: is it the hello image's own command?").format(
                name=name))
        return _("Your first container ran and said hello. Its output is still there: `docker logs` shows it.")


q1 = ServerVersion()
q2 = FirstContainer()
