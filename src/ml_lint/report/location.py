"""The human form of where a violation is: PATH[:LINE[:COL]]."""

from __future__ import annotations

from ml_lint.result import Violation


def location(violation: Violation) -> str:
    text = violation.path
    if violation.line is not None:
        text += f":{violation.line}"
        if violation.column is not None:
            text += f":{violation.column}"
    return text
