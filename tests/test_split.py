"""split_map: half of the work in a forked child, and never a wrong or missing result."""

from __future__ import annotations

import os

import pytest

from ml_lint import split

needs_fork = pytest.mark.skipif(not split._can_fork(), reason="needs fork and two cores")


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@needs_fork
def test_the_second_half_runs_in_a_child_and_results_keep_their_order():
    parent = os.getpid()
    found = split.split_map(lambda n: (n * n, os.getpid()), list(range(10)), lambda: True)
    assert [square for square, _ in found] == [n * n for n in range(10)]
    # The first item and the bigger half of the rest here, the smaller half in one child.
    pids = [pid for _, pid in found]
    assert pids[:6] == [parent] * 6
    assert len(set(pids[6:])) == 1 and pids[6] != parent
    assert _no_children_left()


@needs_fork
def test_may_split_is_asked_after_the_first_item_and_can_refuse():
    asked = []

    def may_split():
        asked.append("may split?")
        return False

    found = split.split_map(lambda n: (asked.append(n), os.getpid())[1], [1, 2, 3, 4], may_split)
    assert found == [os.getpid()] * 4  # refused: everything here
    assert asked == [1, "may split?", 2, 3, 4]


@needs_fork
@pytest.mark.parametrize("how", ["raise", "exit", "unpicklable"])
def test_a_failing_child_costs_time_not_results(how):
    parent = os.getpid()

    def work(n):
        if os.getpid() != parent:
            if how == "raise":
                raise RuntimeError("child failed")
            if how == "exit":
                os._exit(3)
            return lambda: n  # a result pickle cannot send
        return n + 1

    assert split.split_map(work, list(range(6)), lambda: True) == [1, 2, 3, 4, 5, 6]
    assert _no_children_left()


@needs_fork
def test_a_failure_here_stops_the_child_and_surfaces():
    parent = os.getpid()

    def work(n):
        if os.getpid() == parent and n == 2:
            raise ValueError("parent failed")
        return n

    with pytest.raises(ValueError, match="parent failed"):
        split.split_map(work, list(range(6)), lambda: True)
    assert _no_children_left()


def test_too_little_work_is_never_split(monkeypatch):
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked"))
    assert split.split_map(lambda n: n, [1, 2], lambda: pytest.fail("asked")) == [1, 2]
    assert split.split_map(lambda n: n, [1, 2, 3], lambda: False) == [1, 2, 3]
    assert split.split_map(lambda n: n, [], lambda: True) == []
