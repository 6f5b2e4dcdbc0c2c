"""A per-request time budget (CLEAN_TIMEOUT_S) that ends a pathological page cleanly.

gunicorn kills a worker that overruns its timeout, losing every request it holds. The
budget fires first: an interval timer interrupts the cleaning with `TimedOut`, which the
caller turns into a clear 422. It works in the main thread of a process (gunicorn's sync
workers, the CLI, a process pool's workers); elsewhere it is a no-op.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import TimedOut
from ..settings import get_settings


@contextmanager
def time_budget(seconds: float | None = None) -> Iterator[None]:
    """Raise TimedOut inside the block once `seconds` have passed (0 or less: no budget)."""
    seconds = get_settings().clean_timeout_s if seconds is None else seconds
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimedOut(f"cleaning took longer than the budget of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
