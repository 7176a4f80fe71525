"""notebook-title: a notebook opens with a Markdown heading.

Options:
  paths: gitignore-style patterns of the notebooks to check.

The first cell with any non-blank source must be a Markdown cell whose first
non-blank line is a heading (`# Title`, or a line underlined with `===`).

  pass: first cell "# Churn model: final evaluation"
  fail: first cell "import pandas as pd"
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ml_lint.checks.base import Kind, Patterns, is_blank
from ml_lint.frozen import Strict
from ml_lint.notebooks.reader import Notebook
from ml_lint.result import Finding


@dataclass(frozen=True)
class Options(Strict):
    kind: Literal["notebook-title"]
    paths: Patterns


ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)\s*$")


def _is_heading(markdown: str) -> bool:
    lines = [line for line in markdown.splitlines() if line.strip()]
    if not lines:
        return False
    return bool(ATX_HEADING.match(lines[0]) or (len(lines) > 1 and SETEXT_UNDERLINE.match(lines[1])))


def check_notebook(options: Options, path: str, notebook: Notebook) -> Iterator[Finding]:
    first = next((c for c in notebook.cells if not is_blank(c)), None)
    if first is None:
        yield Finding(path, "the notebook is empty: start it with a Markdown title")
    elif first.cell_type != "markdown" or not _is_heading(first.source):
        message = f"the first cell (cell {first.index + 1}) is not a Markdown heading: start with a '# Title' cell"
        yield Finding(path, message, first.line, None, first.index, "no title")


KIND = Kind("notebook-title", __doc__, Options, "notebook", check_notebook=check_notebook)
