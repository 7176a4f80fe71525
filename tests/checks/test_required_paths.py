"""required-paths: `paths`, files and folders (a trailing `/`), what counts as existing."""

from __future__ import annotations

from typing import Any

from kindtest import V, rule

CHECK: dict[str, Any] = {"kind": "required-paths", "paths": ["README.md", "docs/guide.md", "configs/", "data"]}
# Neutral words (the severity says whether it fails) and the one command that fixes it.
FIX = "`ml-lint init .` creates it (it never overwrites)"


def test_everything_present_passes(repo, lint):
    repo.write("README.md", "# x\n")
    repo.write("docs/guide.md", "guide\n")
    repo.write("configs/.gitkeep")
    repo.write("data/raw/sales.csv", "a\n")  # `data` without a slash: a folder holding a file is fine
    repo.commit()
    lint(repo, CHECK, expect_code=0).assert_exactly()


def test_each_missing_path_is_reported_at_itself(repo, lint):
    repo.write("other.txt", "x\n")
    repo.commit()
    lint(repo, CHECK, expect_code=1).assert_exactly(
        V("T001", "README.md", f"file 'README.md' is missing: {FIX}"),
        V(
            "T001",
            "configs/",
            f"folder 'configs/' is missing (git keeps no empty folder: it needs a .gitkeep): {FIX}",
        ),
        V("T001", "data", f"file 'data' is missing: {FIX}"),
        V("T001", "docs/guide.md", f"file 'docs/guide.md' is missing: {FIX}"),
    )


def test_an_empty_folder_on_disk_does_not_count(repo, lint):
    repo.write("README.md", "# x\n")
    (repo.root / "configs").mkdir()
    repo.commit()
    found = lint(repo, {"kind": "required-paths", "paths": ["configs/", "README.md"]}, expect_code=1)
    found.assert_exactly(V("T001", "configs/", "it needs a .gitkeep"))


def test_a_folder_holding_only_ignored_files_does_not_count(repo, lint):
    repo.write(".gitignore", "configs/\n")
    repo.write("configs/local.yaml", "a: 1\n")
    repo.commit()
    lint(repo, {"kind": "required-paths", "paths": ["configs/"]}, expect_code=1).assert_exactly(V("T001", "configs/"))


def test_untracked_files_count_as_the_repo_has_them(repo, lint):
    repo.commit("empty")
    repo.write("LICENSE", "MIT\n")  # not committed yet, not ignored: about to be
    repo.write("configs/base.yaml", "a: 1\n")
    lint(repo, {"kind": "required-paths", "paths": ["LICENSE", "configs/"]}, expect_code=0).assert_exactly()


def test_a_file_is_not_a_folder(repo, lint):
    repo.write("configs", "not a folder\n")
    repo.commit()
    found = lint(repo, {"kind": "required-paths", "paths": ["configs/", "configs"]}, expect_code=1)
    found.assert_exactly(V("T001", "configs/", "folder 'configs/' is missing"))


def test_an_empty_list_requires_nothing(repo, lint):
    repo.commit("empty")
    lint(repo, {"kind": "required-paths", "paths": []}, expect_code=0).assert_exactly()


def test_warning_severity_passes_unless_strict(repo, lint):
    repo.commit("empty")
    rules = [rule({"kind": "required-paths", "paths": ["LICENSE"]}, severity="warning")]
    lint(repo, rules, expect_code=0).assert_exactly(V("T001", "LICENSE"))
    lint(repo, rules, "--strict", expect_code=1).assert_exactly(V("T001", "LICENSE"))
