"""Offline: the committed notebooks are exactly what tools/notebooks.py makes from notebooks/src, in both languages.

Fails when someone edited a chapter's source and forgot to regenerate, or edited a generated `.ipynb` by hand; when a
markdown cell lacks its Korean twin (or a Korean cell its English one); when a code cell's Korean twin is not the same
code; and when a solution reaches a learner notebook.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "notebooks" / "src").glob("[0-9][0-9]-*.py"))


def _tool():
    spec = importlib.util.spec_from_file_location("notebooks_tool", ROOT / "tools" / "notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOL = _tool()


def test_generated_notebooks_are_up_to_date():
    done = subprocess.run([sys.executable, "tools/notebooks.py", "--check"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, ("generated notebooks are stale; run `python tools/notebooks.py`:\n"
                                  + done.stdout + done.stderr)


@pytest.mark.parametrize("src", SOURCES, ids=[s.stem for s in SOURCES])
def test_every_markdown_cell_has_both_languages(src):
    nb = TOOL.read(src)
    missing = TOOL.missing_korean(nb, src.name)  # also raises on a misplaced or diverging twin
    if src.stem in TOOL.ENGLISH_ONLY:
        assert missing, f"{src.stem} is bilingual now: take it out of ENGLISH_ONLY in tools/notebooks.py"
    else:
        assert missing == []


@pytest.mark.parametrize("src", SOURCES, ids=[s.stem for s in SOURCES])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_learner_version_has_no_solution(src, lang):
    if lang not in TOOL.languages(src):
        assert not (ROOT / "notebooks" / lang / f"{src.stem}.ipynb").exists()
        return
    learner = nbformat.read(ROOT / "notebooks" / lang / f"{src.stem}.ipynb", as_version=4)
    solution = nbformat.read(ROOT / "notebooks" / lang / "solutions" / f"{src.stem}.ipynb", as_version=4)
    text = src.read_text()
    for nb in (learner, solution):
        for cell in nb.cells:
            assert "### BEGIN SOLUTION" not in cell.source and "### END SOLUTION" not in cell.source
            assert "lang" not in cell.metadata
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None
        assert nb.metadata["dockerlab"]["lang"] == lang
    if "### BEGIN SOLUTION" in text:
        assert any(TOOL.YOUR_CODE_HERE[lang] in c.source for c in learner.cells)
    for cell in learner.cells:
        assert "solution" not in cell.metadata.get("tags", [])
    assert learner.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("src", [s for s in SOURCES if s.stem not in TOOL.ENGLISH_ONLY],
                         ids=[s.stem for s in SOURCES if s.stem not in TOOL.ENGLISH_ONLY])
def test_both_languages_run_the_same_code(src):
    """The Korean and English solution notebooks differ in markdown and in strings/comments only: same cells, same
    code shape, and the start cell passes the notebook's own language to the kit."""
    en = nbformat.read(ROOT / "notebooks" / "en" / "solutions" / f"{src.stem}.ipynb", as_version=4)
    ko = nbformat.read(ROOT / "notebooks" / "ko" / "solutions" / f"{src.stem}.ipynb", as_version=4)
    assert [c.cell_type for c in en.cells] == [c.cell_type for c in ko.cells]
    for a, b in zip(en.cells, ko.cells):
        if a.cell_type == "code":
            assert TOOL._shape(a.source) == TOOL._shape(b.source)
        else:
            assert a.source != b.source, f"{src.stem}: a Korean markdown cell is the English one: {a.source[:60]!r}"
    assert any('lang="en"' in c.source and "start_chapter(" in c.source for c in en.cells)
    assert any('lang="ko"' in c.source and "start_chapter(" in c.source for c in ko.cells)
    hangul = [c for c in ko.cells if any("\uac00" <= ch <= "\ud7a3" for ch in c.source)]
    assert len(hangul) > len(ko.cells) // 2


def _nb(*cells: tuple[str, str, dict]) -> nbformat.NotebookNode:
    made = []
    for kind, source, meta in cells:
        cell = nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source)
        cell.metadata.update(meta)
        made.append(cell)
    return nbformat.v4.new_notebook(cells=made)


KO = {"lang": "ko"}


def test_twins_pair_and_each_language_gets_its_cells():
    nb = _nb(("markdown", "# Title", {}), ("markdown", "# 제목", KO),
             ("code", 'print("hello")  # say it', {}), ("code", 'print("안녕하세요")  # 말하기', KO),
             ("code", "x = 1", {}))
    assert TOOL.missing_korean(nb) == []
    en, ko = TOOL.language_version(nb, "en"), TOOL.language_version(nb, "ko")
    assert [c.source for c in en.cells] == ["# Title", 'print("hello")  # say it', "x = 1"]
    assert [c.source for c in ko.cells] == ["# 제목", 'print("안녕하세요")  # 말하기', "x = 1"]
    assert all("lang" not in c.metadata for c in ko.cells)


def test_a_markdown_cell_without_its_korean_twin_is_named():
    nb = _nb(("markdown", "# Title", {}), ("markdown", "# 제목", KO), ("markdown", "## Untranslated", {}))
    assert TOOL.missing_korean(nb, "99-x.py") == [
        "99-x.py: markdown cell 2 ('## Untranslated') has no Korean twin (# %% [markdown] lang=\"ko\")"]


@pytest.mark.parametrize("cells, why", [
    ([("markdown", "# 제목", KO)], "must follow the English cell"),
    ([("markdown", "# T", {}), ("markdown", "# 제목", KO), ("markdown", "# 또", KO)], "must follow the English cell"),
    ([("code", "x = 1", {}), ("markdown", "# 제목", KO)], "must be a code cell"),
    ([("code", 'print("a")', {}), ("code", 'print("가", end="")', KO)], "not the same code"),
    ([("code", "x = 1", {}), ("code", "x = 2", KO)], "not the same code"),
    ([("code", "x = compute()", {}), ("code", "y = compute()", KO)], "not the same code"),
    ([("markdown", "# T", {}), ("markdown", "# 제목", {"lang": "fr"})], "unknown lang"),
])
def test_misplaced_or_diverging_twins_are_refused(cells, why):
    with pytest.raises(TOOL.TwinError, match=why):
        TOOL.twins(_nb(*cells))


def test_code_twins_may_differ_in_strings_comments_and_fstrings_only():
    en = 'n = 3\nprint(f"{n} containers")  # how many\nassert n, "none"\n%time x = 1'
    ko = 'n = 3\nprint(f"컨테이너 {n}개")  # 몇 개\nassert n, "없음"\n%time x = 1'
    assert TOOL._shape(en) == TOOL._shape(ko)
    assert TOOL._shape(en) != TOOL._shape(en.replace("{n}", "{n + 1}"))


@pytest.mark.parametrize("text, shows_stars", [
    ("**이미지(image)**는 꾸러미입니다.", True),  # a closing ** after ")" and before a letter does not close
    ("**`first`**라는 이름", True),
    ("*\"Imported from -\"*라고 적힌 줄", True),
    ("**이미지**(image)는 꾸러미입니다.", False),
    ("**`first`라는** 이름", False),
    ("**Dockerfile**이라는 레시피, **엔진(engine)**, 곧 데몬", False),
    ("An **image** (*the* package) is `a*b`.", False),
])
def test_emphasis_that_would_show_as_stars_is_named(text, shows_stars):
    found = TOOL.unrendered_emphasis(_nb(("markdown", "# T", {}), ("markdown", text, KO)), "99-x.py")
    assert bool(found) is shows_stars, found
    if shows_stars:
        assert found[0].startswith("99-x.py, markdown cell 2: the stars of")
