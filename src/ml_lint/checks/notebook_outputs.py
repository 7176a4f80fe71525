"""notebook-outputs: outputs where they belong, none where they don't.

Options:
  paths: gitignore-style patterns of the notebooks to check.
  outputs: `required`, `forbidden` or `no-errors`.

required: every non-blank code cell must have been executed (its execution
count is not null) and the notebook must show some output. A notebook with
no non-blank code cell needs nothing. One finding per notebook, at the
first cell never executed, naming them all (1-based, as people count).

no-errors: no code cell may show an error output (an exception and its
traceback): the notebook's results must come from a run that succeeded.
One finding per notebook, at the first such cell.

forbidden: no code cell may carry outputs or an execution count. Fixable:
`--fix` strips them (nothing else changes; the file stays nbformat JSON,
indent 1, key order kept); files protected by an `unchanged` check are
never written.

  pass (required): every code cell ran and one printed a table
  fail (forbidden): a template notebook saved with its plots
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ml_lint.checks.base import Context, Kind, Patterns, cell_key, is_blank
from ml_lint.frozen import Strict
from ml_lint.notebooks.reader import Notebook
from ml_lint.repo.fs import atomic_write, fixable
from ml_lint.result import Finding


@dataclass(frozen=True)
class Options(Strict):
    kind: Literal["notebook-outputs"]
    paths: Patterns
    outputs: Literal["required", "forbidden", "no-errors"]


def check_notebook(options: Options, path: str, notebook: Notebook) -> Iterator[Finding]:
    code = [c for c in notebook.cells if c.cell_type == "code"]
    if options.outputs == "forbidden":
        for cell in code:
            if cell.outputs or cell.execution_count is not None:
                what = f"{len(cell.outputs)} output(s)" if cell.outputs else "an execution count"
                message = f"cell {cell.index + 1} has {what}: clear it with `ml-lint check --fix` before committing"
                yield Finding(path, message, cell.line, None, cell.index, f"{cell_key(cell)} has outputs")
        return
    if options.outputs == "no-errors":
        # "pyerr" is nbformat 3's name for an error output.
        failed = [c for c in code if any(o.get("output_type") in ("error", "pyerr") for o in c.outputs)]
        if failed:
            first = failed[0]
            name = next(o.get("ename") for o in first.outputs if o.get("output_type") in ("error", "pyerr"))
            what = f"an error ({name})" if isinstance(name, str) and name else "an error"
            shows = f"cell {first.index + 1} shows {what}"
            if len(failed) > 1:
                shows = f"{len(failed)} cells ({_numbers(failed)}) show errors, the first: {shows}"
            message = f"{shows}: fix the code and run the notebook again from the top"
            # One per notebook: its identity must not move with the cell numbers in the message.
            yield Finding(path, message, first.line, None, first.index, "shows an error")
        return
    runnable = [c for c in code if not is_blank(c)]
    if not runnable:
        return
    never_run = [c for c in runnable if c.execution_count is None]
    if never_run:
        # One finding per notebook: a never-run notebook is one problem, not one per cell.
        first = never_run[0]
        never = f"cell {first.index + 1} was never executed"
        if len(never_run) > 1:
            never = f"{len(never_run)} of {len(runnable)} code cells were never executed ({_numbers(never_run)})"
        message = f"{never}: run the notebook from the top and save it with its outputs"
        yield Finding(path, message, first.line, None, first.index, "never executed")
    if not never_run and not any(c.outputs for c in code):
        yield Finding(path, "the notebook has no output at all: run it and save it with its outputs")


def _numbers(cells: list) -> str:
    """'cells 3, 5, 9' (1-based, as people count), shortened past a dozen."""
    numbers = [str(c.index + 1) for c in cells]
    more = f" and {len(numbers) - 12} more" if len(numbers) > 12 else ""
    return f"cells {', '.join(numbers[:12])}{more}"


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
                yield finding, f"stripped the outputs of {path} cell {(finding.cell or 0) + 1}"


KIND = Kind("notebook-outputs", __doc__, Options, "notebook", check_notebook=check_notebook, fix=fix, can_fix=can_fix)
