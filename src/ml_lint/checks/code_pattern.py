"""code-pattern: code that must not appear in notebook code cells.

Options:
  paths: gitignore-style patterns of the notebooks to check.
  patterns: a list of `{regex, message}`; each match in a code cell is
    reported once per cell, with `{match}` in the message replaced by the
    text found.

  pass: pd.read_csv(DATA_DIR / "sales.csv")
  fail: pd.read_csv("/home/jdoe/sales.csv")
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Iterator
from typing import Literal

from pydantic import Field, field_validator

from ml_lint.checks.base import CheckOptions
from ml_lint.notebook import Notebook
from ml_lint.model import StrictModel
from ml_lint.violation import Finding

KIND = "code-pattern"
SCOPE = "notebook"


class CodePattern(StrictModel):
    regex: str
    message: str

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"invalid regular expression {value!r}: {exc}") from None
        return value


class Options(CheckOptions):
    kind: Literal["code-pattern"]
    paths: list[str] = Field(min_length=1)
    patterns: list[CodePattern] = Field(min_length=1)


def check_notebook(options: Options, path: str, notebook: Notebook) -> Iterator[Finding]:
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for pattern in options.patterns:
            match = _compiled(pattern.regex).search(cell.source)
            if match:
                text = pattern.message.replace("{match}", match.group(0))
                yield Finding(path, f"cell #{cell.index}: {text}", cell.line, None, cell.index)


@lru_cache(maxsize=128)
def _compiled(regex: str) -> re.Pattern:
    return re.compile(regex, re.MULTILINE)
