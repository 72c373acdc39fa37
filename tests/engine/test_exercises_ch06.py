"""Chapter 06's exercise checks on the real engine: untouched, wrong and half-done edits of compose.yaml, the plain
Compose CLI, equivalent spellings, the solutions (and exercise 1 still Correct after exercise 2). Messages are compared
with the catalog's message ids (``said``), so the tests hold in English and in Korean (DOCKERLAB_LANG=ko)."""

from __future__ import annotations

import re
import string
import subprocess

import pytest

import dockerlab as lab
from dockerlab import compose
from dockerlab.checks import Outcome
from dockerlab.course import copy_compose_example
from dockerlab.exercises import ch06
from dockerlab.i18n import _
from learner_cli import cli  # noqa: F401 (fixture: the learner's terminal)

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("chapter_under_test")]
CHAPTER = "06"
RESET_PURGES_VOLUMES = True

FRONTEND2 = """
  frontend2:
    image: ${REGISTRY:-}dockerlab/frontend:1.0
    environment:
      BACKEND_URL: http://backend:8080
    ports:
      - "127.0.0.1::8080"
    networks:
      - todo-net
"""


@pytest.fixture
def app(tmp_path, monkeypatch):
    """The chapter's project from the learner's own copy of the file (work/<session>/todo-app, here under tmp_path)."""
    monkeypatch.setenv("DOCKERLAB_WORK", str(tmp_path))
    return compose.Project(ch06.PROJECT, copy_compose_example())


def terminal(app: compose.Project, *args: str, folder=None, project: bool = True) -> subprocess.CompletedProcess:
    """Plain Compose in a terminal, as a learner types it: no kit override, so nothing it makes has the kit's labels."""
    argv = [*compose.tool().argv, *(["-p", app.name] if project else []), "-f", str(app.file), *args]
    return subprocess.run(argv, capture_output=True, text=True, env=app._env(), timeout=300, cwd=folder)


def edit(app: compose.Project, *pairs: tuple[str, str]) -> None:
    text = app.file.read_text()
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    app.file.write_text(text)


def add_frontend2(app: compose.Project, block: str = FRONTEND2) -> None:
    edit(app, ("\nvolumes:\n", block + "\nvolumes:\n"))


def outcome(problem):
    result = problem.check()
    return result.outcome, result.message


def _pattern(template: str, given: dict[str, str]) -> str:
    """A regular expression of a translated message: its words as written, a field given here as that value (itself a
    template: its own fields match anything), any other field matching anything."""
    out = []
    for literal, field, _spec, _conv in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if field is not None:
            out.append(_pattern(_(given[field]), {}) if field in given else ".*?")
    return "".join(out)


def said(message: str, msgid: str, prefix: str = "", **given: str) -> bool:
    """Is ``message`` the catalog's ``msgid`` in the language in force (after ``prefix``, with ``given`` fields)?"""
    return re.fullmatch(re.escape(prefix) + _pattern(_(msgid), given), message, re.DOTALL) is not None


NOT_UP = ("Your compose.yaml has it, but the project '{project}' on the engine does not: the file is saved but not "
          "started. Run `app.up()` (or `docker compose -p {project} up -d` in that folder).")
NO_PROJECT = ("There is no Compose project named '{project}' on the engine: run the chapter's cells (`app.up()`), or "
              "`docker compose -p {project} up -d` in a terminal.")


def test_untouched_is_not_attempted_and_names_the_project():
    for q in (ch06.q1, ch06.q2):
        kind, message = outcome(q)
        assert kind is Outcome.NOT_ATTEMPTED and compose.project_name("todo") in message


def test_the_chapters_own_file_is_not_attempted(app):
    app.up()
    assert outcome(ch06.q1)[0] is Outcome.NOT_ATTEMPTED
    assert outcome(ch06.q2)[0] is Outcome.NOT_ATTEMPTED


def test_solutions_are_correct_and_exercise_1_stays_correct_after_exercise_2(app):
    add_frontend2(app)
    app.up()
    assert outcome(ch06.q1)[0] is Outcome.CORRECT
    edit(app, ('SERVER_PORT: "8080"', 'SERVER_PORT: "9090"'), ("http://backend:8080", "http://backend:9090"))
    app.up()
    kind, message = outcome(ch06.q2)
    assert kind is Outcome.CORRECT and "frontend, frontend2" in message
    assert said(message, "The API listens on 9090 inside the network, and {services} find it there: one change, made "
                         "everywhere it matters.")
    assert outcome(ch06.q1)[0] is Outcome.CORRECT  # re-running the earlier check gives the same answer


def test_q1_frontend2_off_the_backends_network_is_incorrect(app):
    add_frontend2(app, FRONTEND2.replace("    networks:\n      - todo-net\n", ""))
    app.up()
    kind, message = outcome(ch06.q1)
    assert kind is Outcome.INCORRECT and "todo-net" in message
    assert said(message, "'{service}' is on {mine}, the backend only on {theirs}: from there it cannot find the "
                         "backend. Give it the backend's network (`networks: [todo-net]`).", service="frontend2")


def test_q1_a_renamed_frontend_is_incorrect(app):
    edit(app, ("  frontend:\n", "  frontend2:\n"))
    app.up()
    kind, message = outcome(ch06.q1)
    assert kind is Outcome.INCORRECT and said(message, "frontend2 is there but 'frontend' is gone: the exercise asks "
                                                       "for a second frontend, beside the first (copy the block, do "
                                                       "not rename it).")


def test_q1_a_backend_url_with_another_name_is_incorrect(app):
    add_frontend2(app, FRONTEND2.replace("http://backend:8080", "http://api:8080"))
    app.up()
    kind, message = outcome(ch06.q1)
    assert kind is Outcome.INCORRECT and "'backend'" in message and "http://api:8080" in message
    assert said(message, "'{service}' has BACKEND_URL={url!r}: on the network the backend is called {names}.",
                service="frontend2")


def test_q1_without_environment_uses_the_images_default_and_is_correct(app):
    # the image's own ENV BACKEND_URL=http://backend:8080 is an equivalent spelling inside this project
    add_frontend2(app, FRONTEND2.replace("    environment:\n      BACKEND_URL: http://backend:8080\n", ""))
    app.up()
    assert outcome(ch06.q1)[0] is Outcome.CORRECT


def test_q1_plain_compose_in_a_terminal_is_accepted(app):
    add_frontend2(app)
    argv = [*compose.tool().argv, "-p", app.name, "-f", str(app.file), "up", "-d"]  # no kit override, no labels
    try:
        subprocess.run(argv, check=True, capture_output=True, env=app._env(), timeout=300)
        app.wait(timeout=180)
        kind, message = outcome(ch06.q1)
        assert kind is Outcome.CORRECT, message
    finally:  # nothing the kit's labels would find: remove it the way it was made
        subprocess.run([*compose.tool().argv, "-p", app.name, "-f", str(app.file), "down", "-v"],
                       capture_output=True, env=app._env(), timeout=300)


def test_q1_another_project_name_is_named_in_the_message(tmp_path):
    other = compose.Project("todo-copy", copy_compose_example(tmp_path / "other"))
    add_frontend2(other)
    other.up()
    kind, message = outcome(ch06.q1)
    assert kind is Outcome.NOT_ATTEMPTED and other.name in message and compose.project_name("todo") in message
    assert said(message, "A frontend2 runs in the Compose project {others}, but the check looks at your project "
                         "'{project}': start it with `app.up()` (or `docker compose -p {project} up -d`).")


def test_q2_half_done_is_incorrect(app):
    edit(app, ('SERVER_PORT: "8080"', 'SERVER_PORT: "9090"'))  # the frontend still asks 8080
    app.up()
    kind, message = outcome(ch06.q2)
    assert kind is Outcome.INCORRECT and "'frontend'" in message and "9090" in message
    assert said(message, "'{service}' has BACKEND_URL={url!r}, but the backend listens on port {port} (its "
                         "SERVER_PORT): requests through it would fail.", service="frontend", port="9090")


def test_q2_another_port_is_incorrect(app):
    edit(app, ('SERVER_PORT: "8080"', 'SERVER_PORT: "9091"'), ("http://backend:8080", "http://backend:9091"))
    app.up()
    kind, message = outcome(ch06.q2)
    assert kind is Outcome.INCORRECT and said(message, "The backend's SERVER_PORT is {port}, not 9090.", port="9091")


def test_q2_list_form_environment_is_correct(app):
    edit(app, ('    environment:\n      SERVER_PORT: "8080"\n      DATA_DIR: /data\n',
               "    environment:\n      - SERVER_PORT=9090\n      - DATA_DIR=/data\n"),
         ("    environment:\n      BACKEND_URL: http://backend:8080\n",
          "    environment:\n      - BACKEND_URL=http://backend:9090\n"))
    app.up()
    assert outcome(ch06.q2)[0] is Outcome.CORRECT


# -- the class of beginners (issue 14 §4): half-done work, spellings, the terminal, ways back --------------------------
def test_q1_saved_but_not_started_says_so(app):
    app.up()
    add_frontend2(app)  # the file has frontend2, the engine not yet
    kind, message = outcome(ch06.q1)
    assert kind is Outcome.NOT_ATTEMPTED and said(message, NOT_UP, prefix="frontend2: ") and "app.up()" in message
    assert app.name in message


def test_q2_saved_but_not_started_says_so(app):
    app.up()
    edit(app, ('SERVER_PORT: "8080"', 'SERVER_PORT: "9090"'), ("http://backend:8080", "http://backend:9090"))
    kind, message = outcome(ch06.q2)
    assert kind is Outcome.NOT_ATTEMPTED and said(message, NOT_UP, prefix="SERVER_PORT=9090: ", project=app.name)


def test_q1_a_stopped_frontend2_is_called_stopped(app, cli):
    add_frontend2(app)
    app.up()
    cli("stop", app.container("frontend2").name)  # `docker stop` in a terminal
    kind, message = outcome(ch06.q1)
    assert kind is Outcome.INCORRECT and said(
        message, "'{service}' of '{project}' is {state}, not running: read its log with `app.logs('{service}')` (or "
                 "`docker compose -p {project} logs {service}`), then `app.up()` starts it again.",
        service="frontend2", project=app.name, state="stopped (exit code {code})")
    assert "app.up()" in message  # the way back
    app.up()
    assert outcome(ch06.q1)[0] is Outcome.CORRECT


def test_q2_one_frontend_of_two_still_on_8080_is_half_done(app):
    add_frontend2(app)
    text = app.file.read_text().replace('SERVER_PORT: "8080"', 'SERVER_PORT: "9090"')
    app.file.write_text(text.replace("http://backend:8080", "http://backend:9090", 1))  # frontend's, not frontend2's
    app.up()
    kind, message = outcome(ch06.q2)
    assert kind is Outcome.INCORRECT and "'frontend2'" in message and "9090" in message
    assert said(message, "'{service}' has BACKEND_URL={url!r}, but the backend listens on port {port} (its "
                         "SERVER_PORT): requests through it would fail.", service="frontend2", port="9090")


def test_q2_an_unquoted_port_number_is_the_same_setting(app):
    edit(app, ('SERVER_PORT: "8080"', "SERVER_PORT: 9090"), ("http://backend:8080", "http://backend:9090"))
    app.up()
    kind, message = outcome(ch06.q2)
    assert kind is Outcome.CORRECT, message


def test_both_exercises_in_a_terminal_and_exercise_1_stays_correct(app):
    try:
        add_frontend2(app)
        done = terminal(app, "up", "-d")
        assert done.returncode == 0, done.stderr
        app.wait(timeout=180)
        assert outcome(ch06.q1)[0] is Outcome.CORRECT
        edit(app, ('SERVER_PORT: "8080"', 'SERVER_PORT: "9090"'), ("http://backend:8080", "http://backend:9090"))
        done = terminal(app, "up", "-d")
        assert done.returncode == 0, done.stderr
        app.wait(timeout=180)
        kind, message = outcome(ch06.q2)
        assert kind is Outcome.CORRECT, message
        assert outcome(ch06.q1)[0] is Outcome.CORRECT
    finally:  # nothing the kit's labels would find: remove it the way it was made
        terminal(app, "down", "-v")


def test_compose_up_without_a_project_name_is_pointed_at_the_project_the_check_reads(app, session):
    folder = app.file.parent.parent / f"todo-app-{session}"  # a folder of the learner's: Compose names the project so
    folder.mkdir()
    copy = folder / "compose.yaml"
    copy.write_text(app.file.read_text().replace("\nvolumes:\n", FRONTEND2 + "\nvolumes:\n"))
    plain = compose.Project(ch06.PROJECT, folder)
    try:
        done = terminal(plain, "up", "-d", folder=folder, project=False)
        assert done.returncode == 0, done.stderr
        kind, message = outcome(ch06.q1)
        assert kind is Outcome.NOT_ATTEMPTED
        assert f"'{app.name}'" in message and f"docker compose -p {app.name} up -d" in message
        assert said(message, NO_PROJECT, project=app.name)
    finally:
        terminal(plain, "down", "-v", folder=folder, project=False)


def test_a_yaml_mistake_is_the_learners_file_and_nothing_starts(app):
    add_frontend2(app, FRONTEND2.replace("    ports:\n", "   ports:\n"))  # one space short
    with pytest.raises(lab.BadInput) as caught:
        app.up()
    assert _("Compose cannot read the file.") in str(caught.value)
    assert _("Fix the line Compose names (indentation is two spaces per level; a list item starts with '- ').") in \
        str(caught.value)
    assert app.ps() == []
    kind, message = outcome(ch06.q1)
    assert kind is Outcome.NOT_ATTEMPTED and "app.up()" in message


def test_after_the_clean_up_cell_the_checks_point_at_up(app):
    add_frontend2(app)
    app.up()
    assert outcome(ch06.q1)[0] is Outcome.CORRECT
    app.down(volumes=True)  # the chapter's last cell, run before the exercises were checked
    for q in (ch06.q1, ch06.q2):
        kind, message = outcome(q)
        assert kind is Outcome.NOT_ATTEMPTED and "app.up()" in message and app.name in message
        assert said(message, NO_PROJECT, project=app.name)
