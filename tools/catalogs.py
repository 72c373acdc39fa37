"""The kit's message catalogs: every `_()` / `N_()` / `ngettext()` message of `dockerlab/` and its Korean translation.

    python tools/catalogs.py            # update dockerlab/locale/ko/LC_MESSAGES/dockerlab.po from the code: new
                                        # messages get an empty translation to fill in, messages no longer in the
                                        # code are dropped; then compile the .mo files
    python tools/catalogs.py --check    # exit 1 when a message is missing, empty or fuzzy in a catalog, or a
                                        # translation names a {placeholder} its message does not have

The English text is the message id; the `.po` files are the sources (in git), the `.mo` files are compiled from
them when the kit is installed (setup.py's build step, `./lab setup`, `python -m dockerlab.i18n compile`).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dockerlab"
LOCALES = ("ko",)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
_FIELD = re.compile(r"(?<!\{)\{([^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def po_path(lang: str) -> Path:
    return PACKAGE / "locale" / lang / "LC_MESSAGES" / "dockerlab.po"


def extracted() -> dict[object, list[str]]:
    """Every message of the code (a str, or (singular, plural)), with the files that use it, in source order."""
    found: dict[object, list[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True):
        if isinstance(message, tuple):
            message = tuple(m for m in message if m)
            message = message[0] if len(message) == 1 else message
        if not message:
            continue
        where = f"dockerlab/{filename}"
        files = found.setdefault(message, [])
        if where not in files:
            files.append(where)
    return found


def read(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, domain="dockerlab", project="dockerlab", version="0.1", fuzzy=False)
    with open(path, "rb") as fp:
        return read_po(fp, locale=lang)


def fields(text: str) -> set[str]:
    """The str.format fields of a message ({name}, {count:d} → name, count)."""
    return set(_FIELD.findall(text))


def problems(lang: str, messages: dict[object, list[str]] | None = None) -> list[str]:
    """What is wrong with ``lang``'s catalog: missing, empty, fuzzy or stale messages, mismatched placeholders."""
    messages = extracted() if messages is None else messages
    catalog = read(lang)
    out = []
    known = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}  # a plural by its singular
    for msgid, files in messages.items():
        key = msgid if isinstance(msgid, str) else msgid[0]
        entry = known.get(key)
        shown = (key if len(key) < 90 else key[:87] + "…").replace("\n", "\\n")
        if entry is None:
            out.append(f"{lang}: missing ({', '.join(files)}): {shown!r}")
            continue
        strings = entry.string if isinstance(entry.string, (tuple, list)) else (entry.string,)
        if not all(strings):
            out.append(f"{lang}: not translated ({', '.join(files)}): {shown!r}")
        elif entry.fuzzy:
            out.append(f"{lang}: fuzzy, to review ({', '.join(files)}): {shown!r}")
        else:
            for s in strings:  # a translation may leave out a field only English grammar needs ({a} for a/an)
                if not fields(s) <= fields(key):
                    out.append(f"{lang}: the translation's placeholders {sorted(fields(s) - fields(key))} are not "
                               f"the message's {sorted(fields(key))}: {shown!r}")
    ids = {m if isinstance(m, str) else m[0] for m in messages}
    for key in known:
        if key not in ids:
            shown = (key if len(key) < 90 else key[:87] + "…").replace("\n", "\\n")
            out.append(f"{lang}: no longer in the code (run tools/catalogs.py to drop it): {shown!r}")
    return out


def update(lang: str) -> tuple[int, int]:
    """Bring ``lang``'s .po up to the code: (messages added, messages dropped)."""
    messages = extracted()
    old = read(lang)
    known = {m.id if isinstance(m.id, str) else m.id[0]: m for m in old if m.id}
    new = Catalog(locale=lang, domain="dockerlab", project="dockerlab", version="0.1", fuzzy=False,
                  creation_date=old.creation_date, revision_date=old.revision_date,
                  last_translator="dockerlab", language_team="dockerlab",
                  header_comment="# Korean messages of dockerlab (the English text is the id).\n"
                                 "# Update with `python tools/catalogs.py`; every message needs a translation.")
    added = 0
    for msgid, files in messages.items():
        key = msgid if isinstance(msgid, str) else msgid[0]
        before = known.get(key)
        string = before.string if before is not None else ("", "") if isinstance(msgid, tuple) else ""
        flags = set(before.flags) if before is not None else set()
        flags.discard("python-format")
        if before is None:
            added += 1
        new.add(msgid, string, locations=[(f, None) for f in files], flags=flags)
    dropped = len([k for k in known if k not in {m if isinstance(m, str) else m[0] for m in messages}])
    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fp:
        write_po(fp, new, width=120, omit_header=False, sort_output=False, include_lineno=False)
    return added, dropped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail on a missing, empty, fuzzy or stale message")
    args = parser.parse_args(argv)
    if args.check:
        found = [p for lang in LOCALES for p in problems(lang)]
        for line in found:
            print(line)
        return 1 if found else 0
    for lang in LOCALES:
        added, dropped = update(lang)
        todo = [p for p in problems(lang) if "not translated" in p or "fuzzy" in p]
        print(f"{po_path(lang).relative_to(ROOT)}: {added} new, {dropped} dropped, {len(todo)} to translate")
    sys.path.insert(0, str(ROOT))
    from dockerlab.i18n import compile_catalogs

    compile_catalogs()
    return 0


if __name__ == "__main__":
    sys.exit(main())
