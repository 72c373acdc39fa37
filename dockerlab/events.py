"""The engine's event stream as a timeline: what happened to the chapter's containers, and when.

The engine reports every create, start, kill, die, health change, … as an *event*
(`docker events`). ``collect`` reads the events of a time window for the kit's labelled
containers (and Swarm services by name) and turns each into an :class:`EventRow`;
``timeline_table`` shows them as a rich table and ``timeline_plot`` as one lane per container.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.table import Table

from . import commands
from .engine import connect
from .errors import translated
from .labels import kit_filter

__all__ = ["EventRow", "event_to_row", "rows_from_events", "collect", "Recorder", "timeline_table",
           "timeline_plot", "Timeline", "KEY_ACTIONS"]

#: the actions a lesson usually wants; exec_* (healthcheck probes) and attach/resize are noise
KEY_ACTIONS = ("create", "start", "restart", "kill", "die", "oom", "stop", "destroy", "health_status",
               "update", "remove")

_STYLE = {"start": "green", "restart": "green", "create": "cyan", "die": "red", "kill": "bold red", "oom": "bold red",
          "stop": "yellow", "destroy": "dim", "health_status": "magenta", "update": "blue", "remove": "dim"}


_TASK_NAME = re.compile(r"^(.+\.\d+)\.([a-z0-9]{25})$")


@dataclass(frozen=True)
class EventRow:
    """One engine event: when, what kind of object, what happened, to which name, and a short detail."""

    time: dt.datetime
    type: str
    action: str
    name: str
    detail: str = ""
    id: str = ""

    @property
    def verb(self) -> str:
        """The action without its argument: 'health_status: healthy' → 'health_status'."""
        return self.action.split(":", 1)[0].strip()


def _when(event: Mapping[str, Any]) -> dt.datetime:
    nano = event.get("timeNano")
    seconds = nano / 1e9 if nano else float(event.get("time", 0))
    return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc)


def event_to_row(event: Mapping[str, Any], *, include: Sequence[str] | None = KEY_ACTIONS,
                 strip_prefix: str = "") -> EventRow | None:
    """Turn one decoded engine event into a row (None for actions outside ``include``).

    With ``strip_prefix`` (the session's name prefix), names lose it, and events of objects whose name lacks
    it (the builder's short-lived intermediate containers) are dropped.
    """
    action = str(event.get("Action") or event.get("status") or "")
    verb = action.split(":", 1)[0].strip()
    if include is not None and verb not in include:
        return None
    actor = event.get("Actor") or {}
    attrs = actor.get("Attributes") or {}
    name = str(attrs.get("name") or attrs.get("com.docker.swarm.service.name") or actor.get("ID", "")[:12])
    if strip_prefix:
        if not name.startswith(strip_prefix):
            return None
        name = name[len(strip_prefix):]
    task = _TASK_NAME.match(name)
    if task:  # a Swarm task's container: <service>.<slot>.<25-char task id> → <service>.<slot>.<4 chars>
        name = f"{task.group(1)}.{task.group(2)[:4]}"
    detail = action.split(":", 1)[1].strip() if ":" in action else ""
    if verb == "die" and "exitCode" in attrs:
        detail = f"exit code {attrs['exitCode']}"
    elif verb == "kill" and "signal" in attrs:
        detail = f"signal {attrs['signal']}"
    elif verb == "update" and attrs.get("updatestate.new"):
        detail = str(attrs["updatestate.new"])
    elif verb == "update" and attrs.get("replicas.new"):
        detail = f"replicas {attrs.get('replicas.old', '?')} → {attrs['replicas.new']}"
    elif verb == "update" and attrs.get("image.new"):
        detail = f"image → {str(attrs['image.new']).split('@')[0]}"
    return EventRow(_when(event), str(event.get("Type") or "container"), verb, name, detail, str(actor.get("ID", "")))


def rows_from_events(events: Iterable[Mapping[str, Any]], *, include: Sequence[str] | None = KEY_ACTIONS,
                     strip_prefix: str = "") -> list[EventRow]:
    """Rows for many events, oldest first (events the filter drops are skipped)."""
    rows = [r for e in events if (r := event_to_row(e, include=include, strip_prefix=strip_prefix)) is not None]
    return sorted(rows, key=lambda r: r.time)


def _epoch(value: dt.datetime | float | int) -> float:
    return value.timestamp() if isinstance(value, dt.datetime) else float(value)


def collect(since: dt.datetime | float, until: dt.datetime | float | None = None, *,
            chapter: str | None = None, services: Sequence[str] = (), include: Sequence[str] | None = KEY_ACTIONS,
            strip_prefix: str = "", client: Any = None) -> list[EventRow]:
    """The events of ``[since, until]`` for this learner's kit containers (of ``chapter``) and ``services``.

    ``until`` defaults to now. The engine answers from its memory of recent events (the last 1,000 or so).
    """
    client = client or connect()
    start = _epoch(since)
    end = _epoch(until) if until is not None else time.time() + 0.5
    events: list[Mapping[str, Any]] = []
    with translated("reading the engine's events"):
        events += client.events(since=start, until=end, decode=True,
                                filters={"type": "container", **kit_filter(chapter)})
        for service in services:
            events += client.events(since=start, until=end, decode=True,
                                    filters={"type": "service", "service": service})
    return rows_from_events(events, include=include, strip_prefix=strip_prefix)


class Recorder:
    """Record the engine's events live, in a background thread, until ``stop()``.

    The engine keeps only its last few hundred events, and healthcheck probes add three a second per
    container: for a whole chapter, record while it happens instead of asking afterwards.
    """

    def __init__(self, *, chapter: str | None = None, service_prefix: str | None = None,
                 include: Sequence[str] | None = KEY_ACTIONS, strip_prefix: str = "") -> None:
        self.chapter = chapter
        self.service_prefix = service_prefix
        self.include = include
        self.strip_prefix = strip_prefix
        self.rows: list[EventRow] = []
        self.started: dt.datetime | None = None
        self._streams: list[Any] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def start(self) -> Recorder:
        """Start listening (like `docker events` left running in a terminal)."""
        import docker

        from .engine import engine_address

        if self._threads:
            return self
        version = connect().api.api_version
        self.started = dt.datetime.now(dt.timezone.utc)
        since = time.time() - 0.5
        queries: list[dict[str, Any]] = [{"type": "container", **kit_filter(self.chapter)}]
        if self.service_prefix is not None:
            queries.append({"type": "service"})
        for filters in queries:
            client = docker.DockerClient(base_url=engine_address(), version=version, timeout=None)
            with translated("listening to the engine's events"):
                stream = client.events(since=since, decode=True, filters=filters)
            self._streams.append((client, stream))
            thread = threading.Thread(target=self._pump, args=(stream,), daemon=True, name="dockerlab-events")
            thread.start()
            self._threads.append(thread)
        return self

    def _pump(self, stream: Any) -> None:
        try:
            for event in stream:
                row = event_to_row(event, include=self.include, strip_prefix=self.strip_prefix)
                if row is None:
                    continue
                if row.type == "service" and self.service_prefix and \
                        not str(((event.get("Actor") or {}).get("Attributes") or {}).get("name", "")).startswith(
                            self.service_prefix):
                    continue
                with self._lock:
                    self.rows.append(row)
        except Exception:  # the stream was closed by stop(), or the engine went away
            return

    def stop(self) -> Timeline:
        """Stop listening; returns the timeline of what was recorded."""
        time.sleep(0.3)  # let the last events of the cell before arrive
        for client, stream in self._streams:
            try:
                stream.close()
            except Exception:
                pass
            try:
                client.close()
            except Exception:
                pass
        for thread in self._threads:
            thread.join(timeout=3)
        self._streams.clear()
        self._threads.clear()
        return self.timeline()

    def timeline(self, title: str = "Engine events") -> Timeline:
        """What was recorded so far, oldest first."""
        with self._lock:
            rows = sorted(self.rows, key=lambda r: r.time)
        return Timeline(rows, title=title)

    @property
    def running(self) -> bool:
        return bool(self._threads)


def events_command(chapter: str | None = None) -> commands.CliCommand:
    """The `docker events` line these rows come from."""
    flt = kit_filter(chapter)["label"]
    args = ["docker", "events", "--since", "<start>", "--until", "<end>", "--filter", "type=container"]
    for item in flt:
        args += ["--filter", f"label={item}"]
    return commands.CliCommand(commands.join(args))


def timeline_table(rows: Sequence[EventRow], *, title: str = "Engine events", start: dt.datetime | None = None,
                   limit: int | None = 60) -> Table:
    """A rich table: seconds since the first event, type, action, name, detail."""
    table = Table(title=title, box=box.SIMPLE_HEAVY, show_lines=False)
    for col, just in (("t (s)", "right"), ("type", "left"), ("action", "left"), ("name", "left"),
                      ("detail", "left")):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    if not rows:
        return table
    origin = start or rows[0].time
    shown = list(rows) if limit is None or len(rows) <= limit else list(rows[: limit - 1]) + [rows[-1]]
    for i, row in enumerate(shown):
        if limit is not None and len(rows) > limit and i == limit - 1:
            table.add_row("…", "", f"({len(rows) - limit + 1} more)", "", "")
        style = _STYLE.get(row.verb, "")
        table.add_row(f"{(row.time - origin).total_seconds():7.2f}", row.type,
                      f"[{style}]{row.verb}[/]" if style else row.verb, row.name, row.detail)
    return table


class Timeline:
    """Rows plus how to show them: a table in a terminal and in JupyterLab; ``.plot()`` for a chart."""

    def __init__(self, rows: Sequence[EventRow], title: str = "Engine events") -> None:
        self.rows = list(rows)
        self.title = title

    def __rich__(self) -> Table:
        return timeline_table(self.rows, title=self.title)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict[str, str]:
        from .display.render import mimebundle

        return mimebundle(self.__rich__(), 110)

    def __len__(self) -> int:
        return len(self.rows)

    def where(self, keep: Callable[[EventRow], bool], title: str | None = None) -> Timeline:
        """Only the rows ``keep(row)`` accepts (e.g. ``lambda r: r.type == "service"``)."""
        return Timeline([r for r in self.rows if keep(r)], title=title or self.title)

    def count(self, verb: str, name: str | None = None) -> int:
        """How many events of this kind (for one name when given)."""
        return sum(1 for r in self.rows if r.verb == verb and (name is None or name in r.name))

    def plot(self, **kwargs: Any) -> Any:
        return timeline_plot(self.rows, title=self.title, **kwargs)


_MARKERS = {"create": ("o", "tab:cyan"), "start": ("^", "tab:green"), "restart": ("^", "tab:green"),
            "kill": ("x", "tab:red"), "die": ("v", "tab:red"), "oom": ("X", "darkred"), "stop": ("s", "tab:orange"),
            "destroy": ("D", "grey"), "health_status": ("*", "tab:purple"), "update": ("P", "tab:blue"),
            "remove": ("D", "grey")}


def timeline_plot(rows: Sequence[EventRow], *, title: str = "Engine events", width: float = 10.0) -> Any:
    """A matplotlib figure: one lane per container/service, a marker per event, seconds on the x axis."""
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(r.name for r in rows))
    fig, ax = plt.subplots(figsize=(width, 0.45 * max(3, len(names)) + 1.2))
    if rows:
        origin = rows[0].time
        seen: set[str] = set()
        for row in rows:
            marker, color = _MARKERS.get(row.verb, (".", "black"))
            label = row.verb if row.verb not in seen else None
            seen.add(row.verb)
            if row.verb == "health_status" and row.detail == "unhealthy":
                color = "tab:red"
            ax.scatter((row.time - origin).total_seconds(), names.index(row.name), marker=marker, color=color,
                       s=60, label=label, zorder=3)
        for i, name in enumerate(names):  # a thin line from a lane's first event to its last
            times = [(r.time - origin).total_seconds() for r in rows if r.name == name]
            ax.hlines(i, min(times), max(times), color="lightgrey", linewidth=2, zorder=1)
        ax.set_yticks(range(len(names)), names)
        ax.invert_yaxis()  # the first container on top, like the table
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    ax.set_xlabel("seconds since the first event")
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    plt.close(fig)
    return fig
