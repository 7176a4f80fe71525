"""Output formats: each turns one run's Result into the text to write.

Every renderer returns the complete document, ending in a newline; write it
as is (print() would add a second newline).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports FORMATS before anything else: keep this module light
    from ml_lint.result import Result

# Each format is a module with render(result) -> str, imported only when used.
FORMATS = ("text", "json", "github", "sarif", "junit", "gitlab")


def render(result: Result, fmt: str, *, color: bool = False, quiet: bool = False) -> str:
    """Render in format `fmt`; only "text" uses `color` (ANSI escapes) and `quiet` (violations only)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
    module = import_module(f"ml_lint.report.{fmt}")
    if fmt == "text":
        return module.render(result, color=color, quiet=quiet)
    return module.render(result)
