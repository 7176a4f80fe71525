"""execution-order: a notebook must have been run top to bottom.

Options:
  paths: gitignore-style patterns of the notebooks to check.

Execution counts must strictly increase from the first cell to the last;
cells never executed (count null) are skipped. Reports the first cell that
breaks the order.

  pass: counts 1, 2, 3 (or 1, null, 4)
  fail: counts 1, 5, 2 — cell #2 was run before cell #1 finished the story
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ml_lint.notebooks.reader import Notebook
from ml_lint.result import Finding

if TYPE_CHECKING:
    from ml_lint.spec.options import ExecutionOrder as Options

KIND = "execution-order"
SCOPE = "notebook"


def check_notebook(options: Options, path: str, notebook: Notebook) -> Iterator[Finding]:
    previous = None
    for cell in notebook.cells:
        count = cell.execution_count
        if cell.cell_type != "code" or count is None:
            continue
        if previous is not None and count <= previous:
            message = (
                f"cell #{cell.index} has execution count {count} after {previous}: "
                "restart the kernel and run all cells top to bottom"
            )
            yield Finding(path, message, cell.line, None, cell.index)
            return
        previous = count
