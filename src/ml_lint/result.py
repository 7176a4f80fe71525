"""The values that cross from checks to reporters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """What a check yields: where and what. The engine stamps the rule on it."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    cell: int | None = None
    # What is wrong, for the violation's fingerprint: the message by default. A
    # check sets it when the message holds what must not count (a cell number,
    # a list of authors): the cell's content hash, the marker, the missing path.
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str
    name: str
    severity: Severity
    path: str
    message: str
    line: int | None = None
    column: int | None = None
    cell: int | None = None
    key: str = ""  # what is wrong (the finding's key, else its message); "" means the message
    fixable: bool = False  # --fix can repair it

    @property
    def fingerprint(self) -> str:
        """The violation's stable identity: rule, path and what is wrong — never a
        line, a cell position or another violation."""
        return fingerprint(self.rule, self.path, self.key or self.message)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line or 0, self.column or 0, self.rule, self.message)

    def to_dict(self) -> dict[str, Any]:
        data = {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }
        if self.cell is not None:
            data["cell"] = self.cell
        return data


def fingerprint(rule: str, path: str, what: str) -> str:
    import hashlib

    text = "\0".join((rule, path, what)).encode("utf-8", "surrogatepass")
    return hashlib.sha256(text).hexdigest()[:32]


class RuleDoc(Protocol):
    """What a reporter needs to know about a rule (SARIF rules array, titles)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def summary(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def fixable(self) -> bool: ...


@dataclass
class Result:
    """Everything one `check` run produced, handed to a reporter."""

    violations: list[Violation]
    rules: Sequence[RuleDoc]
    notes: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    baselined: int = 0
    strict: bool = False
    # `--fix --diff`: what the fixes would write, by path (None: delete); nothing was written.
    planned: dict[str, tuple[bytes, bytes | None]] = field(default_factory=dict)

    def fails(self, violation: Violation) -> bool:
        return violation.severity is Severity.ERROR or self.strict

    @property
    def errors(self) -> int:
        return sum(v.severity is Severity.ERROR for v in self.violations)

    @property
    def warnings(self) -> int:
        return sum(v.severity is Severity.WARNING for v in self.violations)

    @property
    def exit_code(self) -> int:
        return 1 if any(self.fails(v) for v in self.violations) else 0


def numbered(violations: list[Violation]) -> list[tuple[str, int]]:
    """(fingerprint, occurrence) of each violation: identical violations (same rule,
    path, what is wrong) are told apart by their order, as GitHub does for its line hashes."""
    seen: dict[str, int] = {}
    found = []
    for violation in violations:
        digest = violation.fingerprint
        seen[digest] = seen.get(digest, 0) + 1
        found.append((digest, seen[digest]))
    return found
