"""invalid-notebook: .ipynb files that nbformat cannot read at all.

Options:
  paths: gitignore-style patterns of the files to check (default `*.ipynb`).

Empty files, bytes that are not UTF-8 JSON (the JSON error's line and column
are reported) and JSON that is not a notebook. A notebook that merely fails
schema validation (a bad cell id, no `nbformat_minor`) is readable and fine;
so is `"cells": []`.

  pass: a notebook saved by Jupyter
  fail: a notebook truncated by a bad merge
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ml_lint.checks.base import GitignorePatterns, Kind
from ml_lint.frozen import Strict
from ml_lint.notebooks.reader import Notebook, NotebookError
from ml_lint.result import Finding


@dataclass(frozen=True)
class Options(Strict):
    kind: Literal["invalid-notebook"]
    paths: GitignorePatterns = ("*.ipynb",)


def check_notebook(options: Options, path: str, notebook: Notebook | NotebookError) -> Iterator[Finding]:
    if isinstance(notebook, NotebookError):
        yield Finding(
            path, f"not a readable notebook: {notebook.message}", notebook.line, notebook.column, key="unreadable"
        )


KIND = Kind("invalid-notebook", __doc__, Options, "notebook", check_notebook=check_notebook, reads_unreadable=True)
