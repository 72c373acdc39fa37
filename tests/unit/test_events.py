"""events.py and display/timeline.py offline: engine events (as docker-py decodes them) → rows, table and plot."""

from __future__ import annotations

import datetime as dt

from dockerlab.display.render import to_text
from dockerlab.display.timeline import Timeline, timeline_table
from dockerlab.events import EventRow, event_to_row, rows_from_events

T0 = 1_764_000_000


def ev(action: str, name: str, t: float, type_: str = "container", **attrs: str) -> dict:
    return {"Type": type_, "Action": action, "status": action, "id": "c0ffee" * 10,
            "Actor": {"ID": "c0ffee" * 10, "Attributes": {"name": name, **attrs}},
            "time": int(T0 + t), "timeNano": int((T0 + t) * 1e9)}


def test_die_carries_the_exit_code_and_time():
    row = event_to_row(ev("die", "alice-sturdy", 1.5, exitCode="1"))
    assert row is not None
    assert (row.type, row.verb, row.name, row.detail) == ("container", "die", "alice-sturdy", "exit code 1")
    assert row.time == dt.datetime.fromtimestamp(T0 + 1.5, tz=dt.timezone.utc)


def test_kill_shows_the_signal_and_health_the_new_state():
    assert event_to_row(ev("kill", "x", 0, signal="9")).detail == "signal 9"
    row = event_to_row(ev("health_status: unhealthy", "x", 0))
    assert (row.verb, row.detail) == ("health_status", "unhealthy")


def test_exec_and_other_noise_is_dropped_unless_asked_for():
    assert event_to_row(ev("exec_start: /bin/sh -c test -f /tmp/ok", "x", 0)) is None
    assert event_to_row(ev("attach", "x", 0)) is None
    row = event_to_row(ev("exec_die", "x", 0), include=None)
    assert row is not None and row.verb == "exec_die"


def test_session_prefix_is_stripped_and_foreign_names_dropped():
    assert event_to_row(ev("start", "alice-web", 0), strip_prefix="alice-").name == "web"
    # the builder's intermediate containers have random names: not the learner's
    assert event_to_row(ev("create", "zen_cray", 0), strip_prefix="alice-") is None


def test_swarm_task_names_are_shortened():
    row = event_to_row(ev("start", "alice-todo.2.3wucwhdwrk1m9fqlj0qpnyv7a", 0), strip_prefix="alice-")
    assert row.name == "todo.2.3wuc"


def test_service_update_events_say_what_changed():
    row = event_to_row(ev("update", "alice-todo", 0, type_="service", **{"updatestate.new": "rollback_completed",
                                                                          "updatestate.old": "rollback_started"}))
    assert (row.type, row.detail) == ("service", "rollback_completed")
    row = event_to_row(ev("update", "alice-todo", 0, type_="service", **{"replicas.old": "3", "replicas.new": "5"}))
    assert row.detail == "replicas 3 → 5"


def test_rows_are_sorted_oldest_first_and_filtered():
    rows = rows_from_events([ev("die", "b", 2, exitCode="0"), ev("exec_die", "b", 1.5), ev("start", "a", 1)])
    assert [(r.name, r.verb) for r in rows] == [("a", "start"), ("b", "die")]


def test_table_shows_seconds_since_the_first_event():
    rows = rows_from_events([ev("start", "a", 10), ev("die", "a", 12.25, exitCode="137")])
    text = to_text(timeline_table(rows), width=100)
    assert "0.00" in text and "2.25" in text and "exit code 137" in text


def test_long_tables_are_cut_but_keep_the_last_row():
    rows = rows_from_events([ev("start", f"c{i}", i) for i in range(100)])
    text = to_text(timeline_table(rows, limit=10), width=100)
    assert "c8" in text and "c99" in text and "c50" not in text and "91 more" in text


def test_timeline_counts_filters_and_plots():
    rows = rows_from_events([ev("start", "a", 0), ev("die", "a", 1, exitCode="1"), ev("start", "a", 2),
                             ev("health_status: healthy", "b", 3)])
    tl = Timeline(rows)
    assert len(tl) == 4 and tl.count("start") == 2 and tl.count("start", "b") == 0
    assert len(tl.where(lambda r: r.name == "b")) == 1
    assert "text/html" in tl._repr_mimebundle_() and "die" in tl._repr_mimebundle_()["text/plain"]
    fig = tl.plot()
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["a", "b"]


def test_empty_timeline_renders():
    assert "Engine events" in to_text(timeline_table([]))
    assert isinstance(EventRow(dt.datetime.now(dt.timezone.utc), "container", "start", "a").verb, str)
