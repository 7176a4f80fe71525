"""execution-order: `paths`; counts must strictly increase, null counts skipped, first break reported."""

from __future__ import annotations

from typing import Any

from kindtest import V, cell_lines, code, notebook

CHECK: dict[str, Any] = {"kind": "execution-order", "paths": ["deliver/**/*.ipynb"]}
PATH = "deliver/2024-05-01_churn.ipynb"


def test_increasing_counts_pass_null_counts_are_skipped(repo, lint):
    repo.notebook(PATH, notebook("# Churn", code("a", 1), code("b", None), code("c", 4), code("d", 7)))
    repo.notebook("deliver/sub/never-run.ipynb", notebook("# Draft", code("a"), code("b")))
    repo.commit()
    lint(repo, CHECK, expect_code=0).assert_exactly()


def test_the_first_cell_breaking_the_order_is_reported(repo, lint):
    path = repo.notebook(PATH, notebook("# Churn", code("a", 1), code("b", 5), code("c", 2), code("d", 1)))
    repo.commit()
    message = "cell 4 has execution count 2 after 5: restart the kernel and run all cells top to bottom"
    lint(repo, CHECK, expect_code=1).assert_exactly(V("T001", PATH, message, line=cell_lines(path)[3], cell=3))


def test_a_repeated_count_breaks_the_order_across_a_null(repo, lint):
    path = repo.notebook(PATH, notebook(code("a", 3), code("b", None), code("c", 3)))
    repo.commit()
    found = lint(repo, CHECK, expect_code=1)
    found.assert_exactly(V("T001", PATH, "cell 3 has execution count 3 after 3", line=cell_lines(path)[2], cell=2))


def test_only_notebooks_in_paths_are_read(repo, lint):
    repo.notebook("research/scratch.ipynb", notebook(code("a", 2), code("b", 1)))
    repo.notebook("deliver/a/b/late.ipynb", notebook(code("a", 2), code("b", 1)))
    repo.commit()
    lint(repo, CHECK, expect_code=1).assert_exactly(V("T001", "deliver/a/b/late.ipynb", "cell 2 has execution count 1"))
    check = {"kind": "execution-order", "paths": ["*.ipynb", "!deliver/"]}
    lint(repo, check, expect_code=1).assert_exactly(V("T001", "research/scratch.ipynb", "cell 2 has execution count 1"))


def test_markdown_cells_do_not_count(repo, lint):
    repo.notebook(PATH, notebook(code("a", 1), "## Part 2", code("b", 2)))
    repo.commit()
    lint(repo, CHECK, expect_code=0).assert_exactly()
