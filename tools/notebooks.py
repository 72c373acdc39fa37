"""Make the course notebooks from their one source of truth.

Each chapter is written once, as a jupytext "percent" script `notebooks/src/NN-topic.py` that holds
the solutions and both languages. This tool writes, for each language LANG (en, ko):
  notebooks/LANG/solutions/NN-topic.ipynb  the solution version (what the teacher runs),
  notebooks/LANG/NN-topic.ipynb            the learner version: solution code removed by markers/tags.

Two languages, one source: every markdown cell is followed by its Korean twin, ``# %% [markdown] lang="ko"``.
Code cells are shared; a code cell whose printed strings or comments a learner reads may be followed by a Korean
twin ``# %% lang="ko"`` that is the same code (same syntax tree once string constants and comments are set aside).
The English notebook drops the twins; the Korean one puts each twin in place of the cell before it. A chapter in
ENGLISH_ONLY (its Korean still to be written) may lack twins; it has no Korean notebook yet.

Solution markers (as in nbgrader): lines between `### BEGIN SOLUTION` and `### END SOLUTION` are
replaced by `# Your code here` in the learner version; cells tagged `solution` are dropped from it.

The same blocks are what each exercise's `solution()` shows: the blocks above a chapter's `ex.qN.check(` belong to
exercise qN, and this tool writes them to `dockerlab/exercises/solutions.json` (one source: the chapter's `.py`).

    python tools/notebooks.py           # write both versions
    python tools/notebooks.py --check   # exit 1 when a generated notebook is out of date
"""

from __future__ import annotations

import argparse
import json
import re
import textwrap
import sys
from pathlib import Path

import jupytext
import nbformat
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "notebooks" / "src"
NOTEBOOKS = ROOT / "notebooks"
LANGUAGES = ("en", "ko")
#: chapters whose Korean twins are still to be written (by file stem): no notebooks/ko/ version yet
ENGLISH_ONLY = frozenset({
})
#: every exercise's solution text, generated from the solution blocks of notebooks/src (see Problem.solution)
SOLUTION_TEXTS = ROOT / "dockerlab" / "exercises" / "solutions.json"

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
_BLOCK = re.compile(r"^([ \t]*)### BEGIN SOLUTION[^\n]*\n.*?^[ \t]*### END SOLUTION[^\n]*(\n|$)", re.M | re.S)


def _clean(nb: nbformat.NotebookNode, lang: str = "en") -> nbformat.NotebookNode:
    nb.metadata = {"kernelspec": dict(KERNELSPEC),
                   "language_info": {"name": "python"},
                   "dockerlab": dict(nb.metadata.get("dockerlab", {}), lang=lang)}
    for i, cell in enumerate(nb.cells):
        cell.id = f"c{i:03d}"
        cell.metadata = {k: v for k, v in cell.metadata.items() if k in ("tags",)}
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


class TwinError(ValueError):
    """A chapter source whose languages do not pair up (a markdown cell without its Korean twin, …)."""


def _shape(code: str) -> str:
    """The syntax tree of ``code`` with every string constant blanked (comments are not in it; an f-string keeps its
    placeholders, in any order): two twins of a code cell must have the same shape. IPython's ``%magic`` /
    ``!shell`` lines are kept as they are."""
    import ast

    lines = [("pass  # " + line) if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines()]
    tree = ast.parse("\n".join(lines))
    magics = [line.strip() for line in code.splitlines() if line.lstrip().startswith(("%", "!"))]
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):  # an f-string: its placeholders, in any order (Korean reorders words)
            node.values = sorted((v for v in node.values if isinstance(v, ast.FormattedValue)), key=ast.dump)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = ""
    return ast.dump(tree) + repr(magics)


def twins(nb: nbformat.NotebookNode, name: str = "a chapter") -> list[tuple[object, object | None]]:
    """The chapter's cells as (English cell, its Korean twin or None), in order; TwinError when a twin is misplaced,
    of another kind, or (code) not the same code."""
    pairs: list[tuple[object, object | None]] = []
    for i, cell in enumerate(nb.cells):
        lang = cell.metadata.get("lang")
        where = f"{name}, cell {i + 1} ({cell.source.strip().splitlines()[0][:60] if cell.source.strip() else ''!r})"
        if lang is None or lang == "en":
            pairs.append((cell, None))
            continue
        if lang != "ko":
            raise TwinError(f"{where}: unknown lang={lang!r} (the course has en and ko)")
        if not pairs or pairs[-1][1] is not None:
            raise TwinError(f"{where}: a Korean cell must follow the English cell it translates")
        english = pairs[-1][0]
        if english.cell_type != cell.cell_type:
            raise TwinError(f"{where}: the Korean twin of a {english.cell_type} cell must be a {english.cell_type} "
                            "cell")
        if cell.cell_type == "code":
            try:
                same = _shape(english.source) == _shape(cell.source)
            except SyntaxError as exc:
                raise TwinError(f"{where}: {exc}") from None
            if not same:
                raise TwinError(f"{where}: the Korean twin is not the same code as the English cell above it (only "
                                "strings and comments may differ)")
        if cell.metadata.get("tags", english.metadata.get("tags")) != english.metadata.get("tags"):
            raise TwinError(f"{where}: a twin has the tags of the English cell (or none)")
        pairs[-1] = (english, cell)
    return pairs


def missing_korean(nb: nbformat.NotebookNode, name: str = "a chapter") -> list[str]:
    """The markdown cells of a chapter that have no Korean twin (their first line each)."""
    return [f"{name}: markdown cell {i + 1} ({(en.source.strip().splitlines() or [''])[0][:60]!r}) has no Korean "
            "twin (# %% [markdown] lang=\"ko\")"
            for i, (en, ko) in enumerate(twins(nb, name)) if en.cell_type == "markdown" and ko is None]


#: a `*` or `**` left as text once CommonMark has read a cell (JupyterLab's renderer follows the same rules)
_LITERAL_STARS = re.compile(r"\*\*|(?<!\s)\*|\*(?!\s)")


def unrendered_emphasis(nb: nbformat.NotebookNode, name: str = "a chapter") -> list[str]:
    """The markdown cells whose bold or italic markers would show as stars: CommonMark closes `**` that follows
    punctuation only before a space or punctuation, so `**이미지(image)**는` stays `**…**` on screen (a Korean particle
    is a letter); write `**이미지**(image)는`, or leave the bold out around code."""
    parser = MarkdownIt("commonmark")
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for token in parser.parse(cell.source):
            for child in token.children or []:
                if child.type == "text" and _LITERAL_STARS.search(child.content):
                    found.append(f"{name}, markdown cell {i + 1}: the stars of {child.content.strip()[:70]!r} would "
                                 "show as they are (a `**` after `)` or a backtick must be followed by a space or "
                                 "punctuation, not a letter: `**이미지**(image)는`, not `**이미지(image)**는`)")
    return found


def language_version(nb: nbformat.NotebookNode, lang: str, name: str = "a chapter") -> nbformat.NotebookNode:
    """The chapter in one language: English cells, or each replaced by its Korean twin."""
    out = nbformat.from_dict(nb)
    cells = []
    for en, ko in twins(out, name):
        cell = ko if lang == "ko" and ko is not None else en
        cell.metadata = {k: v for k, v in en.metadata.items() if k != "lang"}
        cells.append(cell)
    out.cells = cells
    out.metadata.setdefault("dockerlab", {})
    return out


def solution_version(nb: nbformat.NotebookNode, lang: str = "en") -> nbformat.NotebookNode:
    out = nbformat.from_dict(nb)
    for cell in out.cells:
        cell.source = re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION[^\n]*\n?", "", cell.source, flags=re.M).rstrip()
    return _clean(out, lang)


#: what replaces a solution block in the learner version (nbgrader's code stub is the English one)
YOUR_CODE_HERE = {"en": "# Your code here", "ko": "# 여기에 코드를 작성하세요"}


def learner_version(nb: nbformat.NotebookNode, lang: str = "en") -> nbformat.NotebookNode:
    out = nbformat.from_dict(nb)
    out.cells = [c for c in out.cells if "solution" not in c.metadata.get("tags", [])]
    stub = YOUR_CODE_HERE[lang]
    for cell in out.cells:
        cell.source = _BLOCK.sub(lambda m: f"{m.group(1)}{stub}\n", cell.source).rstrip()
    return _clean(out, lang)


_BLOCK_TEXT = re.compile(r"^[ \t]*### BEGIN SOLUTION[^\n]*\n(.*?)^[ \t]*### END SOLUTION", re.M | re.S)
_CHECK = re.compile(r"\bex\.(q\d+)\.check\(")


def solution_texts(nb: nbformat.NotebookNode) -> dict[str, str]:
    """{"q1": code, …}: the solution blocks above each `ex.qN.check(`, in the order the notebook runs them."""
    found: dict[str, str] = {}
    pending: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        pending += [textwrap.dedent(block).strip("\n") for block in _BLOCK_TEXT.findall(cell.source)]
        for name in _CHECK.findall(cell.source):
            if pending and name not in found:
                found[name] = "\n".join(pending)
                pending = []
    if pending:
        raise SystemExit(f"a solution block in {nb.metadata.get('name', 'a chapter')} has no `ex.qN.check(` after it")
    return found


def read(src: Path) -> nbformat.NotebookNode:
    """A chapter source as one notebook with both languages' cells (Korean twins carry lang="ko")."""
    return jupytext.read(src, fmt="py:percent")


def languages(src: Path) -> tuple[str, ...]:
    """The languages a chapter is written in: both, or English only while it is in ENGLISH_ONLY."""
    return ("en",) if src.stem in ENGLISH_ONLY else LANGUAGES


def solutions_json() -> str:
    """The text of dockerlab/exercises/solutions.json: {"LANG": {"NN": {"qN": code}}} for every chapter and language
    (the Korean solution differs only in its comments and strings; a chapter without Korean gives the English)."""
    texts: dict[str, dict[str, dict[str, str]]] = {lang: {} for lang in LANGUAGES}
    for src in sources():
        nb = read(src)
        for lang in LANGUAGES:
            version = language_version(nb, lang if lang in languages(src) else "en", src.name)
            version.metadata["name"] = src.name
            texts[lang][src.name[:2]] = solution_texts(version)
    return json.dumps(texts, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def paths(lang: str, stem: str) -> tuple[Path, Path]:
    """(learner notebook, solution notebook) of chapter ``stem`` in ``lang``."""
    return NOTEBOOKS / lang / f"{stem}.ipynb", NOTEBOOKS / lang / "solutions" / f"{stem}.ipynb"


def render(src: Path) -> dict[Path, str]:
    nb = read(src)
    if src.stem not in ENGLISH_ONLY:
        missing = missing_korean(nb, src.name)
        if missing:
            raise TwinError("\n".join(missing))
    stars = unrendered_emphasis(nb, src.name)
    if stars:
        raise TwinError("\n".join(stars))
    out = {}
    for lang in languages(src):
        version = language_version(nb, lang, src.name)
        learner, solution = paths(lang, src.stem)
        out[solution] = nbformat.writes(solution_version(version, lang)) + "\n"
        out[learner] = nbformat.writes(learner_version(version, lang)) + "\n"
    return out


def sources() -> list[Path]:
    return sorted(SRC.glob("[0-9][0-9]-*.py"))


def generated() -> list[Path]:
    """Every generated notebook now on disk (and any left where older versions of this tool wrote them)."""
    found = list(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")) + list(NOTEBOOKS.glob("solutions/[0-9][0-9]-*.ipynb"))
    for lang in LANGUAGES:
        found += list(NOTEBOOKS.glob(f"{lang}/[0-9][0-9]-*.ipynb"))
        found += list(NOTEBOOKS.glob(f"{lang}/solutions/[0-9][0-9]-*.ipynb"))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when generated notebooks are out of date")
    args = parser.parse_args(argv)
    stale = []
    try:
        outputs = [render(src) for src in sources()] + [{SOLUTION_TEXTS: solutions_json()}]
    except TwinError as err:
        print(f"{err}\n(see notebooks/AUTHORING.md, 'Two languages')", file=sys.stderr)
        return 1
    for rendered in outputs:
        for path, text in rendered.items():
            current = path.read_text() if path.exists() else None
            if current != text:
                stale.append(path)
                if not args.check:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(text)
    expected = {p for rendered in outputs[:-1] for p in rendered}
    orphans = [p for p in generated() if p not in expected]
    if args.check:
        for p in stale + orphans:
            print(f"out of date: {p.relative_to(ROOT)} (run `python tools/notebooks.py`)")
        return 1 if stale or orphans else 0
    for p in orphans:
        p.unlink()
    print(f"wrote {len(stale)} file(s); {len(expected)} notebooks in all, and {SOLUTION_TEXTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
