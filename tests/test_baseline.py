"""Baselines through the CLI: record a legacy repo's violations, fail only on new ones."""

from __future__ import annotations

import json

import nbformat
import pytest

# A valid notebook with a title: only the rule under test has something to say.
NOTEBOOK = nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title")]))


@pytest.fixture
def legacy(template):
    """A committed template with two old violations: an ML201 name and two ML002 markers."""
    template.write("README.md", "# Churn\n#TODO: Overview\n\n#TODO: Setup\n")
    template.write("research/develop/Untitled.ipynb", NOTEBOOK)
    (template.root / "research/develop/.gitkeep").unlink()
    template.commit("legacy")
    return template


def test_write_baseline_records_and_passes(legacy, cli):
    assert cli("check", cwd=legacy.root).code == 1
    run = cli("check", "--write-baseline", "baseline.json", cwd=legacy.root)
    assert run.code == 0
    assert "Recorded 3 violations in baseline.json." in run.out
    data = json.loads((legacy.root / "baseline.json").read_text())
    assert data["version"] == 2
    assert sorted(e["rule"] for e in data["violations"]) == ["ML002", "ML002", "ML201"]


def test_baseline_hides_recorded_and_counts_them(legacy, cli):
    cli("check", "--write-baseline", "baseline.json", cwd=legacy.root)
    run = cli("check", "--baseline", "baseline.json", cwd=legacy.root)
    assert run.code == 0, run.out
    assert "3 baselined violations hidden." in run.out
    summary = json.loads(cli("check", "--baseline", "baseline.json", "--format", "json", cwd=legacy.root).out)[
        "summary"
    ]
    assert summary["baselined"] == 3


def test_new_violation_fails_alone(legacy, cli):
    cli("check", "--write-baseline", "baseline.json", cwd=legacy.root)
    legacy.write("research/develop/notes.ipynb", NOTEBOOK)
    run = cli("check", "--baseline", "baseline.json", "--format", "json", cwd=legacy.root)
    assert run.code == 1
    assert [v["path"] for v in json.loads(run.out)["violations"]] == ["research/develop/notes.ipynb"]


def test_stable_across_unrelated_edits_that_move_lines(legacy, cli):
    cli("check", "--write-baseline", "baseline.json", cwd=legacy.root)
    legacy.write("README.md", "# Churn\n\nA new intro paragraph.\n\n#TODO: Overview\n\n#TODO: Setup\n")
    assert cli("check", "--baseline", "baseline.json", cwd=legacy.root).code == 0


def test_duplicates_are_counted(legacy, cli):
    cli("check", "--write-baseline", "baseline.json", cwd=legacy.root)
    legacy.write("README.md", "# Churn\n#TODO: Overview\n\n#TODO: Setup\n#TODO: Usage\n")
    run = cli("check", "--baseline", "baseline.json", "--format", "json", "--strict", cwd=legacy.root)
    assert run.code == 1
    [new] = json.loads(run.out)["violations"]
    assert new["rule"] == "ML002"
    assert json.loads(run.out)["summary"]["baselined"] == 3


def test_fixed_violations_simply_disappear(legacy, cli):
    cli("check", "--write-baseline", "baseline.json", cwd=legacy.root)
    (legacy.root / "research/develop/Untitled.ipynb").rename(legacy.root / "research/develop/2024-05-01_jdoe_eda.ipynb")
    run = cli("check", "--baseline", "baseline.json", "--format", "json", cwd=legacy.root)
    assert run.code == 0 and json.loads(run.out)["summary"]["baselined"] == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("not json", "is not an ml-lint baseline (version 2)"),
        ('{"version": 99, "violations": []}', "is not an ml-lint baseline (version 2)"),
        ('{"version": 1, "violations": [{"rule": "ML001"}]}', "has a malformed entry"),
        ("[]", "is not an ml-lint baseline"),
    ],
)
def test_bad_baseline_is_exit_2(legacy, cli, content, expected):
    legacy.write("baseline.json", content)
    run = cli("check", "--baseline", "baseline.json", cwd=legacy.root)
    assert run.code == 2
    assert expected in run.err and "--write-baseline" in run.err
    assert "Traceback" not in run.err


def test_missing_baseline_is_exit_2(legacy, cli):
    run = cli("check", "--baseline", "nope.json", cwd=legacy.root)
    assert run.code == 2
    assert "cannot read the baseline 'nope.json'" in run.err and "--write-baseline" in run.err


def test_baseline_options_are_exclusive(legacy, cli):
    assert cli("check", "--baseline", "a", "--write-baseline", "b", cwd=legacy.root).code == 2
