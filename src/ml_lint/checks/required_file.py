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
from dataclasses import dataclass
from typing import Literal

from ml_lint.checks.base import Context, Kind, NonEmptyRepoPaths
from ml_lint.frozen import Strict
from ml_lint.result import Finding


@dataclass(frozen=True)
class Options(Strict):
    kind: Literal["required-file"]
    folders: NonEmptyRepoPaths
    any_of: NonEmptyRepoPaths


def check(options: Options, ctx: Context) -> Iterator[Finding]:
    names = " or ".join(options.any_of)
    for pattern in options.folders:
        for folder in ctx.repo.folders_matching(pattern):
            if folder in ctx.repo.gitlinks:
                ctx.notes.append(f"{folder}/ is a submodule, whose files are not listed here: not checked for {names}")
                continue
            if not any(f"{folder}/{name}" in ctx.repo.file_set for name in options.any_of):
                yield Finding(f"{folder}/{options.any_of[0]}", f"{folder}/ has no {names}")


KIND = Kind("required-file", __doc__, Options, "repo", check=check)
