"""Offline: environment.yml (conda, Binder) installs the same packages, with the same bounds, as pyproject.toml
(its dependencies, every extra, and the Python version)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
#: PyPI name -> conda-forge name, where they differ
CONDA_NAMES = {"docker": "docker-py"}
_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;#]*)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split(requirement: str) -> tuple[str, str]:
    m = _REQ.match(requirement)
    assert m, f"cannot read the requirement {requirement!r}"
    return _norm(m.group(1)), m.group(3).replace(" ", "")


def from_pyproject(text: str) -> dict[str, str]:
    """name -> version bounds, as pip would install them (conda names where conda-forge differs)."""
    project = tomllib.loads(text)["project"]
    wanted = {"python": project["requires-python"].replace(" ", "")}
    for req in project.get("dependencies", []) + [r for extra in project.get("optional-dependencies", {}).values()
                                                  for r in extra]:
        name, spec = _split(req)
        wanted[CONDA_NAMES.get(name, name)] = spec
    return wanted


def from_environment(text: str) -> dict[str, str]:
    """name -> version bounds of environment.yml's conda and pip lists (pip itself and ``-e .`` left out)."""
    found: dict[str, str] = {}
    for dep in yaml.safe_load(text)["dependencies"]:
        items = dep["pip"] if isinstance(dep, dict) else [dep]
        for item in items:
            item = str(item).split("#", 1)[0].strip()
            if item == "pip" or item.startswith("-e") or item in (".", "./"):
                continue
            name, spec = _split(item)
            found[name] = spec
    return found


def disagreements(pyproject: str, environment: str) -> list[str]:
    want, have = from_pyproject(pyproject), from_environment(environment)
    out = [f"{n}{s} is in pyproject.toml but not in environment.yml" for n, s in want.items() if n not in have]
    out += [f"{n}{s} is in environment.yml but not in pyproject.toml" for n, s in have.items() if n not in want]
    out += [f"{n}: pyproject.toml says '{want[n]}', environment.yml says '{have[n]}'"
            for n in want if n in have and want[n] != have[n]]
    return out


def test_environment_yml_installs_what_pyproject_toml_asks_for():
    problems = disagreements((ROOT / "pyproject.toml").read_text(), (ROOT / "environment.yml").read_text())
    assert not problems, "environment.yml and pyproject.toml disagree:\n" + "\n".join(problems)


PYPROJECT = """
[project]
requires-python = ">=3.10"
dependencies = ["docker>=7.1", "rich >= 13"]
[project.optional-dependencies]
test = ["pytest>=8", "nbgrader>=0.9 ; python_version >= '3.9'"]
"""


def test_the_comparison_sees_a_missing_an_extra_and_a_different_package():
    same = """
dependencies:
  - python>=3.10
  - pip
  - docker-py>=7.1
  - rich>=13
  - pytest>=8
  - pip:
      - nbgrader>=0.9   # a comment
      - -e .
"""
    assert disagreements(PYPROJECT, same) == []
    drifted = same.replace("  - rich>=13\n", "  - rich>=12\n").replace("  - pytest>=8\n", "  - numpy\n") \
                  .replace("python>=3.10", "python>=3.11")
    assert sorted(disagreements(PYPROJECT, drifted)) == [
        "numpy is in environment.yml but not in pyproject.toml",
        "pytest>=8 is in pyproject.toml but not in environment.yml",
        "python: pyproject.toml says '>=3.10', environment.yml says '>=3.11'",
        "rich: pyproject.toml says '>=13', environment.yml says '>=12'",
    ]
