"""BuildPanel: a build running in the background with a progress bar (steps done/total) and a live log.

The notebook stays responsive while it builds; ``panel.wait()`` returns the BuildResult (or raises
the BuildFailed with its hint), ``panel.result`` / ``panel.error`` hold them once done.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..display.buildlog import LiveBuildLog
from ..display.render import escape_pre, to_html
from ..errors import DockerlabError, from_exception
from ..images import BuildResult
from .live import track, untrack
from ..i18n import N_, _

__all__ = ["BuildPanel", "BuildCancelled"]


class BuildCancelled(DockerlabError):
    default_hint = N_("Run the cell again to start the build anew.")


class BuildPanel(w.VBox):
    """``BuildPanel("hello", "images/hello")``: runs ``dockerlab.images.build`` in a thread, showing its steps."""

    def __init__(self, tag: str, path: str | os.PathLike[str] | None = None, *, autostart: bool = True,
                 min_interval: float = 0.25, width: int = 100, clock: Callable[[], float] = time.monotonic,
                 **build_kwargs: Any) -> None:
        self.tag = tag
        self.path = path
        self.build_kwargs = build_kwargs
        self.min_interval = min_interval
        self.width = width
        self.clock = clock
        self.result: BuildResult | None = None
        self.error: BaseException | None = None
        self.live = LiveBuildLog(tag, clock=clock, on_change=self._changed)
        self._done = threading.Event()
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_render = 0.0
        self._render_lock = threading.Lock()
        self.progress = w.IntProgress(value=0, min=0, max=1, description=_("Steps"), bar_style="info")
        self.status_html = w.HTML(f"<b>{tag}</b>: " + _("waiting to start"))
        self.log_html = w.HTML()
        super().__init__([w.HBox([self.progress, self.status_html]), self.log_html])
        self.add_class("dockerlab-build-panel")
        track(self)
        if autostart:
            self.start()

    # -- running -----------------------------------------------------------------------------
    def start(self) -> None:
        """Start the build in a background thread (once)."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name=f"dockerlab-build-{self.tag}", daemon=True)
        self._thread.start()

    def _on_line(self, line: str) -> None:
        if self._cancel.is_set():
            raise BuildCancelled(_("The build of {tag} was stopped (the panel was closed).").format(tag=self.tag))
        self.live.on_line(line)

    def _run(self) -> None:
        from .. import images

        try:
            result = images.build(self.tag, self.path, on_line=self._on_line, on_step=self.live.on_step,
                                  **self.build_kwargs)
            self.result = result
            self.live.finish(result)
        except BaseException as exc:  # shown in the panel and re-raised by wait()
            err = exc if isinstance(exc, DockerlabError) else from_exception(exc, _("building {tag}").format(tag=self.tag))
            if isinstance(exc.__cause__, BuildCancelled):
                err = exc.__cause__
            self.error = err
            self.live.fail(err)
        finally:
            try:
                self.render()  # the final picture, before wait() returns
            finally:
                self._done.set()

    def _changed(self, _live: LiveBuildLog) -> None:
        if self.clock() - self._last_render >= self.min_interval:
            self.render()

    def render(self) -> None:
        """Redraw the progress bar, the status line and the log (called as lines arrive, throttled)."""
        with self._render_lock:
            self._last_render = self.clock()
            live = self.live
            self.progress.max = max(1, live.total)
            self.progress.value = min(live.completed, self.progress.max)
            if self.error is not None:
                self.progress.bar_style = "danger"
                what = getattr(self.error, "message", str(self.error))
                self.status_html.value = f"<b>{self.tag}</b>: " + _("failed")
                self.log_html.value = to_html(live, self.width) + escape_pre(what)
                return
            if self.result is not None:
                self.progress.bar_style = "success"
                self.status_html.value = f"<b>{self.result.tag}</b>: " + _(
                    "built in {seconds:.1f} s ({cached} step(s) from cache)").format(
                    seconds=self.result.seconds, cached=len(self.result.cached_steps))
            else:
                self.status_html.value = f"<b>{self.tag}</b>: " + _("building, step {done}/{total}").format(
                    done=live.completed, total=live.total or "?")
            self.log_html.value = to_html(live, self.width)

    # -- results -----------------------------------------------------------------------------
    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None, *, raise_error: bool = True) -> BuildResult | None:
        """Block until the build ends; returns the BuildResult, or raises its error (BuildFailed, …)."""
        if self._thread is None:
            self.start()
        if not self._done.wait(timeout):
            raise TimeoutError(_("The build of {tag} is still running after {seconds} s.").format(tag=self.tag,
                                                                                                  seconds=timeout))
        if self.error is not None and raise_error:
            raise self.error
        return self.result

    # -- lifecycle ---------------------------------------------------------------------------
    def describe(self) -> str:
        widget = f"BuildPanel {self.tag}"
        return widget if self.done else _("{widget} (stopping its build thread)").format(widget=widget)

    def close(self) -> None:
        """Stop following the build (the engine drops it when the stream closes) and close the panel."""
        self._cancel.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(10)
        untrack(self)
        for child in (self.progress, self.status_html, self.log_html, *self.children):
            child.close()
        super().close()
