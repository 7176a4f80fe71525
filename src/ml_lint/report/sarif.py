"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple
from urllib.parse import quote

from ml_lint import __version__
from ml_lint.report.encoding import valid_utf8
from ml_lint.result import Result, RuleDoc, Severity, Violation, numbered

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/ml-lint/ml-lint"
FINGERPRINT_KEY = "mlLintViolation/v2"
# GitHub code scanning rejects a run with more results than this.
RESULT_LIMIT = 25_000


def artifact_uri(path: str) -> str:
    """A repo-relative path as an RFC 3986 relative reference.

    Everything but unreserved characters and "/" is percent-encoded (UTF-8),
    so a ":" in a first segment can never be read as a URI scheme.
    """
    return quote(path, safe="/", encoding="utf-8", errors="surrogateescape")


def render(result: Result) -> str:
    violations = sorted(result.violations, key=lambda v: v.sort_key())
    rules = _rules_for(result.rules, violations)
    index = {rule.id: i for i, rule in enumerate(rules)}
    prints = [f"{digest}:{count}" for digest, count in numbered(violations)]
    kept = _within_result_limit(violations)
    results = [_result(violations[i], index[violations[i].rule], prints[i]) for i in kept]
    notes = list(result.notes)
    if len(kept) < len(violations):
        notes.append(
            f"{len(violations) - len(kept)} of {len(violations)} violations left out: GitHub code "
            f"scanning accepts at most {RESULT_LIMIT} results per run (errors were kept first). "
            "Run `ml-lint check --format json` for all of them."
        )
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ml-lint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The root of the checked repository."}}},
                "invocations": [_invocation(notes)],
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _within_result_limit(violations: list[Violation]) -> list[int]:
    """Indices of the violations to report, in order: all of them, or errors first
    up to RESULT_LIMIT (GitHub rejects the whole upload beyond it)."""
    if len(violations) <= RESULT_LIMIT:
        return list(range(len(violations)))
    by_severity = sorted(range(len(violations)), key=lambda i: violations[i].severity is not Severity.ERROR)
    return sorted(by_severity[:RESULT_LIMIT])


def _invocation(notes: list[str]) -> dict:
    return {
        "executionSuccessful": True,
        "toolExecutionNotifications": [{"level": "note", "message": {"text": valid_utf8(note)}} for note in notes],
    }


class _Unlisted(NamedTuple):
    """A rule a violation names that the run did not list (e.g. a hand-made Result)."""

    id: str
    name: str
    severity: Severity
    summary: str = ""
    description: str = ""
    fixable: bool = False


def _rules_for(active: Sequence[RuleDoc], violations: list[Violation]) -> list[RuleDoc]:
    """The active rules, plus any rule a violation names that is not among them,
    so that every result's ruleIndex points at a descriptor."""
    rules = list(active)
    known = {rule.id for rule in rules}
    for violation in violations:
        if violation.rule not in known:
            known.add(violation.rule)
            rules.append(_Unlisted(violation.rule, violation.name, violation.severity))
    return rules


def _rule(rule: RuleDoc) -> dict[str, Any]:
    summary = rule.summary or rule.name
    description = rule.description.strip() or summary
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": description},
        "help": {"text": description},
        "defaultConfiguration": {"level": rule.severity.value},
        "properties": {"fixable": rule.fixable},
    }


def _result(violation: Violation, rule_index: int, fingerprint_value: str) -> dict:
    region = {"startLine": violation.line or 1}
    if violation.column is not None:
        region["startColumn"] = violation.column
    return {
        "ruleId": violation.rule,
        "ruleIndex": rule_index,
        "level": violation.severity.value,
        "message": {"text": valid_utf8(violation.message)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": artifact_uri(violation.path),
                        "uriBaseId": "%SRCROOT%",
                    },
                    "region": region,
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint_value},
    }
