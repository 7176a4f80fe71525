"""`ml-lint new FOLDER DESCRIPTION`: the created name passes the folder's naming rule."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from ml_lint.checks import naming
from ml_lint.spec.config import load_project

TODAY = date.today().isoformat()


def _naming_folders(root: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """(rule id, folder, patterns) of every naming check, `*` replaced by an existing folder."""
    found = []
    for rule in load_project(root).ruleset.rules:
        for options in rule.check:
            if isinstance(options, naming.Options):
                for folder in options.folders:
                    found.append((rule.id, folder.replace("*", "training"), options.patterns))
    return found


def _violations(cli, root: Path, rule: str) -> list[str]:
    run = cli("check", "--format", "json", "--select", rule, cwd=root)
    return [v["path"] for v in json.loads(run.out)["violations"]]


def test_every_naming_rule_of_the_built_in_spec(template, cli):
    import re

    created = 0
    examples = {name: p.example for name, p in load_project(template.root).ruleset.placeholders.items()}
    for rule, folder, patterns in _naming_folders(template.root):
        # The description fills the last free placeholder: for datasets that is the version.
        description = "V2" if patterns[0].endswith("{version}") else "My Thing 2"
        run = cli("new", folder, description, cwd=template.root)
        if run.code == 2 and "give --set" in run.err:  # the exit names what to set: set it
            sets = [f"--set={n}={examples[n]}" for n in re.findall(r"--set (\w+)=VALUE", run.err)]
            run = cli("new", folder, description, *sets, cwd=template.root)
        if all("{" not in p for p in patterns):  # fixed names only: nothing to describe
            assert run.code == 2 and "none has a placeholder for the description" in run.err
            continue
        assert run.code == 0, (folder, run.err)
        path = run.out.strip()
        assert path.startswith(folder + "/") and description.lower().replace(" ", "-") in path
        assert _violations(cli, template.root, rule) == [], (rule, path)
        created += 1
    assert created == 10  # every naming folder with a placeholder (production/jobs: fixed category names)


def test_a_custom_spec(repo, cli):
    repo.write(
        "spec.yaml",
        "name: custom\nplaceholders:\n  who: {regex: '[a-z]+', fill: git-user}\n"
        "  team: {regex: '[a-z]+', default: core}\n  day: {regex: '[0-9]{8}', date: '%Y%m%d'}\n"
        "  what: {regex: '[a-z0-9]+(?:-[a-z0-9]+)*'}\n"
        "rules:\n  - id: C001\n    name: docs-name\n    severity: error\n    summary: s\n"
        "    check: {kind: naming, folders: [docs], patterns: ['{team}.{day}.{who}.{what}']}\n",
    )
    repo.write(".ml-lint.yaml", "extends: spec.yaml\n")
    run = cli("new", "docs", "Release Notes!", "--from", "spec.yaml", cwd=repo.root)
    assert run.code == 0, run.err
    assert run.out == f"docs/core.{date.today():%Y%m%d}.test.release-notes.yaml\n"  # git user test@example.com
    assert _violations(cli, repo.root, "C001") == []
    repo.write(".ml-lint.yaml", "extends: spec.yaml\nplaceholders:\n  team: {regex: '[a-z]+', default: data}\n")
    assert cli("new", "docs", "x", cwd=repo.root).out.startswith("docs/data.")


def test_a_new_notebook_has_a_title_and_is_never_overwritten(template, cli):
    run = cli("new", "research/develop", "Sales EDA", cwd=template.root)
    assert run.out == f"research/develop/{TODAY}_test_sales-eda.ipynb\n"
    nb = nbformat.read(str(template.root / run.out.strip()), as_version=4)
    assert nb.nbformat == 4 and nb.cells[0].cell_type == "markdown" and nb.cells[0].source == "# Sales EDA"
    again = cli("new", "research/develop", "sales eda", cwd=template.root)
    assert again.code == 2 and "already exists: ml-lint new never overwrites" in again.err


def test_placeholders_from_set_and_missing_ones(template, cli):
    run = cli("new", "research/develop", "x", "--set", "US_id=US12", "--set", "task_id=T3", cwd=template.root)
    assert run.out == f"research/develop/US12T3_{TODAY}_test_x.ipynb\n"
    run = cli("new", "research/develop", "y", "--set", "user_id=Bad Id", cwd=template.root)
    assert run.code == 2 and "--set user_id=Bad Id: not lowercase ASCII letters" in run.err
    run = cli("new", "research", "y", cwd=template.root)
    assert run.code == 2 and "no naming rule governs 'research'" in run.err


def test_git_user_missing_names_the_set(template, cli, monkeypatch, tmp_path):
    config = tmp_path / "empty.gitconfig"
    config.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    run = cli("new", "research/develop", "x", cwd=template.root)
    assert run.code == 2 and "give --set user_id=VALUE" in run.err


def _executed() -> nbformat.NotebookNode:
    cell = new_code_cell("print(1)", execution_count=1, outputs=[new_output("stream", name="stdout", text="1\n")])
    return new_notebook(cells=[new_markdown_cell("# Churn"), cell])


@pytest.mark.parametrize(
    ("source", "folder", "stripped"),
    [
        ("research/deliver/2024-05-01_churn.ipynb", "research/develop", True),  # re-run a deliverable
        ("research/develop/2024-05-01_jdoe_churn.ipynb", "research/deliver", False),  # deliver a result
        ("research/develop/2024-05-01_jdoe_churn.ipynb", "research/templates", True),  # templates have no outputs
        ("research/develop/2024-05-01_jdoe_churn.ipynb", "research/develop", False),
    ],
)
def test_from_keeps_or_strips_outputs_by_the_rules(template, cli, source, folder, stripped):
    template.notebook(source, _executed())
    run = cli("new", folder, "churn again", "--from", source, cwd=template.root)
    assert run.code == 0, run.err
    nb = nbformat.read(str(template.root / run.out.strip()), as_version=4)
    assert (nb.cells[1].outputs == [] and nb.cells[1].execution_count is None) is stripped


def test_new_in_a_monorepo_creates_inside_the_right_project(repo, cli):
    from tests.test_monorepo import _project

    _project(repo, "projects/churn")
    _project(
        repo, "projects/fraud", "extends: ml-project\nplaceholders:\n  user_id: {regex: '[a-z]+', default: team}\n"
    )
    run = cli("new", "research/develop", "x", cwd=repo.root / "projects/fraud")
    assert run.out == f"research/develop/{TODAY}_team_x.ipynb\n"
    run = cli("new", "projects/churn/research/develop", "x", cwd=repo.root)
    assert run.out == f"projects/churn/research/develop/{TODAY}_test_x.ipynb\n"


def test_git_is_asked_for_the_user_only_when_a_placeholder_needs_it(template, cli, monkeypatch):
    from ml_lint.repo import git

    asked = []
    real = git.run_git
    monkeypatch.setattr(git, "run_git", lambda args, *a, **k: asked.append(args) or real(args, *a, **k))
    run = cli("new", "research/develop", "x", "--set", "user_id=jdoe", cwd=template.root)
    assert run.code == 0, run.err
    assert not [args for args in asked if args[0] == "config"]


def test_a_new_folder_is_kept_by_the_spec_s_keep_file(repo, cli):
    repo.write(
        "spec.yaml",
        "name: custom\nplaceholders:\n  what: {regex: '[a-z0-9]+(?:-[a-z0-9]+)*'}\n"
        "rules:\n  - id: C001\n    name: runs-name\n    severity: error\n    summary: s\n"
        "    check: {kind: naming, folders: [runs], entries: folders, patterns: ['run-{what}']}\n"
        "  - id: C002\n    name: stale-keep\n    severity: warning\n    summary: s\n"
        "    check: {kind: stale-keep-file, name: .keep}\n",
    )
    repo.write(".ml-lint.yaml", "extends: spec.yaml\n")
    repo.write("runs/.keep")
    run = cli("new", "runs", "first try", cwd=repo.root)
    assert run.code == 0, run.err
    assert run.out == "runs/run-first-try\n"
    assert [p.name for p in (repo.root / "runs/run-first-try").iterdir()] == [".keep"]
