"""naming: entries of a folder must be named after one of some patterns.

Options:
  folders: the folders whose direct entries are checked; `*` matches one
    path segment (`production/jobs/*`).
  patterns: naming templates; `{placeholder}`s are defined in the spec's
    `placeholders` section (a regex, a description, an example, and for
    dates a format so that only real calendar dates pass). An extension is
    optional (`name.ipynb`, `name.tar.gz`); plain words match literally.
  entries: which entries to check: `all` (default), `files` or `folders`.
  extensions: only files with one of these extensions are checked
    (`[ipynb]`: a README.md beside the notebooks is fine); folders are
    checked unless `entries: files`. Default: every file.
  skip: gitignore-style patterns of entries never checked
    (`research/deliver/runs`, `*.dvc`); they match entries, not what is
    below them (the entries of a skipped folder listed in `folders` are
    checked). A pattern that matches nothing is fine, as in .gitignore.
  artefacts: gitignore-style patterns of tool output (`__pycache__/`,
    `wandb/`): such an entry is never "badly named"; when it is not
    ignored the message says to add it to .gitignore. `ml-lint init` writes
    them into the new .gitignore.
  renamable: literal patterns the project may rename (`src`), and
  renamed_if_holds: files that mark the renamed folder (`pyproject.toml`):
    while no entry has a renamable name, a folder holding one of these files
    stands in for it.
  include_ignored: also check ignored files on disk (local data).

Dotfiles (`.gitkeep`, `.ipynb_checkpoints/`) are never named entries, and a
`*` in `folders` never picks a dot-folder. The message says in words what is
wrong with the name and what was expected.

  pass: research/develop/2024-05-01_jdoe_sales-eda.ipynb
  fail: research/develop/Untitled.ipynb
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Literal

from ml_lint.checks.base import Context, GitignorePatterns, Kind, NonEmpty, NonEmptyRepoPaths
from ml_lint.frozen import Strict
from ml_lint.patterns import explain_mismatch
from ml_lint.repo.pathmatch import path_matcher
from ml_lint.result import Finding


@dataclass(frozen=True)
class Options(Strict):
    kind: Literal["naming"]
    folders: NonEmptyRepoPaths
    patterns: Annotated[tuple[str, ...], NonEmpty]
    entries: Literal["all", "files", "folders"] = "all"
    extensions: tuple[str, ...] = ()
    skip: GitignorePatterns = ()
    artefacts: GitignorePatterns = ()
    renamable: tuple[str, ...] = ()
    renamed_if_holds: tuple[str, ...] = ()
    include_ignored: bool = False


def check(options: Options, ctx: Context) -> Iterator[Finding]:
    patterns = [ctx.pattern(p) for p in options.patterns]
    skip = path_matcher(tuple(options.skip))
    artefact = path_matcher(tuple(options.artefacts))
    extensions = tuple(f".{e.lstrip('.').lower()}" for e in options.extensions)
    for pattern in options.folders:
        for folder in _folders(ctx, pattern, options.include_ignored):
            if not ctx.targeted(folder + "/"):
                continue  # no file of this run in it (a hook batch names a few of 10,000 folders)
            if options.include_ignored:
                entries = {**ctx.repo.disk_entries(folder), **ctx.repo.entries(folder)}
            else:
                entries = ctx.entries(folder)
            stand_ins = _stand_ins(options, ctx, folder, entries)
            # A skip pattern matches entries, not what is below them: with
            # `skip: [research/deliver/runs]` the entries of runs/ are checked
            # when `folders` lists it.
            skipping = skip if not skip(folder + "/") else (lambda _: False)
            for name, is_dir in sorted(entries.items()):
                path = f"{folder}/{name}"
                shown = path + "/" if is_dir else path
                if not ctx.targeted(shown) or name.startswith(".") or not _wanted(options.entries, is_dir):
                    continue
                if extensions and not is_dir and not name.lower().endswith(extensions):
                    continue
                if skipping(shown) or name in stand_ins:
                    continue
                if artefact(shown):
                    if not ctx.repo.ignore_rules.ignored(path, is_dir):
                        yield Finding(
                            shown,
                            f"'{shown}' is tool output, not project work: "
                            f"add '{name}{'/' if is_dir else ''}' to .gitignore",
                        )
                    continue
                problem = explain_mismatch(name, patterns)
                if problem:
                    yield Finding(shown, problem)


def _stand_ins(options: Options, ctx: Context, folder: str, entries: dict[str, bool]) -> set[str]:
    """Folders standing in for a renamed entry (a renamed `src` holding a pyproject.toml)."""
    if not options.renamable:
        return set()
    entries = {**ctx.repo.entries(folder), **entries}  # every entry, not only this run's targets
    if any(name in entries for name in options.renamable):
        return set()
    return {
        name for name, is_dir in entries.items()
        if is_dir and any(ctx.repo.exists(f"{folder}/{name}/{marker}") for marker in options.renamed_if_holds)
    }  # fmt: skip


def _wanted(entries: str, is_dir: bool) -> bool:
    return entries == "all" or (entries == "folders") == is_dir


def _folders(ctx: Context, pattern: str, on_disk: bool) -> list[str]:
    found = ctx.repo.folders_matching(pattern)
    if on_disk and not found and (ctx.repo.root / pattern).is_dir():
        found = [pattern.strip("/")]  # a folder holding only ignored files
    return found


KIND = Kind(
    "naming",
    __doc__,
    Options,
    "files",
    check=check,
    name_templates=lambda options: options.patterns,
    reads_folders=True,
)
