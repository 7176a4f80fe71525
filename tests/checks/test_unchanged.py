"""unchanged: `paths` (with `!`), in the worktree, --staged and --base comparisons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kindtest import V, code, notebook

DELIVER = "deliver/2024-05-01_churn.ipynb"
CHECK: dict[str, Any] = {"kind": "unchanged", "paths": ["deliver/**", "!deliver/.gitkeep", "!deliver/README.md"]}


def delivered(repo: Any) -> Any:
    """A repo with a committed delivery notebook, an exempt README and an unprotected file."""
    repo.notebook(DELIVER, notebook("# Churn", code("x = 1", 1, "1")))
    repo.write("deliver/README.md", "deliveries\n")
    repo.write("deliver/.gitkeep")
    repo.write("src/model.py", "x = 1\n")
    repo.commit("deliver")
    return repo


def test_nothing_changed_passes(repo, lint):
    delivered(repo)
    lint(repo, CHECK, expect_code=0).assert_exactly()
    lint(repo, CHECK, "--staged", expect_code=0).assert_exactly()


def test_new_files_exempt_files_and_other_files_may_change(repo, lint):
    delivered(repo)
    repo.notebook("deliver/2024-06-01_churn-v2.ipynb", notebook("# v2"))
    repo.write("deliver/README.md", "changed\n")
    (repo.root / "deliver/.gitkeep").unlink()
    repo.write("src/model.py", "x = 2\n")
    lint(repo, CHECK, expect_code=0).assert_exactly()
    repo.git("add", "-A")
    lint(repo, CHECK, "--staged", expect_code=0).assert_exactly()
    repo.commit("more")
    lint(repo, CHECK, "--base", "HEAD~1", expect_code=0).assert_exactly()


def test_worktree_modification_and_deletion(repo, lint):
    delivered(repo)
    repo.write("deliver/extra.txt", "x\n")
    repo.commit("extra")
    Path(repo.root / DELIVER).write_text(Path(repo.root / DELIVER).read_text() + "\n")
    (repo.root / "deliver/extra.txt").unlink()
    lint(repo, CHECK, expect_code=1).assert_exactly(
        V("T001", DELIVER, f"'{DELIVER}' was modified since the last commit"),
        V("T001", "deliver/extra.txt", "'deliver/extra.txt' was deleted since the last commit"),
    )


def test_staged_looks_at_the_index_only(repo, lint):
    delivered(repo)
    repo.write(DELIVER, "{}")  # modified in the worktree, not staged
    lint(repo, CHECK, "--staged", expect_code=0).assert_exactly()
    lint(repo, CHECK, expect_code=1).assert_exactly(V("T001", DELIVER, "was modified since the last commit"))
    repo.git("add", DELIVER)
    lint(repo, CHECK, "--staged", expect_code=1).assert_exactly(
        V("T001", DELIVER, f"'{DELIVER}' was modified in the staged changes")
    )


def test_a_staged_rename_is_reported_at_the_old_path(repo, lint):
    delivered(repo)
    repo.git("mv", DELIVER, "deliver/2024-05-01_renamed.ipynb")
    message = f"'{DELIVER}' was renamed to 'deliver/2024-05-01_renamed.ipynb' in the staged changes"
    lint(repo, CHECK, "--staged", expect_code=1).assert_exactly(V("T001", DELIVER, message))


def test_a_staged_deletion(repo, lint):
    delivered(repo)
    repo.git("rm", "-q", DELIVER)
    lint(repo, CHECK, "--staged", expect_code=1).assert_exactly(
        V("T001", DELIVER, f"'{DELIVER}' was deleted in the staged changes")
    )


def test_a_type_change_counts(repo, lint):
    delivered(repo)
    target = repo.root / DELIVER
    target.unlink()
    target.symlink_to("../src/model.py")
    repo.git("add", DELIVER)
    lint(repo, CHECK, "--staged", expect_code=1).assert_exactly(
        V("T001", DELIVER, "was modified in the staged changes")
    )


def test_base_compares_head_with_the_merge_base(repo, lint):
    delivered(repo)
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(DELIVER, "{}")
    repo.commit("re-run the delivery")
    repo.git("checkout", "-q", "main")
    repo.write("src/other.py", "x\n")
    repo.commit("main moves on")
    repo.git("checkout", "-q", "feature")
    lint(repo, CHECK, expect_code=0).assert_exactly()  # committed: nothing changed since HEAD
    lint(repo, CHECK, "--base", "main", expect_code=1).assert_exactly(
        V("T001", DELIVER, f"'{DELIVER}' was modified since main")
    )
    repo.git("checkout", "-q", "-b", "other", "main")
    repo.git("mv", DELIVER, "deliver/moved.ipynb")
    repo.commit("move it")
    lint(repo, CHECK, "--base", "feature", expect_code=1).assert_exactly(
        V("T001", DELIVER, f"'{DELIVER}' was renamed to 'deliver/moved.ipynb' since feature")
    )


def test_base_ignores_uncommitted_changes(repo, lint):
    delivered(repo)
    repo.write(DELIVER, "{}")
    lint(repo, CHECK, "--base", "HEAD", expect_code=0).assert_exactly()


def test_a_notebook_cannot_opt_out(repo, lint):
    delivered(repo)
    nb = notebook("# Churn", code("x = 2", 2, "2"))
    nb.metadata["ml-lint"] = {"ignore": ["T001"]}
    repo.notebook(DELIVER, nb)
    lint(repo, CHECK, expect_code=1).assert_exactly(V("T001", DELIVER, "was modified since the last commit"))


def test_skipped_outside_git(tmp_path, lint):
    class Folder:
        root = tmp_path / "plain"

    Folder.root.mkdir()
    (Folder.root / "deliver").mkdir()
    (Folder.root / "deliver/x.ipynb").write_text("{}")
    found = lint(Folder, CHECK, expect_code=0)
    found.assert_exactly()
    assert any("T001" in note and "not a git repository" in note for note in found.notes), found.notes
