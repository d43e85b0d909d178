"""Pausing Python's cyclic garbage collector during bulk work.

A fetch builds tens of thousands of small dicts and tuples (the parsed sheet, the rows to
write) that all stay alive until it ends; the collector would walk them again and again
for nothing. Sources fetch on several threads, so pauses nest: the collector comes back
when the last one ends, as it was before the first.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextmanager
def collector_paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
