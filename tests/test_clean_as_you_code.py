"""Clean as you code: --only-changed, and protected files that must be clean when they arrive."""

from __future__ import annotations

import json

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

DELIVER = "research/deliver/2024-05-01_churn-model.ipynb"
OLD_DELIVER = "research/deliver/2024-04-01_old-model.ipynb"
ARRIVAL = " — research/deliver files cannot be fixed after they are committed"


def executed(*, title: bool = True):
    cell = new_code_cell("print(1)", execution_count=1)
    cell.outputs = [new_output("stream", name="stdout", text="1\n")]
    return new_notebook(cells=([new_markdown_cell("# Churn")] if title else []) + [cell])


def found(cli, repo, *args: str) -> list[dict]:
    run = cli("check", "--format", "json", *args, cwd=repo.root)
    assert run.code in (0, 1), run.err
    return json.loads(run.out)["violations"]


def test_warning_on_a_protected_file_the_worktree_adds_is_an_error(template, cli):
    template.notebook(DELIVER, executed(title=False))
    [v] = found(cli, template)
    assert (v["rule"], v["severity"]) == ("ML305", "error")
    assert v["message"].endswith(ARRIVAL)


def test_warning_on_a_protected_file_a_branch_adds_is_an_error_with_base(template, cli):
    template.git("checkout", "-q", "-b", "feature")
    template.notebook(DELIVER, executed(title=False))
    template.commit("deliver")
    [v] = found(cli, template, "--base", "main")
    assert (v["rule"], v["severity"]) == ("ML305", "error") and v["message"].endswith(ARRIVAL)


def test_warning_on_a_protected_file_already_committed_stays_a_warning(template, cli):
    template.notebook(DELIVER, executed(title=False))
    template.commit("deliver")
    [v] = found(cli, template)
    assert (v["rule"], v["severity"]) == ("ML305", "warning") and ARRIVAL not in v["message"]


def test_only_changed_reports_only_paths_the_base_comparison_touched(template, cli):
    template.notebook(OLD_DELIVER, executed(title=False))  # an old warning nobody may fix
    template.write("README.md", "# Churn\n#TODO: Overview\n")  # an old ML002 warning
    template.commit("legacy")
    template.git("checkout", "-q", "-b", "feature")
    (template.root / "research/develop/.gitkeep").unlink()
    template.write("research/develop/2024-05-01_jdoe_eda/sales.csv", "a,b\n")  # new: ML104
    template.commit("work")
    assert {v["rule"] for v in found(cli, template, "--base", "main")} == {"ML002", "ML104", "ML305"}
    [v] = found(cli, template, "--base", "main", "--only-changed")
    assert v["rule"] == "ML104" and v["path"] == "research/develop/2024-05-01_jdoe_eda/sales.csv"
    run = cli("check", "--base", "main", "--only-changed", "--strict", cwd=template.root)
    assert run.code == 1  # the new warning still fails --strict


def test_only_changed_passes_a_pr_that_only_adds_a_well_named_notebook(template, cli):
    template.write("README.md", "# Churn\n#TODO: Overview\n")
    template.commit("legacy")
    template.git("checkout", "-q", "-b", "feature")
    template.notebook("research/develop/2024-05-01_jdoe_sales-eda.ipynb", new_notebook())
    template.commit("work")
    assert cli("check", "--base", "main", "--strict", cwd=template.root).code == 1
    run = cli("check", "--base", "main", "--only-changed", "--strict", cwd=template.root)
    assert run.code == 0, run.out


def test_only_changed_counts_both_names_of_a_rename(template, cli):
    template.notebook(DELIVER, executed())
    template.notebook("research/develop/Untitled.ipynb", new_notebook())
    template.commit("legacy")
    template.git("mv", DELIVER, OLD_DELIVER)
    template.git("mv", "research/develop/Untitled.ipynb", "research/develop/Untitled2.ipynb")
    reported = {(v["rule"], v["path"]) for v in found(cli, template, "--staged", "--only-changed")}
    # ML303 reports a rename at the old name; ML201 the new name.
    assert reported == {("ML303", DELIVER), ("ML201", "research/develop/Untitled2.ipynb")}


def test_only_changed_in_the_worktree_includes_untracked_files(template, cli):
    template.write("README.md", "# Churn\n#TODO: Overview\n")
    template.commit("legacy")
    template.notebook("research/develop/Untitled.ipynb", new_notebook())
    rules = sorted(v["rule"] for v in found(cli, template, "--only-changed"))
    assert rules == ["ML201"]  # not the committed ML002, nor ML003 on the untouched .gitkeep


def test_only_changed_outside_git_is_exit_2(tmp_path, cli):
    run = cli("check", "--only-changed", cwd=tmp_path)
    assert run.code == 2 and "--only-changed needs a comparison" in run.err
