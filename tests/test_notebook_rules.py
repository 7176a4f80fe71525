"""Notebook rules ML301-ML308 on nbformat-built notebooks, v4 and v3, plus --fix."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbformat import v3, v4

DELIVER = "research/deliver/2024-05-01_churn-model.ipynb"
TEMPLATE = "research/templates/model-training.ipynb"
EDA = "data/eda/2024-05-01_sales.ipynb"
OUTPUTS = {
    "stream": lambda: v4.new_output("stream", name="stdout", text="hello\n"),
    "execute_result": lambda: v4.new_output("execute_result", data={"text/plain": "42"}, execution_count=1),
    "display_data": lambda: v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="}),
    "error": lambda: v4.new_output("error", ename="ValueError", evalue="bad", traceback=["tb"]),
}


def notebook(*cells, title="# Title"):
    nb = v4.new_notebook()
    nb.cells = ([v4.new_markdown_cell(title)] if title else []) + list(cells)
    return nb


def code(source="x = 1", count=None, outputs=()):
    return v4.new_code_cell(source, execution_count=count, outputs=list(outputs))


def violations(cli, repo, *rules):
    run = cli("check", "--format", "json", "--select", ",".join(rules), cwd=repo.root)
    return json.loads(run.out)["violations"]


@pytest.mark.parametrize("kind", sorted(OUTPUTS))
def test_deliver_notebook_with_outputs_of_each_type_passes(template, cli, kind):
    template.notebook(DELIVER, notebook(code(count=1, outputs=[OUTPUTS[kind]()])))
    assert violations(cli, template, "ML301") == []


def test_deliver_cell_never_executed_names_cell_and_line(template, cli):
    nb = notebook(code(count=1, outputs=[OUTPUTS["stream"]()]), code("y = 2"), code("   \n"))
    path = template.notebook(DELIVER, nb)
    [v] = violations(cli, template, "ML301")
    assert v["cell"] == 2 and "cell 3 was never executed" in v["message"]  # JSON 0-based, message 1-based
    lines = path.read_text().splitlines()
    assert lines[v["line"] - 1].strip() == "{"
    assert '"y = 2"' in "".join(lines[v["line"] : v["line"] + 12])
    assert v["column"] is None


def test_deliver_without_any_output_fails_but_only_markdown_needs_nothing(template, cli):
    template.notebook(DELIVER, notebook(code(count=1)))
    template.notebook(EDA, notebook(code("", count=None)))  # blank code cell never needs running
    [v] = violations(cli, template, "ML301")
    assert v["path"] == DELIVER and "no output at all" in v["message"]


def test_template_outputs_fail_and_fix_strips_byte_stable(template, cli):
    nb = notebook(code("print('héllo')", count=3, outputs=[OUTPUTS["stream"]()]), code("y = 2", count=4))
    path = template.notebook(TEMPLATE, nb)
    found = violations(cli, template, "ML302")
    assert [(v["cell"], v["rule"]) for v in found] == [(1, "ML302"), (2, "ML302")]

    run = cli("check", "--select", "ML302", "--fix", cwd=template.root)
    assert run.code == 0 and "stripped the outputs" in run.out
    expected = notebook(code("print('héllo')"), code("y = 2"))
    expected.cells = [dict(c, id=o["id"]) for c, o in zip(expected.cells, nb.cells, strict=False)]
    assert path.read_bytes() == nbformat.writes(nbformat.from_dict(expected)).encode() + b"\n"
    assert cli("check", "--select", "ML302", cwd=template.root).code == 0


def test_fix_never_touches_deliver_notebooks(template, cli):
    nb = notebook(code("x", count=2), code("y", count=1))
    path = template.notebook(DELIVER, nb)
    before = path.read_bytes()
    cli("check", "--fix", cwd=template.root)
    assert path.read_bytes() == before


def test_execution_order(template, cli):
    template.notebook(
        DELIVER, notebook(code("a", 1, [OUTPUTS["stream"]()]), code("b", None), code("c", 5), code("d", 2))
    )
    [v] = violations(cli, template, "ML304")
    assert v["cell"] == 4 and "execution count 2 after 5" in v["message"]


def test_v3_notebook_prompt_numbers_are_execution_counts(template, cli):
    nb = v3.new_notebook()
    cells = [v3.new_code_cell("a", prompt_number=2), v3.new_code_cell("b", prompt_number=1)]
    nb.worksheets.append(v3.new_worksheet(cells=[v3.new_heading_cell("Title")] + cells))
    target = template.root / DELIVER
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(v3.writes_json(nb))
    found = violations(cli, template, "ML301", "ML304", "ML305")
    assert {v["rule"] for v in found} == {"ML301", "ML304"}  # executed but no output; out of order


@pytest.mark.parametrize(
    "first, ok",
    [("# Churn model", True), ("Churn model\n===========", True), ("Some text", False), (None, False)],
)
def test_notebook_title(template, cli, first, ok):
    cells = [v4.new_markdown_cell(first)] if first else []
    template.notebook(TEMPLATE, notebook(*cells, code("import pandas"), title=None))
    assert (violations(cli, template, "ML305") == []) is ok


@pytest.mark.parametrize(
    "content, expect",
    [
        (b"", "empty"),
        (b'{"cells": [', "line 1"),
        (b"\xff\xfe\x00", "UTF-8"),
        (b"[1, 2]", "not a notebook"),
    ],
)
def test_invalid_notebook_is_reported_and_the_run_continues(template, cli, content, expect):
    template.write("research/develop/2024-05-01_jdoe_broken.ipynb", content)
    template.write("research/develop/Untitled.ipynb", "")
    found = violations(cli, template, "ML306", "ML201")
    assert {v["rule"] for v in found} == {"ML306", "ML201"}
    broken = next(v for v in found if v["path"].endswith("broken.ipynb"))
    assert expect.lower() in broken["message"].lower()


def test_schema_invalid_but_readable_notebook_is_not_ml306(template, cli):
    nb = {"cells": [], "metadata": {}, "nbformat": 4}  # no nbformat_minor
    template.write(TEMPLATE, json.dumps(nb))
    assert violations(cli, template, "ML306") == []


@pytest.mark.parametrize(
    "source, rule",
    [
        ("df = pd.read_csv('/home/jdoe/sales.csv')", "ML307"),
        ("open('/Users/ann/x')", "ML307"),
        ("open(r'C:\\Users\\ann\\x.csv')", "ML307"),
        ("import sys\nsys.path.append('../src')", "ML308"),
        ("sys.path.insert(0, '..')", "ML308"),
    ],
)
def test_code_patterns(template, cli, source, rule):
    template.notebook("research/develop/2024-05-01_jdoe_x.ipynb", notebook(code(source)))
    found = violations(cli, template, "ML307", "ML308")
    assert [v["rule"] for v in found] == [rule] and found[0]["cell"] == 1


@pytest.mark.parametrize(
    "source",
    [
        "p = DATA / 'home' / 'x'\nsys.path",
        "requests.get('https://api.example.com/Users/list')",
        "open('data/home/x.csv')",
    ],
)
def test_code_patterns_do_not_fire_on_clean_code(template, cli, source):
    template.notebook("research/develop/2024-05-01_jdoe_x.ipynb", notebook(code(source)))
    assert violations(cli, template, "ML307", "ML308") == []


def test_notebook_metadata_opt_out(template, cli):
    nb = notebook(code("a", 2, [OUTPUTS["stream"]()]), code("b", 1))
    nb.metadata["ml-lint"] = {"ignore": ["ML304"]}
    template.notebook(DELIVER, nb)
    assert violations(cli, template, "ML304") == []
