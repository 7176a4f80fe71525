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
from typing import Literal

from pydantic import Field

from ml_lint.checks.base import CheckOptions, Context
from ml_lint.violation import Finding

KIND = "required-file"
SCOPE = "repo"


class Options(CheckOptions):
    kind: Literal["required-file"]
    folders: list[str] = Field(min_length=1)
    any_of: list[str] = Field(min_length=1)


def check(options: Options, ctx: Context) -> Iterator[Finding]:
    names = " or ".join(options.any_of)
    for pattern in options.folders:
        for folder in ctx.repo.folders_matching(pattern):
            if not any(f"{folder}/{name}" in ctx.repo.file_set for name in options.any_of):
                yield Finding(f"{folder}/{options.any_of[0]}", f"{folder}/ has no {names}")
