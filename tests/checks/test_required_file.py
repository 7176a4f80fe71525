"""required-file: `folders` (with `*` segments) must each hold one of `any_of`."""

from __future__ import annotations

from typing import Any

from kindtest import V

JOBS: dict[str, Any] = {"kind": "required-file", "folders": ["jobs/*"], "any_of": ["Dockerfile", "Containerfile"]}


def test_every_folder_with_one_of_the_files_passes(repo, lint):
    repo.write("jobs/train/Dockerfile", "FROM python\n")
    repo.write("jobs/score/Containerfile", "FROM python\n")  # the second name of any_of is as good
    repo.commit()
    lint(repo, JOBS, expect_code=0).assert_exactly()


def test_a_folder_without_any_is_reported_at_the_first_name(repo, lint):
    repo.write("jobs/train/Dockerfile", "FROM python\n")
    repo.write("jobs/score/main.py", "print(1)\n")
    repo.write("jobs/serve/sub/Dockerfile", "FROM python\n")  # deeper down does not count
    repo.write("jobs/README.md", "jobs\n")  # a file, not a folder of jobs/*
    repo.commit()
    lint(repo, JOBS, expect_code=1).assert_exactly(
        V("T001", "jobs/score/Dockerfile", "jobs/score/ has no Dockerfile or Containerfile"),
        V("T001", "jobs/serve/Dockerfile", "jobs/serve/ has no Dockerfile or Containerfile"),
    )


def test_one_name_in_any_of(repo, lint):
    repo.write("lib/pyproject.toml", "[project]\n")
    repo.write("lib/Dockerfile", "FROM python\n")
    repo.commit()
    lint(repo, {"kind": "required-file", "folders": ["lib"], "any_of": ["setup.py"]}, expect_code=1).assert_exactly(
        V("T001", "lib/setup.py", "lib/ has no setup.py")
    )


def test_wildcards_inside_a_segment_and_several_levels(repo, lint):
    repo.write("production/jobs/training/train-job/main.py", "x\n")
    repo.write("production/jobs/training/eval-job/Dockerfile", "x\n")
    repo.write("production/core-lib/pkg/__init__.py", "")
    repo.write("production/api-service/Dockerfile", "x\n")  # not a *-lib
    repo.commit()
    check = {
        "kind": "required-file",
        "folders": ["production/jobs/*/*", "production/*-lib"],
        "any_of": ["Dockerfile", "pyproject.toml"],
    }
    lint(repo, check, expect_code=1).assert_exactly(
        V("T001", "production/core-lib/Dockerfile", "production/core-lib/ has no Dockerfile or pyproject.toml"),
        V("T001", "production/jobs/training/train-job/Dockerfile", "training/train-job/ has no Dockerfile"),
    )


def test_folders_that_do_not_exist_are_not_required(repo, lint):
    repo.write("README.md", "x\n")
    repo.commit()
    lint(
        repo, {"kind": "required-file", "folders": ["jobs/*", "lib"], "any_of": ["Dockerfile"]}, expect_code=0
    ).assert_exactly()


def test_an_untracked_file_satisfies_it_an_ignored_one_does_not(repo, lint):
    repo.write(".gitignore", "*.local\n")
    repo.write("jobs/a/main.py", "x\n")
    repo.write("jobs/b/main.py", "x\n")
    repo.commit()
    repo.write("jobs/a/Dockerfile", "FROM python\n")
    repo.write("jobs/b/Dockerfile.local", "FROM python\n")
    check = {"kind": "required-file", "folders": ["jobs/*"], "any_of": ["Dockerfile", "Dockerfile.local"]}
    lint(repo, check, expect_code=1).assert_exactly(V("T001", "jobs/b/Dockerfile", "jobs/b/ has no"))
