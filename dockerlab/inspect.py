"""`docker inspect --format`: one value out of what the engine knows about a container, image, volume or network.

    lab.inspect("web", "{{.State.ExitCode}}")                 # '137'
    lab.inspect("web", "{{.State.OOMKilled}} {{.RestartCount}}")
    lab.inspect("web", "{{json .State.Health}}")
    lab.inspect("web", '{{range .Mounts}}{{.Source}} -> {{.Destination}}{{"\\n"}}{{end}}')

The template language is Go's ``text/template``, the one the docker CLI uses. The kit reads the part of it that
inspecting needs: field paths (``.State.ExitCode``; map keys too), ``json``, ``index``, ``join``, ``len``,
``upper``/``lower``, ``printf "%s"``-free literals (``"text"``), ``range … end`` and ``if … else … end``. Values print
as Go prints them: ``true``/``false``, ``[a b]`` for lists, ``map[k:v]`` for maps, ``<nil>`` for nothing. A whole
structure (``{{.State.Health}}``) prints the CLI's way only roughly (Go knows field types the JSON does not carry):
ask for ``json`` of it, or for one field.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from typing import Any

import docker

from . import docker_cli
from .engine import connect
from .errors import BadInput, NotFound, translated
from .i18n import N_, _
from .labels import name as engine_name

__all__ = ["inspect", "render", "go_string", "InspectText"]

_ACTION = re.compile(r"{{-?\s*(.*?)\s*-?}}", re.S)


class InspectText(str):
    """What `docker inspect --format` printed; ``.cli`` is the command."""

    cli: docker_cli.CliCommand


def go_string(value: Any) -> str:
    """A value as Go's fmt prints it (`{{.X}}` in a template)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "[" + " ".join(go_string(v) for v in value) + "]"
    if isinstance(value, dict):
        if value and all(k[:1].isupper() for k in value):  # a Go struct: its values in order
            return "{" + " ".join(go_string(v) for v in value.values()) + "}"
        return "map[" + " ".join(f"{k}:{go_string(value[k])}" for k in sorted(value)) + "]"
    return str(value)


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)  # the CLI's encoder: compact, no HTML escapes


_MISSING = object()


def _path(value: Any, path: str) -> Any:
    if path == ".":
        return value
    for part in path.strip(".").split("."):
        if isinstance(value, Mapping):
            value = value.get(part, _MISSING) if part in value else _MISSING
        else:
            value = _MISSING
        if value is _MISSING:
            return None
    return value


#: what the kit's --format understands (the hint of a template it does not)
FORMAT_HINT = N_("Use field paths (.State.ExitCode), json, index, join, len, upper, lower, range, if.")


def _words(expr: str) -> list[str]:
    try:
        return shlex.split(expr, posix=False)
    except ValueError:
        raise BadInput(_("The template action {action} is not closed (a quote is missing).").format(
            action=f"{{{{{expr}}}}}")) from None


def _arg(word: str, dot: Any) -> Any:
    if word.startswith('"') and word.endswith('"'):
        return json.loads(word)
    if word.startswith("."):
        return _path(dot, word)
    if re.fullmatch(r"-?\d+", word):
        return int(word)
    raise BadInput(_("The kit's --format does not understand {word}.").format(word=repr(word)), _(FORMAT_HINT))


def _evaluate(expr: str, dot: Any) -> Any:
    words = _words(expr)
    if not words:
        return ""
    fn, args = words[0], [_arg(w, dot) for w in words[1:]]
    if fn == "json":
        return _Raw(_json(args[0] if args else dot))
    if fn == "index":
        value = args[0]
        for key in args[1:]:
            value = (value or {}).get(key) if isinstance(value, Mapping) else (value[key] if value else None)
        return value
    if fn == "join":
        return args[1].join(go_string(v) for v in (args[0] or []))
    if fn == "len":
        return len(args[0] or [])
    if fn in ("upper", "lower"):
        return getattr(go_string(args[0]), fn)()
    if len(words) == 1:
        return _arg(fn, dot)
    raise BadInput(_("The kit's --format does not understand {word}.").format(word=f"{{{{{expr}}}}}"), _(FORMAT_HINT))


class _Raw(str):
    """Text printed as it is (json's output)."""


def _truthy(value: Any) -> bool:
    return value not in (None, False, 0, "", [], {})


def _parse(tokens: list[tuple[str, str]], pos: int, stop: tuple[str, ...]) -> tuple[list, int, str]:
    """Tokens → a tree of ("text", s) / ("expr", e) / ("range", e, body) / ("if", e, then, else)."""
    nodes: list = []
    while pos < len(tokens):
        kind, value = tokens[pos]
        pos += 1
        if kind == "text":
            nodes.append(("text", value))
            continue
        head = value.split(None, 1)[0] if value else ""
        if head in stop:
            return nodes, pos, head
        if head in ("range", "if"):
            body, pos, ended = _parse(tokens, pos, ("end", "else"))
            other: list = []
            if ended == "else":
                other, pos, ended = _parse(tokens, pos, ("end",))
            if ended != "end":
                raise BadInput(_("{action} has no {end}.").format(action=f"{{{{{value}}}}}", end="{{end}}"))
            nodes.append((head, value.split(None, 1)[1] if " " in value else ".", body, other))
            continue
        if head in ("end", "else"):
            raise BadInput(_("{action} without a {range} or {if_} before it.").format(
                action=f"{{{{{value}}}}}", range="{{range}}", if_="{{if}}"))
        nodes.append(("expr", value))
    return nodes, pos, ""


def _run(nodes: list, dot: Any) -> str:
    out = []
    for node in nodes:
        if node[0] == "text":
            out.append(node[1])
        elif node[0] == "expr":
            value = _evaluate(node[1], dot)
            out.append(value if isinstance(value, _Raw) else go_string(value))
        elif node[0] == "if":
            out.append(_run(node[2] if _truthy(_evaluate(node[1], dot)) else node[3], dot))
        else:  # range
            items = _evaluate(node[1], dot)
            items = list(items.values()) if isinstance(items, Mapping) else list(items or [])
            out.extend(_run(node[2], item) for item in items) if items else out.append(_run(node[3], dot))
    return "".join(out)


def render(data: Mapping[str, Any], template: str) -> str:
    """Apply a `--format` template to an inspect document (a dict), as the docker CLI would."""
    if not isinstance(template, str):
        raise BadInput(_("The format must be a text such as {example}, not {value}.").format(
            example="'{{.State.ExitCode}}'", value=repr(template)))
    tokens: list[tuple[str, str]] = []
    last = 0
    for m in _ACTION.finditer(template):
        if m.start() > last:
            tokens.append(("text", template[last:m.start()]))
        tokens.append(("action", m.group(1).strip()))
        last = m.end()
    if last < len(template):
        tokens.append(("text", template[last:]))
    nodes, _pos, _end = _parse(tokens, 0, ())
    return _run(nodes, data)


def inspect(name: str, template: str | None = None, *, kind: str = "container",
            client: docker.DockerClient | None = None) -> InspectText | dict[str, Any]:
    """`docker inspect [--format TEMPLATE] NAME`: the whole document (a dict), or the template's text.

    ``name`` is your short name (``"web"``); ``kind`` is container, image, volume or network.
    """
    client = client or connect()
    full = engine_name(name) if kind in ("container", "volume", "network") and "/" not in name else name
    getter = {"container": client.api.inspect_container, "image": client.api.inspect_image,
              "volume": client.api.inspect_volume, "network": client.api.inspect_network}.get(kind)
    if getter is None:
        raise BadInput(_("kind must be container, image, volume or network, not {value}.").format(value=repr(kind)))
    try:
        with translated(_("inspecting {kind} {name}").format(kind=_(kind), name=full), client):
            data = getter(full)
    except NotFound:
        raise NotFound(_("There is no {kind} named {name}.").format(kind=_(kind), name=full),
                       _("Check the name, or run the cell that makes it.")) from None
    if template is None:
        return data
    text = InspectText(render(data, template))
    args = ["inspect"] + ([] if kind == "container" else ["--type", kind]) + ["--format", template, full]
    text.cli = docker_cli.simple(*args)
    return text
