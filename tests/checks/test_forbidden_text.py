"""forbidden-text: `files` (missing ones skipped) and `markers` (case-sensitive, first per line)."""

from __future__ import annotations

from typing import Any

from kindtest import V

CHECK: dict[str, Any] = {
    "kind": "forbidden-text",
    "files": ["README.md", "docs/notes.md"],
    "markers": ["#TODO", "FIXME"],
}


def test_clean_files_pass(repo, lint):
    repo.write("README.md", "# Churn\nTODO later, #todo is fine: markers are case-sensitive\n")
    repo.write("docs/notes.md", "fixme\n")
    repo.commit()
    lint(repo, CHECK, expect_code=0).assert_exactly()


def test_one_violation_per_line_at_the_first_marker(repo, lint):
    repo.write("README.md", "# Title\n#TODO: Overview\nok\n  see FIXME and #TODO\nFIXME FIXME\n")
    repo.commit()
    lint(repo, CHECK, expect_code=1).assert_exactly(
        V("T001", "README.md", "template marker '#TODO' left in README.md", line=2, column=1),
        V("T001", "README.md", "template marker 'FIXME' left in README.md", line=4, column=7),
        V("T001", "README.md", "template marker 'FIXME' left in README.md", line=5, column=1),
    )


def test_every_listed_file_is_scanned_and_only_those(repo, lint):
    repo.write("README.md", "ok\n")
    repo.write("docs/notes.md", "\n\nFIXME: write\n")
    repo.write("docs/other.md", "#TODO\n")  # not listed
    repo.commit()
    lint(repo, CHECK, expect_code=1).assert_exactly(
        V("T001", "docs/notes.md", "template marker 'FIXME' left in docs/notes.md", line=3, column=1)
    )


def test_missing_and_ignored_files_are_skipped(repo, lint):
    repo.write(".gitignore", "docs/\n")
    repo.write("docs/notes.md", "#TODO\n")  # ignored: not a file of the repo
    repo.commit()
    lint(repo, CHECK, expect_code=0).assert_exactly()


def test_untracked_files_are_scanned(repo, lint):
    repo.commit("empty")
    repo.write("README.md", "#TODO: Overview\n")
    lint(repo, CHECK, expect_code=1).assert_exactly(V("T001", "README.md", "'#TODO'", line=1, column=1))


def test_undecodable_bytes_do_not_hide_a_marker(repo, lint):
    repo.write("README.md", b"\xff\xfe caf\xe9\nFIXME\r\n")
    repo.commit()
    lint(repo, CHECK, expect_code=1).assert_exactly(V("T001", "README.md", "'FIXME'", line=2, column=1))


def test_an_empty_file_list_checks_nothing(repo, lint):
    repo.write("README.md", "#TODO\n")
    repo.commit()
    lint(repo, {"kind": "forbidden-text", "files": [], "markers": ["#TODO"]}, expect_code=0).assert_exactly()
