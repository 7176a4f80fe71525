"""unchanged: files that must never change once committed.

Options:
  paths: gitignore-style patterns of the protected files; a leading `!`
    exempts a file again (`!.gitkeep`).
  rerun: advice added to the message for a modified file (how to re-run it
    instead); `{path}` is the file, `{project}` the project's folder (empty,
    or `projects/churn/` in a repository of several), `{date}` today,
    `{description}` the last `_`-separated part of its name.

"Changed" depends on the run's comparison: the working tree vs HEAD (the
default), the index vs HEAD (`--staged`, the pre-commit hook) or HEAD vs
merge-base(REF, HEAD) (`--base REF`, pre-commit's PRE_COMMIT_FROM_REF and
PRE_COMMIT_TO_REF). A modification, a type change, a rename (reported at the
old path, naming the new one) and a deletion all count; adding a new file
never does. Each message gives the exact command that undoes the change for
the run's comparison. Against HEAD (the default and --staged), a file whose
HEAD version was committed but never pushed (not reachable from any
remote-tracking branch) may still change: amend and fix-ups before the push
are fine; with no remote-tracking branch at all, HEAD counts as pushed.
Skipped outside git.

  pass: research/deliver/2024-05-01_churn-model.ipynb is new in this commit
  fail: research/deliver/2024-05-01_churn-model.ipynb was re-run, renamed or deleted
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ml_lint.checks.base import CheckSkipped, Context, Kind, Patterns
from ml_lint.frozen import Strict
from ml_lint.repo.comparison import short
from ml_lint.repo.pathmatch import path_matcher
from ml_lint.result import Finding


@dataclass(frozen=True)
class Options(Strict):
    kind: Literal["unchanged"]
    paths: Patterns
    # Advice for a modified file, e.g. where to copy it to re-run it: {path} is
    # the protected file, {project} its project's folder, {date} today,
    # {description} the last `_`-separated part of its name
    # (`US12_2024-05-01_churn-model.ipynb` -> `churn-model`).
    rerun: str | None = None


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
        source, then = ("HEAD", "") if change.base is None else (short(change.base), " and commit")
        # Commands name paths as the repository has them: one project of several is a sub-folder.
        old = quoted(ctx.repo.outer(change.path))
        restore = f"`git restore --source={source} --staged --worktree -- {old}`{then}"
        if change.status == "R":
            new = change.new_path or ""
            yield Finding(
                change.path,
                f"'{change.path}' was renamed to '{new}' {since}: rename it back with "
                f"`git mv -- {quoted(ctx.repo.outer(new))} {old}`{then}",
                key=f"renamed to {new}",
            )
        elif change.status == "D":
            yield Finding(change.path, f"'{change.path}' was deleted {since}: restore it with {restore}", key="deleted")
        else:
            advice = f"; {_rerun(options.rerun, change.path, ctx.repo.outer(''))}" if options.rerun else ""
            yield Finding(
                change.path,
                f"'{change.path}' was modified {since}: restore it with {restore}{advice}",
                key="modified",
            )


def _rerun(template: str, path: str, project: str) -> str:
    import datetime
    import re

    stem = path.rsplit("/", 1)[-1]
    name, dot, ext = stem.rpartition(".")
    description = (name if dot else ext).rsplit("_", 1)[-1]
    fields = {
        "path": project + path, "project": project, "date": datetime.date.today().isoformat(),
        "description": description,
    }  # fmt: skip
    # Only these fields: other braces in the spec's text stay as they are.
    return re.sub(r"\{(path|project|date|description)\}", lambda m: fields[m.group(1)], template)


def quoted(path: str) -> str:
    """A path as a shell word: as is when that is safe, else in single quotes."""
    import shlex

    return shlex.quote(path)


KIND = Kind("unchanged", __doc__, Options, "repo", check=check, prefetch=prefetch, opt_out=False, protects=True)
