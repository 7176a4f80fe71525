"""The real `pre-commit` running this repository as a hook repository.

The hook repo is a snapshot of this checkout (its files as they are now,
committed once in a temp repo), so the tests exercise the working tree. The
hook's virtualenv is built once per session in a shared PRE_COMMIT_HOME.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from tests.conftest import install_hook, pre_commit

DELIVER = "research/deliver/2024-05-01_churn-model.ipynb"


@pytest.fixture
def project(template, hook_repo, pre_commit_home, monkeypatch):
    """The clean template with the ml-lint hook installed for commit and push."""
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    install_hook(template, hook_repo)
    return template


def commit(repo, message: str = "change") -> subprocess.CompletedProcess:
    """`git commit`, running the installed hook; its report is in `stdout` (git sends it to stderr)."""
    return subprocess.run(
        ["git", "commit", "-q", "-m", message], cwd=repo.root, text=True, env=os.environ,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def executed(score: str):
    cell = new_code_cell("print(score)", execution_count=1)
    cell.outputs = [new_output("stream", name="stdout", text=score + "\n")]
    return new_notebook(cells=[cell])


def with_deliverable(project):
    nb = executed("0.91")
    nb.cells.insert(0, new_markdown_cell("# Churn model"))  # clean on arrival: a warning would be an error
    project.notebook(DELIVER, nb)
    project.git("add", "-A")
    assert commit(project, "deliver").returncode == 0
    return project


def test_clean_commit_passes(project):
    project.write("research/develop/2024-05-01_jdoe_sales-eda.py", "print(1)\n")
    project.git("add", "-A")
    run = commit(project)
    assert run.returncode == 0, run.stdout


def test_commit_adding_raw_data_fails(project):
    project.write("data/raw/sales_raw_full_v1.csv", "a,b\n")
    project.git("add", "-f", "data/raw/sales_raw_full_v1.csv")
    run = commit(project)
    assert run.returncode != 0
    assert "data/raw/sales_raw_full_v1.csv: ML101 [non-pushable-data]" in run.stdout


def test_commit_adding_badly_named_notebook_fails(project):
    project.notebook("research/develop/Untitled.ipynb", new_notebook())
    project.git("add", "-A")
    run = commit(project)
    assert run.returncode != 0
    assert "research/develop/Untitled.ipynb: ML201 [develop-name]" in run.stdout


def test_commit_adding_a_template_with_outputs_fails(project):
    nb = executed("0.91")
    nb.cells.insert(0, new_markdown_cell("# Model training"))
    project.notebook("research/templates/model-training.ipynb", nb)
    project.git("add", "-A")
    run = commit(project)
    assert run.returncode != 0
    assert "research/templates/model-training.ipynb:" in run.stdout and "ML302 [template-outputs]" in run.stdout


def test_commit_modifying_a_deliver_notebook_fails(project):
    with_deliverable(project)
    project.notebook(DELIVER, executed("0.93"))
    project.git("add", "-A")
    run = commit(project)
    assert run.returncode != 0
    assert f"{DELIVER}: ML303 [deliver-modified] '{DELIVER}' was modified in the staged changes" in run.stdout


def test_commit_deleting_a_deliver_notebook_fails(project):
    with_deliverable(project)
    project.git("rm", "-q", DELIVER)  # pre-commit passes no file name at all
    run = commit(project)
    assert run.returncode != 0
    assert f"'{DELIVER}' was deleted in the staged changes" in run.stdout


def test_all_files_checks_the_whole_repo(project):
    project.notebook("research/develop/Untitled.ipynb", new_notebook())
    project.git("add", "-A")
    project.git("commit", "-q", "--no-verify", "-m", "slipped through")
    assert pre_commit(project.root, "run").returncode == 0  # nothing staged
    run = pre_commit(project.root, "run", "--all-files")
    assert run.returncode == 1
    assert "research/develop/Untitled.ipynb: ML201 [develop-name]" in run.stdout


def test_push_range_catches_a_deleted_deliverable(project):
    with_deliverable(project)
    before = project.git("rev-parse", "HEAD").strip()
    project.git("rm", "-q", DELIVER)
    project.git("commit", "-q", "--no-verify", "-m", "drop it")
    run = pre_commit(project.root, "run", "--hook-stage", "pre-push", "--from-ref", before, "--to-ref", "HEAD")
    assert run.returncode == 1
    short = before[:7]
    assert f"'{DELIVER}' was deleted since {short}: restore it with `git restore --source={short} " in run.stdout


def test_parallel_batches_report_repo_level_violations_once(project):
    config = project.root / ".pre-commit-config.yaml"
    config.write_text(config.read_text() + "    require_serial: false\n")
    project.git("rm", "-q", "LICENSE")
    for i in range(40):
        project.write(f"production/src/pkg/module_{i}.py", "1\n")
    project.git("add", "-A")
    run = pre_commit(project.root, "run")
    assert run.returncode == 1
    assert run.stdout.count("LICENSE: ML001 [required-path]") == 1


def hook_report(output: str) -> list[str]:
    """What the hook printed, without pre-commit's status, `- key: value` and [INFO] lines."""
    return [
        line for line in output.splitlines() if line.strip() and not line.startswith(("ml-lint...", "- ", "[INFO]"))
    ]


def test_clean_commit_prints_nothing_but_the_status_line(project):
    (project.root / "research/develop/.gitkeep").unlink()
    project.write("research/develop/2024-05-01_jdoe_sales-eda.py", "print(1)\n")
    project.git("add", "-A")
    run = commit(project)
    assert run.returncode == 0, run.stdout
    # Measured: the verbose hook adds "- hook id: ml-lint" and "- duration: 0.9s"; ml-lint itself is silent.
    assert hook_report(run.stdout) == [], run.stdout
    assert "Passed" in run.stdout


def test_passing_commit_shows_its_warnings(project):
    (project.root / "research/develop/.gitkeep").unlink()
    project.write("research/develop/2024-05-01_jdoe_sales-eda/sales.csv", "a,b\n")
    project.git("add", "-A")
    run = commit(project)
    assert run.returncode == 0, run.stdout
    assert hook_report(run.stdout) == [
        "research/develop/2024-05-01_jdoe_sales-eda/sales.csv: ML104 [data-in-research] "
        "'research/develop/2024-05-01_jdoe_sales-eda/sales.csv' is a data or binary artefact in research/; "
        "move it to the data registry, the experiment manager or assets/",
        "Found 1 violation (0 errors, 1 warning).",
    ]


def test_commit_adding_a_deliver_notebook_with_a_warning_fails(project):
    project.notebook(DELIVER, executed("0.91"))  # no title: ML305, a warning anywhere else
    project.git("add", "-A")
    run = commit(project)
    assert run.returncode != 0, run.stdout
    assert (
        f"{DELIVER}:3: ML305 [notebook-title] the first cell (cell 1) is not a Markdown heading: start with a "
        "'# Title' cell — research/deliver files cannot be fixed after they are committed"
    ) in run.stdout


def test_fix_hook_strips_template_outputs_and_says_so(template, hook_repo, pre_commit_home, monkeypatch):
    """`args: [--fix]`, nbstripout-style: the commit fails once, the notebook is stripped, the output says what."""
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    install_hook(template, hook_repo, extra="    args: [--fix]\n")
    nb = executed("0.91")
    nb.cells.insert(0, new_markdown_cell("# Model training"))
    (template.root / "research/templates/.gitkeep").unlink()
    template.notebook("research/templates/model-training.ipynb", nb)
    template.git("add", "-A")
    run = commit(template)
    assert run.returncode != 0, run.stdout
    assert "- files were modified by this hook" in run.stdout
    assert "Fixed 1 problem:\n  stripped the outputs of research/templates/model-training.ipynb cell 2" in run.stdout
    template.git("add", "-A")
    again = commit(template)
    assert again.returncode == 0, again.stdout
