"""`check` reads; only `--fix` writes, atomically, and never outside the repo or into protected files."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from ml_lint.cache import CACHE_DIR
from ml_lint.cli import FORMATS
from ml_lint.repo import fs


def snapshot(root: Path) -> dict[str, str]:
    """Every path under root (.git included) -> its type and content hash; ml-lint's cache excluded."""
    state = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != CACHE_DIR]
        for name in dirs + files:
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                state[rel] = "link:" + os.readlink(path)
            elif path.is_dir():
                state[rel] = "dir"
            else:
                state[rel] = f"{oct(path.stat().st_mode)}:{hashlib.sha256(path.read_bytes()).hexdigest()}"
    return state


def executed(title: str = "# Title") -> nbformat.NotebookNode:
    return v4.new_notebook(cells=[
        v4.new_markdown_cell(title),
        v4.new_code_cell("print(1)", execution_count=1, outputs=[v4.new_output("stream", text="1\n")]),
    ])  # fmt: skip


@pytest.fixture
def busy(template):
    """A repo with something for every rule to say, changes in every place git looks, and a stale index."""
    template.notebook("research/deliver/2024-05-01_churn.ipynb", executed())
    template.commit("deliver")
    template.git("branch", "base")
    template.notebook("research/templates/model-training.ipynb", executed())  # ML302, fixable
    template.write("data/scripts/download.py", "print('x')\n")  # ML003, fixable
    template.commit("work")
    template.notebook("research/deliver/2024-05-01_churn.ipynb", executed("# Re-run"))  # ML303
    template.write("research/develop/Untitled.ipynb", "")  # untracked, ML201
    template.git("add", "research/develop/Untitled.ipynb")
    template.write("data/raw/sales.csv", "a,b\n")  # ignored
    # Same content, new mtime: the index's stat info is stale, so any index refresh would rewrite it.
    readme = template.root / "README.md"
    os.utime(readme, ns=(readme.stat().st_atime_ns, readme.stat().st_mtime_ns + 10**9))
    return template


MODES = [[], ["--staged"], ["--base", "base"], ["--hook", "research/develop/Untitled.ipynb"]]


@pytest.mark.parametrize("mode", MODES, ids=["worktree", "staged", "base", "hook"])
def test_check_changes_nothing_in_the_tree_or_git(busy, cli, mode):
    before = snapshot(busy.root)
    for fmt in FORMATS:
        run = cli("check", "--format", fmt, *mode, cwd=busy.root)
        assert run.code == 1, run.err
    assert snapshot(busy.root) == before


def test_the_snapshot_would_see_an_index_refresh(busy, cli):
    """Proves the test above can fail: a plain `git status` rewrites .git/index here."""
    before = snapshot(busy.root)
    subprocess.run(["git", "status", "--porcelain"], cwd=busy.root, check=True, capture_output=True)
    after = snapshot(busy.root)
    assert after[".git/index"] != before[".git/index"]


def test_fix_writes_only_what_it_fixes(busy, cli):
    before = snapshot(busy.root)
    run = cli("check", "--fix", cwd=busy.root)
    after = snapshot(busy.root)
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    fixed = {
        "research/templates/model-training.ipynb",
        *(f"{d}/.gitkeep" for d in ("data/scripts", "research/develop", "research/templates")),
    }
    assert changed == fixed, run.out  # the stripped notebook, and stale .gitkeep files deleted; nothing in .git


def test_fix_never_touches_protected_deliver_notebooks(busy, cli):
    # A config that makes the strip fix reach deliver notebooks too: they stay as committed.
    busy.write(".ml-lint.yaml", "rules:\n  ML302:\n    paths: ['research/**/*.ipynb']\n")
    deliver = busy.root / "research/deliver/2024-05-01_churn.ipynb"
    original = deliver.read_bytes()
    run = cli("check", "--fix", cwd=busy.root)
    assert deliver.read_bytes() == original
    assert "research/deliver/2024-05-01_churn.ipynb:" in run.out and "ML302" in run.out
    assert nbformat.read(str(busy.root / "research/templates/model-training.ipynb"), 4).cells[1].outputs == []


def test_fix_never_writes_through_symlinks(template, cli, tmp_path):
    outside_ignore = tmp_path / "outside-gitignore"
    outside_ignore.write_text("*.log\n")
    (template.root / ".gitignore").unlink()
    (template.root / ".gitignore").symlink_to(outside_ignore)
    outside_nb = tmp_path / "outside.ipynb"
    nbformat.write(executed(), str(outside_nb))
    (template.root / "research/templates/linked.ipynb").symlink_to(outside_nb)
    (template.root / "data/scripts/.gitkeep").unlink()
    (template.root / "data/scripts/.gitkeep").symlink_to(tmp_path / "keep")
    template.write("data/scripts/download.py", "")
    outside = {p: p.read_bytes() for p in (outside_ignore, outside_nb)}
    run = cli("check", "--fix", cwd=template.root)
    assert run.code == 1
    assert {p: p.read_bytes() for p in outside} == outside
    assert (template.root / ".gitignore").is_symlink() and (template.root / "data/scripts/.gitkeep").is_symlink()
    assert "note: could not fix .gitignore: it is a symbolic link or leads out of the repository" in run.out


@pytest.mark.parametrize("failing", ["write", "fsync", "chmod", "replace"])
@pytest.mark.parametrize(
    "error", [OSError(28, "No space left on device"), KeyboardInterrupt()], ids=["oserror", "interrupt"]
)
def test_atomic_write_interrupted_anywhere_leaves_the_original(tmp_path, monkeypatch, failing, error):
    target = tmp_path / "notebook.ipynb"
    target.write_bytes(b"original")

    def boom(*args, **kwargs):
        raise error

    if failing == "write":
        real_fdopen = os.fdopen

        class Failing:
            def __init__(self, fd, mode):
                self.file = real_fdopen(fd, mode)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.file.close()

            write = boom

        monkeypatch.setattr(fs.os, "fdopen", Failing)
    else:
        monkeypatch.setattr(fs.os, failing, boom)
    with pytest.raises(type(error)):
        fs.atomic_write(target, b"new content")
    monkeypatch.undo()
    assert target.read_bytes() == b"original"
    assert os.listdir(tmp_path) == ["notebook.ipynb"]


def test_fix_that_cannot_write_reports_and_keeps_the_file(busy, cli, monkeypatch):
    def full_disk(*args):
        raise OSError(28, "No space left on device", "research/templates/model-training.ipynb")

    monkeypatch.setattr(fs.os, "replace", full_disk)
    notebook = busy.root / "research/templates/model-training.ipynb"
    original = notebook.read_bytes()
    run = cli("check", "--fix", "--no-cache", cwd=busy.root)
    assert run.code == 1
    assert "note: could not fix research/templates/model-training.ipynb: No space left on device" in run.out
    assert "ML302" in run.out
    assert notebook.read_bytes() == original
    assert not [p for p in os.listdir(notebook.parent) if p.endswith(".ml-lint-tmp")]
