"""unchanged: files that must never change once committed.

Options:
  paths: gitignore-style patterns of the protected files; a leading `!`
    exempts a file again (`!.gitkeep`).

"Changed" depends on the run's comparison: the working tree vs HEAD (the
default), the index vs HEAD (`--staged`, the pre-commit hook) or HEAD vs
merge-base(REF, HEAD) (`--base REF`, pre-commit's PRE_COMMIT_FROM_REF and
PRE_COMMIT_TO_REF). A modification, a type change, a rename (reported at the
old path, naming the new one) and a deletion all count; adding a new file
never does. Skipped outside git. Against HEAD (the default and --staged), a
file whose HEAD version was committed but never pushed (not reachable from
any remote-tracking branch) may still change: amend and fix-ups before the
push are fine; with no remote-tracking branch at all, HEAD counts as pushed.

  pass: research/deliver/2024-05-01_churn-model.ipynb is new in this commit
  fail: research/deliver/2024-05-01_churn-model.ipynb was re-run, renamed or deleted
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ml_lint.checks.base import CheckSkipped, Context, Kind, Patterns
from ml_lint.frozen import Strict
from ml_lint.repo.pathmatch import path_matcher
from ml_lint.result import Finding


@dataclass(frozen=True)
class Options(Strict):
    kind: Literal["unchanged"]
    paths: Patterns


# Deletions are never among the files pre-commit passes, so always look at the whole diff.


def prefetch(options: Options, ctx: Context) -> None:
    """Start the git diff that check() reads, so that it runs while other checks do."""
    if ctx.repo.is_git:
        ctx.repo.prefetch_changes(ctx.comparison)


def check(options: Options, ctx: Context) -> Iterator[Finding]:
    if not ctx.repo.is_git:
        raise CheckSkipped("not a git repository, so there is nothing to compare with")
    protected = path_matcher(tuple(options.paths))
    since = ctx.comparison.describe()
    # A new file (or a copy, which leaves the original alone) is fine.
    changes = [c for c in ctx.repo.changes(ctx.comparison) if c.status not in "AC" and protected(c.path)]
    if changes and ctx.comparison.mode != "base":
        # Against HEAD: a version committed but never pushed may still change (amend, fix-up).
        unpushed = ctx.repo.undelivered(tuple(sorted({c.path for c in changes})))
        changes = [c for c in changes if c.path not in unpushed]
    for change in changes:
        if change.status == "R":
            yield Finding(change.path, f"'{change.path}' was renamed to '{change.new_path}' {since}")
        elif change.status == "D":
            yield Finding(change.path, f"'{change.path}' was deleted {since}")
        else:
            yield Finding(change.path, f"'{change.path}' was modified {since}")


KIND = Kind("unchanged", __doc__, Options, "repo", check=check, prefetch=prefetch, opt_out=False, protects=True)
