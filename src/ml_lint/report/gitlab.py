"""GitLab Code Quality report: the JSON array `artifacts:reports:codequality` reads.

Per violation: description, check_name (the rule id), fingerprint (the
violation's stable identity), severity (`major` for errors, `minor` for
warnings), location.path and location.lines.begin (1 when there is no line).
"""

from __future__ import annotations

import json

from ml_lint.report.encoding import valid_utf8
from ml_lint.result import Result, Severity, numbered

SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}


def render(result: Result) -> str:
    issues = []
    ordered = sorted(result.violations, key=lambda v: v.sort_key())
    for violation, (digest, count) in zip(ordered, numbered(ordered), strict=True):
        # GitLab needs unique fingerprints: identical violations are told apart by their order.
        issues.append(
            {
                "description": valid_utf8(f"{violation.rule} [{violation.name}] {violation.message}"),
                "check_name": violation.rule,
                "fingerprint": digest if count == 1 else f"{digest}-{count}",
                "severity": SEVERITY[violation.severity],
                "location": {"path": valid_utf8(violation.path), "lines": {"begin": violation.line or 1}},
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
