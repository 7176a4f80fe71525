"""README promises that must not drift: quick start, CI command, examples, rule table."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ml_lint.spec.config import load_project
from ml_lint.spec.docs import rules_table
from ml_lint.spec.load import load_spec, validate_spec
from ml_lint.spec.yamlfile import parse_yaml

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
    assert table == rules_table(load_spec()), "README.md's rule table is stale: run scripts/regen-docs"


def test_spec_and_config_examples_in_readme_are_valid(tmp_path):
    blocks = re.findall(r"```yaml\n(.*?)```", README, re.S)
    specs = [b for b in blocks if b.startswith("name:")]
    configs = [b for b in blocks if b.startswith("extends:")]
    assert specs and configs
    for block in specs:
        spec = validate_spec(parse_yaml(block, "README.md"))
        assert spec.rules and yaml.safe_load(block)["name"] == spec.name
    for block in configs:
        (tmp_path / ".ml-lint.yaml").write_text(block)
        project = load_project(tmp_path)
        assert project.spec.rule("develop-name").check[0].patterns == ("{YYYY-MM-DD}_{user_id}_{short-description}",)
