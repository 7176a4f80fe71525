"""A whole different layout described in YAML: docs/examples/cookiecutter-data-science.yaml."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

# A valid notebook with a title: only the rule under test has something to say.
NOTEBOOK = nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title")]))

SPEC = Path(__file__).resolve().parents[1] / "docs" / "examples" / "cookiecutter-data-science.yaml"


@pytest.fixture
def ccds(repo, cli):
    """A committed project scaffolded from the example spec."""
    assert cli("init", "--spec", str(SPEC), cwd=repo.root).code == 0
    repo.commit("scaffold")
    return repo


def violations(cli, repo, *args) -> list[dict]:
    run = cli("check", "--spec", str(SPEC), "--format", "json", *args, cwd=repo.root)
    assert run.code in (0, 1), run.err
    return json.loads(run.out)["violations"]


def test_scaffold_passes_strictly(ccds, cli):
    assert (ccds.root / "notebooks/.gitkeep").is_file()
    assert (ccds.root / "reports/figures/.gitkeep").is_file()
    assert violations(cli, ccds, "--strict") == []


@pytest.mark.parametrize(
    "name", ["1.0-jqp-initial-data-exploration.ipynb", "2-ab-features.ipynb", "4.1.2-abcd-train-v2.py"]
)
def test_notebook_names_that_pass(ccds, cli, name):
    ccds.write(f"notebooks/{name}", NOTEBOOK)
    assert [v for v in violations(cli, ccds) if v["rule"] == "CC201"] == []


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Untitled.ipynb", "expected {step}"),
        ("1.0_jqp_eda.ipynb", "expected '-'"),
        ("1.0-JQP-eda.ipynb", "expected {initials}"),
        ("exploration.ipynb", "expected {step}"),
    ],
)
def test_notebook_names_that_fail(ccds, cli, name, reason):
    ccds.write(f"notebooks/{name}", NOTEBOOK)
    [violation] = [v for v in violations(cli, ccds) if v["rule"] == "CC201"]
    assert violation["path"] == f"notebooks/{name}"
    assert "{step}-{initials}-{description}" in violation["message"] and reason in violation["message"]


def test_raw_data_is_not_pushable(ccds, cli):
    ccds.write("data/raw/survey.csv", "a,b\n")
    assert [v for v in violations(cli, ccds) if v["rule"] == "CC101"] == []  # ignored locally: fine
    ccds.git("add", "-f", "data/raw/survey.csv")
    [violation] = [v for v in violations(cli, ccds) if v["rule"] == "CC101"]
    assert violation["path"] == "data/raw/survey.csv" and violation["severity"] == "error"


def test_data_folders_must_be_ignored(ccds, cli):
    (ccds.root / ".gitignore").write_text("")
    found = [v for v in violations(cli, ccds) if v["rule"] == "CC102"]
    assert len(found) == 4 and {v["path"] for v in found} == {".gitignore"}


def test_missing_layout_paths(repo, cli):
    repo.write("README.md", "# x\n")
    missing = {v["path"] for v in violations(cli, repo) if v["rule"] == "CC001"}
    assert missing == {
        "LICENSE", "requirements.txt",  # not data/*/: ccds's own .gitignore ignores /data/
        "models/", "notebooks/", "references/", "reports/figures/", "src/",
    }  # fmt: skip


def test_the_ml_project_rules_do_not_apply(ccds, cli):
    ccds.write("research/develop/Untitled.ipynb", NOTEBOOK)
    assert {v["rule"] for v in violations(cli, ccds)} <= {"CC001", "CC101", "CC102", "CC201"}
