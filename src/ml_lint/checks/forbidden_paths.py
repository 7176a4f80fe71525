"""forbidden-paths: files that must not be in the repository.

Options:
  paths: gitignore-style patterns of forbidden files; a leading `!` allows
    a file again (`!data/raw/.gitkeep`).
  ignore_case: match without regard to case (`*.csv` also catches `X.CSV`).
  message: what to tell the user; `{path}` is replaced by the file, any
    other braces are kept as written.

Looks at the files of the repo: tracked, staged (even when force-added past
.gitignore) and untracked-not-ignored. Ignored local files are fine.

  pass: data/raw/.gitkeep is the only tracked file under data/raw
  fail: data/raw/sales_raw_full_v1.csv is staged
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ml_lint.checks.base import Context, Kind, Patterns, matching_files
from ml_lint.frozen import Strict
from ml_lint.result import Finding


@dataclass(frozen=True)
class Options(Strict):
    kind: Literal["forbidden-paths"]
    paths: Patterns
    ignore_case: bool = False
    message: str = "'{path}' must not be committed"


def check(options: Options, ctx: Context) -> Iterator[Finding]:
    for path in matching_files(ctx, options.paths, ignore_case=options.ignore_case):
        # Only {path} is a field; other braces ("{ds_name}_{version}") are text.
        yield Finding(path, options.message.replace("{path}", path))


KIND = Kind("forbidden-paths", __doc__, Options, "files", check=check, forbids=True)
