"""Which config file is read: .ml-lint.yml, TOML tables, and files that configure nothing."""

from __future__ import annotations

from nbformat.v4 import new_notebook

BAD_NAME = "research/develop/Untitled.ipynb"


def test_ml_lint_yml_is_read(template, cli):
    template.notebook(BAD_NAME, new_notebook())
    template.write(".ml-lint.yml", "rules:\n  ML201: off\n  ML003: off\n")
    run = cli("check", cwd=template.root)
    assert run.code == 0, run.out


def test_both_yaml_and_yml_is_exit_2(template, cli):
    template.write(".ml-lint.yaml", "rules: {}\n")
    template.write(".ml-lint.yml", "rules: {}\n")
    run = cli("check", cwd=template.root)
    assert run.code == 2
    assert "both .ml-lint.yaml and .ml-lint.yml exist" in run.err and "merge them into one" in run.err


def test_config_toml_reads_its_tool_ml_lint_table(template, cli, tmp_path):
    template.notebook(BAD_NAME, new_notebook())
    config = tmp_path / "team.toml"
    config.write_text('[tool.ml-lint]\nextends = "ml-project"\n[tool.ml-lint.rules]\nML201 = "off"\nML003 = false\n')
    run = cli("check", "--config", str(config), cwd=template.root)
    assert run.code == 0, run.out + run.err


def test_tool_table_with_an_ml_lint_key_is_the_same_table(template, cli):
    template.notebook(BAD_NAME, new_notebook())
    template.write("pyproject.toml", '[tool]\nml-lint = { rules = { ML201 = "off", ML003 = "off" } }\n')
    run = cli("check", cwd=template.root)
    assert run.code == 0, run.out + run.err
    assert "  .ml-lint.yaml" not in cli("check", "--show-settings", cwd=template.root).out
    assert "  pyproject.toml" in cli("check", "--show-settings", cwd=template.root).out


def test_config_pyproject_without_an_ml_lint_table_is_exit_2(template, cli):
    template.write("pyproject.toml", '[project]\nname = "churn"\n')
    run = cli("check", "--config", "pyproject.toml", cwd=template.root)
    assert run.code == 2
    assert "pyproject.toml: invalid configuration: it has no [tool.ml-lint] table" in run.err


def test_pyproject_without_a_table_is_not_a_config_when_found(template, cli):
    template.write("pyproject.toml", '[project]\nname = "churn"\n')
    assert cli("check", cwd=template.root).code == 0


def test_explain_shows_the_rule_as_the_config_sets_it(template, cli):
    template.write(
        ".ml-lint.yaml",
        "rules:\n  ML304: off\n  develop-name:\n    patterns: ['{user_id}_{short-description}']\n",
    )
    off = cli("explain", "ML304", cwd=template.root)
    assert off.code == 0
    assert (
        off.out.splitlines()[0] == "ML304 execution-order (severity: off in .ml-lint.yaml; the spec's default: warning)"
    )
    run = cli("explain", "develop-name", cwd=template.root)
    assert run.out.splitlines()[0] == "ML201 develop-name (severity: error)"
    assert "The spec's default: An entry of research/develop" in run.out
    assert "pass: " not in run.out  # the spec's examples are for its default patterns
    assert "Check options, as .ml-lint.yaml sets them:" in run.out
    assert "  - '{user_id}_{short-description}'" in run.out
    assert "{US_id}{task_id}" not in run.out.split("Check options")[1]


def test_help_readme_and_behaviour_agree_on_the_default_path(template, cli):
    from pathlib import Path

    template.notebook(BAD_NAME, new_notebook())
    sub = template.root / "configs"
    whole = cli("check", cwd=sub)
    here = cli("check", ".", cwd=sub)
    assert BAD_NAME in whole.out  # no PATH: the whole repository
    assert BAD_NAME not in here.out  # `.`: only the files below the current folder
    help_text = cli("check", "--help", cwd=template.root).out
    assert "default: the whole repository that contains the current folder" in " ".join(help_text.split())
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    assert "no PATH: the whole repository around the current folder" in readme
