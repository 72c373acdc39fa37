"""Offline: the learner's table, the teacher's class grid (text, CSV, JSON, HTML), the live ClassView widget,
`python -m dockerlab progress` and the exercise catalogue they share."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest

from dockerlab import __main__ as cli
from dockerlab.display.progress import ClassGrid, LearnerTable
from dockerlab.display.render import to_text
from dockerlab.exercises import catalogue as cat
from dockerlab.i18n import _
from dockerlab.progress import LearnerProgress, read_class, record
from dockerlab.widgets import ClassView, live_widgets

EXERCISES = [cat.Exercise("00", "q1", "Exercise 1: version"), cat.Exercise("00", "q2", "Exercise 2: first"),
             cat.Exercise("03", "q1", "Exercise 1: write")]


@pytest.fixture
def homes(tmp_path):
    root = tmp_path / "home"
    rel = ".dockerlab/progress.json"
    for name in ("alice", "bob", "carol"):
        (root / name).mkdir(parents=True)
    for outcome in ("incorrect", "incorrect", "correct"):
        record("00", "q1", "Exercise 1: version", outcome, path=root / "alice" / rel, learner="alice")
    record("03", "q1", "Exercise 1: write", "incorrect", path=root / "alice" / rel, learner="alice")
    record("00", "q1", "Exercise 1: version", "correct", path=root / "bob" / rel, learner="bob")
    record("07", "q9", "Exercise 9: from a newer kit", "incorrect", path=root / "bob" / rel, learner="bob")
    (root / "carol" / ".dockerlab").mkdir()
    (root / "carol" / rel).write_bytes(b"\x00\x01 not json")
    return root


def test_the_catalogue_lists_every_chapters_exercises_in_order():
    from dockerlab.exercises import ch00, ch03

    found = cat.catalogue()
    keys = [e.key for e in found]
    assert keys[:2] == ["00/q1", "00/q2"] and keys == sorted(keys, key=lambda k: (k[:2], int(k[4:])))
    assert len(keys) == len(set(keys)) >= 20
    assert found[0].title == ch00.q1.title and found[0].points == 1
    assert cat.problem("03", "q2") is ch03.q2
    with pytest.raises(LookupError):
        cat.problem("03", "q9")


def test_the_learner_table_says_done_tried_and_not_started(homes):
    lp = read_class(homes, learners=None)[0]
    table = LearnerTable(lp, EXERCISES)
    text = to_text(table, 120)
    assert "✔ done (3 attempts)" in text and "✘ tried (1 attempt)" in text and "· not started" in text
    assert "1 done, 1 tried, 1 not started" in text


def test_the_learner_table_in_korean(homes, monkeypatch):
    """The learner's own table speaks their language: headers, statuses, attempts, the count and exercise titles."""
    from dockerlab.exercises import ch00

    monkeypatch.setenv("DOCKERLAB_LANG", "ko")
    lp = read_class(homes, learners=None)[0]
    exercises = [cat.Exercise("00", "q1", ch00.q1.title), *EXERCISES[1:]]  # a title the catalog translates
    text = to_text(LearnerTable(lp, exercises), 120)
    assert "여러분의 진도 (alice)" in text and "✔ 완료 (3번 시도)" in text and "✘ 시도함 (1번 시도)" in text
    assert "· 시작 전" in text and "완료 1, 시도함 1, 시작 전 1" in text and "not started" not in text
    korean_title = _(ch00.q1.title)
    assert korean_title != ch00.q1.title and korean_title in text


def test_the_class_grid_shows_each_learner_with_outcome_and_attempts(homes):
    grid = ClassGrid(read_class(homes), EXERCISES, generated=0)
    assert [lp.learner for lp in grid.learners] == ["alice", "bob", "carol"]
    # an exercise only a file knows (a newer kit's) gets its own column rather than vanishing
    assert [e.short for e in grid.exercises] == ["00.1", "00.2", "03.1", "07.9"]
    text = to_text(grid, 160)
    alice = next(line for line in text.splitlines() if "alice" in line)
    assert "✔3" in alice and "✘1" in alice and "1/4" in alice
    carol = next(line for line in text.splitlines() if "carol" in line)
    assert "not readable JSON" in carol


def test_the_grid_exports_csv_json_and_a_static_html_page(homes):
    grid = ClassGrid(read_class(homes), EXERCISES, generated=0)
    rows = list(csv.DictReader(io.StringIO(grid.to_csv())))
    assert len(rows) == 3 * 4
    a = next(r for r in rows if r["learner"] == "alice" and r["exercise"] == "q1" and r["chapter"] == "00")
    assert (a["status"], a["attempts"], a["outcome"]) == ("done", "3", "correct") and a["first_correct"]
    c = next(r for r in rows if r["learner"] == "carol")
    assert c["file"] == "garbled" and "Hint:" in c["note"]
    data = json.loads(grid.to_json())
    assert [lp["learner"] for lp in data["learners"]] == ["alice", "bob", "carol"]
    assert data["learners"][2]["kind"] == "garbled"
    page = grid.to_html()
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert page.count('class="cell-done"') == 2 and page.count('class="cell-tried"') == 2
    assert 'data-learner="alice" data-exercise="00/q1"' in page and ">✔3<" in page


def test_a_learner_name_cannot_inject_html(tmp_path):
    lp = LearnerProgress("<img src=x onerror=alert(1)>", problem="<b>x</b>", kind="garbled")
    page = ClassGrid([lp], EXERCISES).to_html()
    assert "<img" not in page and "<b>x" not in page


def test_the_class_view_refreshes_by_itself_and_exports(homes, tmp_path):
    reads = []

    def reader():
        reads.append(time.monotonic())
        return read_class(homes)

    view = ClassView(exercises=EXERCISES, interval=0.05, reader=reader, export_dir=tmp_path)
    try:
        assert view in live_widgets() and view.running
        assert 'data-learner="alice"' in view.grid_html.value
        record("00", "q2", "Exercise 2: first", "correct", path=homes / "bob" / ".dockerlab/progress.json",
               learner="bob")
        deadline = time.monotonic() + 10
        while 'data-learner="bob" data-exercise="00/q2" title="Exercise 2: first: done' not in view.grid_html.value:
            assert time.monotonic() < deadline, "the grid never showed bob's new Correct"
            time.sleep(0.05)
        assert view.refreshes >= 2
        for kind in ("csv", "json", "html"):
            view.export_buttons[kind].click()
            assert (tmp_path / f"class-progress.{kind}").stat().st_size > 100
        assert "Wrote" in view.message.value
        view.timer_button.click()
        assert not view.running and "not refreshing" in view.status_html.value
    finally:
        view.close()
    assert view not in live_widgets()


def test_the_class_grid_and_view_in_korean(homes, monkeypatch, tmp_path):
    """DOCKERLAB_LANG=ko: the grid's title, headers, legend and tooltips, the view's buttons and lines are Korean; the
    CSV and JSON keep their English field names (data for other programs)."""
    monkeypatch.setenv("DOCKERLAB_LANG", "ko")
    grid = ClassGrid(read_class(homes), EXERCISES, generated=0)
    text = to_text(grid, 160)
    assert "반 전체 진도 — 학습자 3명, " in text and "학습자" in text.split("\n")[2] and "✘n n번 시도" in text
    carol = next(lp for lp in grid.learners if lp.learner == "carol")
    assert carol.problem.startswith("파일이 읽을 수 있는 JSON이 아닙니다(1번째 줄). 중간에 잘렸거나") and \
        carol.problem.endswith("힌트: 학습자에게 물어보세요. 다음 확인 때 새 파일이 시작됩니다.")
    page = grid.to_html()
    assert "<h1 style=\"font-size:18px\">반 전체 진도</h1>" in page and "3번 시도" in page and "(n = 시도 횟수)" in page
    assert grid.to_csv().startswith("learner,chapter,exercise")
    view = ClassView(homes, interval=60, autostart=False, export_dir=tmp_path, exercises=EXERCISES)
    try:
        assert [b.description for b in view.export_buttons.values()] == ["CSV 내보내기", "JSON 내보내기",
                                                                          "HTML 내보내기"]
        view.export("csv")
        assert view.message.value.count("바이트") == 1 and "새로 고치지 않음" in view.status_html.value
        view.start()
        assert view.timer_button.description == "새로 고침 멈추기"
    finally:
        view.close()


def test_progress_command_prints_the_learners_own_table(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DOCKERLAB_PROGRESS", str(tmp_path / "p.json"))
    monkeypatch.setenv("DOCKERLAB_SESSION", "zoe")
    record("00", "q2", "Exercise 2", "correct")
    assert cli.main(["progress"]) == 0
    out = capsys.readouterr().out
    assert "Your progress (zoe)" in out and "done (1 attempt)" in out


def test_progress_class_command_prints_and_writes_the_exports(homes, tmp_path, capsys):
    names = tmp_path / "class.txt"
    names.write_text("# my class\nalice\n\nbob   # late\n")
    args = ["progress", "--class", "--homes", str(homes), "--learners", str(names),
            "--csv", str(tmp_path / "c.csv"), "--json", str(tmp_path / "c.json"), "--html", str(tmp_path / "c.html")]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "Class progress — 2 learners" in out and "carol" not in out
    assert (tmp_path / "c.csv").read_text().startswith("learner,chapter,exercise")
    assert json.loads((tmp_path / "c.json").read_text())["learners"][1]["learner"] == "bob"
    assert "<table" in (tmp_path / "c.html").read_text()


def test_an_empty_class_list_is_a_clear_error(tmp_path, capsys):
    names = tmp_path / "class.txt"
    names.write_text("# nobody yet\n")
    assert cli.main(["progress", "--class", "--learners", str(names)]) == 2
    assert "names no learner" in " ".join(capsys.readouterr().out.split())
