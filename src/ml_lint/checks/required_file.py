"""required-file: every folder of a kind must contain one of some files.

Options:
  folders: folders to check; `*` matches one path segment
    (`production/jobs/*/*`, `production/*-lib`).
  any_of: file names, one of which each folder must contain.

Reports the missing file's path (the first name of `any_of`).

  pass: production/services/api-service/Dockerfile exists
  fail: production/jobs/training/train-job/ has no Dockerfile
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ml_lint.checks.base import Context
from ml_lint.violation import Finding

if TYPE_CHECKING:
    from ml_lint.options import RequiredFile as Options

KIND = "required-file"
SCOPE = "repo"


def check(options: Options, ctx: Context) -> Iterator[Finding]:
    names = " or ".join(options.any_of)
    for pattern in options.folders:
        for folder in ctx.repo.folders_matching(pattern):
            if folder in ctx.repo.gitlinks:
                ctx.notes.append(f"{folder}/ is a submodule, whose files are not listed here: not checked for {names}")
                continue
            if not any(f"{folder}/{name}" in ctx.repo.file_set for name in options.any_of):
                yield Finding(f"{folder}/{options.any_of[0]}", f"{folder}/ has no {names}")
