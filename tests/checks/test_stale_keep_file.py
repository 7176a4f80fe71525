"""stale-keep-file: `name` (default .gitkeep), what counts as other content, and --fix."""

from __future__ import annotations

from typing import Any

from kindtest import V

DEFAULT: dict[str, Any] = {"kind": "stale-keep-file"}


def test_keep_files_alone_in_their_folders_pass(repo, lint):
    repo.write("data/raw/.gitkeep")
    repo.write("data/tmp/.gitkeep")
    repo.write("README.md", "x\n")
    repo.commit()
    lint(repo, DEFAULT, expect_code=0).assert_exactly()


def test_a_keep_file_next_to_other_files_is_stale(repo, lint):
    repo.write("data/scripts/.gitkeep")
    repo.write("data/scripts/download.py", "x\n")
    repo.write("data/.gitkeep")  # data/ has files below it, in subfolders
    repo.write("configs/.gitkeep")
    repo.commit()
    lint(repo, DEFAULT, expect_code=1).assert_exactly(
        V("T001", "data/.gitkeep", ".gitkeep is no longer needed: data/ has other files"),
        V("T001", "data/scripts/.gitkeep", ".gitkeep is no longer needed: data/scripts/ has other files"),
    )


def test_at_the_repository_root(repo, lint):
    repo.write(".gitkeep")
    repo.write("README.md", "x\n")
    repo.commit()
    lint(repo, DEFAULT, expect_code=1).assert_exactly(
        V("T001", ".gitkeep", ".gitkeep is no longer needed: the repository root has other files")
    )


def test_untracked_files_count_ignored_ones_do_not(repo, lint):
    repo.write(".gitignore", "*.csv\n")
    repo.write("data/raw/.gitkeep")
    repo.commit()
    repo.write("data/raw/sales.csv", "a\n")  # ignored
    lint(repo, DEFAULT, expect_code=0).assert_exactly()
    repo.write("data/raw/notes.md", "x\n")  # untracked, not ignored
    lint(repo, DEFAULT, expect_code=1).assert_exactly(V("T001", "data/raw/.gitkeep", "data/raw/ has other files"))


def test_name_option(repo, lint):
    repo.write("a/.keep")
    repo.write("a/main.py", "x\n")
    repo.write("b/.gitkeep")
    repo.write("b/main.py", "x\n")  # .gitkeep is not the placeholder of this spec
    repo.write("c/my.keep")  # ends with the name but is not named it
    repo.write("c/main.py", "x\n")
    repo.commit()
    lint(repo, {"kind": "stale-keep-file", "name": ".keep"}, expect_code=1).assert_exactly(
        V("T001", "a/.keep", ".keep is no longer needed: a/ has other files")
    )
    lint(repo, DEFAULT, expect_code=1).assert_exactly(V("T001", "b/.gitkeep", ".gitkeep is no longer needed"))


def test_fix_deletes_the_stale_placeholder_only(repo, lint):
    repo.write("data/scripts/.gitkeep")
    repo.write("data/scripts/download.py", "x\n")
    repo.write("data/raw/.gitkeep")
    repo.commit()
    fixed = lint(repo, DEFAULT, "--fix", expect_code=0)
    fixed.assert_exactly()
    assert fixed.fixed == ["deleted data/scripts/.gitkeep"]
    assert not (repo.root / "data/scripts/.gitkeep").exists()
    assert (repo.root / "data/scripts/download.py").read_text() == "x\n"
    assert (repo.root / "data/raw/.gitkeep").exists()
    lint(repo, DEFAULT, expect_code=0).assert_exactly()
