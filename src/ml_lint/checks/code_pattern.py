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
from collections.abc import Iterator
from typing import Literal

from pydantic import Field, field_validator

from ml_lint.checks.base import CheckOptions, Context, notebooks
from ml_lint.model import StrictModel
from ml_lint.violation import Finding

KIND = "code-pattern"
SCOPE = "files"


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


def check(options: Options, ctx: Context) -> Iterator[Finding]:
    compiled = [(re.compile(p.regex, re.MULTILINE), p.message) for p in options.patterns]
    for path, notebook in notebooks(ctx, options.paths):
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            for regex, message in compiled:
                match = regex.search(cell.source)
                if match:
                    text = message.replace("{match}", match.group(0))
                    yield Finding(path, f"cell #{cell.index}: {text}", cell.line, None, cell.index)
