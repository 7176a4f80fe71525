"""Every layout, data and naming rule against the case table in cases/layout-rules.yaml."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "layout-rules.yaml").read_text())
TABLE = [(rule, i, case) for rule, cases in CASES.items() for i, case in enumerate(cases)]


@pytest.mark.parametrize("rule, index, case", TABLE, ids=[f"{r}-{i}" for r, i, _ in TABLE])
def test_rule_case(template, cli, rule, index, case):
    for path in case.get("remove", []):
        target = template.root / path
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    for path in case.get("write", []):
        template.write(path, case.get("content", ""))
        if case.get("ignored") is False:
            template.git("add", "-f", path)  # force-added past .gitignore
    run = cli("check", "--format", "json", "--select", rule, cwd=template.root)
    found = json.loads(run.out)["violations"]
    assert sorted(v["path"] for v in found) == sorted(case["expect"]), run.out
    assert {v["rule"] for v in found} <= {rule}
    assert run.code == (1 if found and found[0]["severity"] == "error" else 0)


def test_every_rule_of_the_spec_has_passing_and_failing_cases():
    from ml_lint.spec.load import load_spec

    tabled = {
        rule for rule, cases in CASES.items() if any(c["expect"] for c in cases) and any(not c["expect"] for c in cases)
    }
    # ML3xx (notebooks) and ML5xx (git history) have their own test modules.
    layout = {r.id for r in load_spec().rules if r.id < "ML300" or "ML400" <= r.id < "ML500"}
    assert layout <= tabled


def test_naming_examples_in_the_spec_pass_and_fail_as_documented():
    """The spec's examples are user documentation: keep them true."""
    from ml_lint.patterns import explain_mismatch
    from ml_lint.spec.load import load_spec

    spec = load_spec()
    for rule in spec.rules:
        checks = [c for c in rule.check if c.kind == "naming" and "{" in "".join(c.patterns)]
        if rule.id in {"ML201", "ML202", "ML203", "ML103"}:
            [options] = checks
            patterns = [spec_pattern(spec, p) for p in options.patterns]
            for name in rule.examples.passing:
                assert explain_mismatch(name, patterns) is None, (rule.id, name)
            for name in rule.examples.failing:
                assert explain_mismatch(name, patterns), (rule.id, name)


def spec_pattern(spec, template):
    from ml_lint.patterns import NamePattern

    return NamePattern.compile(template, dict(spec.placeholders))


@pytest.mark.parametrize(
    "name, reason",
    [
        ("2024-13-01_jdoe_sales.ipynb", "date '2024-13-01' is not a valid date"),
        ("2024-05-01_JDoe_sales.ipynb", "expected {user_id}"),
        ("US12T3_2024-05-01_jdoe_sales_eda.ipynb", "unexpected '_eda.ipynb'"),
    ],
)
def test_message_says_which_part_is_wrong(template, cli, name, reason):
    template.write(f"research/develop/{name}")
    run = cli("check", "--format", "json", "--select", "ML201", cwd=template.root)
    [v] = json.loads(run.out)["violations"]
    assert reason in v["message"] and "{YYYY-MM-DD}_{user_id}_{short-description}" in v["message"]
