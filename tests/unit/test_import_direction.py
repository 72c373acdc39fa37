"""Offline: the kit's imports run one way — core → course infrastructure → teaching → displays → widgets.

The graph is built from the source (every ``import``/``from … import``, at module level or inside a function; only
``if TYPE_CHECKING:`` blocks, which never run, are left out). Where a module sits follows the layout:

- core: the flat modules at the top of ``dockerlab/`` (the Docker nouns: engine, containers, images, …),
- course infrastructure: ``dockerlab/course/`` (prepare, base images, the cloud server, the registry, …),
- teaching: ``checks.py``, ``chapter.py``, ``progress.py`` and ``dockerlab/exercises/``,
- displays: ``dockerlab/display/``; widgets: ``dockerlab/widgets/`` (built on the displays),
- the top: ``dockerlab/__init__.py`` (``import dockerlab as lab``) and the program (``__main__.py``,
  ``progress_cli.py``) use them all.

A module may import its own tier and the tiers below it. Any edge that runs up, and any cycle, fails the test.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "dockerlab"
TIERS = ("core", "course", "teaching", "display", "widgets", "top")
TEACHING = {"dockerlab.checks", "dockerlab.chapter", "dockerlab.progress"}
#: the program: `python -m dockerlab` and its `progress` command
TOP = {"dockerlab", "dockerlab.__main__", "dockerlab.progress_cli"}
#: modules allowed to import by name: the catalogue discovers the chapters' exercise modules (same tier; an ImportError
#: surfaces)
IMPORTS_BY_NAME = {"dockerlab.exercises.catalogue"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def tier(module: str) -> str:
    if module in TOP:
        return "top"
    if module in TEACHING or module.startswith("dockerlab.exercises"):
        return "teaching"
    sub = module.split(".")[1]
    if sub in ("course", "display", "widgets"):
        return sub
    assert module.count(".") == 1, f"{module}: a new subpackage needs a tier in this test and in the README"
    return "core"


def _type_checking_only(tree: ast.Module) -> set[int]:
    """ids of import nodes inside `if TYPE_CHECKING:` (they never run)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return skip


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    if isinstance(node, ast.Import):
        return {a.name for a in node.names if a.name.split(".")[0] == "dockerlab"}
    if node.level:
        package = module.split(".") if MODULES[module].name == "__init__.py" else module.split(".")[:-1]
        base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    if base.split(".")[0] != "dockerlab":
        return set()
    found = set()
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        found.add(sub if sub in MODULES else base)
    return found


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(), str(path))
        skip = _type_checking_only(tree)
        edges: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in skip:
                edges |= {t for t in _targets(module, node) if t != module}
        unknown = edges - set(MODULES)
        assert not unknown, f"{module} imports {sorted(unknown)}, which do not exist"
        graph[module] = edges
    return graph


def upward_edges(graph: dict[str, set[str]]) -> list[str]:
    return sorted(f"{a} ({tier(a)}) → {b} ({tier(b)})" for a, targets in graph.items() for b in targets
                  if TIERS.index(tier(b)) > TIERS.index(tier(a)))


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_imports_never_run_up_the_tiers():
    assert upward_edges(import_graph()) == []


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_no_imports_by_string():
    """importlib.import_module / __import__ would hide an edge from this test (and swallow its ImportError)."""
    hidden = [f"{m}: line {n.lineno}" for m, p in MODULES.items() if m not in IMPORTS_BY_NAME
              for n in ast.walk(ast.parse(p.read_text()))
              if isinstance(n, ast.Call) and ast.unparse(n.func) in ("importlib.import_module", "import_module",
                                                                    "__import__")]
    assert hidden == []


def test_the_checker_sees_function_level_edges_up_and_cycles():
    """The test above would catch the defects it is for: an upward import inside a function, and a cycle."""
    graph = {"dockerlab.containers": {"dockerlab.display.containers"}, "dockerlab.display.containers": set()}
    assert upward_edges(graph) == ["dockerlab.containers (core) → dockerlab.display.containers (display)"]
    assert cycles({"dockerlab.engine": {"dockerlab.errors"}, "dockerlab.errors": {"dockerlab.engine"},
                   "dockerlab.labels": {"dockerlab.errors"}}) == [["dockerlab.engine", "dockerlab.errors"]]
    tree = ast.parse("def f():\n    from .display.containers import containers_table\n")
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom))
    assert _targets("dockerlab.containers", node) == {"dockerlab.display.containers"}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_is_under_400_lines_and_in_the_readme(module: str):
    path = MODULES[module]
    lines = len(path.read_text().splitlines())
    assert lines <= 400, f"{path.relative_to(PACKAGE.parent)} has {lines} lines: split it by concept (~400 at most)"
    readme = (PACKAGE.parent / "README.md").read_text()
    shown = re.sub(r"exercises/ch\d\d\.py$", "exercises/chNN.py", str(path.relative_to(PACKAGE.parent)))
    assert f"`{shown}`" in readme, f"README's layout table does not list {shown}"


#: the sleeps that are not "wait until": a log follower's pace, a pause for the last events, the watch command's refresh
PACED = {"dockerlab.containers": "follow() streams log lines", "dockerlab.events": "stop() lets the last events arrive",
         "dockerlab.progress_cli": "--watch redraws the class grid"}


def test_waits_use_the_one_polling_helper():
    """`while …: time.sleep()` loops are written once, in polling.poll; every wait-until goes through it."""
    loops = [f"{m}: line {n.lineno}" for m, p in MODULES.items() if m not in PACED and m != "dockerlab.polling"
             for n in ast.walk(ast.parse(p.read_text()))
             if isinstance(n, ast.Call) and ast.unparse(n.func) in ("time.sleep", "sleep")]
    assert loops == [], "use dockerlab.polling.poll(probe, timeout=…, fail=…) instead of a sleep loop"
