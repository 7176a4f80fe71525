"""The registry of check kinds: kind name -> module.

A check kind module has `KIND` and a `SCOPE`; its options model lives in
ml_lint.spec.options (OPTIONS[kind]), and the functions below get the validated
options as plain attributes:

- "files": `check(options, ctx)` yields Findings, looking only at the files
  named on the command line when there are some;
- "repo": `check(options, ctx)` always looks at the whole repository (and may
  raise CheckSkipped, e.g. outside git);
- "notebook": `check_notebook(options, path, notebook)` yields the Findings of
  one parsed notebook; the notebook pass calls it once per notebook matching
  `options.paths` (`READS_UNREADABLE = True` also gets the NotebookError).

Optional: `fix(options, ctx, findings)` repairs findings and yields
(finding, description) pairs, `can_fix(options)` says whether these options
are fixable, `OPT_OUT = False` ignores notebooks' metadata opt-outs, and
`prefetch(options, ctx)` starts slow git work early (before the notebook pass).
"""

from __future__ import annotations

from collections.abc import Iterable
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


def fixable(checks: Iterable) -> bool:
    """Whether `--fix` can repair what some of these checks (validated options) find."""
    return any(hasattr(KINDS[c.kind], "fix") and getattr(KINDS[c.kind], "can_fix", lambda _: True)(c) for c in checks)
