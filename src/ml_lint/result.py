"""The values that cross from checks to reporters."""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Sequence
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
