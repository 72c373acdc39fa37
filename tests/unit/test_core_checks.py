"""Offline: a check has three outcomes, DOCKERLAB_EXPECT_CHECKS turns a surprise into a failure,
wrong types are BadInput, and Chapter.need says which cell to run first."""

from __future__ import annotations

import pytest

from dockerlab import labels
from dockerlab.chapter import Chapter, start_chapter
from dockerlab.checks import AnswerProblem, CheckResult, Incorrect, NotAttempted, Outcome, Problem, run_check
from dockerlab.errors import BadInput, ContainerExited, EngineUnavailable, NotFound, RunEarlierCell


@pytest.fixture(autouse=True)
def no_expectation(monkeypatch):
    monkeypatch.delenv("DOCKERLAB_EXPECT_CHECKS", raising=False)
    yield
    labels.set_chapter(None)


class Number(AnswerProblem):
    title = "Exercise 9: the answer"
    answer = 42
    answer_type = int
    placeholder = ...
    hints = ("Think.", "Think harder.", "It is 6 × 7.")
    solution_code = "answer = 42"

    def example(self):
        return 7


class Word(AnswerProblem):
    title = "Exercise 8: a word"
    answer = "Layer"
    placeholder = "____"


class Inspecting(Problem):
    title = "Exercise 7: inspects the engine"
    hints = ("Look.",)

    def __init__(self, outcome):
        self.outcome = outcome

    def inspect(self):
        if self.outcome == "correct":
            return "Yes."
        if self.outcome == "incorrect":
            raise Incorrect("Your container runs the wrong image.")
        if self.outcome == "todo":
            raise NotAttempted()
        if self.outcome == "gone":
            raise NotFound("No such container: alice-web")
        if self.outcome == "exited":
            raise ContainerExited("Container alice-web stopped before it was ready.")
        if self.outcome == "down":
            raise EngineUnavailable("no Docker engine answers at unix:///x.sock.")
        raise RuntimeError(self.outcome)


def test_three_outcomes():
    assert Inspecting("correct").check().outcome is Outcome.CORRECT
    wrong = Inspecting("incorrect").check()
    assert wrong.outcome is Outcome.INCORRECT and "wrong image" in wrong.message
    todo = Inspecting("todo").check()
    assert todo.outcome is Outcome.NOT_ATTEMPTED and "run this check again" in todo.message


def test_answer_problem_outcomes():
    q = Number()
    assert q.check().outcome is Outcome.NOT_ATTEMPTED
    assert q.check(...).outcome is Outcome.NOT_ATTEMPTED
    assert q.check(41).outcome is Outcome.INCORRECT
    assert q.check(42).correct
    w = Word()
    assert w.check("____").outcome is Outcome.NOT_ATTEMPTED
    assert w.check("").outcome is Outcome.NOT_ATTEMPTED
    assert w.check("  layer ").correct  # normalized
    assert "'cake' is not it" in w.check("cake").message


@pytest.mark.parametrize("bad", ["42", 4.2, [42], b"42"])
def test_wrong_types_are_bad_input(bad):
    with pytest.raises(BadInput) as info:
        Number().check(bad)
    err = info.value
    assert "must be an int" in err.what and type(bad).__name__ in err.what and "e.g. 7" in err.hint
    assert str(err).splitlines()[-1].startswith("Hint:")


def test_a_vanished_resource_is_incorrect_not_a_crash():
    gone = Inspecting("gone").check()
    assert gone.outcome is Outcome.INCORRECT and "could not look at the engine" in gone.message
    assert "alice-web" in gone.message
    assert Inspecting("exited").check().outcome is Outcome.INCORRECT


def test_engine_down_and_bugs_are_not_hidden():
    with pytest.raises(EngineUnavailable):
        Inspecting("down").check()
    with pytest.raises(RuntimeError):
        Inspecting("bug in the check").check()


@pytest.mark.parametrize("expect, outcome, fails", [
    ("correct", "correct", False), ("correct", "incorrect", True), ("correct", "todo", True),
    ("not_attempted", "todo", False), ("Not attempted", "todo", False), ("not_attempted", "correct", True),
    ("incorrect", "incorrect", False), ("", "incorrect", False), ("bogus", "incorrect", False),
])
def test_expect_checks(monkeypatch, expect, outcome, fails):
    monkeypatch.setenv("DOCKERLAB_EXPECT_CHECKS", expect)
    if fails:
        with pytest.raises(AssertionError) as info:
            Inspecting(outcome).check()
        assert "Exercise 7" in str(info.value) and "expected" in str(info.value)
    else:
        assert isinstance(Inspecting(outcome).check(), CheckResult)


def test_expect_checks_applies_to_answer_problems(monkeypatch):
    monkeypatch.setenv("DOCKERLAB_EXPECT_CHECKS", "not_attempted")
    Number().check()
    with pytest.raises(AssertionError):
        Number().check(42)


def test_hints_and_solution():
    q = Number()
    assert q.hint() == "Hint 1/3: Think. (hint(2) says more)"
    assert q.hint(3) == "Hint 3/3: It is 6 × 7."
    assert q.hint(99) == q.hint(3) and q.hint(0) == q.hint(1)
    assert q.solution() == "answer = 42" and q.solution()._repr_markdown_().startswith("```python")
    assert "No hint" in Word().hint()
    assert "use .check()" in repr(q)


def test_result_rendering():
    r = run_check("T", lambda: "")
    assert r.message == "Well done." and bool(r)
    html = CheckResult("T <x>", Outcome.INCORRECT, "a & b")._repr_html_()
    assert 'data-outcome="incorrect"' in html and "T &lt;x&gt;" in html and "a &amp; b" in html
    assert str(r) == "Correct — T: Well done."


def test_chapter_need_says_which_cell_to_run():
    ch = start_chapter("03", "Images")
    assert isinstance(ch, Chapter) and labels.current_chapter() == "03" and "03" in repr(ch)
    assert ch.need(lambda: 5, "Run a web server") == 5

    def missing():
        raise NotFound("There is no container named alice-web.")

    with pytest.raises(RunEarlierCell) as info:
        ch.need(missing, "Run a web server")
    err = info.value
    assert "run the cell “Run a web server” first" in err.what
    assert "alice-web" in err.what
    assert str(err).splitlines()[-1].startswith("Hint: Scroll up to “Run a web server”")
    assert err.__cause__ is None and err.__suppress_context__  # no chained traceback wall
    assert err._render_traceback_()[0].startswith("RunEarlierCell: ")

    def down():
        raise EngineUnavailable("no engine")

    with pytest.raises(EngineUnavailable):
        ch.need(down, "x")


def test_raw_docker_py_errors_inside_a_check():
    import docker.errors
    import requests

    from fakes import api_error

    def removed():
        raise api_error(404, "No such container: alice-web", docker.errors.NotFound)

    result = run_check("T", removed)
    assert result.outcome is Outcome.INCORRECT and "No such container: alice-web" in result.message

    def down():
        raise requests.exceptions.ConnectionError("('Connection aborted.', FileNotFoundError(2, 'x'))")

    with pytest.raises(EngineUnavailable):
        run_check("T", down)


def test_chapter_need_for_an_image_built_earlier():
    from dockerlab.errors import ImageMissing

    ch = start_chapter("04", "Builds")

    def missing_image():
        raise ImageMissing("While looking for image alice/hello:v1: image not found: alice/hello:v1")

    with pytest.raises(RunEarlierCell) as info:
        ch.need(missing_image, "Build your image")
    assert "alice/hello:v1" in info.value.what and "“Build your image”" in info.value.what


def test_start_failure_blames_the_learners_command_not_the_engine():
    """An exec-form command of one string (CMD ["echo hi"]) is the learner's mistake: say each word is its own
    string, and show the right form; a missing program is named; anything else keeps the engine's first line."""
    import docker.errors

    from dockerlab.checks import start_failure

    one_string = docker.errors.APIError("500", explanation='failed to create shim task: OCI runtime create failed: '
                                        'runc create failed: unable to start container process: exec: "echo hi": '
                                        'executable file not found in $PATH: unknown')
    wrong = start_failure(one_string, "A container from your image")
    assert isinstance(wrong, Incorrect)
    assert "each word is its own string" in str(wrong) and '["echo", "hi"]' in str(wrong)
    assert "engine" not in str(wrong) and str(wrong).startswith("A container from your image cannot start")
    missing = start_failure(RuntimeError('exec: "python3": executable file not found in $PATH'), "It")
    assert "no program 'python3' in the image" in str(missing)
    translated = start_failure(RuntimeError("While starting x: the program 'python3 app.py' is not in the image"),
                               "It")  # the kit's own words for it
    assert '["python3", "app.py"]' in str(translated)
    other = start_failure(RuntimeError("port is already allocated\nmore"), "It")
    assert str(other) == "It cannot start: port is already allocated"


def test_a_lost_exec_answer_is_asked_again_not_judged(fake, monkeypatch):
    """Docker can drop a short exec's output under load (CI saw chapter 01's check read PID 1's command line as empty
    and call the right answer Incorrect): the answer is read again from the container, or the question asked again."""
    import dockerlab.containers
    from dockerlab.docker_run import run
    from dockerlab.exercises import ch01

    from conftest import IMAGE

    monkeypatch.setattr(dockerlab.containers, "connect", lambda: fake)  # the check finds 'mystery' on the fake
    run("mystery", IMAGE, client=fake)
    fake.engine.exec_output, fake.engine.exec_kept_output = b"", b"java\0-jar\0/app/app.jar\0"  # lost, kept
    assert ch01.q2.check("java -jar /app/app.jar").outcome is Outcome.CORRECT
    fake.engine.exec_output = [b"", b"java\0-jar\0/app/app.jar\0"]  # lost, and nothing kept: asked again
    fake.engine.exec_kept_output = b""
    assert ch01.q2.check("java -jar /app/app.jar").outcome is Outcome.CORRECT
    fake.engine.calls.clear()
    fake.engine.exec_output = b""  # never an answer: judged on what there is, not asked for ever
    assert ch01.q2.check("java -jar /app/app.jar").outcome is Outcome.INCORRECT
    assert sum(1 for call in fake.engine.calls if call[0] == "exec") == 6  # 3 questions, each read again from its file
