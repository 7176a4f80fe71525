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
from typing import TYPE_CHECKING

from ml_lint.checks.base import Context, matching_files
from ml_lint.violation import Finding

if TYPE_CHECKING:
    from ml_lint.options import ForbiddenPaths as Options

KIND = "forbidden-paths"
SCOPE = "files"


def check(options: Options, ctx: Context) -> Iterator[Finding]:
    for path in matching_files(ctx, options.paths, ignore_case=options.ignore_case):
        # Only {path} is a field; other braces ("{ds_name}_{version}") are text.
        yield Finding(path, options.message.replace("{path}", path))
