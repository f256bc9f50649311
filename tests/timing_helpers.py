"""Shared by the time-limit tests: the overrun issue 16 allows, and CPU contention."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager


def allowed_overrun_s(limit_s: float) -> float:
    """The most a call may run past its wall-clock limit: 5 % of it or 0.5 s, the larger."""
    return max(0.05 * limit_s, 0.5)


@contextmanager
def cpu_hogs(n: int = 2) -> Iterator[None]:
    """``n`` processes spinning on the CPU, as long as the block runs."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        yield
    finally:
        for h in hogs:
            h.kill()
            h.wait()
