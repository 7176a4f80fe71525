"""notebook-outputs: `paths`, `outputs: required` and `outputs: forbidden`, and --fix."""

from __future__ import annotations

from typing import Any

import nbformat
from kindtest import V, cell_lines, code, notebook, rule

DELIVER = "deliver/2024-05-01_churn.ipynb"
FORBIDDEN: dict[str, Any] = {"kind": "notebook-outputs", "paths": ["templates/*.ipynb"], "outputs": "forbidden"}
REQUIRED: dict[str, Any] = {"kind": "notebook-outputs", "paths": ["deliver/*.ipynb"], "outputs": "required"}
CLEAR = "clear it with `ml-lint check --fix` before committing"


def test_forbidden_passes_on_a_clean_notebook(repo, lint):
    repo.notebook("templates/eda.ipynb", notebook("# EDA", code("import pandas as pd"), code("")))
    repo.notebook("deliver/run.ipynb", notebook("# Run", code("1", 1, "1")))  # not in `paths`
    repo.commit()
    lint(repo, FORBIDDEN, expect_code=0).assert_exactly()


def test_forbidden_reports_outputs_and_execution_counts_per_cell(repo, lint):
    path = repo.notebook(
        "templates/eda.ipynb",
        notebook("# EDA", code("x = 1", 1), code("x", 2, "1", "again"), code("y = 2"), code("print(1)", None, "1")),
    )
    repo.commit()
    lines = cell_lines(path)
    lint(repo, FORBIDDEN, expect_code=1).assert_exactly(
        V("T001", "templates/eda.ipynb", f"cell 2 has an execution count: {CLEAR}", line=lines[1], cell=1),
        V("T001", "templates/eda.ipynb", f"cell 3 has 2 output(s): {CLEAR}", line=lines[2], cell=2),
        V("T001", "templates/eda.ipynb", f"cell 5 has 1 output(s): {CLEAR}", line=lines[4], cell=4),
    )


def test_forbidden_fix_strips_outputs_and_nothing_else(repo, lint):
    dirty = notebook("# EDA", code("x = 1", 1, "1"), code("x", 2))
    dirty.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = repo.notebook("templates/eda.ipynb", dirty)
    repo.commit()
    fixed = lint(repo, FORBIDDEN, "--fix", expect_code=0)
    fixed.assert_exactly()
    assert fixed.fixed == [
        "stripped the outputs of templates/eda.ipynb cell 2",
        "stripped the outputs of templates/eda.ipynb cell 3",
    ]
    clean = notebook("# EDA", code("x = 1"), code("x"))
    clean.metadata["kernelspec"] = dirty.metadata["kernelspec"]
    for before, after in zip(dirty.cells, clean.cells, strict=True):
        after["id"] = before["id"]
    assert path.read_text(encoding="utf-8") == nbformat.writes(clean) + "\n"
    lint(repo, FORBIDDEN, expect_code=0).assert_exactly()


def test_forbidden_fix_never_writes_a_file_an_unchanged_check_protects(repo, lint):
    path = repo.notebook("templates/eda.ipynb", notebook("# EDA", code("x", 1, "1")))
    repo.notebook("templates/other.ipynb", notebook("# Other", code("x", 1, "1")))
    repo.commit()
    before = path.read_bytes()
    rules = [rule(FORBIDDEN), rule({"kind": "unchanged", "paths": ["templates/eda.ipynb"]}, id="T002")]
    fixed = lint(repo, rules, "--fix", expect_code=1)
    fixed.assert_exactly(V("T001", "templates/eda.ipynb", "cell 2 has 1 output(s)", cell=1))
    assert fixed.fixed == ["stripped the outputs of templates/other.ipynb cell 2"]
    assert path.read_bytes() == before


def test_required_passes_when_every_cell_ran_and_something_shows(repo, lint):
    repo.notebook(DELIVER, notebook("# Churn", code("x = 1", 1), code("", None), code("x", 2, "1")))
    repo.notebook("deliver/notes.ipynb", notebook("# Only prose", code("   \n")))  # nothing to run: nothing needed
    repo.commit()
    lint(repo, REQUIRED, expect_code=0).assert_exactly()


def test_required_reports_every_cell_never_executed(repo, lint):
    path = repo.notebook(DELIVER, notebook("# Churn", code("x = 1", 1, "1"), code("y = 2"), code("z = 3")))
    repo.commit()
    lines = cell_lines(path)
    # One violation per notebook, at the first cell never executed, naming them all.
    lint(repo, REQUIRED, expect_code=1).assert_exactly(
        V(
            "T001",
            DELIVER,
            "2 of 3 code cells were never executed (cells 3, 4): "
            "run the notebook from the top and save it with its outputs",
            line=lines[2],
            cell=2,
        ),
    )


def test_required_reports_a_notebook_without_any_output(repo, lint):
    repo.notebook(DELIVER, notebook("# Churn", code("x = 1", 1), code("y = 2", 2)))
    repo.commit()
    found = lint(repo, REQUIRED, expect_code=1)
    found.assert_exactly(V("T001", DELIVER, "the notebook has no output at all: run it and save it with its outputs"))
    assert found.violations[0]["line"] is None and "cell" not in found.violations[0]


def test_required_is_not_fixable(repo, lint):
    path = repo.notebook(DELIVER, notebook("# Churn", code("x = 1")))
    repo.commit()
    before = path.read_bytes()
    fixed = lint(repo, REQUIRED, "--fix", expect_code=1)
    fixed.assert_exactly(V("T001", DELIVER, "cell 2 was never executed", cell=1))
    assert fixed.fixed == [] and path.read_bytes() == before


def test_a_notebook_can_opt_out_in_its_metadata(repo, lint):
    opted = notebook("# EDA", code("x", 1, "1"))
    opted.metadata["ml-lint"] = {"ignore": ["T001"]}
    repo.notebook("templates/opted.ipynb", opted)
    other = notebook("# EDA", code("x", 1, "1"))
    other.metadata["ml-lint"] = {"ignore": ["T002"]}
    repo.notebook("templates/other.ipynb", other)
    repo.commit()
    lint(repo, FORBIDDEN, expect_code=1).assert_exactly(V("T001", "templates/other.ipynb", "cell 2 has 1 output(s)"))
