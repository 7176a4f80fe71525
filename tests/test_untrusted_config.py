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
        "  check: {kind: naming, folders: [templates],\n"
        "          patterns: ['{name}_{name}_{name}_{name}_{name}_{name}_{name}-tpl']}\n",
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


def test_a_misspelt_key_is_reported_at_its_line_yaml_and_toml(template):
    template.write(".ml-lint.yaml", "extends: ml-project\nrule:\n  ML201: off\n")
    run = ml("check", cwd=template.root)
    assert_clean_error(run)
    assert run.stderr.startswith("ml-lint: error: .ml-lint.yaml:2: invalid configuration at 'rule': unknown key 'rule'")
    template.write(".ml-lint.yaml", "extends: ml-project\nrules:\n  ML201: off\nexclud:\n  - x\n")
    run = ml("check", cwd=template.root)
    assert run.stderr.startswith("ml-lint: error: .ml-lint.yaml:4: invalid configuration at 'exclud'")
    (template.root / ".ml-lint.yaml").unlink()
    template.write(
        "pyproject.toml", '[project]\nname = "x"\n\n[tool.ml-lint]\nextends = "ml-project"\n\nexclud = ["x"]\n'
    )
    run = ml("check", cwd=template.root)
    assert_clean_error(run)
    assert run.stderr.startswith("ml-lint: error: pyproject.toml:7: invalid configuration at 'exclud'")


RULE = (
    "- {{id: {id}, name: {name}, severity: {severity}, summary: s,"
    " check: {{kind: required-paths, paths: [README.md]}}}}\n"
)


def test_a_duplicate_rule_is_reported_at_the_duplicate_as_a_spec_error(repo):
    spec(repo, RULE.format(id="X1", name="a", severity="error") + RULE.format(id="X2", name="b", severity="error")
         + RULE.format(id="X1", name="c", severity="error"))  # fmt: skip
    run = ml("check", cwd=repo.root)
    assert_clean_error(run)
    assert run.stderr.startswith(
        "ml-lint: error: team.yaml:5: invalid spec at 'rules.2.id': two rules have the id 'X1'"
    )


def test_several_spec_problems_are_all_reported(repo):
    spec(repo, RULE.format(id="X1", name="a", severity="fatal") + RULE.format(id="X2", name="b", severity="error")
         + RULE.format(id="X3", name="c", severity="loud"))  # fmt: skip
    run = ml("check", cwd=repo.root)
    assert_clean_error(run)
    assert "team.yaml:3: invalid spec at 'rules.0.severity'" in run.stderr
    assert "and 1 more problem:\n  team.yaml:5: at 'rules.2.severity'" in run.stderr


def test_fix_claims_only_what_it_did_and_exits_with_what_remains(template):
    # data/raw/* is there, but a later line undoes it: appending it again changes nothing.
    template.write(".gitignore", (template.root / ".gitignore").read_text() + "!data/raw/*\n")
    before = (template.root / ".gitignore").read_bytes()
    run = ml("check", "--fix", cwd=template.root)
    assert run.returncode == 1, run.stdout
    assert "Fixed: added data/raw/*" not in run.stdout
    assert ".gitignore: ML102 [non-pushable-not-ignored] the contents of data/raw/ are not ignored" in run.stdout
    assert (template.root / ".gitignore").read_bytes() == before
