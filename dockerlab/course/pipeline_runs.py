"""The pipeline's records: each run (its version, each step's status, time and detail, what the server ran before
and after), kept as ``runs.json`` in the learner's pipeline workspace, so a check — or a teacher — can read them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..daemon import state_dir
from ..i18n import _
from ..labels import session_id

__all__ = ["Step", "PipelineRun", "workspace_dir", "load_runs", "last_run", "save_run"]


@dataclass
class Step:
    """One step of a run: its name, status (ok, failed, skipped), duration and a one-line detail."""

    name: str
    status: str = "skipped"
    seconds: float = 0.0
    detail: str = ""


@dataclass
class PipelineRun:
    """The record of one run: its version, each step, and what the server ran before and after."""

    number: int
    version: str
    source_hash: str
    started: str
    steps: list[Step] = field(default_factory=list)
    note: str = ""
    status: str = "running"  # ok | failed
    failed_at: str | None = None
    deployed: str | None = None  # the release this run put on the server (None: nothing new)
    rolled_back: bool = False
    server_before: str | None = None
    server_after: str | None = None
    log_tail: list[str] = field(default_factory=list)

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def seconds(self) -> float:
        return round(sum(s.seconds for s in self.steps), 2)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PipelineRun:
        data = dict(data)
        data["steps"] = [Step(**s) for s in data.get("steps", [])]
        return cls(**data)

    def summary(self) -> str:
        if self.ok:
            before = _("it ran {release}").format(release=self.server_before) if self.server_before \
                else _("its first release")
            return "✔ " + _("run #{number}: {version} is live on the server ({before}).").format(
                number=self.number, version=self.version, before=before)
        if self.rolled_back:
            return "✘ " + _("run #{number} failed at '{step}'; rolled back: the server runs {release} again.").format(
                number=self.number, step=self.failed_at, release=self.server_after)
        return "✘ " + _("run #{number} failed at '{step}'; nothing new was deployed: the server still runs "
                        "{release}.").format(number=self.number, step=self.failed_at, release=self.server_after)

    def __str__(self) -> str:
        return self.summary()


def workspace_dir(session: str | None = None) -> Path:
    """The learner's pipeline workspace: a copy of the backend's sources, plus the run records."""
    return state_dir() / f"pipeline-{session or session_id()}"


def load_runs(session: str | None = None) -> list[PipelineRun]:
    """Every recorded run of the learner's pipeline, oldest first."""
    path = workspace_dir(session) / "runs.json"
    if not path.exists():
        return []
    try:
        return [PipelineRun.from_json(r) for r in json.loads(path.read_text())]
    except (ValueError, TypeError, KeyError):
        return []


def last_run(session: str | None = None) -> PipelineRun | None:
    runs = load_runs(session)
    return runs[-1] if runs else None


def save_run(run: PipelineRun) -> None:
    runs = [r for r in load_runs() if r.number != run.number] + [run]
    path = workspace_dir() / "runs.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([r.to_json() for r in runs], indent=1))
