"""stale-keep-file: placeholder files left in folders that are no longer empty.

Options:
  name: the placeholder file name (default `.gitkeep`).
  disregard: gitignore-style patterns of files that do not count as other
    content (`.ipynb_checkpoints/`).
  disregard_forbidden: files a `forbidden-paths` check of the spec forbids
    (a dataset in data/raw) do not count either, as the config sets those
    checks (a rule turned off forbids nothing). Deleting the placeholder for
    them would only make the folder disappear once they are removed as that
    rule asks. Default: false.

A folder has other content when the repo has another file anywhere below it
(tracked, or untracked and not ignored). Fixable: `--fix` deletes the
placeholder.

  pass: data/scripts/.gitkeep alone in data/scripts/
  fail: data/scripts/.gitkeep next to data/scripts/download.py
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ml_lint.checks.base import Context, GitignorePatterns, Kind
from ml_lint.frozen import Strict
from ml_lint.repo.fs import fixable, remove
from ml_lint.repo.pathmatch import path_matcher
from ml_lint.result import Finding


@dataclass(frozen=True)
class Options(Strict):
    kind: Literal["stale-keep-file"]
    name: str = ".gitkeep"
    disregard: GitignorePatterns = ()
    disregard_forbidden: bool = False


def check(options: Options, ctx: Context) -> Iterator[Finding]:
    named = [path for path in ctx.repo.files if path.endswith(options.name)]  # the cheapest test first
    listed = path_matcher(tuple(options.disregard))
    forbidden = ctx.forbidden() if options.disregard_forbidden else (lambda _: False)

    def disregarded(path: str) -> bool:
        return listed(path) or forbidden(path)

    for path in named:
        folder, _, name = path.rpartition("/")
        if name != options.name:
            continue
        others = [f for f in ctx.repo.files_under(folder) if f != path]
        if others and not all(map(disregarded, others)):
            where = f"{folder}/" if folder else "the repository root"
            yield Finding(path, f"{options.name} is no longer needed: {where} has other files")


def fix(options: Options, ctx: Context, findings: list[Finding]) -> Iterator[tuple[Finding, str]]:
    for finding in findings:
        remove(fixable(ctx.repo.root, finding.path))
        yield finding, f"deleted {finding.path}"


KIND = Kind("stale-keep-file", __doc__, Options, "repo", check=check, fix=fix)
