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

from dataclasses import dataclass
from collections.abc import Iterator
from typing import Literal

from ml_lint.frozen import Strict
from ml_lint.checks.base import Context, Kind, RepoPaths
from ml_lint.result import Finding


@dataclass(frozen=True)
class Options(Strict):
    kind: Literal["required-paths"]
    paths: RepoPaths


def check(options: Options, ctx: Context) -> Iterator[Finding]:
    for path in options.paths:
        if not ctx.repo.exists(path):
            what = "folder" if path.endswith("/") else "file"
            extra = " (an empty folder is not committed: add a .gitkeep)" if what == "folder" else ""
            yield Finding(path, f"required {what} '{path}' is missing{extra}")


KIND = Kind("required-paths", __doc__, Options, "repo", check=check)
