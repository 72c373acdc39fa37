"""The engine's event stream as a timeline: what happened to the chapter's containers, and when.

The engine reports every create, start, kill, die, health change, … as an *event*
(`docker events`). ``collect`` reads the events of a time window for the kit's labelled
containers (and Swarm services by name) and turns each into an :class:`EventRow`; :class:`Recorder` listens
while a chapter runs. :mod:`dockerlab.display.timeline` shows the rows as a table or one lane per container.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import docker_cli
from .engine import connect
from .errors import translated
from .i18n import _
from .labels import kit_filter

__all__ = ["EventRow", "event_to_row", "rows_from_events", "collect", "Recorder", "events_command", "KEY_ACTIONS"]

#: the actions a lesson usually wants; exec_* (healthcheck probes) and attach/resize are noise
KEY_ACTIONS = ("create", "start", "restart", "kill", "die", "oom", "stop", "destroy", "health_status",
               "update", "remove")

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
            with translated(_("listening to the engine's events")):
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

    def stop(self) -> list[EventRow]:
        """Stop listening; returns what was recorded, oldest first."""
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
        return self.recorded()

    def recorded(self) -> list[EventRow]:
        """What was recorded so far, oldest first."""
        with self._lock:
            return sorted(self.rows, key=lambda r: r.time)

    @property
    def running(self) -> bool:
        return bool(self._threads)


def events_command(chapter: str | None = None) -> docker_cli.CliCommand:
    """The `docker events` line these rows come from."""
    flt = kit_filter(chapter)["label"]
    args = ["docker", "events", "--since", "<start>", "--until", "<end>", "--filter", "type=container"]
    for item in flt:
        args += ["--filter", f"label={item}"]
    return docker_cli.CliCommand(docker_cli.join(args))
