"""Baselines: accept a legacy repository's current violations, fail on new ones.

A violation is identified by its fingerprint (rule, path and what is wrong),
never by line or cell position: edits elsewhere in a file, a cell inserted
above, a new author elsewhere must not resurrect it. Identical violations
(say, the same marker on several lines of one file) are counted, so a
baseline with two hides two and a third one is new.

Version 1 files (ml-lint 0.1) identified violations by rule, path and
message; they are still read that way, with a note saying how to rewrite them.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ml_lint.errors import UsageError
from ml_lint.repo.fs import atomic_write, read_file
from ml_lint.result import Violation

if TYPE_CHECKING:
    from ml_lint.repo.repository import Repository

VERSION = 2

Legacy = tuple[str, str, str]  # version 1: rule, path, message


@dataclass
class Baseline:
    fingerprints: Counter[str] = field(default_factory=Counter)
    legacy: Counter[Legacy] = field(default_factory=Counter)
    note: str | None = None


def recordable(violations: list[Violation], repo: Repository) -> list[Violation]:
    """The violations a committed baseline may record: not those about local-only files.

    A git-ignored dataset is on one laptop only; CI never sees it, so its
    entry would never match there. A missing path is recorded (it is
    missing everywhere).
    """

    def local_only(path: str) -> bool:
        return not repo.exists(path) and os.path.lexists(repo.root / path)

    return [v for v in violations if not local_only(v.path)]


def write_baseline(path: Path, violations: list[Violation]) -> None:
    entries = [
        {"rule": v.rule, "path": v.path, "fingerprint": v.fingerprint, "message": v.message}
        for v in sorted(violations, key=lambda v: (v.rule, v.path, v.fingerprint, v.message))
    ]
    text = json.dumps({"version": VERSION, "violations": entries}, indent=2, ensure_ascii=False) + "\n"
    try:
        atomic_write(path, text.encode("utf-8", "surrogateescape"))
    except OSError as exc:
        raise UsageError(f"cannot write the baseline '{path}': {exc.strerror}") from None


def read_baseline(path: Path) -> Baseline:
    try:
        data = json.loads(read_file(path, follow_symlinks=True).decode("utf-8", "surrogateescape"))
    except OSError as exc:
        raise UsageError(
            f"cannot read the baseline '{path}': {exc.strerror}. Create one with --write-baseline."
        ) from None
    except (ValueError, RecursionError):  # not JSON, or nested too deeply to read
        data = None
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(data, dict) or version not in (1, VERSION) or not isinstance(data.get("violations"), list):
        raise UsageError(
            f"'{path}' is not an ml-lint baseline (version {VERSION}): rewrite it with `ml-lint check "
            f"--write-baseline {path}`"
        )
    try:
        if version == VERSION:
            return Baseline(Counter(str(e["fingerprint"]) for e in data["violations"]))
        legacy = Counter((e["rule"], e["path"], e["message"]) for e in data["violations"])
    except (TypeError, KeyError):
        raise UsageError(
            f"'{path}' has a malformed entry: rewrite it with `ml-lint check --write-baseline {path}`"
        ) from None
    note = (
        f"the baseline '{path}' is version 1, whose entries change when a cell is inserted or a message "
        f"changes: rewrite it with `ml-lint check --write-baseline {path}` (version {VERSION})"
    )
    return Baseline(legacy=legacy, note=note)


def subtract(violations: list[Violation], baseline: Baseline) -> tuple[list[Violation], int]:
    """The violations not in the baseline, and how many were hidden."""
    prints, legacy = Counter(baseline.fingerprints), Counter(baseline.legacy)
    new, hidden = [], 0
    for violation in violations:
        old = (violation.rule, violation.path, violation.message)
        if prints[violation.fingerprint] > 0:
            prints[violation.fingerprint] -= 1
            hidden += 1
        elif legacy[old] > 0:
            legacy[old] -= 1
            hidden += 1
        else:
            new.append(violation)
    return new, hidden
