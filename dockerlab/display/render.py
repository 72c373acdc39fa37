"""Render any rich renderable for Jupyter (HTML + plain text) or to text, respecting NO_COLOR.

:class:`Displayable` gives a renderable the same look in a terminal (``rich.print``) and in
JupyterLab (``_repr_mimebundle_``); ``str(obj)`` is its plain text.
"""

from __future__ import annotations

import html
import io
import os
from typing import Any

from rich.console import Console, RenderableType

__all__ = ["console", "to_text", "to_html", "mimebundle", "Displayable", "human_size", "no_color", "in_notebook"]

_PRE = ('<pre style="white-space:pre;overflow-x:auto;line-height:1.3;'
        'font-family:Menlo,\'DejaVu Sans Mono\',consolas,\'Courier New\',monospace">{code}</pre>')


def in_notebook() -> bool:
    """True inside a Jupyter kernel (ipykernel): displays there update in place; a terminal prints them once."""
    import sys

    if "ipykernel" not in sys.modules:
        return False
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except Exception:  # noqa: BLE001
        return False
    return shell is not None and hasattr(shell, "kernel")


def no_color() -> bool:
    """True when the learner asked for no colour (the NO_COLOR convention)."""
    return bool(os.environ.get("NO_COLOR"))


def console(width: int = 100, file: io.StringIO | None = None) -> Console:
    """A recording console; colourless when NO_COLOR is set."""
    colourless = no_color()
    return Console(file=file or io.StringIO(), width=width, record=True, force_terminal=not colourless,
                   force_jupyter=False, color_system=None if colourless else "truecolor", no_color=colourless)


def to_text(renderable: RenderableType, width: int = 100) -> str:
    """The renderable as plain text, as a terminal would show it without colour."""
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, force_jupyter=False).print(renderable)
    return out.getvalue()


def mimebundle(renderable: RenderableType, width: int = 100) -> dict[str, str]:
    """HTML for JupyterLab plus the same text for terminals and nbval."""
    con = console(width)
    con.print(renderable)
    if no_color():  # rich's HTML export keeps colours whatever the console says: give plain text instead
        plain = con.export_text(clear=True)
        return {"text/plain": plain, "text/html": escape_pre(plain)}
    html_text = con.export_html(inline_styles=True, code_format=_PRE, clear=False)
    return {"text/plain": con.export_text(clear=True), "text/html": html_text}


def to_html(renderable: RenderableType, width: int = 100) -> str:
    """Just the HTML fragment (for an ipywidgets ``HTML`` value)."""
    return mimebundle(renderable, width)["text/html"]


def escape_pre(text: str) -> str:
    """Plain text shown as-is in HTML (for widgets)."""
    return _PRE.format(code=html.escape(text))


def human_size(n: int | float) -> str:
    """1536 -> '1.5 kB' (decimal units, like `docker images`)."""
    size = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if abs(size) < 1000 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"  # pragma: no cover


class Displayable:
    """Mixin: a rich renderable that also shows in Jupyter (HTML + text) and prints as plain text."""

    #: width used for notebook output
    display_width: int = 100

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict[str, str]:
        return mimebundle(self, self.display_width)  # type: ignore[arg-type]

    def __str__(self) -> str:
        return to_text(self, self.display_width)  # type: ignore[arg-type]
