"""forbidden-paths: files that must not be in the repository.

Options:
  paths: gitignore-style patterns of forbidden files; a leading `!` allows
    a file again (`!data/raw/.gitkeep`).
  ignore_case: match without regard to case (`*.csv` also catches `X.CSV`).
  message: what to tell the user; `{path}` is replaced by the file.

Looks at the files of the repo: tracked, staged (even when force-added past
.gitignore) and untracked-not-ignored. Ignored local files are fine.

  pass: data/raw/.gitkeep is the only tracked file under data/raw
  fail: data/raw/sales_raw_full_v1.csv is staged
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from ml_lint.checks.base import CheckOptions, Context, matching_files
from ml_lint.violation import Finding

KIND = "forbidden-paths"
SCOPE = "files"


class Options(CheckOptions):
    kind: Literal["forbidden-paths"]
    paths: list[str] = Field(min_length=1)
    ignore_case: bool = False
    message: str = "'{path}' must not be committed"


def check(options: Options, ctx: Context) -> Iterator[Finding]:
    for path in matching_files(ctx, options.paths, ignore_case=options.ignore_case):
        yield Finding(path, options.message.format(path=path))
