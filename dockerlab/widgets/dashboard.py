"""Dashboard: your containers (this session) with status and health, refreshed every few seconds.

A background thread refreshes the table until "Stop refreshing" (or ``close()`` / ``dockerlab.reset()``).
The stop/remove buttons act only on containers the kit created for this session, never on others.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import docker
import docker.errors
import ipywidgets as w
from docker.models.containers import Container as SdkContainer

from ..display.containers import ContainerRow, ContainersTable, container_row
from ..display.render import escape_pre, to_html
from ..engine import connect
from ..errors import from_exception
from ..labels import kit_filter, session_id, owned
from .live import track, untrack
from ..i18n import _

__all__ = ["Dashboard"]


class Dashboard(w.VBox):
    """The session's kit containers with status/health, auto-refreshing, with stop and remove buttons."""

    def __init__(self, *, interval: float = 2.0, chapter: str | None = None, autostart: bool = True,
                 client: docker.DockerClient | None = None, clock: Callable[[], float] = time.time,
                 width: int = 100) -> None:
        self.client = client or connect()
        self.interval = interval
        self.chapter = chapter
        self.clock = clock
        self.width = width
        self.rows: list[ContainerRow] = []
        self.refreshes = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.table_html = w.HTML()
        self.picker = w.Dropdown(description=_("Container"), options=[], layout=w.Layout(width="50%"))
        auto = w.Layout(width="auto")
        self.stop_button = w.Button(description=_("Stop container"), icon="stop", button_style="warning", layout=auto)
        self.remove_button = w.Button(description=_("Remove container"), icon="trash", button_style="danger",
                                      layout=w.Layout(width="auto"))
        self.timer_button = w.Button(description=_("Stop refreshing"), icon="pause", layout=w.Layout(width="auto"))
        self.status_html = w.HTML()
        self.message = w.HTML()
        self.stop_button.on_click(lambda _b: self.stop_container())
        self.remove_button.on_click(lambda _b: self.remove_container())
        self.timer_button.on_click(lambda _b: self.toggle_refresh())
        super().__init__([self.table_html, w.HBox([self.picker, self.stop_button, self.remove_button]),
                          w.HBox([self.timer_button, self.status_html]), self.message])
        self.add_class("dockerlab-dashboard")
        track(self)
        self.refresh()
        if autostart:
            self.start()

    # -- the table ---------------------------------------------------------------------------
    def refresh(self) -> list[ContainerRow]:
        """Read the session's kit containers once and redraw (one engine call)."""
        with self._lock:
            try:
                summaries = self.client.api.containers(all=True, filters=kit_filter(self.chapter))
            except Exception as exc:  # the engine went away: say so, keep the last table
                self.status_html.value = escape_pre(from_exception(exc, _("refreshing the dashboard")).message)
                return self.rows
            rows = sorted((container_row(s) for s in summaries), key=lambda r: r.name)
            self.rows = rows
            self.refreshes += 1
            scope = _("chapter {chapter}, ").format(chapter=self.chapter) if self.chapter else ""
            self.table_html.value = to_html(ContainersTable(
                rows, title=_("Your containers ({scope}session {session})").format(scope=scope, session=session_id()),
                empty=_("No containers of yours yet.")), self.width)
            names = [r.name for r in rows]
            options = tuple((f"{r.name} ({r.status})", r.name) for r in rows)
            if tuple(self.picker.options) != options:
                keep = self.picker.value
                self.picker.options = options
                self.picker.value = keep if keep in names else (names[0] if names else None)
            self._show_state()
            return rows

    def _show_state(self) -> None:
        when = time.strftime("%H:%M:%S", time.localtime(self.clock()))
        how = _("refreshing every {seconds:g} s").format(seconds=self.interval) if self.running else \
            _("not refreshing")
        self.status_html.value = "<span>" + _("{how} — last read {when}").format(how=how, when=when) + "</span>"

    # -- the timer ---------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._stop.is_set()

    def start(self) -> None:
        """Refresh every ``interval`` seconds in a background thread."""
        if self.running:
            return
        self._stop = threading.Event()
        stop = self._stop
        self._thread = threading.Thread(target=self._loop, args=(stop,), name="dockerlab-dashboard", daemon=True)
        self._thread.start()
        self.timer_button.description, self.timer_button.icon = _("Stop refreshing"), "pause"
        self._show_state()

    def _loop(self, stop: threading.Event) -> None:
        while not stop.wait(self.interval):
            try:
                self.refresh()
            except Exception:  # a closed widget or a passing engine error must not kill the timer noisily
                if stop.is_set():
                    return

    def stop(self, timeout: float = 5.0) -> None:
        """Stop refreshing (the table stays as it is)."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        self.timer_button.description, self.timer_button.icon = _("Start refreshing"), "play"
        self._show_state()

    def toggle_refresh(self) -> None:
        if self.running:
            self.stop()
        else:
            self.start()

    # -- the buttons -------------------------------------------------------------------------
    def _own(self, name: str | None) -> SdkContainer | None:
        """The container ``name`` if the kit made it for this session; else a message and None."""
        if not name:
            self.message.value = "<b>" + _("Pick one of your containers first.") + "</b>"
            return None
        try:
            container = self.client.containers.get(name)
        except docker.errors.NotFound:
            self.message.value = escape_pre(_("{name} is gone already.").format(name=name))
            self.refresh()
            return None
        labels = container.labels or {}
        if not (owned(labels)):
            self.message.value = escape_pre(_("{name} was not created by the kit for you: the dashboard leaves it "
                                              "alone.").format(name=name))
            return None
        return container

    def stop_container(self, name: str | None = None) -> bool:
        """Stop the picked container (only a kit container of this session); True when done."""
        container = self._own(name or self.picker.value)
        if container is None:
            return False
        try:
            container.stop(timeout=5)
        except Exception as exc:
            self.message.value = escape_pre(from_exception(exc, _("stopping {name}").format(name=container.name)).message)
            return False
        self.message.value = escape_pre(_("Stopped {name}").format(name=container.name)
                                        + f"   (docker stop {container.name})")
        self.refresh()
        return True

    def remove_container(self, name: str | None = None) -> bool:
        """Remove the picked container (only a kit container of this session); True when done."""
        container = self._own(name or self.picker.value)
        if container is None:
            return False
        try:
            container.remove(force=True, v=True)
        except Exception as exc:
            self.message.value = escape_pre(from_exception(exc, _("removing {name}").format(name=container.name)).message)
            return False
        self.message.value = escape_pre(_("Removed {name}").format(name=container.name)
                                        + f"   (docker rm -f -v {container.name})")
        self.refresh()
        return True

    # -- lifecycle ---------------------------------------------------------------------------
    def describe(self) -> str:
        return _("{widget} (its refresh thread)").format(widget="Dashboard") if self.running else "Dashboard"

    def close(self) -> None:
        """Stop the refresh thread and close the widget."""
        self.stop()
        untrack(self)
        for child in list(self.children):
            for grandchild in getattr(child, "children", ()):
                grandchild.close()
            child.close()
        super().close()
