"""forbidden-text: markers that must not be left in some files.

Options:
  files: repo-relative files to scan (missing ones are skipped).
  markers: case-sensitive strings that must not appear; one violation per
    line, at the first marker on it.

  pass: README.md describes the project
  fail: README.md still says "#TODO: Overview"
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Literal

from ml_lint.checks.base import Context, Kind, NonEmpty, RepoPaths
from ml_lint.frozen import Strict
from ml_lint.result import Finding


@dataclass(frozen=True)
class Options(Strict):
    kind: Literal["forbidden-text"]
    files: RepoPaths
    markers: Annotated[tuple[str, ...], NonEmpty]


def check(options: Options, ctx: Context) -> Iterator[Finding]:
    for path in options.files:
        if path not in ctx.repo.file_set:
            continue
        try:
            text = ctx.repo.read_bytes(path).decode("utf-8", "replace")
        except OSError as exc:
            ctx.notes.append(f"cannot read {path}: {exc.strerror}")
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            hits = [(line.find(m), m) for m in options.markers if m in line]
            if hits:
                column, marker = min(hits)
                yield Finding(path, f"template marker '{marker}' left in {path}", line=number, column=column + 1)


KIND = Kind("forbidden-text", __doc__, Options, "repo", check=check)
