"""execution-order: a notebook must have been run top to bottom.

Options:
  paths: gitignore-style patterns of the notebooks to check.

Execution counts must strictly increase from the first cell to the last;
cells never executed (count null) are skipped. Reports the first cell that
breaks the order.

  pass: counts 1, 2, 3 (or 1, null, 4)
  fail: counts 1, 5, 2 — cell 3 was run before cell 2 finished the story
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ml_lint.checks.base import Kind, Patterns, cell_key
from ml_lint.frozen import Strict
from ml_lint.notebooks.reader import Notebook
from ml_lint.result import Finding


@dataclass(frozen=True)
class Options(Strict):
    kind: Literal["execution-order"]
    paths: Patterns


def check_notebook(options: Options, path: str, notebook: Notebook) -> Iterator[Finding]:
    previous = None
    for cell in notebook.cells:
        count = cell.execution_count
        if cell.cell_type != "code" or count is None:
            continue
        if previous is not None and count <= previous:
            message = (
                f"cell {cell.index + 1} has execution count {count} after {previous}: "
                "restart the kernel and run all cells top to bottom"
            )
            yield Finding(path, message, cell.line, None, cell.index, cell_key(cell))
            return
        previous = count


KIND = Kind("execution-order", __doc__, Options, "notebook", check_notebook=check_notebook)
