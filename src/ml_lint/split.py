"""Independent work shared with one forked process, for a machine's second core.

The projects of a monorepo are checked one after the other by the same Python
code, which holds one core: with twenty projects most of a warm run is that
loop. A forked child inherits everything already computed (the listing, the
rule sets, git's answers) and takes half of the work; its results come back
pickled through a pipe. Whatever goes wrong in the child, the parent does the
child's half itself: a split can only ever save time.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def split_map(func: Callable[[T], R], items: Sequence[T], may_split: Callable[[], bool]) -> list[R]:
    """[func(item) for item in items], the second half of the rest computed in a forked child.

    The first item runs here first, so that what every item needs once (imports,
    compiled patterns, git's answers) is inherited rather than done twice; then
    `may_split` says whether a child may start, after waiting if need be for
    what a copy of this process must not touch (git calls still running, a worker pool).
    """
    results = [func(item) for item in items[:1]]
    rest = items[1:]
    if len(rest) < 2 or not _can_fork() or not may_split():
        return results + [func(item) for item in rest]
    half = (len(rest) + 1) // 2  # the child gets the smaller half: its copied pages cost it some time
    mine, theirs = rest[:half], rest[half:]
    reading, writing = os.pipe()
    gc.freeze()  # a collection in the child would touch, and so copy, every object it inherited
    child = os.fork()
    if child == 0:  # pragma: no cover - the child never returns; its results are what the tests compare
        os.close(reading)
        _serve(func, theirs, writing)
    gc.unfreeze()
    os.close(writing)
    try:
        results += [func(item) for item in mine]
        answer = _read_all(reading)
    except BaseException:
        os.kill(child, signal.SIGKILL)  # this process failed: the child's half is no longer wanted
        raise
    finally:
        os.close(reading)
        os.waitpid(child, 0)
    try:
        found = pickle.loads(answer)
    except Exception:
        found = None
    if not isinstance(found, list) or len(found) != len(theirs):
        found = [func(item) for item in theirs]  # the child failed: do its half here
    return results + found


def _serve(func: Callable[[T], R], items: Sequence[T], writing: int) -> None:
    """The child's life: compute, send, exit without running the parent's exit handlers or flushing its buffers."""
    code = 1
    try:
        data = memoryview(pickle.dumps([func(item) for item in items], protocol=pickle.HIGHEST_PROTOCOL))
        while data:
            data = data[os.write(writing, data) :]
        code = 0
    finally:
        os._exit(code)


def _read_all(reading: int) -> bytes:
    with os.fdopen(reading, "rb", closefd=False) as pipe:
        return pipe.read()


def usable_cores() -> int:
    """The processors this process may run on; 1 where that cannot be known (macOS, Windows: no forking there)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def can_fork() -> bool:
    return hasattr(os, "fork")


def _can_fork() -> bool:
    return can_fork() and usable_cores() > 1
