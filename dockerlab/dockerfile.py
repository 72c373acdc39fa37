"""Reading a Dockerfile the way the builder does: instructions (continuation lines joined, comments and
parser directives dropped), build stages, the images their FROM lines name, and what each COPY takes.

The kit reads Dockerfiles only to decide things before a build (which base images it needs, whether a
stage takes the host's CA bundle into the final image); the engine's builder stays the one that builds.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

__all__ = ["Instruction", "Stage", "instructions", "stages", "final_stage", "from_images", "normalise_ref"]

_DIRECTIVE_RE = re.compile(r"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")
_ARG_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+]([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Instruction:
    """One instruction: its keyword (upper case), its arguments as written, and the line it starts on."""

    keyword: str
    args: str
    line: int

    def flags(self) -> dict[str, str]:
        """``--from=build --chown=1:1`` → {"from": "build", "chown": "1:1"} (the flags before the arguments)."""
        found: dict[str, str] = {}
        for word in self.args.split():
            if not word.startswith("--"):
                break
            key, _, value = word[2:].partition("=")
            found[key.lower()] = value
        return found

    def words(self) -> list[str]:
        """The arguments without the leading flags; a JSON array (``COPY ["a", "b"]``) is read as JSON."""
        rest = self.args
        while rest.startswith("--"):
            rest = rest.split(None, 1)[1] if len(rest.split(None, 1)) > 1 else ""
        rest = rest.strip()
        if rest.startswith("["):
            try:
                value = json.loads(rest)
                if isinstance(value, list):
                    return [str(v) for v in value]
            except ValueError:
                pass
        return rest.split()


@dataclass
class Stage:
    """A build stage: its index, its name (``AS name``), the image or stage it starts FROM, its instructions, and the
    line its FROM is on."""

    index: int
    name: str | None
    base: str
    instructions: list[Instruction] = field(default_factory=list)
    line: int = 0

    def copies_from(self) -> list[str]:
        """The ``--from=`` of each COPY/ADD in this stage (another stage's name or index, or an image)."""
        return [i.flags()["from"] for i in self.instructions
                if i.keyword in ("COPY", "ADD") and i.flags().get("from")]


def instructions(text: str) -> list[Instruction]:
    """The Dockerfile's instructions, continuation lines joined, comments and blank lines dropped."""
    escape = "\\"
    lines = text.splitlines()
    start = 0
    for start, raw in enumerate(lines):  # parser directives: only at the very top, before anything else
        m = _DIRECTIVE_RE.match(raw.strip())
        if not m:
            break
        if m.group(1).lower() == "escape" and m.group(2) in ("`", "\\"):
            escape = m.group(2)
    else:
        start = len(lines)
    found: list[Instruction] = []
    current = ""
    first_line = 0
    for number, raw in enumerate(lines[start:], start=start + 1):
        line = raw.strip()
        if line.startswith("#") or (not line and current):
            continue  # comments, and blank lines inside a continued instruction
        if not current:
            first_line = number
        if line.endswith(escape):
            current += line[:-1] + " "
            continue
        whole = (current + line).strip()
        current = ""
        if whole:
            keyword, _, rest = whole.partition(" ")
            found.append(Instruction(keyword.upper(), rest.strip(), first_line))
    if current.strip():  # the last line ended with the escape character
        keyword, _, rest = current.strip().partition(" ")
        found.append(Instruction(keyword.upper(), rest.strip(), first_line))
    return found


def _arg_defaults(text: str) -> dict[str, str]:
    """ARG defaults declared before the first FROM (the only ones a FROM line may use)."""
    args: dict[str, str] = {}
    for ins in instructions(text):
        if ins.keyword == "FROM":
            break
        if ins.keyword == "ARG":
            name, _, default = ins.args.partition("=")
            args[name.strip()] = default.strip().strip("\"'")
    return args


def stages(text: str, buildargs: dict[str, str] | None = None) -> list[Stage]:
    """The build stages in order; FROM lines' ``${ARG}``s are filled from ARG defaults and ``buildargs``."""
    args = {**_arg_defaults(text), **(buildargs or {})}
    found: list[Stage] = []
    for ins in instructions(text):
        if ins.keyword == "FROM":
            words = ins.words()
            base = _ARG_RE.sub(lambda m: args.get(m.group(1) or m.group(3)) or (m.group(2) or ""),
                               words[0] if words else "")
            name = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
            found.append(Stage(len(found), name, base, line=ins.line))
        elif found:
            found[-1].instructions.append(ins)
    return found


def final_stage(all_stages: list[Stage], target: str | None = None) -> Stage | None:
    """The stage the image is made of: ``target``'s, else the last."""
    if target:
        return next((s for s in all_stages if s.name == target.lower()), None)
    return all_stages[-1] if all_stages else None


def stage_named(all_stages: list[Stage], ref: str, before: int) -> Stage | None:
    """The stage ``ref`` (a name or an index) means when used by stage number ``before``, else None (an image)."""
    for stage in all_stages[:before]:
        if stage.name == ref.lower() or str(stage.index) == ref:
            return stage
    return None


def lineage(all_stages: list[Stage], stage: Stage) -> list[Stage]:
    """``stage`` and the stages it is built FROM (``FROM build AS test`` → test, build, …)."""
    chain = [stage]
    while True:
        parent = stage_named(all_stages, chain[-1].base, chain[-1].index)
        if parent is None or parent in chain:
            return chain
        chain.append(parent)


def normalise_ref(ref: str) -> str:
    """``debian`` → ``debian:latest``; references with a tag or a digest stay as they are."""
    if "@" in ref:
        return ref
    last = ref.rsplit("/", 1)[-1]
    return ref if ":" in last else ref + ":latest"


def from_images(text: str) -> list[str]:
    """The images a Dockerfile's FROM lines name, stage names (`FROM build`) and `scratch` left out."""
    found: list[str] = []
    all_stages = stages(text)
    for stage in all_stages:
        image = stage.base
        if not image or "$" in image or image.lower() == "scratch":
            continue
        if stage_named(all_stages, image, stage.index) is not None:
            continue
        if normalise_ref(image) not in found:
            found.append(normalise_ref(image))
    return found
