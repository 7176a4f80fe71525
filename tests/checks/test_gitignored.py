"""gitignored: `folders` must be ignored by the repo's own .gitignore, `keep` names, --fix."""

from __future__ import annotations

from typing import Any

from kindtest import V

DATA: dict[str, Any] = {"kind": "gitignored", "folders": ["data/raw", "data/tmp/"]}


def message(folder: str, *keep: str) -> str:
    wanted = " and ".join(f"'{line}'" for line in [f"{folder}/*", *(f"!{folder}/{k}" for k in keep)])
    return f"the contents of {folder}/ are not ignored: add {wanted} to .gitignore"


def test_ignored_folders_pass(repo, lint):
    repo.write(".gitignore", "data/raw/*\n!data/raw/.gitkeep\ndata/tmp/\n")
    repo.commit()
    lint(repo, DATA, expect_code=0).assert_exactly()


def test_every_unignored_folder_is_reported_at_gitignore(repo, lint):
    repo.write(".gitignore", "data/raw/*\n")
    repo.commit()
    lint(repo, DATA, expect_code=1).assert_exactly(V("T001", ".gitignore", message("data/tmp", ".gitkeep")))
    (repo.root / ".gitignore").unlink()
    lint(repo, DATA, expect_code=1).assert_exactly(
        V("T001", ".gitignore", message("data/raw", ".gitkeep")),
        V("T001", ".gitignore", message("data/tmp", ".gitkeep")),
    )


def test_a_nested_gitignore_counts(repo, lint):
    repo.write("data/raw/.gitignore", "*\n!.gitignore\n")
    repo.write("data/tmp/.gitignore", "*.csv\n")  # only some contents: not enough
    repo.commit()
    lint(repo, DATA, expect_code=1).assert_exactly(V("T001", ".gitignore", message("data/tmp", ".gitkeep")))


def test_a_negation_for_everything_undoes_it(repo, lint):
    repo.write(".gitignore", "data/*\n!data/tmp/\n")
    repo.commit()
    lint(repo, DATA, expect_code=1).assert_exactly(V("T001", ".gitignore", message("data/tmp", ".gitkeep")))


def test_a_developers_global_excludes_do_not_count(repo, lint, tmp_path):
    excludes = tmp_path / "global-excludes"
    excludes.write_text("data/\n")
    repo.git("config", "core.excludesFile", str(excludes))
    repo.write(".gitignore", "data/raw/*\n")
    repo.commit()
    lint(repo, DATA, expect_code=1).assert_exactly(V("T001", ".gitignore", message("data/tmp", ".gitkeep")))


def test_keep_names_the_files_the_message_and_fix_keep(repo, lint):
    repo.commit("empty")
    check = {"kind": "gitignored", "folders": ["models"], "keep": [".gitkeep", "README.md"]}
    lint(repo, check, expect_code=1).assert_exactly(V("T001", ".gitignore", message("models", ".gitkeep", "README.md")))
    check["keep"] = []
    lint(repo, check, expect_code=1).assert_exactly(V("T001", ".gitignore", message("models")))


def test_fix_appends_the_lines_to_the_root_gitignore(repo, lint):
    repo.write(".gitignore", "*.pyc")  # no final newline
    repo.write("data/tmp/.gitignore", "*.csv\n")
    repo.commit()
    check = {"kind": "gitignored", "folders": ["data/raw", "data/tmp"], "keep": [".gitkeep", "README.md"]}
    fixed = lint(repo, check, "--fix", expect_code=0)
    fixed.assert_exactly()
    assert fixed.fixed == ["added data/raw/* to .gitignore", "added data/tmp/* to .gitignore"]
    assert (repo.root / ".gitignore").read_text() == (
        "*.pyc\n"
        "data/raw/*\n!data/raw/.gitkeep\n!data/raw/README.md\n"
        "data/tmp/*\n!data/tmp/.gitkeep\n!data/tmp/README.md\n"
    )
    assert (repo.root / "data/tmp/.gitignore").read_text() == "*.csv\n"
    repo.write("data/raw/sales.csv", "a\n")
    repo.write("data/raw/README.md", "what the raw data is\n")
    assert repo.git("status", "--porcelain", "--untracked-files=all") == " M .gitignore\n?? data/raw/README.md\n"
    lint(repo, check, expect_code=0).assert_exactly()


def test_fix_creates_a_missing_gitignore(repo, lint):
    repo.commit("empty")
    fixed = lint(repo, {"kind": "gitignored", "folders": ["data/raw"]}, "--fix", expect_code=0)
    fixed.assert_exactly()
    assert fixed.fixed == ["added data/raw/* to .gitignore"]
    assert (repo.root / ".gitignore").read_text() == "data/raw/*\n!data/raw/.gitkeep\n"
