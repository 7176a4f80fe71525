"""The `lint` fixture of the per-kind tests (helpers in kindtest.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from kindtest import Lint, Outcome, rule, spec_text


@pytest.fixture
def lint(cli: Any, tmp_path: Path) -> Lint:
    """`lint(repo, check_or_rules, *args)`: run ml-lint with a spec of that check (or those rules)."""
    counter = iter(range(1000))

    def run(
        repo: Any,
        checks: dict[str, Any] | list[dict[str, Any]],
        *args: str,
        placeholders: dict[str, Any] | None = None,
        expect_code: int | None = None,
    ) -> Outcome:
        rules = [rule(checks)] if isinstance(checks, dict) else checks
        spec = tmp_path / f"spec-{next(counter)}.yaml"
        spec.write_text(spec_text(*rules, placeholders=placeholders), encoding="utf-8")
        result = cli("check", "--spec", str(spec), "--format", "json", "--no-cache", *args, cwd=repo.root)
        assert result.code in (0, 1), f"tool failure {result.code}: {result.err}"
        document = json.loads(result.out)
        outcome = Outcome(
            result.code,
            document["violations"],
            document["summary"]["notes"],
            document["summary"]["fixed"],
            result.out,
            result.err,
        )
        if expect_code is not None:
            assert outcome.code == expect_code, (outcome.code, result.out, result.err)
        return outcome

    return run
