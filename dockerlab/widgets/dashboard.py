"""Dashboard: your containers (this session) with status and health, refreshed every few seconds.

A background thread refreshes the table until "Stop refreshing" (or ``close()`` / ``dockerlab.reset()``).
The stop/remove buttons act only on containers the kit created for this session, never on others.
"""

from __future__ import annotations

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
from .refreshing import Refreshing
from ..i18n import _

__all__ = ["Dashboard"]


class Dashboard(Refreshing, w.VBox):
    """The session's kit containers with status/health, auto-refreshing, with stop and remove buttons."""

    thread_name = "dockerlab-dashboard"

    def __init__(self, *, interval: float = 2.0, chapter: str | None = None, autostart: bool = True,
                 client: docker.DockerClient | None = None, clock: Callable[[], float] = time.time,
                 width: int = 100) -> None:
        self.client = client or connect()
        self.interval = interval
        self.chapter = chapter
        self.clock = clock
        self.width = width
        self.rows: list[ContainerRow] = []
        self._setup_refreshing()
        self.table_html = w.HTML()
        self.picker = w.Dropdown(description=_("Container"), options=[], layout=w.Layout(width="50%"))
        auto = w.Layout(width="auto")
        self.stop_button = w.Button(description=_("Stop container"), icon="stop", button_style="warning", layout=auto)
        self.remove_button = w.Button(description=_("Remove container"), icon="trash", button_style="danger",
                                      layout=w.Layout(width="auto"))
        self.message = w.HTML()
        self.stop_button.on_click(lambda _b: self.stop_container())
        self.remove_button.on_click(lambda _b: self.remove_container())
        super().__init__([self.table_html, w.HBox([self.picker, self.stop_button, self.remove_button]),
                          w.HBox([self.timer_button, self.status_html]), self.message])
        self.add_class("dockerlab-dashboard")
        self._go(autostart)

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
