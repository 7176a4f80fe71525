"""required-paths: files and folders the layout must have.

Options:
  paths: the paths that must exist, repo-relative; a trailing `/` means a
    folder. A folder exists when it holds at least one file of the repo: git
    does not commit empty folders, so an empty one needs a `.gitkeep`.

Reports each missing path itself (`LICENSE`, `configs/`).

  pass: README.md and configs/.gitkeep are committed
  fail: no LICENSE at the repo root
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ml_lint.checks.base import Context, Kind, RepoPaths
from ml_lint.frozen import Strict
from ml_lint.result import Finding


@dataclass(frozen=True)
class Options(Strict):
    kind: Literal["required-paths"]
    paths: RepoPaths


def check(options: Options, ctx: Context) -> Iterator[Finding]:
    # The text report groups these messages by parent folder (ml_lint.report.text):
    # keep the shape "folder 'PATH' is missing: ... `COMMAND` ...". The command
    # names the project's folder as the repository has it (one project of several).
    project = ctx.repo.outer("").rstrip("/") or "."
    fix = f"`ml-lint init {project}` creates it (it never overwrites)"
    # Neutral words: the rule's severity says whether this fails, not the message.
    for path in options.paths:
        if not ctx.repo.exists(path):
            if path.endswith("/"):
                message = f"folder '{path}' is missing (git keeps no empty folder: it needs a .gitkeep): {fix}"
            else:
                message = f"file '{path}' is missing: {fix}"
            yield Finding(path, message)


KIND = Kind("required-paths", __doc__, Options, "repo", check=check)
