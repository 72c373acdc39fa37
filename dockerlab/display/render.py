"""Render any rich renderable for Jupyter (HTML + plain text) or to text, respecting NO_COLOR."""

from __future__ import annotations

import io
import os

from rich.console import Console, RenderableType

__all__ = ["console", "to_text", "mimebundle"]

_PRE = ('<pre style="white-space:pre;overflow-x:auto;line-height:1.3;'
        'font-family:Menlo,\'DejaVu Sans Mono\',consolas,\'Courier New\',monospace">{code}</pre>')


def console(width: int = 100, file: io.StringIO | None = None) -> Console:
    """A recording console; colourless when NO_COLOR is set."""
    no_color = bool(os.environ.get("NO_COLOR"))
    return Console(file=file or io.StringIO(), width=width, record=True, force_terminal=not no_color,
                   force_jupyter=False, color_system=None if no_color else "truecolor", no_color=no_color)


def to_text(renderable: RenderableType, width: int = 100) -> str:
    """The renderable as plain text, as a terminal would show it without colour."""
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, force_jupyter=False).print(renderable)
    return out.getvalue()


def mimebundle(renderable: RenderableType, width: int = 100) -> dict[str, str]:
    """HTML for JupyterLab plus the same text for terminals and nbval."""
    con = console(width)
    con.print(renderable)
    html = con.export_html(inline_styles=True, code_format=_PRE, clear=False)
    return {"text/plain": con.export_text(clear=True), "text/html": html}
