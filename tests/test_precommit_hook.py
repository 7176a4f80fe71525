"""The real `pre-commit` running this repository as a hook repository.

The hook repo is a snapshot of this checkout (its files as they are now,
committed once in a temp repo), so the tests exercise the working tree. The
hook's virtualenv is built once per session in a shared PRE_COMMIT_HOME.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

PROJECT = Path(__file__).resolve().parents[1]
DELIVER = "research/deliver/2024-05-01_churn-model.ipynb"


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check)


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """(path, commit) of a snapshot of this checkout."""
    snapshot = tmp_path_factory.mktemp("hook-repo")
    listed = git(PROJECT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").stdout
    for name in filter(None, listed.split("\0")):
        source = PROJECT / name
        if source.is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    ident = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    git(snapshot, "init", "-q")
    git(snapshot, "add", "-A")
    git(snapshot, *ident, "commit", "-q", "-m", "snapshot")
    return snapshot, git(snapshot, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(template, hook_repo, pre_commit_home, monkeypatch):
    """The clean template with the ml-lint hook installed for commit and push."""
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    path, rev = hook_repo
    template.write(
        ".pre-commit-config.yaml",
        f"repos:\n- repo: {path}\n  rev: {rev}\n  hooks:\n  - id: ml-lint\n",
    )
    template.commit("pre-commit config")
    pre_commit(template.root, "install", "--hook-type", "pre-commit", "--hook-type", "pre-push")
    return template


def pre_commit(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, capture_output=True, text=True)


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
    assert f"'{DELIVER}' was deleted since {before}" in run.stdout


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
