"""``poll``: the kit's one "ask again until …" loop (a container ends, a service settles, a dockerd answers…),
and ``ask_again`` for a call an engine refuses for a moment.

It imports nothing of the kit, so every module may wait with it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar, overload

__all__ = ["poll", "ask_again"]

T = TypeVar("T")


@overload
def poll(probe: Callable[[], T | None], *, timeout: float, interval: float = ..., fail: Callable[[], BaseException],
         clock: Callable[[], float] = ..., sleep: Callable[[float], None] = ...) -> T: ...


@overload
def poll(probe: Callable[[], T], *, timeout: float, interval: float = ..., fail: None = ...,
         clock: Callable[[], float] = ..., sleep: Callable[[float], None] = ...) -> T: ...


def poll(probe: Callable[[], T], *, timeout: float, interval: float = 0.2,
         fail: Callable[[], BaseException] | None = None, clock: Callable[[], float] = time.monotonic,
         sleep: Callable[[float], None] = time.sleep) -> T:
    """Call ``probe()`` every ``interval`` seconds until it returns something true, and return that.

    When ``timeout`` seconds pass first, raise ``fail()`` (a kit error that says what did not happen), or without
    ``fail`` return the probe's last (false) answer. A probe may raise to stop early (e.g. the container exited).
    """
    deadline = clock() + timeout
    while True:
        answer = probe()
        if answer:
            return answer
        if clock() >= deadline:
            if fail is not None:
                raise fail()
            return answer
        sleep(interval)


def ask_again(call: Callable[[], T], *, transient: Callable[[Exception], bool], timeout: float, interval: float = 0.2,
              clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> T:
    """``call()``, asked again every ``interval`` seconds while it raises an error ``transient`` accepts (an engine's
    passing refusal), for ``timeout`` seconds at most; then that error is raised. Any other error is raised at once."""
    deadline = clock() + timeout
    while True:
        try:
            return call()
        except Exception as exc:
            if not transient(exc) or clock() >= deadline:
                raise
        sleep(interval)
