"""A pull request's own config and spec are untrusted (issue 13): they can never
hang, crash or reach outside the repository.

Every run is the CLI in a subprocess under a time limit; a hang fails the test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

LIMIT = 20  # seconds: each run below takes well under one


def ml(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ml_lint", *args], cwd=cwd, capture_output=True, text=True, timeout=LIMIT, env=os.environ
    )


def spec(repo, rules: str, placeholders: str = "") -> None:
    repo.write(".ml-lint.yaml", "extends: team.yaml\n")
    repo.write("team.yaml", f"name: team\n{placeholders}rules:\n{rules}")


def assert_clean_error(run: subprocess.CompletedProcess) -> None:
    assert run.returncode == 2, run.stdout
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr


def test_composed_placeholders_cannot_backtrack(repo):
    spec(
        repo,
        "- id: T1\n  name: tpl-name\n  severity: error\n  summary: templates are named\n"
        "  check: {kind: naming, folders: [templates], patterns: ['{name}_{name}_{name}_{name}_{name}_{name}_{name}-tpl']}\n",
        placeholders="placeholders:\n  name: {regex: '[a-z_]+'}\n",
    )
    bad, good = "a_" * 100, "a_" * 99 + "a-tpl"
    repo.write(f"templates/{bad}", "x")
    repo.write(f"templates/{good}", "x")
    start = time.perf_counter()
    run = ml("check", "--format", "json", cwd=repo.root)
    assert time.perf_counter() - start < 10
    assert [(v["rule"], v["path"]) for v in json.loads(run.stdout)["violations"]] == [("T1", f"templates/{bad}")]


def test_braces_in_a_message_are_text(repo):
    message = "{path}: name datasets {ds_name}_{version} (see {docs"
    spec(
        repo,
        "- id: T2\n  name: no-data\n  severity: error\n  summary: no datasets\n"
        f"  check: {{kind: forbidden-paths, paths: ['data/**'], message: '{message}'}}\n",
    )
    repo.write("data/sales.csv", "a\n")
    run = ml("check", "--format", "json", cwd=repo.root)
    assert run.returncode == 1, run.stderr
    [violation] = json.loads(run.stdout)["violations"]
    assert violation["message"] == "data/sales.csv: name datasets {ds_name}_{version} (see {docs"


def test_an_invalid_range_in_the_repos_gitignore_is_skipped_like_git(template):
    template.write(".gitignore", "[z-a]\n" + (template.root / ".gitignore").read_text())
    run = ml("check", "--format", "json", cwd=template.root)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["violations"] == []


def test_an_invalid_range_in_exclude_is_a_located_config_error(template):
    template.write(".ml-lint.yaml", "rules:\n  ML304: off\nexclude:\n  - '[z-a]'\n")
    run = ml("check", cwd=template.root)
    assert_clean_error(run)
    assert ".ml-lint.yaml:" in run.stderr and "exclude" in run.stderr and "[z-a]" in run.stderr


def test_an_invalid_range_in_per_path_ignores_is_a_config_error(template):
    template.write(".ml-lint.yaml", "per-path-ignores:\n  '[z-a]': [ML201]\n")
    run = ml("check", cwd=template.root)
    assert_clean_error(run)
    assert ".ml-lint.yaml:" in run.stderr and "[z-a]" in run.stderr


def test_init_never_creates_outside_the_repository(repo, tmp_path):
    spec(
        repo,
        "- id: T3\n  name: layout\n  severity: error\n  summary: layout\n"
        "  check: {kind: required-paths, paths: ['../OUTSIDE/', README.md]}\n",
    )
    run = ml("init", ".", cwd=repo.root)
    assert_clean_error(run)
    assert "'../OUTSIDE/' leaves the repository" in run.stderr
    assert not (tmp_path / "OUTSIDE").exists()


def test_a_naming_folder_outside_the_repository_is_a_spec_error(repo):
    spec(
        repo,
        "- id: T4\n  name: etc\n  severity: error\n  summary: etc\n"
        "  check: {kind: naming, folders: ['../../../../etc'], include_ignored: true, patterns: ['x']}\n",
    )
    run = ml("check", cwd=repo.root)
    assert_clean_error(run)
    assert "leaves the repository" in run.stderr and "passwd" not in run.stdout + run.stderr


def test_absolute_and_drive_letter_paths_are_spec_errors(repo):
    for path in ("/etc", "C:/Windows", "C:\\\\Windows"):
        spec(
            repo,
            "- id: T5\n  name: abs\n  severity: error\n  summary: abs\n"
            f"  check: {{kind: required-paths, paths: ['{path}']}}\n",
        )
        run = ml("check", cwd=repo.root)
        assert_clean_error(run)
        assert "leaves the repository" in run.stderr
