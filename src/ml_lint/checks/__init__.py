"""The registry of check kinds: kind name -> module.

A check kind module has `KIND`, `SCOPE` ("files": looks only at the files
named on the command line when there are some; "repo": always looks at the
whole repository), an `Options` model, a `check(options, ctx)` generator of
Findings and, when it can repair what it finds, `fix(options, ctx, findings)`.
"""

from __future__ import annotations

from types import ModuleType

from ml_lint.checks import (
    code_pattern,
    execution_order,
    forbidden_paths,
    forbidden_text,
    gitignored,
    invalid_notebook,
    naming,
    notebook_outputs,
    notebook_title,
    required_file,
    required_paths,
    single_author,
    stale_keep_file,
    unchanged,
)

KINDS: dict[str, ModuleType] = {
    module.KIND: module
    for module in (
        required_paths,
        required_file,
        forbidden_paths,
        forbidden_text,
        stale_keep_file,
        gitignored,
        naming,
        notebook_outputs,
        execution_order,
        notebook_title,
        invalid_notebook,
        code_pattern,
        unchanged,
        single_author,
    )
}
