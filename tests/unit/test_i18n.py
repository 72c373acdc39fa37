"""Offline: the kit speaks English or Korean through gettext catalogs, and the Korean catalog is complete.

The catalog test fails on a message of the code (``_()``, ``N_()``, ``ngettext()``) that is missing from
dockerlab/locale/ko/LC_MESSAGES/dockerlab.po, empty or fuzzy there, whose translation has other ``{placeholders}``,
or that the code no longer has (``python tools/catalogs.py`` updates the file; then translate what it added).
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

from dockerlab import i18n
from dockerlab.chapter import start_chapter
from dockerlab.errors import BadInput, DockerlabError
from dockerlab.i18n import _, language, set_language

ROOT = Path(__file__).resolve().parents[2]


def _tool():
    spec = importlib.util.spec_from_file_location("catalogs_tool", ROOT / "tools" / "catalogs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CATALOGS = _tool()


def test_korean_catalog_has_every_message_translated():
    problems = CATALOGS.problems("ko")
    assert problems == [], "\n".join(problems[:40]) + f"\n({len(problems)} in all; see tools/catalogs.py)"


def test_compiled_catalogs_are_those_of_the_sources():
    assert i18n.compile_catalogs(check=True) == [], "run `python -m dockerlab catalogs` (./lab setup does)"


def _calls() -> list[tuple[str, int, ast.Call]]:
    found = []
    for path in sorted((ROOT / "dockerlab").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_"):
                found.append((str(path.relative_to(ROOT)), node.lineno, node))
    return found


def test_messages_are_literal_strings_formatted_after_translation():
    """``_("… {name} …").format(name=…)``, never ``_(f"…")`` (an f-string is formatted before the catalog sees it);
    ``_(value)`` is allowed for a text marked with ``N_()`` elsewhere (an exercise's title)."""
    bad = []
    for where, line, call in _calls():
        arg = call.args[0] if len(call.args) == 1 and not call.keywords else None
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            continue
        if call.func.id == "_" and isinstance(arg, (ast.Name, ast.Attribute, ast.Subscript)):
            continue
        bad.append(f"{where}:{line}: {ast.unparse(call)[:80]}")
    assert bad == []


def test_the_kit_speaks_english_by_default_and_korean_when_asked(monkeypatch):
    monkeypatch.delenv("DOCKERLAB_LANG")
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert language() == "en"
    msgid = "Chapter {number}: {title}"
    assert _(msgid) == msgid
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert language() == "ko" and _(msgid) == "{number}장: {title}"
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert language() == "en"
    monkeypatch.setenv("LC_ALL", "ko_KR.UTF-8")
    assert language() == "ko"
    monkeypatch.setenv("DOCKERLAB_LANG", "en")  # the kit's own setting wins over the locale
    assert language() == "en"
    monkeypatch.setenv("DOCKERLAB_LANG", "ko-KR")
    assert language() == "ko"
    assert set_language("en") == "en" and language() == "en"  # a chapter's choice wins over both
    assert set_language(None) == "ko"


def test_a_chapter_passes_its_notebooks_language_to_the_kit():
    ch = start_chapter("00", "설정 확인", lang="ko")
    assert ch.lang == "ko" and language() == "ko" and repr(ch) == "00장: 설정 확인"
    ch = start_chapter("00", "Setup check", lang="en")
    assert language() == "en" and repr(ch) == "Chapter 00: Setup check"


@pytest.mark.parametrize("lang, what, hint", [
    ("en", "The kit does not speak 'fr'.", "Use one of: en, ko."),
    ("ko", "키트는 'fr' 언어를 지원하지 않습니다.", "다음 중 하나를 쓰세요: en, ko."),
])
def test_an_unknown_language_is_refused_with_a_hint_in_the_language_in_force(lang, what, hint):
    set_language(lang)
    with pytest.raises(BadInput) as refused:
        start_chapter("00", "x", lang="fr")
    assert refused.value.what == what and refused.value.hint == hint
    assert language() == lang


def test_a_missing_compiled_catalog_falls_back_to_english_and_says_so(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n._translations.cache_clear()
    i18n._warned.clear()
    try:
        set_language("ko")
        assert _("Chapter {number}: {title}") == "Chapter {number}: {title}"
        assert "python -m dockerlab catalogs" in capsys.readouterr().err
    finally:
        i18n._translations.cache_clear()


def test_the_catalog_tool_names_what_is_wrong(monkeypatch, tmp_path):
    po = tmp_path / "ko" / "LC_MESSAGES" / "dockerlab.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  'msgid "Hello {name}"\nmsgstr "안녕하세요 {이름}"\n\n'
                  '#, fuzzy\nmsgid "Maybe"\nmsgstr "아마"\n\n'
                  'msgid "Empty"\nmsgstr ""\n\n'
                  'msgid "Gone"\nmsgstr "사라짐"\n', encoding="utf-8")
    monkeypatch.setattr(CATALOGS, "po_path", lambda lang: po)
    found = CATALOGS.problems("ko", {"Hello {name}": ["a.py"], "Maybe": ["a.py"], "Empty": ["b.py"],
                                     "New one": ["c.py"]})
    assert any("placeholders ['이름'] are not the message's ['name']" in p for p in found)
    assert any(p.startswith("ko: fuzzy") and "'Maybe'" in p for p in found)
    assert any(p.startswith("ko: not translated (b.py)") for p in found)
    assert any(p.startswith("ko: missing (c.py)") for p in found)
    assert any("no longer in the code" in p and "'Gone'" in p for p in found)
    assert len(found) == 5


def test_errors_and_their_hints_are_kit_errors():
    assert issubclass(BadInput, DockerlabError)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_check_speaks_the_chapters_language(lang, monkeypatch):
    """The outcome, the exercise's title, its message and its hints in the language of the chapter's start cell,
    compared with the catalog's message ids (English) or their Korean translations."""
    monkeypatch.setenv("DOCKERLAB_PROGRESS", "off")
    from dockerlab.checks import Outcome
    from dockerlab.exercises import ch00

    set_language(lang)
    result = ch00.q1.check("____")
    assert result.outcome is Outcome.NOT_ATTEMPTED
    assert result.problem == _("Exercise 1: ask the engine its version")
    assert result.message == _("Put your answer in the cell above (replace the ____), then run this check.")
    assert str(result).startswith(_("Not attempted") + " — ")
    assert _("Not attempted") in result._repr_html_()
    hint = str(ch00.q1.hint())
    assert hint == _("Hint {n}/{total}: {hint}").format(
        n=1, total=2, hint=_("The SDK client has a method named like the `docker version` command.")) + \
        _(" (hint({next}) says more)").format(next=2)
    if lang == "ko":
        assert result.problem == "연습 1: 엔진에게 버전 묻기" and str(result).startswith("아직 안 함 — ")
        assert hint.startswith("힌트 1/2: SDK 클라이언트에는")
    else:
        assert result.problem == "Exercise 1: ask the engine its version" and hint.startswith("Hint 1/2: The SDK")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_errors_say_what_happened_and_their_hint_in_the_language_in_force(lang):
    import requests

    from dockerlab.errors import EngineUnavailable, PortInUse, from_exception

    set_language(lang)
    err = from_exception(requests.exceptions.ConnectionError("refused"), "listing images",
                         address="unix:///nowhere.sock")
    assert isinstance(err, EngineUnavailable)
    assert err.what == _("While {doing}: ").format(doing="listing images") + \
        _("no Docker engine answers at {where}.").format(where="unix:///nowhere.sock")
    assert err.hint == _(EngineUnavailable.default_hint)
    assert str(err).endswith(_("Hint: {hint}").format(hint=err.hint))
    port = PortInUse(_("host port {port}{host} is already in use. The engine said: {text}").format(
        port=8080, host="", text="…"))
    assert port.port == 8080
    if lang == "ko":
        assert "응답하는 Docker 엔진이 없습니다" in err.what and "\n힌트: 엔진을 시작하거나" in str(err)


def test_no_module_that_translates_rebinds_the_underscore():
    """``_, x = …`` in a module that imports ``_`` from i18n would hide the translation function there."""
    bad = []
    for path in sorted((ROOT / "dockerlab").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = any(isinstance(n, ast.ImportFrom) and (n.module or "").endswith("i18n")
                      and any(a.name == "_" for a in n.names) for n in ast.walk(tree))
        if imports:
            bad += [f"{path.relative_to(ROOT)}:{n.lineno}" for n in ast.walk(tree)
                    if isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)]
    assert bad == []


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_reset_says_what_it_removed_in_the_language_in_force(lang):
    from dockerlab.cleanup import ResetReport, Resource, kind_word

    set_language(lang)
    report = ResetReport(removed=[Resource("container", "web", "1", "s", "03"), Resource("volume", "data", "2", "s", "03")],
                         kept_volumes=[Resource("volume", "notes", "3", "s", "03")])
    assert str(report) == _("Removed {what}").format(what=f"{kind_word('container')} web, {kind_word('volume')} data") \
        + " " + _("Kept volume(s) {names} (purge=True removes them).").format(names="notes")
    assert str(ResetReport()) == _("Nothing of the kit's to remove.")
    if lang == "ko":
        assert str(report) == "지웠습니다: 컨테이너 web, 볼륨 data 볼륨 notes은(는) 남겨 두었습니다(purge=True로 지웁니다)."
