"""code-pattern: code that must not appear in notebook code cells.

Options:
  paths: gitignore-style patterns of the notebooks to check.
  patterns: a list of `{regex, message}`; each match in a code cell is
    reported once per cell, with `{match}` in the message replaced by the
    text found. A regex matches within one line (of at most 2000
    characters: longer lines are searched in overlapping slices), and a
    regex that can backtrack exponentially (`(a+)+`) is refused.

  pass: pd.read_csv(DATA_DIR / "sales.csv")
  fail: pd.read_csv("/home/jdoe/sales.csv")
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Literal

from ml_lint.checks.base import Kind, NonEmpty, Patterns, cell_key
from ml_lint.frozen import Strict, Validated
from ml_lint.notebooks.reader import Notebook
from ml_lint.result import Finding


def _safe_regex(regex: str) -> str:
    from ml_lint.regexsafety import check_regex  # validation only: never on the warm path

    check_regex(regex)  # the regex comes with the repo: it must stay fast on any cell
    return regex


@dataclass(frozen=True)
class CodePattern(Strict):
    regex: Annotated[str, Validated(_safe_regex)]
    message: str


@dataclass(frozen=True)
class Options(Strict):
    kind: Literal["code-pattern"]
    paths: Patterns
    patterns: Annotated[tuple[CodePattern, ...], NonEmpty]


WINDOW = 2000  # characters scanned at once: bounds the time a slow regex can take
OVERLAP = 200  # a match up to this long is found across window boundaries


def check_notebook(options: Options, path: str, notebook: Notebook) -> Iterator[Finding]:
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for pattern in options.patterns:
            match = _search(_compiled(pattern.regex), cell.source)
            if match:
                text = pattern.message.replace("{match}", match.group(0))
                yield Finding(
                    path, f"cell {cell.index + 1}: {text}", cell.line, None, cell.index, f"{cell_key(cell)}: {text}"
                )


def _search(regex: re.Pattern, source: str) -> re.Match | None:
    """The first match within one line; long lines in overlapping windows.

    A regex refused nothing polynomial (`(?:x-)*y`) can still take time
    quadratic in the text it scans, and one cell may hold a megabyte on one
    line, so no search ever scans more than WINDOW characters.
    """
    for line in source.splitlines():
        for start in range(0, max(len(line) - OVERLAP, 1), WINDOW - OVERLAP):
            match = regex.search(line[start : start + WINDOW])
            if match:
                return match
    return None


@lru_cache(maxsize=128)
def _compiled(regex: str) -> re.Pattern:
    return re.compile(regex, re.MULTILINE)


KIND = Kind("code-pattern", __doc__, Options, "notebook", check_notebook=check_notebook)
