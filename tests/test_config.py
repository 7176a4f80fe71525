"""Project configuration through the CLI: .ml-lint.yaml, [tool.ml-lint], --config, errors."""

from __future__ import annotations

import json

import nbformat
import pytest

# A valid notebook with a title: only the rule under test has something to say.
NOTEBOOK = nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title")]))


def rules_reported(run) -> set[str]:
    return {v["rule"] for v in json.loads(run.out)["violations"]}


def check_json(cli, repo, *args):
    return cli("check", "--format", "json", *args, cwd=repo.root)


def reported(run) -> list[tuple[str, str, str]]:
    """(rule, severity, path) of every violation of a JSON run, in report order."""
    return [(v["rule"], v["severity"], v["path"]) for v in json.loads(run.out)["violations"]]


BAD_TEMPLATE = "research/templates/Bad.ipynb"
# Writing a notebook into research/templates makes its .gitkeep stale: a warning.
STALE_KEEP = ("ML003", "warning", "research/templates/.gitkeep")


@pytest.mark.parametrize("setting", ["off", "false", "'off'", "{severity: warning, patterns: ['{name}']}"])
def test_rule_turned_off_or_relaxed_by_id_or_name(template, cli, setting):
    template.write("research/templates/Model Training.ipynb", NOTEBOOK)
    run = check_json(cli, template)
    assert run.code == 1
    assert reported(run) == [STALE_KEEP, ("ML203", "error", "research/templates/Model Training.ipynb")]
    template.write(".ml-lint.yaml", f"rules:\n  template-name: {setting}\n")
    run = check_json(cli, template)
    assert run.code == 0, run.out
    assert "ML203" not in rules_reported(run)
    assert reported(run) == [STALE_KEEP]


def test_severity_override_makes_a_warning_fail(template, cli):
    template.write("data/scripts/load.py", "print(1)\n")
    template.write(".ml-lint.yaml", "rules:\n  ML003: {severity: error}\n")
    run = check_json(cli, template)
    assert run.code == 1
    [violation] = json.loads(run.out)["violations"]
    assert (violation["rule"], violation["severity"]) == ("ML003", "error")


def test_naming_pattern_and_placeholder_overrides(template, cli):
    template.write(".ml-lint.yaml", (
        "placeholders:\n"
        "  initials: {regex: '[a-z]{2,3}', description: two or three lowercase letters}\n"
        "rules:\n"
        "  ML201:\n"
        "    patterns: ['{initials}_{short-description}']\n"
    ))  # fmt: skip
    template.write("research/develop/jqp_sales-eda.ipynb", NOTEBOOK)
    template.write("research/develop/2024-05-01_jdoe_sales-eda.ipynb", NOTEBOOK)
    run = check_json(cli, template, "--select", "ML201")
    [violation] = json.loads(run.out)["violations"]
    assert violation["path"] == "research/develop/2024-05-01_jdoe_sales-eda.ipynb"
    assert "{initials}_{short-description}" in violation["message"]


def test_placeholder_override_changes_every_rule_using_it(template, cli):
    template.write(".ml-lint.yaml", "placeholders:\n  user_id: {regex: '[a-z]+\\.[a-z]+'}\n")
    template.write("research/develop/2024-05-01_john.doe_eda.ipynb", NOTEBOOK)
    run = check_json(cli, template, "--select", "ML201")
    assert run.code == 0, run.out + run.err
    assert run.out.count('"ML201"') == 0
    assert json.loads(run.out)["violations"] == []
    # Both of ML201's patterns use {user_id}: the override applies to each, and
    # the old form of a user id no longer passes either of them.
    template.write("research/develop/US12T3_2024-05-01_john.doe_model.ipynb", NOTEBOOK)
    template.write("research/develop/2024-05-01_jdoe_eda.ipynb", NOTEBOOK)
    template.write("research/develop/US12T3_2024-05-01_jdoe_model.ipynb", NOTEBOOK)
    run = check_json(cli, template)
    assert run.code == 1, run.out + run.err
    assert reported(run) == [
        ("ML003", "warning", "research/develop/.gitkeep"),
        ("ML201", "error", "research/develop/2024-05-01_jdoe_eda.ipynb"),
        ("ML201", "error", "research/develop/US12T3_2024-05-01_jdoe_model.ipynb"),
    ]
    assert all("expected {user_id}" in v["message"] for v in json.loads(run.out)["violations"][1:]), run.out


def test_folder_option_override(template, cli):
    template.write(".ml-lint.yaml", "rules:\n  ML101:\n    paths: ['data/raw/**', '!data/raw/.gitkeep']\n")
    template.write("data/processed/x_y_z_v1.csv", "a\n")
    template.git("add", "-f", "data/processed/x_y_z_v1.csv")
    run = check_json(cli, template)
    assert "ML101" not in rules_reported(run)
    assert run.code == 0 and reported(run) == [("ML003", "warning", "data/processed/.gitkeep")], run.out
    template.write("data/raw/a_b_c_v1.csv", "a\n")
    template.git("add", "-f", "data/raw/a_b_c_v1.csv")
    run = check_json(cli, template)  # the overridden paths still forbid data/raw
    # ...so data/raw/.gitkeep is not stale: a file ML101 says must go does not count (contract §4 ML003).
    assert run.code == 1 and reported(run) == [
        ("ML003", "warning", "data/processed/.gitkeep"),
        ("ML101", "error", "data/raw/a_b_c_v1.csv"),
    ], run.out


def test_exclude_means_not_checked_at_all(template, cli):
    template.write("research/develop/legacy/Untitled.ipynb", "not json")
    template.write("data/scripts/load.py", "print(1)\n")  # data/scripts/.gitkeep would be stale
    template.write(".ml-lint.yaml", "exclude:\n  - research/develop/legacy/\n  - data/scripts/*.py\n")
    run = check_json(cli, template)
    assert json.loads(run.out)["violations"] == [], run.out
    assert run.code == 0


def test_per_path_ignores(template, cli):
    template.write("research/develop/old/Untitled.ipynb", NOTEBOOK)
    template.write("research/templates/Bad Name.ipynb", NOTEBOOK)
    template.write(
        ".ml-lint.yaml", "per-path-ignores:\n  'research/develop/old/': [ML201]\n  '*.ipynb': [template-name]\n"
    )
    assert rules_reported(check_json(cli, template, "--ignore", "ML003")) == set()
    template.write(".ml-lint.yaml", "per-path-ignores:\n  'research/develop/old/': [ML203]\n")
    assert rules_reported(check_json(cli, template, "--ignore", "ML003")) == {"ML201", "ML203"}


def test_select_turns_a_disabled_rule_back_on(template, cli):
    template.write("research/templates/Bad.ipynb", NOTEBOOK)
    template.write(".ml-lint.yaml", "rules: {ML203: off}\n")
    run = check_json(cli, template)
    assert run.code == 0
    assert reported(run) == [STALE_KEEP]
    run = check_json(cli, template, "--select", "ML203")
    assert run.code == 1
    assert reported(run) == [("ML203", "error", BAD_TEMPLATE)]


def test_pyproject_tool_table(template, cli):
    template.write("research/templates/Bad.ipynb", NOTEBOOK)
    template.write("data/scripts/load.py", "print(1)\n")
    template.write("pyproject.toml", (
        '[project]\nname = "x"\n\n'
        '[tool.ml-lint]\nexclude = ["data/scripts/"]\n\n'
        '[tool.ml-lint.rules]\nML203 = false\n'
    ))  # fmt: skip
    run = check_json(cli, template)
    assert run.code == 0
    assert reported(run) == [STALE_KEEP]  # data/scripts/ is excluded: its stale .gitkeep is not reported
    template.write("pyproject.toml", '[tool.ml-lint.rules]\ntemplate-name = "off"\n')
    run = check_json(cli, template)
    assert "ML203" not in rules_reported(run)
    assert reported(run) == [("ML003", "warning", "data/scripts/.gitkeep"), STALE_KEEP]


def test_yaml_config_wins_over_pyproject(template, cli):
    template.write("research/templates/Bad.ipynb", NOTEBOOK)
    template.write("pyproject.toml", "[tool.ml-lint.rules]\nML203 = false\n")
    template.write(".ml-lint.yaml", "rules: {ML203: {severity: error}}\n")
    run = check_json(cli, template)
    assert run.code == 1
    assert reported(run) == [STALE_KEEP, ("ML203", "error", BAD_TEMPLATE)]


def test_config_option_overrides_discovery(template, cli, tmp_path):
    template.write("research/templates/Bad.ipynb", NOTEBOOK)
    template.write(".ml-lint.yaml", "rules: {ML203: {severity: error}}\n")
    other = tmp_path / "relaxed.yaml"
    other.write_text("rules: {ML203: off}\n")
    run = check_json(cli, template, "--config", str(other))
    assert run.code == 0
    assert reported(run) == [STALE_KEEP]


def test_extends_a_spec_file_relative_to_the_config(template, cli):
    template.write("specs/mine.yaml", (
        "name: mine\nextends: ml-project\n"
        "rules:\n"
        "  - id: X001\n    name: notes-file\n    severity: error\n    summary: NOTES.md is required.\n"
        "    check: {kind: required-paths, paths: [NOTES.md]}\n"
    ))  # fmt: skip
    template.write(".ml-lint.yaml", "extends: specs/mine.yaml\n")
    template.write("research/templates/Bad.ipynb", NOTEBOOK)
    assert rules_reported(check_json(cli, template, "--ignore", "ML003")) == {"X001", "ML203"}


def test_spec_option_replaces_extends(template, cli):
    template.write(".ml-lint.yaml", "extends: no-such-spec.yaml\n")
    template.write("mine.yaml", (
        "name: mine\nrules:\n  - id: X001\n    name: notes-file\n    severity: error\n"
        "    summary: NOTES.md is required.\n    check: {kind: required-paths, paths: [NOTES.md]}\n"
    ))  # fmt: skip
    assert rules_reported(check_json(cli, template, "--spec", "mine.yaml")) == {"X001"}


@pytest.mark.parametrize(
    ("config", "line", "expected"),
    [
        (
            "rulez: {}\n",
            2,
            "unknown key 'rulez'; allowed keys: exclude, extends, per-path-ignores, placeholders, rules",
        ),
        (
            "rules:\n  ML999: off\n",
            3,
            "at 'rules.ML999': unknown rule 'ML999' in spec 'ml-project'; known rules: ML001",
        ),
        ("rules:\n  ML003: maybe\n", 3, "Input should be False, True, 'off' or 'on' (got 'maybe')"),
        (
            "rules:\n  ML003:\n    severity: fatal\n",
            4,
            "at 'rules.ML003.severity': Input should be 'error' or 'warning'",
        ),
        (
            "rules:\n  ML201:\n    folder: [x]\n",
            4,
            "unknown key 'folder' for rule ML201; allowed keys: artefacts, check, entries, extensions, folders",
        ),
        (
            "rules:\n  ML201:\n    patterns: ['{who}_x']\n",
            4,
            "unknown placeholder {who} in '{who}_x'; known placeholders: {US_id}",
        ),
        (
            "rules:\n  ML401:\n    patterns: [x]\n",
            4,
            "ML401 has 2 checks with 'patterns': replace them all with 'check:'",
        ),
        ("rules:\n  ML201:\n    entries: some\n", 4, "Input should be 'all', 'files' or 'folders'"),
        ("rules:\n  ML201:\n    placeholders: {}\n", 4, "set them under the top-level 'placeholders:' key"),
        (
            "placeholders:\n  user_id:\n    regex: '('\n",
            4,
            "at 'placeholders.user_id.regex': invalid regular expression",
        ),
        ("per-path-ignores:\n  'a/':\n    - ML1\n", 4, "at 'per-path-ignores.a/.0': unknown rule 'ML1'"),
        ("extends: nope.yaml\n", 2, "at 'extends': no such spec file, built-in spec (built-in: ml-project) or"),
        ("rules: [ML001]\n", 2, "at 'rules': Input should be a valid dictionary"),
        ("rules: {ML001: off\n", 3, "not valid YAML"),
    ],
)
def test_config_errors_name_file_line_key_and_allowed_values(template, cli, config, line, expected):
    template.write(".ml-lint.yaml", "# project config\n" + config)
    run = cli("check", cwd=template.root)
    assert run.code == 2
    assert run.err.startswith(f"ml-lint: error: .ml-lint.yaml:{line}: invalid configuration"), run.err
    assert expected in run.err
    assert "Traceback" not in run.err


def test_replacing_checks_is_validated_against_the_config(template, cli):
    template.write(
        ".ml-lint.yaml",
        "rules:\n  ML201:\n    check:\n      - kind: naming\n        folders: [x]\n        patterns: ['{nope}']\n",
    )
    run = cli("check", cwd=template.root)
    assert run.code == 2
    assert (
        ".ml-lint.yaml:6: invalid configuration at 'rules.ML201.check.0.patterns': unknown placeholder {nope}"
        in run.err
    )


@pytest.mark.parametrize(
    ("toml", "line", "expected"),
    [
        ('[tool.ml-lint]\nextends = "ml-project"\n\n[tool.ml-lint.rules]\nML999 = false\n', 5, "unknown rule 'ML999'"),
        ('[tool.ml-lint]\nexclude = "data/"\n', 2, "at 'exclude': Input should be a valid list"),
        ('[tool.ml-lint.rules]\nML203 = "of"\n', 2, "Input should be False, True, 'off' or 'on' (got 'of')"),
        ('[tool.ml-lint]\nrules = {ML203 = {severity = "loud"}}\n', 2, "'rules.ML203.severity'"),
        ("[tool.ml-lint]\nexclude = [1,,2]\nrules = {}\n", 2, "not valid TOML"),
    ],
)
def test_toml_errors_name_line_and_key_path(template, cli, toml, line, expected):
    template.write("pyproject.toml", '[project]\nname = "x"\n\n' + toml)
    run = cli("check", cwd=template.root)
    assert run.code == 2
    assert f"pyproject.toml:{line + 3}: " in run.err, run.err
    assert expected in run.err


def test_spec_extends_cycle_is_an_error(template, cli):
    template.write("a.yaml", "name: a\nextends: b.yaml\n")
    template.write("b.yaml", "name: b\nextends: a.yaml\n")
    run = cli("check", "--spec", "a.yaml", cwd=template.root)
    assert run.code == 2
    assert "b.yaml:2: invalid configuration at 'extends': 'a.yaml' extends this file again: a cycle" in run.err


def test_spec_extends_chain_overrides_rules_and_placeholders(template, cli):
    template.write("base.yaml", (
        "name: base\nextends: ml-project\n"
        "placeholders:\n  user_id: {regex: '[a-z]{2,3}'}\n"
    ))  # fmt: skip
    template.write("team.yaml", (
        "name: team\nextends: base.yaml\nrules:\n"
        "  - id: ML203\n    name: template-name\n    severity: warning\n    summary: relaxed\n"
        "    check: {kind: naming, folders: [research/templates], patterns: ['{name}']}\n"
    ))  # fmt: skip
    template.write("research/develop/2024-05-01_jdoe_eda.ipynb", NOTEBOOK)  # user id too long now
    template.write("research/develop/2024-05-01_jqp_eda.ipynb", NOTEBOOK)
    template.write("research/templates/Any Name.ipynb", NOTEBOOK)
    run = check_json(cli, template, "--spec", "team.yaml", "--ignore", "ML003")
    paths = {v["path"] for v in json.loads(run.out)["violations"]}
    assert paths == {"research/develop/2024-05-01_jdoe_eda.ipynb"}


def test_unknown_placeholder_in_an_extending_spec_is_located(template, cli):
    template.write("mine.yaml", (
        "name: mine\nextends: ml-project\nrules:\n"
        "  - id: X001\n    name: x\n    severity: error\n    summary: s\n"
        "    check:\n      kind: naming\n      folders: [a]\n      patterns: ['{user_id}-{nope}']\n"
    ))  # fmt: skip
    run = cli("check", "--spec", "mine.yaml", cwd=template.root)
    assert run.code == 2
    assert "mine.yaml:11: invalid spec at 'rules.0.check.0.patterns': unknown placeholder {nope}" in run.err


def test_contract_example_ml304_off(template, cli):
    cells = [nbformat.v4.new_markdown_cell("# Churn")]
    for count in (2, 1):
        cell = nbformat.v4.new_code_cell("x = 1", execution_count=count)
        cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=count)]
        cells.append(cell)
    template.notebook("research/deliver/2024-05-01_churn-model.ipynb", nbformat.v4.new_notebook(cells=cells))
    run = check_json(cli, template)
    deliver = "research/deliver/2024-05-01_churn-model.ipynb"
    # A deliver notebook arriving with a warning: an error, it cannot be fixed once committed (contract §4).
    assert run.code == 1 and reported(run) == [("ML304", "error", deliver)], run.out
    assert json.loads(run.out)["violations"][0]["message"].endswith(
        " — research/deliver files cannot be fixed after they are committed"
    )
    template.commit("deliver")
    run = check_json(cli, template)  # once committed, ML304 is the warning the spec says
    assert run.code == 0 and reported(run) == [("ML304", "warning", deliver)], run.out
    template.write(".ml-lint.yaml", "rules:\n  ML304: off\n")
    run = check_json(cli, template)
    assert "ML304" not in rules_reported(run)
    assert run.code == 0 and reported(run) == [], run.out


@pytest.mark.parametrize(
    "config, key",
    [
        ("exclude:\n  - ok/\n  - 'a\\'\n", "exclude"),
        ("per-path-ignores:\n  '!': [ML201]\n", "per-path-ignores.!"),
        ("rules:\n  ML101: {paths: ['data/raw/**', '!']}\n", "rules.ML101.paths"),
    ],
)
def test_a_pattern_git_would_refuse_is_a_config_error(template, cli, config, key):
    template.write(".ml-lint.yaml", config)
    run = cli("check", cwd=template.root)
    assert run.code == 2
    assert f"at '{key}'" in run.err and "not a gitignore pattern" in run.err, run.err
    assert "internal error" not in run.err
