"""gitignore-style path patterns, compiled for speed.

pathspec parses the patterns; we fold runs of patterns with the same sense
(include / `!` exclude) into one alternation, so matching a path costs one
regex search per run instead of one Python call per pattern. On a 50,000-file
repository this is the difference between seconds and milliseconds.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import groupby

from pathspec import PathSpec


class PathMatcher:
    def __init__(self, patterns: tuple[str, ...], ignore_case: bool = False):
        parsed = [p for p in PathSpec.from_lines("gitignore", patterns).patterns if p.include is not None]
        flags = re.IGNORECASE if ignore_case else 0
        # Last match wins in gitignore, so the runs are tried from the end.
        self._runs = [
            (re.compile("|".join(f"(?:{p.regex.pattern})" for p in run), flags), include)
            for include, run in groupby(parsed, key=lambda p: p.include)
        ][::-1]
        # A path can only be included if the literal text ending some include
        # pattern (".ipynb" of "*.ipynb") occurs in it: searching for those few
        # literals is many times cheaper than the patterns, and most paths fail.
        tails = [_literal_tail(p) for p in patterns if not p.startswith("!")]
        self._tail = None
        if tails and all(tails):
            self._tail = re.compile("|".join(map(re.escape, sorted(set(tails)))), flags).search

    def __call__(self, path: str) -> bool:
        if self._tail is not None and not self._tail(path):
            return False
        for regex, include in self._runs:
            if regex.search(path):
                return include
        return False


def _literal_tail(pattern: str) -> str:
    """The text after a pattern's last wildcard ('' when it ends in one or escapes)."""
    return re.split(r"[*?\[\]\\]", pattern.rstrip("/"))[-1].rsplit("/", 1)[-1]


@lru_cache(maxsize=512)
def path_matcher(patterns: tuple[str, ...], ignore_case: bool = False) -> PathMatcher:
    return PathMatcher(patterns, ignore_case)
