"""naming: entries of a folder must be named after one of some patterns.

Options:
  folders: the folders whose direct entries are checked; `*` matches one
    path segment (`production/jobs/*`).
  patterns: naming templates; `{placeholder}`s are defined in the spec's
    `placeholders` section (a regex, a description, an example, and for
    dates a format so that only real calendar dates pass). An extension is
    optional (`name.ipynb`, `name.tar.gz`); plain words match literally.
  entries: which entries to check: `all` (default), `files` or `folders`.
  skip: repo-relative paths of entries never checked (`research/deliver/runs`).
  include_ignored: also check ignored files on disk (local data).

Dotfiles (`.gitkeep`, `.ipynb_checkpoints/`) are never named entries. The
message says which part of the name is wrong and what was expected.

  pass: research/develop/2024-05-01_jdoe_sales-eda.ipynb
  fail: research/develop/Untitled.ipynb
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterator
from typing import Annotated, Literal

from ml_lint.frozen import Strict
from ml_lint.checks.base import Context, Kind, NonEmpty, NonEmptyRepoPaths, RepoPaths
from ml_lint.patterns import explain_mismatch
from ml_lint.result import Finding


@dataclass(frozen=True)
class Options(Strict):
    kind: Literal["naming"]
    folders: NonEmptyRepoPaths
    patterns: Annotated[tuple[str, ...], NonEmpty]
    entries: Literal["all", "files", "folders"] = "all"
    skip: tuple[str, ...] = ()
    include_ignored: bool = False


def check(options: Options, ctx: Context) -> Iterator[Finding]:
    patterns = [ctx.pattern(p) for p in options.patterns]
    skip = {s.strip("/") for s in options.skip}
    for pattern in options.folders:
        for folder in _folders(ctx, pattern, options.include_ignored):
            entries = ctx.repo.entries(folder)
            if options.include_ignored:
                entries = {**ctx.repo.disk_entries(folder), **entries}
            for name, is_dir in sorted(entries.items()):
                path = f"{folder}/{name}"
                if name.startswith(".") or path in skip or not _wanted(options.entries, is_dir):
                    continue
                shown = path + "/" if is_dir else path
                if not ctx.targeted(shown):
                    continue
                problem = explain_mismatch(name, patterns)
                if problem:
                    yield Finding(shown, problem)


def _folders(ctx: Context, pattern: str, on_disk: bool) -> list[str]:
    found = ctx.repo.folders_matching(pattern)
    if on_disk and not found and (ctx.repo.root / pattern).is_dir():
        found = [pattern.strip("/")]  # a folder holding only ignored files
    return found


def _wanted(entries: str, is_dir: bool) -> bool:
    return entries == "all" or (entries == "folders") == is_dir


KIND = Kind("naming", __doc__, Options, "files", check=check, name_templates=lambda options: options.patterns)
