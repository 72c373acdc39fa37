"""``poll``: the kit's one "ask again until …" loop (a container ends, a service settles, a dockerd answers…).

It imports nothing of the kit, so every module may wait with it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

__all__ = ["poll"]

T = TypeVar("T")


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
