"""single-author: files that one person only may change.

Options:
  paths: gitignore-style patterns of the files; a leading `!` exempts one.
  max_authors: how many distinct authors a file may have (default 1).

Authors are the commit author emails (after .mailmap) of every commit that
touched the file at its current path, read from one `git log` over the
folders the patterns name. Skipped outside git and in a shallow clone, where
the history is incomplete.

  pass: research/develop/2024-05-01_jdoe_sales-eda.ipynb only ever committed by jdoe
  fail: the same notebook also committed by asmith
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Literal

from ml_lint.checks.base import CheckSkipped, Context, Kind, Patterns, literal_prefix, matching_files
from ml_lint.frozen import Bounds, Strict
from ml_lint.repo.history import FETCH_HINT
from ml_lint.result import Finding


@dataclass(frozen=True)
class Options(Strict):
    kind: Literal["single-author"]
    paths: Patterns
    max_authors: Annotated[int, Bounds(ge=1)] = 1


def prefetch(options: Options, ctx: Context) -> None:
    """Start the git log that check() reads, so that it runs while other checks do."""
    if ctx.repo.is_git and not ctx.repo.is_shallow:
        scope = _scope(options, ctx)
        if scope:
            ctx.repo.prefetch_authors(scope)


def check(options: Options, ctx: Context) -> Iterator[Finding]:
    if not ctx.repo.is_git:
        raise CheckSkipped("not a git repository, so there is no history")
    if ctx.repo.is_shallow:
        raise CheckSkipped(f"this is a shallow clone and the history is incomplete; {FETCH_HINT}")
    scope = _scope(options, ctx)
    if not scope:
        return
    files = matching_files(ctx, options.paths)
    # A hook batch asks about its own files only: the rest of the folder's log need not be parsed.
    authors = ctx.repo.authors(scope, of=frozenset(files) if ctx.targets is not None else None)
    for path in files:
        who = authors.get(path, set())
        if len(who) > options.max_authors:
            yield Finding(
                path,
                f"'{path}' was changed by {len(who)} authors ({', '.join(sorted(who))})",
                key=f"more than {options.max_authors} author(s)",
            )


# git matches every path of every commit against every pathspec: past a few
# hundred files (a pre-commit batch holds thousands) the folders' log is
# cheaper. And a command line must fit Windows' 32,767 characters.
_MAX_FILES = 256
_MAX_LENGTH = 24 * 1024


def _scope(options: Options, ctx: Context) -> tuple[str, ...]:
    """The paths whose history to read."""
    files = matching_files(ctx, options.paths)
    if ctx.targets is not None and len(files) <= _MAX_FILES and sum(map(len, files)) <= _MAX_LENGTH:
        # A commit's few files: their history is enough (git prunes the log by these
        # pathspecs; reading and parsing the whole folder's log is not).
        return tuple(files)
    prefixes = {literal_prefix(p) for p in options.paths if not p.startswith("!")}
    return tuple(sorted({""} if "" in prefixes else prefixes))


KIND = Kind("single-author", __doc__, Options, "files", check=check, prefetch=prefetch)
