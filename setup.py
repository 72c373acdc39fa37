"""The package build compiles the kit's message catalogs (dockerlab/locale/*/LC_MESSAGES/dockerlab.po → .mo).

Everything else is in pyproject.toml; this file only adds that build step (Babel is a build requirement). An editable
install (`pip install -e .`, as ./lab does) compiles them in place, next to their .po sources.
"""

from __future__ import annotations

import io
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _mo_bytes(po: Path) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po, "rb") as fp:
        catalog = read_po(fp, locale=po.parent.parent.name)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


class build_py_with_catalogs(build_py):  # noqa: N801 (setuptools' command naming)
    """build_py, then every .po of the package compiled to its .mo (in the build, or in place when editable)."""

    def run(self) -> None:
        super().run()
        for po in sorted((HERE / "dockerlab" / "locale").glob("*/LC_MESSAGES/*.po")):
            rel = po.relative_to(HERE).with_suffix(".mo")
            targets = [HERE / rel] if self.editable_mode else [Path(self.build_lib) / rel]
            for mo in targets:
                mo.parent.mkdir(parents=True, exist_ok=True)
                mo.write_bytes(_mo_bytes(po))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:  # type: ignore[override]
        mos = [str(Path(self.build_lib) / po.relative_to(HERE).with_suffix(".mo"))
               for po in sorted((HERE / "dockerlab" / "locale").glob("*/LC_MESSAGES/*.po"))]
        return list(super().get_outputs(include_bytecode)) + ([] if self.editable_mode else mos)


setup(cmdclass={"build_py": build_py_with_catalogs})
