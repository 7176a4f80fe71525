"""single-author: `paths` (with `!`) and `max_authors`, on real commits by several authors."""

from __future__ import annotations

from typing import Any

from kindtest import V, rule, spec_text

DEV = "research/develop"
ONE: dict[str, Any] = {"kind": "single-author", "paths": [f"{DEV}/**", f"!{DEV}/.gitkeep"]}


def commit_as(repo: Any, who: str, message: str = "work") -> None:
    """Commit everything as `who` (a name; the email is who@example.com), author and committer."""
    repo.git("add", "-A")
    repo.git("-c", f"user.name={who}", "-c", f"user.email={who}@example.com", "commit", "-q", "-m", message)


def authored(repo: Any, path: str, *authors: str) -> None:
    """One commit per author, each changing `path`."""
    for number, who in enumerate(authors):
        repo.write(path, f"version {number} by {who}\n")
        commit_as(repo, who)


def by(*authors: str) -> str:
    return f"was changed by {len(authors)} authors ({', '.join(f'{a}@example.com' for a in sorted(authors))})"


def test_one_author_per_file_passes(repo, lint):
    authored(repo, f"{DEV}/a.py", "jdoe", "jdoe", "jdoe")
    authored(repo, f"{DEV}/b.py", "asmith")
    lint(repo, ONE, expect_code=0).assert_exactly()


def test_a_second_author_fails_by_default(repo, lint):
    authored(repo, f"{DEV}/a.py", "jdoe", "asmith", "jdoe")
    authored(repo, f"{DEV}/b.py", "asmith")
    lint(repo, ONE, expect_code=1).assert_exactly(V("T001", f"{DEV}/a.py", f"'{DEV}/a.py' " + by("asmith", "jdoe")))
    lint(repo, {**ONE, "max_authors": 1}, expect_code=1).assert_exactly(V("T001", f"{DEV}/a.py", by("asmith", "jdoe")))


def test_max_authors_two(repo, lint):
    authored(repo, f"{DEV}/pair.py", "jdoe", "asmith", "asmith")
    authored(repo, f"{DEV}/team.py", "jdoe", "asmith", "bkim")
    authored(repo, f"{DEV}/solo.py", "bkim")
    check = {**ONE, "max_authors": 2}
    lint(repo, check, expect_code=1).assert_exactly(
        V("T001", f"{DEV}/team.py", f"'{DEV}/team.py' " + by("asmith", "bkim", "jdoe"))
    )
    lint(repo, {**ONE, "max_authors": 3}, expect_code=0).assert_exactly()


def test_one_commit_by_several_authors_of_several_files(repo, lint):
    repo.write(f"{DEV}/a.py", "1\n")
    repo.write(f"{DEV}/sub/b.py", "1\n")
    commit_as(repo, "jdoe")
    repo.write(f"{DEV}/a.py", "2\n")
    repo.write(f"{DEV}/sub/b.py", "2\n")
    commit_as(repo, "asmith")
    lint(repo, ONE, expect_code=1).assert_exactly(
        V("T001", f"{DEV}/a.py", by("asmith", "jdoe")), V("T001", f"{DEV}/sub/b.py", by("asmith", "jdoe"))
    )


def test_negation_and_files_outside_paths_are_exempt(repo, lint):
    authored(repo, f"{DEV}/.gitkeep", "jdoe", "asmith")
    authored(repo, "README.md", "jdoe", "asmith")
    authored(repo, f"{DEV}/shared/utils.py", "jdoe", "asmith")
    check = {**ONE, "paths": [f"{DEV}/**", f"!{DEV}/.gitkeep", f"!{DEV}/shared/"]}
    lint(repo, check, expect_code=0).assert_exactly()
    lint(repo, ONE, expect_code=1).assert_exactly(V("T001", f"{DEV}/shared/utils.py", by("asmith", "jdoe")))


def test_the_author_counts_not_the_committer(repo, lint):
    authored(repo, f"{DEV}/a.py", "jdoe")
    repo.write(f"{DEV}/a.py", "applied by asmith\n")
    repo.git("add", "-A")
    repo.git(
        "-c", "user.name=asmith", "-c", "user.email=asmith@example.com",
        "commit", "-q", "-m", "patch", "--author", "jdoe <jdoe@example.com>",
    )  # fmt: skip
    lint(repo, ONE, expect_code=0).assert_exactly()


def test_mailmap_merges_one_persons_addresses(repo, lint):
    authored(repo, f"{DEV}/a.py", "jdoe")
    repo.write(f"{DEV}/a.py", "from the laptop\n")
    repo.git("add", "-A")
    repo.git("-c", "user.name=J Doe", "-c", "user.email=john@laptop.local", "commit", "-q", "-m", "laptop")
    lint(repo, ONE, expect_code=1).assert_exactly(
        V("T001", f"{DEV}/a.py", "was changed by 2 authors (jdoe@example.com, john@laptop.local)")
    )
    repo.write(".mailmap", "jdoe <jdoe@example.com> <john@laptop.local>\n")
    lint(repo, ONE, expect_code=0).assert_exactly()


def test_history_is_read_at_the_current_path(repo, lint):
    authored(repo, f"{DEV}/old.py", "jdoe")
    repo.git("mv", f"{DEV}/old.py", f"{DEV}/new.py")
    commit_as(repo, "asmith", "rename")
    lint(repo, ONE, expect_code=0).assert_exactly()  # jdoe's commit touched old.py, not new.py
    repo.write(f"{DEV}/new.py", "edited again by jdoe\n")
    commit_as(repo, "jdoe")
    lint(repo, ONE, expect_code=1).assert_exactly(V("T001", f"{DEV}/new.py", by("asmith", "jdoe")))


def test_uncommitted_files_have_no_authors_yet(repo, lint):
    authored(repo, f"{DEV}/a.py", "jdoe")
    repo.write(f"{DEV}/b.py", "new\n")
    repo.write(f"{DEV}/a.py", "edited, not committed\n")
    lint(repo, ONE, expect_code=0).assert_exactly()


def test_files_named_on_the_command_line_limit_the_check(repo, lint):
    authored(repo, f"{DEV}/a.py", "jdoe", "asmith")
    authored(repo, f"{DEV}/b.py", "jdoe", "asmith")
    lint(repo, ONE, f"{DEV}/b.py", expect_code=1).assert_exactly(V("T001", f"{DEV}/b.py", by("asmith", "jdoe")))


def test_skipped_in_a_shallow_clone(repo, lint, tmp_path):
    authored(repo, f"{DEV}/a.py", "jdoe", "asmith")
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))

    class Clone:
        root = clone

    found = lint(Clone, ONE, expect_code=0)
    found.assert_exactly()
    assert any(note.startswith("T001") and "shallow clone" in note for note in found.notes), found.notes


def test_max_authors_below_one_is_a_spec_error(repo, cli, tmp_path):
    repo.commit("empty")
    spec = tmp_path / "spec.yaml"
    spec.write_text(spec_text(rule({**ONE, "max_authors": 0})))
    run = cli("check", "--spec", str(spec), cwd=repo.root)
    assert run.code == 2 and run.out == ""
    assert "'rules.0.check.0.max_authors'" in run.err and "greater than or equal to 1" in run.err, run.err


def test_the_log_is_parsed_for_the_files_asked_about():
    from ml_lint.repo.history import _parse_log

    log = b"\0<A@x>\0\na.py\0b.py\0\0<b@x>\0\nb.py\0c.py\0"
    assert _parse_log(log) == {"a.py": {"a@x"}, "b.py": {"a@x", "b@x"}, "c.py": {"b@x"}}
    assert _parse_log(log, of={"b.py"}) == {"b.py": {"a@x", "b@x"}}
