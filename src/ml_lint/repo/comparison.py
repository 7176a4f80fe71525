"""What a run compares against: the "since X" of "what changed since X".

One value per run, chosen from the command line and pre-commit's
environment, handed to the checks through the Context:

- worktree: the working tree vs HEAD (the default: catches a local re-run);
- staged:   the index vs HEAD (`--staged`, and the pre-commit hook);
- base:     `head` vs merge-base(`base`, `head`) (`--base REF`, or pre-commit's
            PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF for pre-push and
            `pre-commit run --from-ref --to-ref`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, NamedTuple


class Comparison(NamedTuple):  # not a dataclass: importing dataclasses would delay starting git
    mode: Literal["worktree", "staged", "base"] = "worktree"
    base: str | None = None
    head: str = "HEAD"
    # Where the base came from, to name it in error messages.
    source: str = "--base"

    def describe(self) -> str:
        """How a message says when something changed: 'X was deleted {describe()}'."""
        if self.mode == "staged":
            return "in the staged changes"
        if self.mode == "base":
            return f"since {self.base}" if self.head == "HEAD" else f"between {self.base} and {self.head}"
        return "since the last commit"


def choose(*, staged: bool, base: str | None, hook: bool, environ: Mapping[str, str]) -> Comparison:
    """An explicit --base or --staged wins; then pre-commit's refs; a hook defaults to staged."""
    if base is not None:
        return Comparison("base", base)
    if staged:
        return Comparison("staged")
    from_ref, to_ref = environ.get("PRE_COMMIT_FROM_REF"), environ.get("PRE_COMMIT_TO_REF")
    if from_ref and to_ref:
        return Comparison("base", from_ref, to_ref, source="PRE_COMMIT_FROM_REF")
    return Comparison("staged") if hook else Comparison("worktree")
