"""The kit speaks the learner's language: English (the message ids) or Korean, through gettext catalogs.

``_("There is no container named '{name}' yet.").format(name=…)`` translates at call time into the language in force:
the one a chapter's start cell chose (``lab.start_chapter(…, lang="ko")``), else ``DOCKERLAB_LANG``, else the
locale (``LC_ALL`` / ``LC_MESSAGES`` / ``LANG``: ``ko_KR.UTF-8`` → Korean), else English. Texts defined before any
language is known (an exercise's title and hints, class attributes) are marked with ``N_()`` and translated where
they are shown. The catalogs' sources are ``dockerlab/locale/<lang>/LC_MESSAGES/dockerlab.po``; the ``.mo`` files
are compiled from them when the kit is built or installed (the package build's step in setup.py; ``python -m
dockerlab catalogs``, which ``./lab setup`` runs).
"""

from __future__ import annotations

import functools
import gettext
import os
import sys
from pathlib import Path

__all__ = ["_", "N_", "ngettext", "language", "set_language", "LANGUAGES", "DEFAULT", "catalog_path", "compile_catalogs"]

DOMAIN = "dockerlab"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "en"
#: the languages the kit speaks; English needs no catalog (its messages are the ids)
LANGUAGES = ("en", "ko")

_chosen: str | None = None
_warned: set[str] = set()


def _normalize(raw: str | None) -> str | None:
    """'ko_KR.UTF-8', 'ko-KR', 'KO' → 'ko'; None for what the kit does not speak ('C', 'fr_FR', '')."""
    if not raw:
        return None
    code = raw.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else None


def language() -> str:
    """The language the kit speaks now: 'en' or 'ko'."""
    if _chosen is not None:
        return _chosen
    env = os.environ.get("DOCKERLAB_LANG")
    if env:
        return _normalize(env) or DEFAULT
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return _normalize(value) or DEFAULT
    return DEFAULT


def set_language(lang: str | None) -> str:
    """Speak ``lang`` ('en', 'ko', 'ko_KR'…) from now on in this process; None goes back to DOCKERLAB_LANG / the
    locale. Returns the language in force."""
    global _chosen
    if lang is None:
        _chosen = None
        return language()
    code = _normalize(lang)
    if code is None:  # the kit's callers (start_chapter) turn this into a BadInput with its Hint
        raise ValueError(lang)
    _chosen = code
    return code


def catalog_path(lang: str, suffix: str = ".mo") -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@functools.lru_cache(maxsize=None)
def _translations(lang: str) -> gettext.NullTranslations:
    if lang == DEFAULT:
        return gettext.NullTranslations()
    mo = catalog_path(lang)
    if not mo.exists():
        if lang not in _warned:
            _warned.add(lang)
            print(f"dockerlab: the {lang} catalog is not compiled ({mo} is missing): messages stay in English. "
                  "Hint: run `./lab setup` or `python -m dockerlab catalogs`.", file=sys.stderr)
        return gettext.NullTranslations()
    with open(mo, "rb") as fp:
        return gettext.GNUTranslations(fp)


def _(message: str) -> str:
    """``message`` (an English message id) in the language in force."""
    if not message:
        return message
    return _translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for ``n`` in the language in force (Korean has one form)."""
    return _translations(language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it yet (it is translated with ``_()`` where shown)."""
    return message


def compile_catalogs(check: bool = False) -> list[Path]:
    """Compile every ``.po`` into its ``.mo`` (with Babel); with check=True only list the ``.mo`` files that are
    missing or do not hold their ``.po``'s translations. Returns the files written (or stale)."""
    done = []
    for po in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and _fresh(po, mo):
            continue
        done.append(mo)
        if not check:
            write_mo(po, mo)
    _translations.cache_clear()
    return done


def _fresh(po: Path, mo: Path) -> bool:
    """Does ``mo`` hold exactly the translations of ``po`` (whichever Babel compiled it)?"""
    from babel.messages.pofile import read_po

    with open(po, "rb") as fp:
        catalog = read_po(fp, locale=po.parent.parent.name)
    wanted = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in catalog
              if m.id and m.string and not m.fuzzy}
    try:
        with open(mo, "rb") as fp:
            compiled = gettext.GNUTranslations(fp)._catalog  # type: ignore[attr-defined]
    except (OSError, ValueError):
        return False
    have = {(k[0] if isinstance(k, tuple) else k): v for k, v in compiled.items() if k}
    flat = {k: (v[0] if isinstance(v, (tuple, list)) else v) for k, v in wanted.items()}
    return have == flat


def _mo_bytes(po: Path) -> bytes:
    import io

    from babel.messages.mofile import write_mo as babel_write_mo
    from babel.messages.pofile import read_po

    with open(po, "rb") as fp:
        catalog = read_po(fp, locale=po.parent.parent.name)
    out = io.BytesIO()
    babel_write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def write_mo(po: Path, mo: Path) -> None:
    mo.write_bytes(_mo_bytes(po))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] != ["compile"]:
        print("usage: python -m dockerlab catalogs [--check]", file=sys.stderr)
        return 2
    if "--check" in args:
        stale = compile_catalogs(check=True)
        for mo in stale:
            print(f"not compiled or out of date: {mo}")
        return 1 if stale else 0
    for mo in compile_catalogs():
        print(f"compiled {mo.relative_to(LOCALE_DIR.parent.parent)}")
    return 0
