"""Regexes from a spec or config are untrusted: refuse the ones that can hang a run.

Python's `re` has no timeout, and the config comes with the pull request it
checks. A repetition around a part that can itself match a varying number of
characters (`(a+)+`, `(\\w+\\s?)*`, `(.*,)*`) can split the same text in
exponentially many ways, and `re` tries them all on a name or code cell that
almost matches. Such a regex is refused when it is loaded, unless every
round of the outer repetition must consume a character the inner repetitions
cannot match: `[a-z]+(-[a-z0-9]+)*` is safe because each round starts with
`-`. The analysis is conservative (a few safe regexes are refused too; the
message says how to rewrite them). What it lets through, such as adjacent
repeats like `\\s*\\s*x`, is at worst polynomial in one name or one cell.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

try:  # Python 3.11+
    from re import _compiler as sre_compile  # type: ignore[attr-defined]
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_compile
    import sre_constants
    import sre_parse

# A parsed regex: (opcode, argument) pairs as re's parser makes them.
Nodes = Iterable[tuple[Any, Any]]

_c = sre_constants
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)} - {None}
_ONE_CHAR = {_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY, _c.CATEGORY}
_BACKREFERENCES = {_c.GROUPREF, _c.GROUPREF_EXISTS}
# Characters stand-ins for "everything" when comparing character sets.
_SAMPLE = "".join(map(chr, range(0x3000))) + "\U0001f600\U00010000"
_ALL = frozenset(_SAMPLE)


class UnsafeRegex(ValueError):
    """A regex ml-lint refuses to run on untrusted input."""


def check_regex(value: str, *, backreferences: bool = True) -> None:
    """Raise UnsafeRegex (a ValueError) if `value` does not compile or may backtrack exponentially."""
    try:
        with warnings.catch_warnings():  # "possible nested set" is re's note to us, not to the user
            warnings.simplefilter("ignore", FutureWarning)
            re.compile(value)
            tree = sre_parse.parse(value)
    except (re.error, RecursionError, OverflowError) as exc:
        raise UnsafeRegex(f"invalid regular expression {value!r}: {exc}") from None
    if not backreferences and any(op in _BACKREFERENCES for op, _ in _nodes(tree)):
        raise UnsafeRegex(f"invalid regular expression {value!r}: back-references to groups are not allowed here")
    for op, av in _nodes(tree):
        if op in _REPEATS and av[1] > 1 and not _delimited(av[2]):
            raise UnsafeRegex(
                f"regular expression {value!r} repeats a part that can itself match in several ways "
                "(like '(a+)+'), which can take exponential time on some input; rewrite it so that each "
                "round of the outer repetition needs a character the inner part cannot match "
                "(e.g. '(a+)+' -> 'a+', '(\\w+\\s?)*' -> '[\\w\\s]*', '(\\w+-?)*' -> '\\w+(-\\w+)*')"
            )


def _delimited(body: Nodes) -> bool:
    """Whether every round of a repetition of `body` can be told apart from the next."""
    inner = [av for op, av in _nodes(body) if op in _REPEATS and av[0] < av[1]]
    if not inner:
        return True  # fixed-length body: no choice of where a round ends
    varying = frozenset().union(*(_chars(av[2]) for av in inner))
    return any(op in _ONE_CHAR and not (_chars([(op, av)]) & varying) for op, av in _sequence(body))


def _sequence(items: Nodes) -> Iterator[tuple[Any, Any]]:
    """The nodes every match of `items` goes through, groups opened up."""
    for op, av in items:
        if op == _c.SUBPATTERN:
            yield from _sequence(av[-1])
        elif op == getattr(_c, "ATOMIC_GROUP", None):
            yield from _sequence(av)
        else:
            yield op, av


def _nodes(items: Nodes) -> Iterator[tuple[Any, Any]]:
    """Every node of a parse tree, depth first."""
    for op, av in items:
        yield op, av
        for sub in _children(op, av):
            yield from _nodes(sub)


def _children(op: Any, av: Any) -> list[Any]:
    if op in _REPEATS:
        return [av[2]]
    if op == _c.SUBPATTERN:
        return [av[-1]]
    if op == _c.BRANCH:
        return list(av[1])
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return [av[1]]
    if op == _c.GROUPREF_EXISTS:
        return [p for p in av[1:] if p is not None]
    if op == getattr(_c, "ATOMIC_GROUP", None):
        return [av]
    return []


def _chars(items: Nodes) -> frozenset[str]:
    """The characters (of a large sample) any single-character node in `items` can match."""
    found: set[str] = set()
    for op, av in _nodes(items):
        if op in _ONE_CHAR:
            pattern = sre_parse.SubPattern(sre_parse.State(), [(op, av)])
            # Case-insensitive on purpose: (?i) may be on, and overlap is the safe guess.
            found.update(sre_compile.compile(pattern, re.IGNORECASE).findall(_SAMPLE))
        elif op in _BACKREFERENCES:
            return _ALL  # a group reference can match anything its group did
    return frozenset(found)
