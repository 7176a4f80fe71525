"""Which files a git repository has: the concurrent `git ls-files` calls of Repository.discover."""

from __future__ import annotations

import os
import subprocess

import pytest

from ml_lint.repo.git import GitError
from ml_lint.repo.repository import Repository

ODD = 'odd "naïve"\nname.py'
UNDECODABLE = os.fsdecode(b"latin-\xe9.py")


@pytest.fixture
def mixed(repo):
    """Tracked, untracked, ignored, deleted and nested-repository entries, some with odd names."""
    repo.write(".gitignore", "*.log\n")
    for path in ("a.py", "sub/b.py", "sub/gone.py", ODD):
        repo.write(path, "x\n")
    (repo.root / UNDECODABLE).write_bytes(b"x\n")  # a name that is not UTF-8
    repo.commit("files")
    (repo.root / "sub/gone.py").unlink()  # deleted from the working tree, still in the index
    repo.write("new.py", "x\n")  # untracked
    repo.write("debug.log", "x\n")  # ignored
    nested = repo.root / "vendor"
    nested.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=nested, check=True)
    (nested / "inner.py").write_text("x\n")
    return repo


def test_working_tree_view(mixed):
    repo = Repository.discover(mixed.root)
    assert repo.files == sorted([".gitignore", "a.py", "new.py", ODD, "sub/b.py", UNDECODABLE])
    assert repo.untracked == {"new.py"}


def test_index_view_keeps_files_deleted_from_the_working_tree(mixed):
    repo = Repository.discover(mixed.root, index_view=True)
    assert "sub/gone.py" in repo.files
    assert repo.files == sorted(repo.files) and len(set(repo.files)) == len(repo.files)


def test_a_failing_listing_is_a_git_error_when_the_files_are_needed(mixed):
    (mixed.root / ".git/index").write_bytes(b"not an index")
    repo = Repository.discover(mixed.root)  # the listing runs in the background
    with pytest.raises(GitError, match="index"):
        _ = repo.files


def test_a_corrupt_index_is_reported_not_a_crash(template, cli):
    (template.root / ".git/index").write_bytes(b"not an index")
    for args in ([], ["--staged"]):
        run = cli("check", *args, cwd=template.root)
        assert run.code == 2, run.err
        assert "git failed, so the repository could not be read" in run.err
        assert "Traceback" not in run.err and "internal error" not in run.err


def test_folders_resolve_as_realpath_does(tmp_path, monkeypatch):
    """locate() resolves each PATH's folder part by part, remembering the folders it has seen."""
    from ml_lint.repo.repository import _resolved

    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    (tmp_path / "a" / "link").symlink_to("b")
    (tmp_path / "a" / "b" / "up").symlink_to("..")
    (tmp_path / "outside").symlink_to(tmp_path / "a" / "b" / "c")
    monkeypatch.chdir(tmp_path)
    folders = [
        "", ".", "a", "a/b", "a/link", "a/link/c", "a/b/up/link/c", "a/./b", "a/../a/link", "outside",
        "missing/x", "a/link/missing", str(tmp_path / "a" / "link"), "/",
    ]  # fmt: skip
    known: dict[str, str] = {}
    for folder in folders + folders:  # the second time from what it remembered
        assert _resolved(folder, known) == os.path.realpath(folder or "."), folder


def test_an_unresolved_conflict_is_listed_once(repo):
    """git lists an unmerged path once per stage; the repository has it once."""
    repo.diverge("a.txt", "base\n", "other\n", "mine\n", branch="other")
    merge = subprocess.run(["git", "merge", "-q", "other"], cwd=repo.root, capture_output=True, text=True)
    assert merge.returncode == 1
    assert repo.git("ls-files", "--cached").split().count("a.txt") == 3  # the case at hand
    for index_view in (False, True):
        listed = Repository.discover(repo.root, index_view=index_view)
        assert listed.files.count("a.txt") == 1 and "a.txt" in listed.file_set


def test_a_narrowed_listing_asks_git_for_tracked_gitignores_once(repo, monkeypatch):
    """Without every file listed, a folder with no .gitignore on disk must not cost a git call each."""
    from ml_lint.repo import repository

    repo.write(".gitignore", "*.pkl\n")
    repo.write("a/deep/er/keep.txt", "x\n")
    repo.write("b/.gitignore", "*.csv\n")
    repo.commit()
    (repo.root / "b/.gitignore").unlink()  # tracked, not on disk (as outside a sparse checkout)
    read = []
    real = repository.read_index_blob
    monkeypatch.setattr(repository, "read_index_blob", lambda root, path: read.append(path) or real(root, path))
    narrowed = repository.Repository.discover(repo.root, narrow=lambda root: ("a",))
    assert narrowed.partial
    assert narrowed.ignore_rules.ignored("a/deep/er/out.pkl")
    assert not narrowed.ignore_rules.ignored("a/deep/er/out.csv")
    assert narrowed.ignore_rules.ignored("b/data.csv")  # git's copy of b/.gitignore counts
    assert read == ["b/.gitignore"]
