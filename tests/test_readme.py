"""README promises that must not drift: quick start, CI command, examples, rule table."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ml_lint.docs import rules_table
from ml_lint.spec import load_spec, validate_spec
from ml_lint.yamlfile import parse_yaml

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_ci_runs_exactly_the_readme_test_command():
    first_block = re.search(r"```bash\n(.*?)```", README, re.S).group(1).splitlines()
    install_and_check, tests = first_block
    assert "ml-lint check" in install_and_check
    ci = (ROOT / ".ci" / "run").read_text()
    assert tests in ci.splitlines()


def test_rule_table_matches_the_spec():
    table = README.split("<!-- rules:start -->\n")[1].split("<!-- rules:end -->")[0]
    assert table == rules_table(load_spec())


def test_spec_examples_in_readme_are_valid_specs(tmp_path):
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", README, re.S) if "rules:" in b and "name:" in b]
    assert blocks
    for block in blocks:
        spec = validate_spec(parse_yaml(block, "README.md"))
        assert spec.rules and yaml.safe_load(block)["name"] == spec.name
