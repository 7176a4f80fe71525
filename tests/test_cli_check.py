"""End-to-end `ml-lint check` through the CLI: exit codes, formats, selection."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ml_lint import __version__

EMPTY_NOTEBOOK = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'


def test_clean_template_passes(template, cli):
    run = cli("check", cwd=template.root)
    assert run.code == 0, run.out
    assert run.out.strip() == "All checks passed."


def test_error_fails_and_is_reported_as_contract_line(template, cli):
    template.write("research/develop/Untitled.ipynb", EMPTY_NOTEBOOK)
    run = cli("check", ".", cwd=template.root)
    assert run.code == 1
    line = next(line_ for line_ in run.out.splitlines() if "ML201" in line_)
    assert line.startswith("research/develop/Untitled.ipynb: ML201 [develop-name] 'Untitled.ipynb' does not match")
    assert "Found 2 violations (1 error, 1 warning); 1 fixable with --fix." in run.out  # + the stale .gitkeep


def test_warnings_alone_pass_unless_strict(template, cli):
    template.write("data/scripts/load.py", "print(1)\n")  # data/scripts/.gitkeep is now stale
    assert cli("check", cwd=template.root).code == 0
    assert cli("check", "--strict", cwd=template.root).code == 1


def test_check_from_a_subfolder_finds_the_root(template, cli):
    template.write("production/services/api/main.py")
    run = cli("check", cwd=template.root / "research")
    assert run.code == 1
    assert "production/services/api/: ML402 [service-name]" in run.out


def test_check_given_repo_path(template, cli, tmp_path):
    template.write("LICENSE", "#TODO: license\n")
    run = cli("check", str(template.root), cwd=tmp_path)
    assert "LICENSE:1:1: ML002 [template-placeholder] template marker '#TODO' left in LICENSE" in run.out


def test_json_format(template, cli):
    template.write("research/templates/Model Training.ipynb", "{}")
    run = cli("check", "--format", "json", "--select", "ML203", cwd=template.root)
    data = json.loads(run.out)
    assert data["version"] == 1
    [violation] = data["violations"]
    assert violation == {
        "rule": "ML203",
        "name": "template-name",
        "severity": "error",
        "path": "research/templates/Model Training.ipynb",
        "line": None,
        "column": None,
        "message": violation["message"],
    }
    assert data["summary"]["errors"] == 1 and run.code == 1


def test_select_and_ignore_by_id_or_name(template, cli):
    template.write("research/develop/bad.ipynb", EMPTY_NOTEBOOK)
    template.write("research/templates/Bad.ipynb", EMPTY_NOTEBOOK)
    only = cli("check", "--select", "develop-name", "--format", "json", cwd=template.root)
    assert {v["rule"] for v in json.loads(only.out)["violations"]} == {"ML201"}
    skipped = cli("check", "--ignore", "ML201,ML203", cwd=template.root)
    assert skipped.code == 0


def test_unknown_rule_is_usage_error(template, cli):
    run = cli("check", "--select", "ML999", cwd=template.root)
    assert run.code == 2
    assert "--select: unknown rule 'ML999'. Did you mean 'ML309'?" in run.err  # as ruff does
    assert "Traceback" not in run.err
    run = cli("check", "--select", "nonexistent", cwd=template.root)  # nothing close: the spec's rules
    assert run.code == 2
    assert "--select: unknown rule 'nonexistent'. Rules of spec 'ml-project': ML001, ML002" in run.err
    assert "Traceback" not in run.err


def test_missing_path_is_usage_error(template, cli):
    run = cli("check", "no/such/path", cwd=template.root)
    assert run.code == 2 and "does not exist" in run.err


def test_bad_format_is_usage_error(template, cli):
    assert cli("check", "--format", "xml", cwd=template.root).code == 2


def test_output_file_and_quiet(template, cli, tmp_path):
    template.write("research/develop/bad.ipynb")
    report = tmp_path / "report.txt"
    run = cli("check", "--output", str(report), cwd=template.root)
    assert run.code == 1 and run.out == ""
    assert "ML201" in report.read_text()
    quiet = cli("check", "-q", cwd=template.root)
    assert quiet.out.splitlines() == [line_ for line_ in report.read_text().splitlines() if ": ML" in line_]
    assert any("ML201" in line_ for line_ in quiet.out.splitlines())


def test_files_given_restrict_per_file_rules_but_repo_rules_still_run(template, cli):
    template.write("research/develop/bad-one.ipynb")
    template.write("research/develop/bad-two.ipynb")
    (template.root / "LICENSE").unlink()
    run = cli("check", "research/develop/bad-one.ipynb", cwd=template.root)
    assert "bad-one" in run.out and "bad-two" not in run.out
    assert "LICENSE: ML001" in run.out


def test_outside_git_walks_the_folder_and_honours_gitignore(tmp_path, cli):
    from tests.conftest import Repo

    plain = Repo(tmp_path / "plain")
    plain.root.mkdir()
    plain.template()
    plain.write("data/raw/sales_raw_full_v1.csv", "a,b\n")  # ignored by .gitignore
    plain.write("research/develop/Untitled.ipynb", "{}")
    run = cli("check", cwd=plain.root)
    assert "ML101" not in run.out
    assert "research/develop/Untitled.ipynb: ML201" in run.out


def test_console_script_and_module_entry_points(template):
    version = subprocess.run([sys.executable, "-m", "ml_lint", "--version"], capture_output=True, text=True)
    assert version.stdout.strip() == f"ml-lint {__version__}"
    script = Path(sys.executable).parent / "ml-lint"
    proc = subprocess.run([str(script), "check", str(template.root)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("command", [["-m", "ml_lint"], ["SCRIPT"]])
def test_the_commands_flush_everything_and_exit_with_the_result(template, command):
    """The command leaves without tearing the interpreter down: its output must be whole all the same."""
    argv = [str(Path(sys.executable).parent / "ml-lint")] if command == ["SCRIPT"] else [sys.executable, *command]
    for i in range(800):  # a report longer than a pipe holds
        template.write(f"research/develop/Untitled-{i}.ipynb", EMPTY_NOTEBOOK)
    (template.root / "research/develop/.gitkeep").unlink()
    run = subprocess.run([*argv, "check", "--format", "json"], cwd=template.root, capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    assert len(json.loads(run.stdout)["violations"]) >= 800
    # A reader that goes away early (`| head`) cuts the report, not the exit code, and no traceback.
    reader = subprocess.Popen(["head", "-c", "10"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    cut = subprocess.run([*argv, "check"], cwd=template.root, stdout=reader.stdin, stderr=subprocess.PIPE, text=True)
    reader.stdin.close()
    reader.wait()
    assert cut.returncode == 1 and "Traceback" not in cut.stderr, cut.stderr


def test_rules_lists_every_rule_and_explain_shows_docs(cli, tmp_path):
    from ml_lint.spec.load import load_spec

    listing = cli("rules", cwd=tmp_path)
    ids = [line.split()[0] for line in listing.out.splitlines()]
    assert ids == [r.id for r in load_spec().rules]
    by_id = cli("explain", "ML201", cwd=tmp_path)
    by_name = cli("explain", "develop-name", cwd=tmp_path)
    assert by_id.out == by_name.out
    assert "research/develop" in by_id.out and "fail: Untitled.ipynb" in by_id.out
    assert "{user_id}: lowercase ASCII letters" in by_id.out
    assert cli("explain", "nope", cwd=tmp_path).code == 2


def test_a_symlink_passed_as_path_is_checked_as_itself(template, cli, tmp_path):
    outside = tmp_path / "outside.ipynb"
    outside.write_text(EMPTY_NOTEBOOK)
    (template.root / "research/develop/Untitled.ipynb").symlink_to(outside)
    run = cli("check", "research/develop/Untitled.ipynb", "--select", "ML201", cwd=template.root)
    assert run.code == 1 and "research/develop/Untitled.ipynb: ML201" in run.out


def test_check_options_are_never_abbreviated(template, cli):
    run = cli("check", "--basel", "x", cwd=template.root)
    assert run.code == 2


def test_rules_and_explain_follow_the_repository_config(template, cli):
    template.write(".ml-lint.yaml", "rules:\n  ML304: off\n  ML305: {severity: error}\n")
    listing = cli("rules", cwd=template.root / "research").out.splitlines()
    assert next(line_ for line_ in listing if line_.startswith("ML304")).split()[2] == "off"
    assert next(line_ for line_ in listing if line_.startswith("ML305")).split()[2] == "error"
    assert "ML305 notebook-title (severity: error)" in cli("explain", "ML305", cwd=template.root).out


def test_empty_select_is_a_usage_error(template, cli):
    run = cli("check", "--select", ",", cwd=template.root)
    assert run.code == 2 and "--select needs at least one rule" in run.err


def test_fixable_means_fixable_with_these_options(cli, tmp_path):
    assert "Fixable with --fix: yes" in cli("explain", "ML302", cwd=tmp_path).out
    assert "Fixable with --fix: no" in cli("explain", "ML301", cwd=tmp_path).out
