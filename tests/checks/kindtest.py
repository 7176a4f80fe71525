"""Helpers for the per-kind tests (imported as `kindtest`): one small custom spec, the CLI, exact violations.

Each test of tests/checks/ writes a spec with the kind under test (rules T001,
T002, ...), runs `ml-lint check --spec SPEC --format json` on a real git
repository and compares the violations exactly. The spec lives outside the
repository, so it is never one of the files a check looks at.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml

RULE_ID = "T001"


@dataclass(frozen=True)
class V:
    """One violation as compared in these tests; `message` is a fragment of the real message."""

    rule: str
    path: str
    message: str = ""
    line: int | None = None
    column: int | None = None
    cell: int | None = None


@dataclass
class Outcome:
    code: int
    violations: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    out: str = ""
    err: str = ""

    def paths(self) -> list[tuple[str, str]]:
        """(rule, path) of every violation, in report order."""
        return [(v["rule"], v["path"]) for v in self.violations]

    def matches(self, expected: Sequence[V]) -> bool:
        return _mismatch(self.violations, expected) is None

    def assert_exactly(self, *expected: V) -> None:
        """The violations are exactly `expected` (in report order), each message holding its fragment."""
        problem = _mismatch(self.violations, expected)
        assert problem is None, f"{problem}\n{json.dumps(self.violations, indent=1)}\n{self.err}"


def _mismatch(found: list[dict[str, Any]], expected: Sequence[V]) -> str | None:
    if len(found) != len(expected):
        return f"expected {len(expected)} violation(s), got {len(found)}"
    for got, want in zip(found, expected, strict=True):
        if (got["rule"], got["path"]) != (want.rule, want.path):
            return f"expected {want.rule} at {want.path}, got {got['rule']} at {got['path']}"
        if want.message not in got["message"]:
            return f"{want.message!r} not in {got['message']!r}"
        if want.line is not None and got["line"] != want.line:
            return f"{want.path}: expected line {want.line}, got {got['line']}"
        if want.column is not None and got["column"] != want.column:
            return f"{want.path}: expected column {want.column}, got {got['column']}"
        if want.cell is not None and got.get("cell") != want.cell:
            return f"{want.path}: expected cell {want.cell}, got {got.get('cell')}"
    return None


def rule(check: dict[str, Any], *, id: str = RULE_ID, severity: str = "error") -> dict[str, Any]:
    """One rule of a test spec: the check under test."""
    return {
        "id": id,
        "name": f"rule-{id.lower()}",
        "severity": severity,
        "summary": f"The {check['kind']} check under test fails.",
        "check": check,
    }


def spec_text(*rules: dict[str, Any], placeholders: dict[str, Any] | None = None) -> str:
    document: dict[str, Any] = {"name": "kind-under-test", "rules": list(rules)}
    if placeholders:
        document["placeholders"] = placeholders
    return yaml.safe_dump(document, sort_keys=False)


Lint = Callable[..., Outcome]


def notebook(*cells: Any) -> Any:
    """A notebook of the given nbformat cells (strings are Markdown cells)."""
    made = [nbformat.v4.new_markdown_cell(c) if isinstance(c, str) else c for c in cells]
    return nbformat.v4.new_notebook(cells=made)


def code(source: str, count: int | None = None, *outputs: str) -> Any:
    """A code cell with an execution count and `outputs` as execute_result texts."""
    cell = nbformat.v4.new_code_cell(source, execution_count=count)
    cell.outputs = [
        nbformat.v4.new_output("execute_result", {"text/plain": text}, execution_count=count) for text in outputs
    ]
    return cell


def cell_lines(path: Path) -> list[int]:
    """The 1-based line of each cell's opening "{" in a notebook written by nbformat (indent 1)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, start=1) if line == "  {"]
