"""ML303 says, for each kind of change and each comparison, the exact command that undoes it."""

from __future__ import annotations

import datetime
import json
import re
import shlex
import subprocess

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

DELIVER = "research/deliver/US12_2024-05-01_churn-model.ipynb"


def executed(score: str):
    cell = new_code_cell("print(score)", execution_count=1)
    cell.outputs = [new_output("stream", name="stdout", text=score + "\n")]
    return new_notebook(cells=[new_markdown_cell("# Churn model"), cell])


@pytest.fixture
def delivered(template):
    template.notebook(DELIVER, executed("0.91"))
    template.commit("deliver")
    return template


def ml303(cli, repo, *args: str) -> list[str]:
    run = cli("check", "--format", "json", "--select", "ML303", *args, cwd=repo.root)
    return [v["message"] for v in json.loads(run.out)["violations"]]


def command(message: str) -> str:
    """The first `...` command in a message."""
    return re.search(r"`([^`]+)`", message)[1]


def sh(repo, cmd: str) -> None:
    subprocess.run(cmd, shell=True, cwd=repo.root, check=True, capture_output=True)


def test_staged_modify_gives_the_restore_command_that_fixes_it(delivered, cli):
    delivered.notebook(DELIVER, executed("0.93"))
    delivered.git("add", "-A")
    [message] = ml303(cli, delivered, "--staged")
    assert command(message) == f"git restore --source=HEAD --staged --worktree -- {DELIVER}"
    sh(delivered, command(message))
    assert ml303(cli, delivered, "--staged") == []


def test_worktree_modify_suggests_a_develop_name_that_passes_the_naming_rule(delivered, cli):
    delivered.notebook(DELIVER, executed("0.93"))
    [message] = ml303(cli, delivered)
    new = f"ml-lint new research/develop churn-model --from {DELIVER}"
    assert message.endswith(
        f"to re-run it, copy it into research/develop under a develop name (outputs stripped): `{new}`"
    )
    sh(delivered, command(message))  # restore first
    created = cli(*shlex.split(new)[1:], cwd=delivered.root)
    assert created.code == 0, created.err
    today = datetime.date.today().isoformat()
    path = created.out.strip()
    assert re.fullmatch(rf"research/develop/{today}_[a-z][a-z0-9]*_churn-model\.ipynb", path), path
    copied = nbformat.read(delivered.root / path, as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in copied.cells if c.cell_type == "code")
    run = cli("check", "--format", "json", cwd=delivered.root)
    assert {v["rule"] for v in json.loads(run.out)["violations"]} <= {"ML003"}  # ML201 passes; .gitkeep is stale


def test_base_modify_restores_from_the_short_merge_base(delivered, cli):
    base = delivered.git("rev-parse", "HEAD").strip()
    delivered.git("checkout", "-q", "-b", "feature")
    delivered.notebook(DELIVER, executed("0.95"))
    delivered.commit("rerun")
    [message] = ml303(cli, delivered, "--base", "main")
    assert f"`git restore --source={base[:7]} --staged --worktree -- {DELIVER}` and commit" in message
    assert base not in message  # no 40-character ids
    sh(delivered, command(message))
    delivered.commit("restore")
    assert ml303(cli, delivered, "--base", "main") == []


def test_pre_push_range_names_short_commits(delivered, cli, monkeypatch):
    before = delivered.git("rev-parse", "HEAD").strip()
    delivered.git("rm", "-q", DELIVER)
    delivered.commit("drop")
    after = delivered.git("rev-parse", "HEAD").strip()
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", before)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", after)
    [message] = ml303(cli, delivered)
    assert f"was deleted between {before[:7]} and {after[:7]}: restore it with" in message
    assert before not in message and after not in message


def test_delete_says_restore_and_never_rerun(delivered, cli):
    delivered.git("rm", "-q", DELIVER)
    [message] = ml303(cli, delivered, "--staged")
    assert message == (
        f"'{DELIVER}' was deleted in the staged changes: restore it with "
        f"`git restore --source=HEAD --staged --worktree -- {DELIVER}`"
    )
    sh(delivered, command(message))
    assert ml303(cli, delivered, "--staged") == []


def test_rename_says_rename_back_and_never_rerun(delivered, cli):
    new = "research/deliver/2024-05-01_churn model.ipynb"
    delivered.git("mv", DELIVER, new)
    [message] = ml303(cli, delivered, "--staged")
    assert message == (
        f"'{DELIVER}' was renamed to '{new}' in the staged changes: rename it back with "
        f"`git mv -- {shlex.quote(new)} {DELIVER}`"
    )
    sh(delivered, command(message))
    assert ml303(cli, delivered, "--staged") == []
