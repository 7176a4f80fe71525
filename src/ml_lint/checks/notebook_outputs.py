"""notebook-outputs: outputs where they belong, none where they don't.

Options:
  paths: gitignore-style patterns of the notebooks to check.
  outputs: `required` or `forbidden`.

required: every non-blank code cell must have been executed (its execution
count is not null) and the notebook must show some output. A notebook with
no non-blank code cell needs nothing.

forbidden: no code cell may carry outputs or an execution count. Fixable:
`--fix` strips them (nothing else changes; the file stays nbformat JSON,
indent 1, key order kept); files protected by an `unchanged` check are
never written.

  pass (required): every code cell ran and one printed a table
  fail (forbidden): a template notebook saved with its plots
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterator
from typing import Literal

from ml_lint.frozen import Strict
from ml_lint.checks.base import Context, Kind, Patterns, is_blank
from ml_lint.repo.fs import atomic_write, fixable
from ml_lint.notebooks.reader import Notebook
from ml_lint.result import Finding


@dataclass(frozen=True)
class Options(Strict):
    kind: Literal["notebook-outputs"]
    paths: Patterns
    outputs: Literal["required", "forbidden"]


def check_notebook(options: Options, path: str, notebook: Notebook) -> Iterator[Finding]:
    code = [c for c in notebook.cells if c.cell_type == "code"]
    if options.outputs == "forbidden":
        for cell in code:
            if cell.outputs or cell.execution_count is not None:
                what = f"{len(cell.outputs)} output(s)" if cell.outputs else "an execution count"
                message = f"cell #{cell.index} has {what}: clear outputs before committing"
                yield Finding(path, message, cell.line, None, cell.index)
        return
    runnable = [c for c in code if not is_blank(c)]
    if not runnable:
        return
    never_run = [c for c in runnable if c.execution_count is None]
    for cell in never_run:
        yield Finding(path, f"cell #{cell.index} was never executed", cell.line, None, cell.index)
    if not never_run and not any(c.outputs for c in code):
        yield Finding(path, "the notebook has no output at all: run it and save it with its outputs")


def can_fix(options: Options) -> bool:
    return options.outputs == "forbidden"


def fix(options: Options, ctx: Context, findings: list[Finding]) -> Iterator[tuple[Finding, str]]:
    from ml_lint.notebooks.reader import NotebookError, strip_outputs

    if not can_fix(options):
        return
    for path in sorted({f.path for f in findings}):
        try:
            stripped = strip_outputs(ctx.repo.read_bytes(path))
        except NotebookError:
            continue
        if stripped is not None:
            atomic_write(fixable(ctx.repo.root, path), stripped)
        for finding in findings:
            if finding.path == path:
                yield finding, f"stripped outputs of {path} cell #{finding.cell}"


KIND = Kind("notebook-outputs", __doc__, Options, "notebook", check_notebook=check_notebook, fix=fix, can_fix=can_fix)
