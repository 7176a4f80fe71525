"""naming: `folders` (with `*` segments), `patterns`, `entries`, `skip`, `include_ignored`."""

from __future__ import annotations

from typing import Any

from kindtest import V

PLACEHOLDERS: dict[str, Any] = {
    "date": {
        "regex": "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        "date": "%Y-%m-%d",
        "description": "a real calendar date",
        "example": "2024-05-01",
    },
    "user": {"regex": "[a-z]+", "description": "lowercase letters", "example": "jdoe"},
    "desc": {"regex": "[a-z0-9]+(?:-[a-z0-9]+)*"},
}
TEMPLATE = "{date}_{user}_{desc}"


def naming(**options: Any) -> dict[str, Any]:
    return {"kind": "naming", "folders": ["dev"], "patterns": [TEMPLATE], **options}


def mismatch(name: str, reason: str, expected: str = TEMPLATE) -> str:
    return f"'{name}' does not match {expected}: {reason}"


def test_good_names_pass_dotfiles_are_not_entries(repo, lint):
    repo.write("dev/2024-05-01_jdoe_sales-eda.ipynb", "{}")
    repo.write("dev/2024-05-01_jdoe_sales.tar.gz", "x")  # an extension is optional, and may have dots
    repo.write("dev/2024-05-01_asmith_model/Anything Goes.py", "x")  # a folder; its contents are not entries
    repo.write("dev/.gitkeep")
    repo.write("dev/.ipynb_checkpoints/Untitled-checkpoint.ipynb", "{}")
    repo.write("Untitled.ipynb", "{}")  # not in a checked folder
    repo.commit()
    lint(repo, naming(), placeholders=PLACEHOLDERS, expect_code=0).assert_exactly()


def test_each_bad_name_says_what_is_wrong(repo, lint):
    repo.write("dev/2024-05-01_JD_x.py", "x")
    repo.write("dev/2024-13-01_jdoe_x.ipynb", "{}")
    repo.write("dev/Untitled.ipynb", "{}")
    repo.write("dev/old stuff/a.py", "x")
    repo.commit()
    user = "expected {user} (lowercase letters, e.g. jdoe) at 'JD_x.py'"
    date = "date '2024-13-01' is not a valid date ({date})"
    start = "expected {date} (a real calendar date, e.g. 2024-05-01)"
    lint(repo, naming(), placeholders=PLACEHOLDERS, expect_code=1).assert_exactly(
        V("T001", "dev/2024-05-01_JD_x.py", mismatch("2024-05-01_JD_x.py", user)),
        V("T001", "dev/2024-13-01_jdoe_x.ipynb", mismatch("2024-13-01_jdoe_x.ipynb", date)),
        V("T001", "dev/Untitled.ipynb", mismatch("Untitled.ipynb", start)),
        V("T001", "dev/old stuff/", mismatch("old stuff", "expected {date}")),
    )


def test_several_patterns_any_one_matches(repo, lint):
    repo.write("dev/US12_2024-05-01_jdoe_x.ipynb", "{}")  # the first pattern
    repo.write("dev/2024-05-01_jdoe_x.ipynb", "{}")  # the second
    repo.write("dev/US_2024-05-01_jdoe_x.ipynb", "{}")  # neither
    repo.commit()
    placeholders = {**PLACEHOLDERS, "id": {"regex": "[0-9]+", "description": "digits"}}
    check = naming(patterns=["US{id}_" + TEMPLATE, TEMPLATE])
    lint(repo, check, placeholders=placeholders, expect_code=1).assert_exactly(
        V(
            "T001",
            "dev/US_2024-05-01_jdoe_x.ipynb",
            f"'US_2024-05-01_jdoe_x.ipynb' does not match US{{id}}_{TEMPLATE} or {TEMPLATE}: expected {{id}} (digits)",
        )
    )


def test_plain_words_match_literally(repo, lint):
    repo.write("production/src/pkg.py", "x")
    repo.write("production/tests/test_a.py", "x")
    repo.write("production/scripts/run.sh", "x")
    repo.write("production/README.md", "x")  # an extension is optional: README matches README.md
    repo.commit()
    check = {"kind": "naming", "folders": ["production"], "patterns": ["src", "tests", "README"]}
    lint(repo, check, expect_code=1).assert_exactly(
        V("T001", "production/scripts/", "'scripts' does not match src or tests or README")
    )


def test_entries_files_folders_and_all(repo, lint):
    repo.write("dev/Bad File.py", "x")
    repo.write("dev/Bad Folder/a.py", "x")
    repo.write("dev/2024-05-01_jdoe_ok.py", "x")
    repo.commit()
    both = [V("T001", "dev/Bad File.py", mismatch("Bad File.py", "expected {date}")), V("T001", "dev/Bad Folder/")]
    lint(repo, naming(), placeholders=PLACEHOLDERS, expect_code=1).assert_exactly(*both)
    lint(repo, naming(entries="all"), placeholders=PLACEHOLDERS, expect_code=1).assert_exactly(*both)
    lint(repo, naming(entries="files"), placeholders=PLACEHOLDERS, expect_code=1).assert_exactly(both[0])
    lint(repo, naming(entries="folders"), placeholders=PLACEHOLDERS, expect_code=1).assert_exactly(both[1])


def test_skip_exempts_entries_by_repo_relative_path(repo, lint):
    repo.write("dev/runs/x.txt", "x")
    repo.write("dev/README.md", "x")
    repo.write("dev/Untitled.ipynb", "{}")
    repo.write("other/runs/x.txt", "x")
    repo.commit()
    check = naming(folders=["dev", "other"], skip=["dev/runs/", "dev/README.md"])
    lint(repo, check, placeholders=PLACEHOLDERS, expect_code=1).assert_exactly(
        V("T001", "dev/Untitled.ipynb"),
        V("T001", "other/runs/", mismatch("runs", "expected {date}")),  # same name elsewhere: still checked
    )
    lint(repo, naming(skip=["runs"]), placeholders=PLACEHOLDERS, expect_code=1).assert_exactly(
        V("T001", "dev/README.md", mismatch("README.md", "expected {date}")),
        V("T001", "dev/Untitled.ipynb", mismatch("Untitled.ipynb", "expected {date}")),
    )  # a gitignore pattern without a slash matches the name at any depth, as in .gitignore


def test_ignored_files_are_not_checked_by_default(repo, lint):
    repo.write(".gitignore", "data/raw/*\n!data/raw/.gitkeep\n")
    repo.write("data/raw/.gitkeep")
    repo.write("data/raw/sales_raw_v1.csv", "a")
    repo.write("data/raw/Data.csv", "a")
    repo.commit()
    check = {"kind": "naming", "folders": ["data/raw"], "patterns": ["{desc}_{desc}_v{desc}"]}
    lint(repo, check, placeholders=PLACEHOLDERS, expect_code=0).assert_exactly()
    lint(repo, {**check, "include_ignored": False}, placeholders=PLACEHOLDERS, expect_code=0).assert_exactly()


def test_include_ignored_checks_local_files_on_disk(repo, lint):
    repo.write(".gitignore", "data/raw/*\n!data/raw/.gitkeep\ndata/tmp/\n")
    repo.write("data/raw/.gitkeep")
    repo.write("data/raw/sales_raw_v1.csv", "a")
    repo.write("data/raw/Data.csv", "a")
    repo.write("data/raw/dump/part-0.csv", "a")  # an ignored folder: an entry too
    repo.write("data/tmp/Scratch.csv", "a")  # a folder holding only ignored files is still checked
    repo.commit()
    check = {
        "kind": "naming",
        "folders": ["data/raw", "data/tmp"],
        "patterns": ["{desc}_{desc}_v{desc}"],
        "include_ignored": True,
    }
    lint(repo, check, placeholders=PLACEHOLDERS, expect_code=1).assert_exactly(
        V("T001", "data/raw/Data.csv", "'Data.csv' does not match {desc}_{desc}_v{desc}"),
        V("T001", "data/raw/dump/", "'dump' does not match"),
        V("T001", "data/tmp/Scratch.csv", "'Scratch.csv' does not match"),
    )


def test_wildcard_folders(repo, lint):
    repo.write("jobs/training/train-job/main.py", "x")
    repo.write("jobs/training/Train Job/main.py", "x")
    repo.write("jobs/inference/score-job/main.py", "x")
    repo.write("jobs/inference/scorer/main.py", "x")
    repo.write("jobs/README.md", "x")  # jobs/ itself is not checked
    repo.write("core-lib/Module.py", "x")
    repo.write("util-lib/helpers.py", "x")
    repo.write("app-service/Main.py", "x")  # not a *-lib
    repo.commit()
    check = {
        "kind": "naming",
        "folders": ["jobs/*", "*-lib"],
        "patterns": ["{desc}-job", "{desc}.py"],
    }
    lint(repo, check, placeholders=PLACEHOLDERS, expect_code=1).assert_exactly(
        V("T001", "core-lib/Module.py", "'Module.py' does not match {desc}-job or {desc}.py"),
        V("T001", "jobs/inference/scorer/", "'scorer' does not end in '-job' or '.py'"),
        V("T001", "jobs/training/Train Job/", "'Train Job' does not end in '-job' or '.py'"),
    )


def test_untracked_entries_are_checked(repo, lint):
    repo.write("dev/.gitkeep")
    repo.commit()
    repo.write("dev/Untitled.ipynb", "{}")
    lint(repo, naming(), placeholders=PLACEHOLDERS, expect_code=1).assert_exactly(V("T001", "dev/Untitled.ipynb"))


def test_files_named_on_the_command_line_limit_the_check(repo, lint):
    repo.write("dev/Untitled.ipynb", "{}")
    repo.write("dev/Untitled1.ipynb", "{}")
    repo.write("dev/Bad Folder/a.py", "x")
    repo.commit()
    check = naming()
    found = lint(repo, check, "dev/Untitled1.ipynb", placeholders=PLACEHOLDERS, expect_code=1)
    found.assert_exactly(V("T001", "dev/Untitled1.ipynb"))
    found = lint(repo, check, "dev/Bad Folder/a.py", placeholders=PLACEHOLDERS, expect_code=1)
    found.assert_exactly(V("T001", "dev/Bad Folder/"))  # a file inside a badly named folder
