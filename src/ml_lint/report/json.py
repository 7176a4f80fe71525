"""Machine output: a versioned JSON document."""

from __future__ import annotations

import json

from ml_lint.result import Result


def render(result: Result) -> str:
    document = {
        "version": 1,
        "violations": [v.to_dict() for v in sorted(result.violations, key=lambda v: v.sort_key())],
        "summary": {
            "errors": result.errors,
            "warnings": result.warnings,
            "baselined": result.baselined,
            "fixed": list(result.fixed),
            "notes": list(result.notes),
        },
    }
    # ASCII escapes keep the document writable on any console, even for
    # file names that are not valid UTF-8 (surrogate-escaped by the engine).
    return json.dumps(document, indent=2) + "\n"
