"""code-pattern: `paths` and `patterns` ({regex, message}, `{match}` in messages), once per cell."""

from __future__ import annotations

from typing import Any

import nbformat
from kindtest import V, cell_lines, code, notebook, rule, spec_text

PATH = "research/2024-05-01_jdoe_eda.ipynb"
ABSOLUTE: dict[str, Any] = {"regex": r"[\"'](/home/|/Users/|[A-Z]:\\)[^\"']*[\"']", "message": "absolute path {match}"}
SECRET: dict[str, Any] = {"regex": r"api_key\s*=", "message": "a hard-coded API key"}
CHECK: dict[str, Any] = {"kind": "code-pattern", "paths": ["research/*.ipynb"], "patterns": [ABSOLUTE, SECRET]}


def test_clean_code_passes(repo, lint):
    repo.notebook(PATH, notebook("# EDA", code('pd.read_csv(DATA_DIR / "sales.csv")'), code("key = os.environ['KEY']")))
    repo.commit()
    lint(repo, CHECK, expect_code=0).assert_exactly()


def test_each_pattern_is_reported_once_per_cell_with_the_match(repo, lint):
    path = repo.notebook(
        PATH,
        notebook(
            "# EDA",
            code('a = pd.read_csv("/home/jdoe/a.csv")\nb = pd.read_csv("/home/jdoe/b.csv")'),
            code("api_key = 'x'\nimport os"),
            code("x = 1\ny = open('C:\\\\data\\\\x.csv')  # api_key = nothing here"),
        ),
    )
    repo.commit()
    lines = cell_lines(path)
    lint(repo, CHECK, expect_code=1).assert_exactly(
        V("T001", PATH, 'cell 2: absolute path "/home/jdoe/a.csv"', line=lines[1], cell=1),
        V("T001", PATH, "cell 3: a hard-coded API key", line=lines[2], cell=2),
        V("T001", PATH, "cell 4: a hard-coded API key", line=lines[3], cell=3),
        V("T001", PATH, "cell 4: absolute path 'C:\\\\data\\\\x.csv'", line=lines[3], cell=3),
    )


def test_match_is_replaced_everywhere_and_other_braces_stay(repo, lint):
    repo.notebook(PATH, notebook(code("print(df)")))
    repo.commit()
    pattern = {"regex": r"print\(\w+\)", "message": "use display: {match} -> {match}; {path} {0} stays"}
    found = lint(repo, {"kind": "code-pattern", "paths": [PATH], "patterns": [pattern]}, expect_code=1)
    assert found.violations[0]["message"] == "cell 1: use display: print(df) -> print(df); {path} {0} stays"


def test_markdown_and_raw_cells_are_not_code(repo, lint):
    nb = notebook("# EDA\nsee '/home/jdoe/a.csv'", code("x = 1"))
    nb.cells.append(nbformat.v4.new_raw_cell("api_key = 'x'"))
    repo.notebook(PATH, nb)
    repo.commit()
    lint(repo, CHECK, expect_code=0).assert_exactly()


def test_a_regex_matches_within_one_line(repo, lint):
    repo.notebook(PATH, notebook(code("load(\n'/data')"), code("load('/data')")))
    repo.commit()
    pattern = {"regex": r"load\(\s*'/", "message": "absolute load"}
    check = {"kind": "code-pattern", "paths": [PATH], "patterns": [pattern]}
    lint(repo, check, expect_code=1).assert_exactly(V("T001", PATH, "cell 2: absolute load", cell=1))
    pattern = {"regex": r"^'/data'\)$", "message": "anchored {match}"}  # ^ and $ anchor at each line
    check = {"kind": "code-pattern", "paths": [PATH], "patterns": [pattern]}
    lint(repo, check, expect_code=1).assert_exactly(V("T001", PATH, "cell 1: anchored '/data')", cell=0))


def test_a_match_in_a_very_long_line_is_found(repo, lint):
    repo.notebook(PATH, notebook(code("x = 1; " * 1000 + "api_key = 'x'; " + "y = 2; " * 1000)))
    repo.commit()
    lint(repo, CHECK, expect_code=1).assert_exactly(V("T001", PATH, "cell 1: a hard-coded API key", cell=0))


def test_only_notebooks_in_paths_are_checked(repo, lint):
    repo.notebook("production/tools/run.ipynb", notebook(code("api_key = 'x'")))
    repo.write("research/script.py", "api_key = 'x'\n")
    repo.commit()
    lint(repo, CHECK, expect_code=0).assert_exactly()


def test_a_catastrophic_regex_is_refused(repo, cli, tmp_path):
    repo.commit("empty")
    spec = tmp_path / "spec.yaml"
    bad = {"regex": "(a+)+$", "message": "m"}
    spec.write_text(spec_text(rule({"kind": "code-pattern", "paths": ["*.ipynb"], "patterns": [bad]})))
    run = cli("check", "--spec", str(spec), cwd=repo.root)
    assert run.code == 2 and run.out == ""
    assert "rules.0.check.0.patterns.0.regex" in run.err and "Traceback" not in run.err, run.err
