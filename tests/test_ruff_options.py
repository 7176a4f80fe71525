"""What ruff users reach for: --exit-zero, --statistics, --select prefixes, "did you mean", fixable counts."""

from __future__ import annotations

import json

from nbformat.v4 import new_notebook


def messy(template):
    """Two ML201 errors, one ML002 warning, one fixable ML003 warning."""
    template.write("README.md", "# Churn\n#TODO: Overview\n")
    template.notebook("research/develop/Untitled.ipynb", new_notebook())
    template.notebook("research/develop/scratch.ipynb", new_notebook())
    return template


def test_exit_zero_passes_with_failing_violations(template, cli):
    messy(template)
    run = cli("check", "--exit-zero", cwd=template.root)
    assert run.code == 0
    assert "ML201 [develop-name]" in run.out


def test_exit_zero_keeps_exit_2_for_tool_failures(template, cli):
    run = cli("check", "--exit-zero", "--select", "ML999", cwd=template.root)
    assert run.code == 2


def test_statistics_counts_per_rule_most_frequent_first(template, cli):
    messy(template)
    run = cli("check", "--statistics", cwd=template.root)
    assert run.code == 1
    assert run.out.splitlines() == [
        "2  ML201  develop-name",
        "1  ML002  template-placeholder",
        "1  ML003  stale-gitkeep",
    ]


def test_select_takes_an_id_prefix(template, cli):
    messy(template)
    run = cli("check", "--select", "ML2", "--format", "json", cwd=template.root)
    assert {v["rule"] for v in json.loads(run.out)["violations"]} == {"ML201"}
    run = cli("check", "--ignore", "ML2,ML0", "--format", "json", cwd=template.root)
    assert json.loads(run.out)["violations"] == []


def test_unknown_rule_suggests_the_closest_name(template, cli):
    run = cli("check", "--select", "develop_name", cwd=template.root)
    assert run.code == 2
    assert "--select: unknown rule 'develop_name'. Did you mean 'develop-name'?" in run.err


def test_summary_says_how_many_fix_can_repair(template, cli):
    messy(template)
    run = cli("check", cwd=template.root)
    assert "Found 4 violations (2 errors, 2 warnings); 1 fixable with --fix." in run.out


def test_template_outputs_message_names_the_fix(template, cli):
    from nbformat.v4 import new_code_cell, new_markdown_cell

    nb = new_notebook(cells=[new_markdown_cell("# T"), new_code_cell("x", execution_count=1)])
    template.notebook("research/templates/model-training.ipynb", nb)
    run = cli("check", "--select", "ML302", cwd=template.root)
    assert (
        "ML302 [template-outputs] cell 2 has an execution count: clear it with `ml-lint check --fix` before committing"
        in run.out
    )
    assert "1 fixable with --fix." in run.out
