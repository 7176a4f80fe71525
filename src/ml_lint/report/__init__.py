"""Output formats: each turns one run's Result into the text to write.

Every renderer returns the complete document, ending in a newline; write it
as is (print() would add a second newline).
"""

from __future__ import annotations

from collections.abc import Callable

from ml_lint.report import github, json, junit, sarif, text
from ml_lint.violation import Result

FORMATS: dict[str, Callable[[Result], str]] = {
    "text": text.render,
    "json": json.render,
    "github": github.render,
    "sarif": sarif.render,
    "junit": junit.render,
}


def render(result: Result, fmt: str, *, color: bool = False, quiet: bool = False) -> str:
    """Render in format `fmt`; only "text" uses `color` (ANSI escapes) and `quiet` (violations only)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "text":
        return text.render(result, color=color, quiet=quiet)
    return FORMATS[fmt](result)
