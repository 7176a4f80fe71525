"""Baselines: accept a legacy repository's current violations, fail on new ones.

A violation is identified by rule, path and message, never by line: edits
elsewhere in a file must not resurrect it. Identical violations (say, the
same marker on several lines of one file) are counted, so a baseline with two
hides two and a third one is new.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ml_lint.errors import UsageError
from ml_lint.repo.fs import atomic_write, read_file
from ml_lint.result import Violation

VERSION = 1

Key = tuple[str, str, str]


def _key(violation: Violation) -> Key:
    return (violation.rule, violation.path, violation.message)


def write_baseline(path: Path, violations: list[Violation]) -> None:
    entries = [{"rule": r, "path": p, "message": m} for r, p, m in sorted(map(_key, violations))]
    text = json.dumps({"version": VERSION, "violations": entries}, indent=2, ensure_ascii=False) + "\n"
    try:
        atomic_write(path, text.encode("utf-8", "surrogateescape"))
    except OSError as exc:
        raise UsageError(f"cannot write the baseline '{path}': {exc.strerror}") from None


def read_baseline(path: Path) -> Counter[Key]:
    try:
        data = json.loads(read_file(path, follow_symlinks=True).decode("utf-8", "surrogateescape"))
    except OSError as exc:
        raise UsageError(
            f"cannot read the baseline '{path}': {exc.strerror}. Create one with --write-baseline."
        ) from None
    except (ValueError, RecursionError):  # not JSON, or nested too deeply to read
        data = None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("violations"), list):
        raise UsageError(
            f"'{path}' is not an ml-lint baseline (version {VERSION}): regenerate it with --write-baseline {path}"
        )
    try:
        return Counter((e["rule"], e["path"], e["message"]) for e in data["violations"])
    except (TypeError, KeyError):
        raise UsageError(f"'{path}' has a malformed entry: regenerate it with --write-baseline {path}") from None


def subtract(violations: list[Violation], baseline: Counter[Key]) -> tuple[list[Violation], int]:
    """The violations not in the baseline, and how many were hidden."""
    remaining = Counter(baseline)
    new, hidden = [], 0
    for violation in violations:
        key = _key(violation)
        if remaining[key] > 0:
            remaining[key] -= 1
            hidden += 1
        else:
            new.append(violation)
    return new, hidden
