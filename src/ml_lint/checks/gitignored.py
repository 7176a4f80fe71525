"""gitignored: folders whose contents the shared .gitignore must ignore.

Options:
  folders: repo-relative folders (they need not exist yet).
  keep: file names that stay committed inside them.

Only the repository's own .gitignore files count, not a developer's global
excludes: the point is that nobody on the team can push these files by
accident. Reported at `.gitignore`. Fixable: `--fix` appends `FOLDER/*` and
`!FOLDER/KEEP` lines to the root .gitignore.

  pass: .gitignore has "data/raw/*" and "!data/raw/.gitkeep"
  fail: .gitignore does not mention data/raw
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ml_lint.checks.base import Context, Kind, NonEmptyRepoPaths
from ml_lint.frozen import Strict
from ml_lint.repo.fs import append_missing_lines, current_text, fixable, with_missing_lines
from ml_lint.repo.ignore import IgnoreRules
from ml_lint.result import Finding


@dataclass(frozen=True)
class Options(Strict):
    kind: Literal["gitignored"]
    folders: NonEmptyRepoPaths
    keep: tuple[str, ...] = (".gitkeep",)


PROBE = "ml-lint-probe.dat"


def ignore_lines(options: Options, folder: str) -> list[str]:
    return [f"{folder}/*"] + [f"!{folder}/{name}" for name in options.keep]


def _unignored(options: Options, ctx: Context) -> dict[Finding, str]:
    """Finding -> folder, for every folder whose contents are not ignored."""
    found = {}
    for folder in (f.strip("/") for f in options.folders):
        if not ctx.repo.ignore_rules.ignored(f"{folder}/{PROBE}"):
            wanted = " and ".join(f"'{line}'" for line in ignore_lines(options, folder))
            message = f"the contents of {folder}/ are not ignored: add {wanted} to .gitignore"
            found[Finding(".gitignore", message)] = folder
    return found


def check(options: Options, ctx: Context) -> Iterator[Finding]:
    yield from _unignored(options, ctx)


def fix(options: Options, ctx: Context, findings: list[Finding]) -> Iterator[tuple[Finding, str]]:
    folders = _unignored(options, ctx)
    fixed = [(f, folders[f]) for f in findings if f in folders]
    if not fixed:
        return
    path = fixable(ctx.repo.root, ".gitignore")
    current, rules = current_text(path), IgnoreRules(ctx.repo.root)
    # Decide before writing: a line already there but undone by a later `!` line
    # is not appended again, so adding the folder's lines may not fix it.
    done = [
        (finding, folder)
        for finding, folder in fixed
        if rules.with_root_text(with_missing_lines(current, ignore_lines(options, folder))[0]).ignored(
            f"{folder}/{PROBE}"
        )
    ]
    append_missing_lines(path, [line for _, folder in done for line in ignore_lines(options, folder)])
    for finding, folder in done:
        yield finding, f"added {folder}/* to .gitignore"


KIND = Kind("gitignored", __doc__, Options, "repo", check=check, fix=fix)
