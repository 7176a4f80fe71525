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

    def __call__(self, path: str) -> bool:
        for regex, include in self._runs:
            if regex.search(path):
                return include
        return False


@lru_cache(maxsize=512)
def path_matcher(patterns: tuple[str, ...], ignore_case: bool = False) -> PathMatcher:
    return PathMatcher(patterns, ignore_case)
