"""notebook-title: `paths`; the first non-blank cell must be a Markdown heading."""

from __future__ import annotations

from typing import Any

import nbformat
import pytest
from kindtest import V, cell_lines, code, notebook

CHECK: dict[str, Any] = {"kind": "notebook-title", "paths": ["deliver/*.ipynb"]}
PATH = "deliver/churn.ipynb"


@pytest.mark.parametrize(
    "title",
    [
        "# Churn model",
        "###### Deep",
        "   # indented up to three",
        "#",
        "\n\n# After blank lines",
        "Churn\n=====",
        "Churn\n---",
    ],
)
def test_headings_pass(repo, lint, title):
    repo.notebook(PATH, notebook(title, code("x = 1")))
    repo.commit()
    lint(repo, CHECK, expect_code=0).assert_exactly()


def test_blank_cells_before_the_title_are_skipped(repo, lint):
    repo.notebook(PATH, notebook(code("   "), "\n", "# Churn", code("x")))
    repo.commit()
    lint(repo, CHECK, expect_code=0).assert_exactly()


@pytest.mark.parametrize(
    "first",
    ["Churn model", "#Churn", "    # four spaces is code", "Churn\ntext\n====", "####### seven"],
)
def test_markdown_that_is_not_a_heading_fails(repo, lint, first):
    path = repo.notebook(PATH, notebook(first, code("x")))
    repo.commit()
    message = "the first cell (cell 1) is not a Markdown heading: start with a '# Title' cell"
    lint(repo, CHECK, expect_code=1).assert_exactly(V("T001", PATH, message, line=cell_lines(path)[0], cell=0))


def test_a_code_or_raw_cell_first_fails(repo, lint):
    path = repo.notebook(PATH, notebook(code(""), code("import pandas as pd"), "# Late title"))
    raw = notebook(nbformat.v4.new_raw_cell("# looks like a title"), "# Title")
    raw_path = repo.notebook("deliver/raw.ipynb", raw)
    repo.commit()
    lint(repo, CHECK, expect_code=1).assert_exactly(
        V(
            "T001",
            "deliver/churn.ipynb",
            "the first cell (cell 2) is not a Markdown heading",
            line=cell_lines(path)[1],
            cell=1,
        ),
        V("T001", "deliver/raw.ipynb", "the first cell (cell 1) is not", line=cell_lines(raw_path)[0], cell=0),
    )


def test_an_empty_notebook_fails_at_the_file(repo, lint):
    repo.notebook(PATH, notebook())
    repo.notebook("deliver/blank.ipynb", notebook(code(""), " "))
    repo.commit()
    found = lint(repo, CHECK, expect_code=1)
    found.assert_exactly(
        V("T001", "deliver/blank.ipynb", "the notebook is empty: start it with a Markdown title"),
        V("T001", PATH, "the notebook is empty: start it with a Markdown title"),
    )
    assert [v["line"] for v in found.violations] == [None, None]


def test_only_notebooks_in_paths_are_checked(repo, lint):
    repo.notebook("research/untitled.ipynb", notebook(code("x")))
    repo.commit()
    lint(repo, CHECK, expect_code=0).assert_exactly()
    check = {"kind": "notebook-title", "paths": ["research/"]}
    lint(repo, check, expect_code=1).assert_exactly(
        V("T001", "research/untitled.ipynb", "the first cell (cell 1) is not a Markdown heading")
    )
