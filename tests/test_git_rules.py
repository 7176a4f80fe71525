"""Git-aware rules through the CLI on real repositories: ML303, ML101 staged, ML501, edge cases."""

from __future__ import annotations

import json
import subprocess

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from ml_lint.repo import history

DELIVER = "research/deliver/2024-05-01_churn-model.ipynb"
DEVELOP = "research/develop/2024-05-01_jdoe_sales-eda.ipynb"


def executed_notebook(result: str = "0.91") -> nbformat.NotebookNode:
    cell = new_code_cell("print(score)", execution_count=1)
    cell.outputs = [new_output("stream", name="stdout", text=result + "\n")]
    return new_notebook(cells=[new_markdown_cell("# Churn model"), cell])


def violations(run, rule: str) -> list[dict]:
    return [v for v in json.loads(run.out)["violations"] if v["rule"] == rule]


@pytest.fixture
def delivered(template):
    """The template with one committed deliver notebook."""
    template.notebook(DELIVER, executed_notebook())
    template.commit("deliver churn model")
    return template


def check(cli, repo, *args: str, rule: str = "ML303"):
    run = cli("check", "--format", "json", "--select", rule, *args, cwd=repo.root)
    assert run.code in (0, 1), run.err
    return run, violations(run, rule)


# -- ML303: what "modified" means in each mode --------------------------------


def test_rerun_in_the_working_tree_is_caught_by_default(delivered, cli):
    delivered.notebook(DELIVER, executed_notebook("0.93"))  # re-run: outputs changed
    run, [v] = check(cli, delivered)
    assert run.code == 1
    assert v["path"] == DELIVER and v["severity"] == "error"
    assert "was modified since the last commit" in v["message"]
    assert "copy it to research/develop to rerun it" in v["message"]


def test_a_notebook_cannot_opt_itself_out_of_deliver_modified(delivered, cli):
    nb = executed_notebook("0.93")
    nb.metadata["ml-lint"] = {"ignore": ["ML303", "deliver-modified"]}
    delivered.notebook(DELIVER, nb)
    run, [v] = check(cli, delivered)
    assert run.code == 1 and v["path"] == DELIVER


def test_fix_never_deletes_a_protected_gitkeep(template, cli):
    template.write(".ml-lint.yaml", "rules:\n  ML303: {paths: ['research/deliver/**']}\n")
    template.write("research/deliver/runs/2024-05-01_run.py")
    template.commit("run")
    run = cli("check", "--fix", "--format", "json", cwd=template.root)
    assert (template.root / "research/deliver/runs/.gitkeep").exists()
    stale = [v for v in json.loads(run.out)["violations"] if v["rule"] == "ML003"]
    assert [v["path"] for v in stale] == ["research/deliver/runs/.gitkeep"]  # reported, not fixed


def test_adding_a_deliver_file_is_fine_in_every_mode(delivered, cli):
    new = "research/deliver/2024-06-01_churn-model-v2.ipynb"
    delivered.notebook(new, executed_notebook())
    delivered.git("add", new)
    for mode in ([], ["--staged"]):
        assert check(cli, delivered, *mode)[1] == []
    delivered.git("checkout", "-q", "-b", "feature")
    delivered.commit("v2")
    assert check(cli, delivered, "--base", "main")[1] == []


def test_deleting_a_deliver_gitkeep_is_fine(template, cli):
    template.git("rm", "-q", "research/deliver/runs/.gitkeep")
    assert check(cli, template, "--staged")[1] == []


def test_staged_compares_the_index_with_head(delivered, cli):
    delivered.notebook(DELIVER, executed_notebook("0.93"))
    assert check(cli, delivered, "--staged")[1] == []  # not staged yet: not part of the commit
    delivered.git("add", DELIVER)
    [v] = check(cli, delivered, "--staged")[1]
    assert v["path"] == DELIVER and "was modified in the staged changes" in v["message"]


def test_staged_delete_and_rename(delivered, cli):
    second = "research/deliver/2024-05-02_churn-eval.ipynb"
    delivered.notebook(second, executed_notebook("eval"))
    delivered.commit("second")
    delivered.git("rm", "-q", DELIVER)
    delivered.git("mv", second, "research/develop/2024-05-02_jdoe_churn-eval.ipynb")
    found = {v["path"]: v["message"] for v in check(cli, delivered, "--staged")[1]}
    assert found.keys() == {DELIVER, second}
    assert "was deleted in the staged changes" in found[DELIVER]
    assert "was renamed to 'research/develop/2024-05-02_jdoe_churn-eval.ipynb'" in found[second]


def test_base_compares_head_with_the_merge_base(delivered, cli):
    delivered.git("checkout", "-q", "-b", "feature")
    delivered.notebook(DELIVER, executed_notebook("0.95"))
    delivered.commit("rerun")
    delivered.git("checkout", "-q", "main")
    delivered.write("README.md", "# Churn prediction, moved on\n")
    delivered.commit("main moves on")
    delivered.git("checkout", "-q", "feature")
    [v] = check(cli, delivered, "--base", "main")[1]
    assert v["path"] == DELIVER and "was modified since main" in v["message"]
    # Only commits count with --base: an undone local edit on top changes nothing.
    delivered.notebook(DELIVER, executed_notebook())
    assert len(check(cli, delivered, "--base", "main")[1]) == 1


def test_pre_commit_refs_are_honoured_like_base(delivered, cli, monkeypatch):
    before = delivered.git("rev-parse", "HEAD").strip()
    delivered.git("rm", "-q", DELIVER)
    delivered.commit("drop the deliverable")
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", before)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", "HEAD")
    [v] = check(cli, delivered)[1]
    assert v["path"] == DELIVER and f"was deleted since {before}" in v["message"]


def test_detached_head(delivered, cli):
    delivered.git("checkout", "-q", "--detach")
    delivered.git("rm", "-q", DELIVER)
    assert [v["path"] for v in check(cli, delivered, "--staged")[1]] == [DELIVER]


def test_unborn_head_nothing_is_modified(repo, cli):
    repo.template()
    repo.notebook(DELIVER, executed_notebook())
    repo.git("add", "-A")
    for mode in ([], ["--staged"]):
        assert check(cli, repo, *mode)[1] == []


@pytest.mark.parametrize(
    "name",
    [
        "2024-05-01_churn model.ipynb",
        '2024-05-01_"quoted".ipynb',
        "2024-05-01_new\nline.ipynb",
        "2024-05-01_modèle-é.ipynb",
    ],
)
def test_any_file_name(template, cli, name):
    path = f"research/deliver/{name}"
    template.notebook(path, executed_notebook())
    template.commit("deliver")
    template.git("mv", path, path.replace("2024-05-01", "2024-05-02"))
    [v] = check(cli, template, "--staged")[1]
    assert v["path"] == path
    assert f"renamed to '{path.replace('2024-05-01', '2024-05-02')}'" in v["message"]


# -- errors and skips ---------------------------------------------------------


def test_unknown_base_ref_exits_2(delivered, cli):
    run = cli("check", "--base", "no-such-branch", cwd=delivered.root)
    assert run.code == 2
    assert "--base 'no-such-branch' is not a commit in this repository" in run.err
    assert "Traceback" not in run.err


def test_shallow_clone_without_the_base_exits_2_and_says_fetch(delivered, cli, tmp_path):
    delivered.git("checkout", "-q", "-b", "feature")
    delivered.commit("feature work")
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{delivered.root}", str(clone)],
        check=True,
    )  # fmt: skip
    run = cli("check", "--base", "origin/main", cwd=clone)
    assert run.code == 2
    assert "shallow clone" in run.err and "fetch-depth: 0" in run.err
    # Without --base, ML501 is skipped with a note (history incomplete) and the rest runs.
    run = cli("check", cwd=clone)
    assert run.code == 0, run.out
    assert "note: ML501 shared-develop-file skipped: this is a shallow clone" in run.out


def test_outside_git_the_git_rules_are_skipped_and_others_run(tmp_path, cli):
    (tmp_path / "research/deliver").mkdir(parents=True)
    run = cli("check", cwd=tmp_path)
    assert run.code == 1  # ML001 still runs
    assert "LICENSE: ML001 [required-path]" in run.out
    assert "note: ML303 deliver-modified skipped: not a git repository" in run.out
    assert "note: ML501 shared-develop-file skipped: not a git repository" in run.out


def test_git_not_installed(delivered, cli, monkeypatch, tmp_path):
    delivered.notebook(DELIVER, executed_notebook("0.93"))
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    run = cli("check", cwd=delivered.root)
    assert run.code == 0, run.out + run.err
    assert "note: git is not installed" in run.out
    assert "note: ML303 deliver-modified skipped: not a git repository" in run.out


# -- ML101 sees the index -----------------------------------------------------


@pytest.mark.parametrize("force", [False, True])
def test_staged_data_file_is_caught(template, cli, force):
    data = "data/raw/sales_raw_full_v1.csv"
    if force:  # ignored by .gitignore, added anyway
        template.write(data, "a,b\n")
        template.git("add", "-f", data)
    else:
        template.write(".gitignore", "")
        template.write(data, "a,b\n")
        template.git("add", data, ".gitignore")
    for args in ([], ["--staged"], ["--hook", data]):
        run, found = check(cli, template, *args, rule="ML101")
        assert [v["path"] for v in found] == [data], args


# -- ML501 --------------------------------------------------------------------


def test_develop_file_changed_by_two_authors(template, cli, monkeypatch):
    template.notebook(DEVELOP, executed_notebook())
    template.write("research/develop/2024-05-01_asmith_own.py", "x = 1\n")
    template.commit("jdoe starts", author="J Doe <jdoe@example.com>")
    template.notebook(DEVELOP, executed_notebook("0.2"))
    template.commit("asmith edits", author="A Smith <ASmith@example.com>")

    calls = []
    real = history.start_git
    monkeypatch.setattr(history, "start_git", lambda args, cwd, **kw: calls.append(args) or real(args, cwd, **kw))
    run, [v] = check(cli, template, rule="ML501")
    assert run.code == 0  # a warning
    assert v["path"] == DEVELOP and v["severity"] == "warning"
    assert "changed by 2 authors (asmith@example.com, jdoe@example.com)" in v["message"]
    assert sum("log" in args for args in calls) == 1


def test_one_author_per_develop_file_passes(template, cli):
    template.notebook(DEVELOP, executed_notebook())
    template.commit("one", author="J Doe <jdoe@example.com>")
    template.notebook(DEVELOP, executed_notebook("0.2"))
    template.commit("two", author="J Doe <jdoe@example.com>")
    assert check(cli, template, rule="ML501")[1] == []


def test_develop_history_with_odd_names(template, cli):
    odd = 'research/develop/2024-05-01_jdoe_\nodd "naïve".py'
    template.write(odd, "1\n")
    template.commit("a", author="J Doe <jdoe@example.com>")
    template.write(odd, "2\n")
    template.commit("b", author="Anon <>")
    [v] = check(cli, template, rule="ML501")[1]
    assert v["path"] == odd and "2 authors" in v["message"]
