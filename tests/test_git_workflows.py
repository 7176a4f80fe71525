"""The hook and the CLI in every git workflow people use (issue 13, contract §6).

Real git in temp dirs, real pre-commit running this checkout as its hook
repository, the CLI in a subprocess: nothing here calls ml-lint's internals.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from tests.conftest import install_hook, pre_commit

DELIVER = "research/deliver/2024-05-01_churn-model.ipynb"
LFS_NOTICE = "Git LFS pointer: run `git lfs pull` (actions/checkout: `lfs: true`)"


def git(cwd: Path, *args: str, env: dict | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def ml(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ml_lint", *args], cwd=cwd, capture_output=True, text=True,
        env={**os.environ, **(env or {})}, timeout=60,
    )  # fmt: skip


def found(run: subprocess.CompletedProcess) -> list[tuple[str, str]]:
    """(rule, path) of every violation of a `--format json` run."""
    return sorted((v["rule"], v["path"]) for v in json.loads(run.stdout)["violations"])


def notebook(title: str = "# Churn model", score: str = "0.91"):
    cell = new_code_cell("print(score)", execution_count=1)
    cell.outputs = [new_output("stream", name="stdout", text=score + "\n")]
    return new_notebook(cells=[new_markdown_cell(title), cell])


def commit(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """`git commit ARGS`, running the installed hook; its report is in stdout."""
    return subprocess.run(
        ["git", "commit", "-q", *args], cwd=cwd, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


@pytest.fixture
def project(template, hook_repo, pre_commit_home, monkeypatch):
    """The clean template, a committed deliver notebook, the hook installed."""
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    template.notebook(DELIVER, notebook())
    template.commit("deliver")
    install_hook(template, hook_repo)
    return template


# -- 1. linked worktrees ------------------------------------------------------


def test_linked_worktree_commit_runs_in_the_worktree(project, tmp_path):
    wt = tmp_path / "wt"
    git(project.root, "worktree", "add", "-q", str(wt), "-b", "feature")
    git(wt, "rm", "-q", "configs/.gitkeep")
    (wt / "configs").mkdir()
    (wt / "configs/train.yaml").write_text("lr: 0.1\n")
    git(wt, "add", "configs/train.yaml")
    run = commit(wt, "-m", "config")
    assert run.returncode == 0, run.stdout
    assert "ML102" not in run.stdout and "cannot read" not in run.stdout
    assert not (wt / "configs/.ml-lint-cache").exists()
    # The same, without pre-commit: git sets GIT_DIR for hooks.
    gitdir = git(wt, "rev-parse", "--absolute-git-dir").strip()
    (wt / "configs/eval.yaml").write_text("k: 1\n")
    git(wt, "add", "configs/eval.yaml")
    direct = ml("check", "--hook", "--format", "json", "--", "configs/eval.yaml", cwd=wt, env={"GIT_DIR": gitdir})
    assert (direct.returncode, found(direct)) == (0, []), direct.stderr


def test_linked_worktree_hook_still_blocks_a_deliver_rerun(project, tmp_path):
    wt = tmp_path / "wt"
    git(project.root, "worktree", "add", "-q", "--detach", str(wt))  # detached HEAD too
    nbformat.write(notebook(score="0.95"), str(wt / DELIVER))
    git(wt, "add", DELIVER)
    run = commit(wt, "-m", "rerun")
    assert run.returncode == 1
    assert f"{DELIVER}: ML303 [deliver-modified] '{DELIVER}' was modified in the staged changes" in run.stdout


# -- 2. finishing a merge with conflicts --------------------------------------


def _conflicted_merge(project) -> None:
    project.diverge("configs/train.yaml", "lr: 0.1\n", "lr: 0.2\n", "lr: 0.3\n")  # a config both branches change
    merge = subprocess.run(["git", "merge", "-q", "feature"], cwd=project.root, capture_output=True, text=True)
    assert merge.returncode == 1 and "CONFLICT" in merge.stdout
    project.write("configs/train.yaml", "lr: 0.25\n")
    project.git("add", "configs/train.yaml")


def test_merge_with_conflicts_deleting_a_deliverable_is_blocked(project):
    _conflicted_merge(project)
    project.git("rm", "-q", DELIVER)
    run = commit(project.root, "--no-edit")
    assert run.returncode == 1, run.stdout
    assert f"{DELIVER}: ML303 [deliver-modified] '{DELIVER}' was deleted in the staged changes" in run.stdout


def test_merge_with_conflicts_rerunning_a_deliverable_is_blocked(project):
    _conflicted_merge(project)
    project.notebook(DELIVER, notebook(score="0.95"))
    project.git("add", DELIVER)
    run = commit(project.root, "--no-edit")
    assert run.returncode == 1, run.stdout
    assert f"{DELIVER}: ML303" in run.stdout


def test_clean_merge_with_conflicts_passes(project):
    _conflicted_merge(project)
    run = commit(project.root, "--no-edit")
    assert run.returncode == 0, run.stdout


def test_cherry_pick_with_conflicts_deleting_a_deliverable_is_blocked(project):
    project.diverge("configs/train.yaml", "lr: 0.1\n", "lr: 0.2\n", "lr: 0.3\n")  # a config both branches change
    pick = subprocess.run(["git", "cherry-pick", "feature"], cwd=project.root, capture_output=True, text=True)
    assert pick.returncode != 0
    project.write("configs/train.yaml", "lr: 0.25\n")
    project.git("add", "configs/train.yaml")
    project.git("rm", "-q", DELIVER)
    run = commit(project.root, "--no-edit")
    assert run.returncode == 1, run.stdout
    assert f"{DELIVER}: ML303" in run.stdout


# -- 3. a global exclude, and every way pre-commit passes files ---------------


@pytest.fixture
def excluding(template, hook_repo, pre_commit_home, monkeypatch):
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    template.notebook(DELIVER, notebook())
    template.commit("deliver")
    install_hook(template, hook_repo, top="exclude: ^assets/\n")
    return template


def test_global_exclude_does_not_hide_a_deliver_rerun(excluding):
    excluding.notebook(DELIVER, notebook(score="0.95"))
    excluding.write("assets/logo.txt", "logo\n")
    excluding.git("add", "-A")
    run = commit(excluding.root, "-m", "rerun")
    assert run.returncode == 1, run.stdout
    assert run.stdout.count(f"{DELIVER}: ML303") == 1


def test_global_exclude_all_files_reports_repo_rules_once(excluding):
    excluding.git("rm", "-q", "LICENSE")
    run = pre_commit(excluding.root, "run", "--all-files")
    assert run.returncode == 1
    assert run.stdout.count("LICENSE: ML001 [required-path]") == 1


def test_global_exclude_pre_push_catches_a_deleted_deliverable(excluding):
    before = excluding.git("rev-parse", "HEAD").strip()
    excluding.git("rm", "-q", DELIVER)
    excluding.write("assets/logo.txt", "logo\n")
    excluding.git("add", "-A")
    excluding.git("commit", "-q", "--no-verify", "-m", "delete")
    run = pre_commit(excluding.root, "run", "--hook-stage", "pre-push", "--from-ref", before, "--to-ref", "HEAD")
    assert run.returncode == 1
    assert run.stdout.count(f"{DELIVER}: ML303") == 1


def test_parallel_batches_of_many_files_report_repo_rules_once(template, hook_repo, pre_commit_home, monkeypatch):
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    install_hook(template, hook_repo, extra="    require_serial: false\n")
    template.git("rm", "-q", "LICENSE")
    for i in range(40):
        template.write(f"research/develop/Untitled {i}.py", "1\n")
    template.git("add", "-A")
    run = pre_commit(template.root, "run")
    assert run.returncode == 1
    assert run.stdout.count("LICENSE: ML001 [required-path]") == 1
    assert all(run.stdout.count(f"research/develop/Untitled {i}.py: ML201") == 1 for i in range(40))


# -- 4. file names starting with '-' ------------------------------------------


def test_a_file_named_like_an_option_is_a_file(project):
    project.write("--ignore=ML101,ML003", "x\n")
    project.write("data/raw/sales.csv", "a,b\n")
    project.git("add", "-A")
    project.git("add", "-f", "data/raw/sales.csv")
    run = commit(project.root, "-m", "sneaky")
    assert run.returncode == 1, run.stdout
    assert "data/raw/sales.csv: ML101 [non-pushable-data]" in run.stdout


def test_a_file_named_dash_h_is_checked_not_help(project):
    project.write("-h", "x\n")
    project.write("research/develop/Untitled.ipynb", "{}")
    project.git("add", "-A")
    run = commit(project.root, "-m", "help?")
    assert run.returncode == 1, run.stdout
    assert "usage:" not in run.stdout
    assert "research/develop/Untitled.ipynb: ML201 [develop-name]" in run.stdout


def test_a_file_starting_with_dash_passes_all_files(project):
    project.write("-draft.md", "draft\n")
    project.commit("draft")
    run = pre_commit(project.root, "run", "--all-files")
    assert run.returncode == 0, run.stdout + run.stderr


# -- 5. symlinks to folders ---------------------------------------------------


def test_a_symlink_to_an_outside_folder_is_an_entry(project, tmp_path):
    outside = tmp_path / "mounted-dataset"
    for name in ("README.md", "x/Untitled.ipynb", "data/raw/a.csv"):
        (outside / name).parent.mkdir(parents=True, exist_ok=True)
        (outside / name).write_text("{}")
    os.symlink(outside, project.root / "research/develop/Untitled")
    os.symlink(outside, project.root / "assets/dataset")
    project.git("add", "-A")
    run = commit(project.root, "-m", "links")
    assert run.returncode == 1, run.stdout
    assert "research/develop/Untitled: ML201 [develop-name]" in run.stdout
    assert "outside the repository" not in run.stdout and "a.csv" not in run.stdout
    direct = ml(
        "check", "--hook", "--format", "json", "--", "assets/dataset", "research/develop/Untitled", cwd=project.root
    )
    # Each folder now holds an entry besides its .gitkeep: stale, as for any file.
    assert found(direct) == [
        ("ML003", "assets/.gitkeep"),
        ("ML003", "research/develop/.gitkeep"),
        ("ML201", "research/develop/Untitled"),
    ]


# -- 7. amending before pushing -----------------------------------------------


def _push_to_a_bare_remote(project, tmp_path) -> None:
    """An `origin` remote with main pushed: what is on origin/main is delivered."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    project.git("remote", "add", "origin", str(remote))
    project.git("push", "-q", "--no-verify", "origin", "main")


def test_amend_before_push_is_allowed_after_push_frozen(project, tmp_path):
    _push_to_a_bare_remote(project, tmp_path)
    new = "research/deliver/2024-06-01_churn-v2.ipynb"
    project.notebook(new, notebook(title="# Churn v2"))
    project.git("add", new)
    assert commit(project.root, "-m", "deliver v2").returncode == 0
    project.notebook(new, notebook(title="# Churn model v2"))
    project.git("add", new)
    amend = commit(project.root, "--amend", "--no-edit")
    assert amend.returncode == 0, amend.stdout
    project.git("push", "-q", "--no-verify", "origin", "main")
    project.notebook(new, notebook(title="# Churn model v3"))
    project.git("add", new)
    frozen = commit(project.root, "--amend", "--no-edit")
    assert frozen.returncode == 1
    assert f"{new}: ML303 [deliver-modified] '{new}' was modified in the staged changes" in frozen.stdout


def test_without_remote_tracking_branches_head_counts_as_delivered(project):
    project.notebook(DELIVER, notebook(title="# Churn"))
    project.git("add", DELIVER)
    run = commit(project.root, "--amend", "--no-edit")
    assert run.returncode == 1
    assert f"{DELIVER}: ML303" in run.stdout


def test_fixup_before_push_in_the_working_tree_is_allowed(project, tmp_path):
    _push_to_a_bare_remote(project, tmp_path)
    new = "research/deliver/2024-06-01_churn-v2.ipynb"
    project.notebook(new, notebook(title="# Churn v2"))
    project.commit("deliver v2")
    project.notebook(new, notebook(title="# Churn model v2"))
    assert found(ml("check", "--format", "json", "--select", "ML303", cwd=project.root)) == []
    project.notebook(DELIVER, notebook(title="# Other"))  # pushed: frozen
    assert found(ml("check", "--format", "json", "--select", "ML303", cwd=project.root)) == [("ML303", DELIVER)]


# -- 8. submodules ------------------------------------------------------------


@pytest.fixture
def sub_source(tmp_path) -> Path:
    source = tmp_path / "lib-source"
    source.mkdir()
    git(source, "init", "-q")
    (source / "README.md").write_text("lib\n")
    git(source, "add", "-A")
    git(source, "commit", "-q", "-m", "lib")
    return source


def _submodule(repo, source: Path, path: str) -> None:
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(source), path)


def test_a_submodule_is_a_folder_for_layout_rules(template, sub_source):
    template.git("rm", "-q", "configs/.gitkeep")
    _submodule(template, sub_source, "configs")
    _submodule(template, sub_source, "production/utils")
    _submodule(template, sub_source, "production/shared-lib")
    template.commit("submodules")
    run = ml("check", "--format", "json", cwd=template.root)
    assert found(run) == [("ML403", "production/utils/")]
    notes = json.loads(run.stdout)["summary"]["notes"]
    assert any("production/shared-lib" in n and "submodule" in n for n in notes), run.stdout + run.stderr


# -- 9. sparse checkouts ------------------------------------------------------


def test_non_cone_sparse_checkout_reads_gitignore_from_git(template):
    template.git("sparse-checkout", "set", "--no-cone", "/research/")
    assert not (template.root / ".gitignore").exists()
    run = ml("check", "--format", "json", cwd=template.root)
    assert ("ML102", ".gitignore") not in found(run), run.stdout
    assert run.returncode == 0, run.stdout


def test_cone_sparse_checkout_reads_notebooks_from_git(template):
    eda = "data/eda/2024-05-01_sales.ipynb"
    template.notebook(eda, new_notebook(cells=[new_markdown_cell("# Sales"), new_code_cell("1")]))
    (template.root / "data/eda/.gitkeep").unlink()
    template.commit("eda")
    template.git("sparse-checkout", "set", "research")
    assert not (template.root / eda).exists()
    run = ml("check", "--format", "json", cwd=template.root)
    assert "cannot read" not in run.stdout + run.stderr
    assert found(run) == [("ML301", eda)]  # read from git: the cell was never run


# -- 10. Git LFS pointers -----------------------------------------------------


def test_lfs_pointers_give_one_clear_message(template):
    template.write(".gitattributes", "*.ipynb filter=lfs diff=lfs merge=lfs -text\n")
    for i in range(5):
        oid = f"{i:064x}"
        template.write(
            f"research/deliver/2024-05-0{i + 1}_model-{i}.ipynb",
            f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize 1234\n",
        )
    template.commit("lfs")
    run = ml("check", "--format", "json", cwd=template.root)
    report = json.loads(run.stdout)
    assert run.returncode == 1
    assert [(v["rule"], v["path"]) for v in report["violations"]] == [
        ("ML306", "research/deliver/2024-05-01_model-0.ipynb")
    ]
    assert LFS_NOTICE in report["violations"][0]["message"]
    assert "5 notebooks" in report["violations"][0]["message"]


# -- 11. PATH arguments -------------------------------------------------------


def test_two_repositories_exit_2_naming_the_second(template, tmp_path):
    other = tmp_path / "fresh2"
    other.mkdir()
    git(other, "init", "-q")
    run = ml("check", "repo", "fresh2", cwd=tmp_path)
    assert run.returncode == 2
    assert "'fresh2' is outside the repository" in run.stderr
    run = ml("check", ".", "../fresh2", cwd=template.root)
    assert run.returncode == 2 and "'../fresh2' is outside the repository" in run.stderr


def test_a_file_outside_the_repository_exits_2(template, tmp_path):
    (tmp_path / "passwd").write_text("root:x:0:0\n")
    run = ml("check", str(tmp_path / "passwd"), cwd=template.root)
    assert run.returncode == 2
    assert "passwd' is outside the repository" in run.stderr


def test_outside_git_the_current_folder_is_the_root(template, tmp_path):
    plain = tmp_path / "plain"
    shutil.copytree(template.root, plain, ignore=shutil.ignore_patterns(".git"))
    (plain / "research/develop/x.py").write_text("1\n")
    run = ml("check", "--format", "json", "research/develop/x.py", cwd=plain)
    assert found(run) == [("ML003", "research/develop/.gitkeep"), ("ML201", "research/develop/x.py")], run.stderr


def test_a_nested_repository_folder_exits_2(template, tmp_path):
    nested = template.root / "production/tools/vendored"
    nested.mkdir()
    git(nested, "init", "-q")
    run = ml("check", ".", "production/tools/vendored", cwd=template.root)
    assert run.returncode == 2 and "another git repository" in run.stderr


# -- 12. the rule-set cache and symlinked configs -----------------------------


@pytest.mark.parametrize("linked", [".ml-lint.yaml", "pyproject.toml", "extends"])
def test_cached_run_follows_a_symlinked_config(template, linked):
    template.write("research/develop/2024-05-01_jdoe_Sales.py", "1\n")
    template.commit("bad name")
    if linked == ".ml-lint.yaml":
        template.write("configs/ml-lint.yaml", "rules:\n  ML201: {severity: warning}\n")
        os.symlink("configs/ml-lint.yaml", template.root / ".ml-lint.yaml")
        target, edited = "configs/ml-lint.yaml", "rules:\n  ML201: off\n"
    elif linked == "pyproject.toml":
        template.write("configs/pyproject.toml", '[tool.ml-lint.rules]\nML201 = {severity = "warning"}\n')
        os.symlink("configs/pyproject.toml", template.root / "pyproject.toml")
        target, edited = "configs/pyproject.toml", "[tool.ml-lint.rules]\nML201 = false\n"
    else:
        template.write("configs/base.yaml", "name: team\nextends: ml-project\n")
        os.symlink("base.yaml", template.root / "configs/spec.yaml")
        template.write(".ml-lint.yaml", "extends: configs/spec.yaml\n")
        target = "configs/base.yaml"  # the edit lets a short description have capitals
        edited = "name: team\nextends: ml-project\nplaceholders:\n  short-description: {regex: '[A-Za-z]+'}\n"
    time.sleep(2.1)  # files younger than 2 s are never cached (racy stamps)
    first = ml("check", "--format", "json", cwd=template.root)
    assert ("ML201", "research/develop/2024-05-01_jdoe_Sales.py") in found(first), first.stderr
    template.write(target, edited)
    cached = ml("check", "--format", "json", cwd=template.root)
    uncached = ml("check", "--format", "json", "--no-cache", cwd=template.root)
    assert found(cached) == found(uncached)
    assert ("ML201", "research/develop/2024-05-01_jdoe_Sales.py") not in found(cached)


# -- 13. a folder argument means everything under it --------------------------


def test_folder_argument_includes_ignored_local_files(template):
    template.write("data/raw/Sales.csv", "a\n")  # ignored by the template's .gitignore
    whole = ml("check", "--format", "json", cwd=template.root)
    folder = ml("check", "--format", "json", "data/raw", cwd=template.root)
    single = ml("check", "--format", "json", "data/raw/Sales.csv", cwd=template.root)
    assert ("ML103", "data/raw/Sales.csv") in found(whole)
    assert ("ML103", "data/raw/Sales.csv") in found(folder)
    assert ("ML103", "data/raw/Sales.csv") in found(single)
