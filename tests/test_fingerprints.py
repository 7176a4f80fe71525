"""Stable fingerprints (contract §3): rule, path and what is wrong — never lines, cell positions or other violations."""

from __future__ import annotations

import json

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

DELIVER = "research/deliver/2024-05-01_churn-model.ipynb"
TEMPLATE = "research/templates/model-training.ipynb"
DEVELOP = "research/develop/2024-05-01_jdoe_sales-eda.py"
GITLAB_FIELDS = {"description", "check_name", "fingerprint", "severity", "location"}


def template_with_outputs(*, extra_title: bool = False):
    cells = [new_markdown_cell("# Model training")]
    if extra_title:
        cells.insert(0, new_markdown_cell("# A title above"))
    for source in ("import os", "print(os.getcwd())"):
        cell = new_code_cell(source, execution_count=1)
        cell.outputs = [new_output("stream", name="stdout", text="x\n")]
        cells.append(cell)
    cells.append(new_code_cell("df = open('/home/jdoe/data.csv')"))
    return new_notebook(cells=cells)


def prints(cli, repo, fmt: str = "gitlab") -> dict[str, str]:
    """fingerprint -> rule, from the SARIF or GitLab report."""
    run = cli("check", "--format", fmt, cwd=repo.root)
    if fmt == "sarif":
        results = json.loads(run.out)["runs"][0]["results"]
        return {r["partialFingerprints"]["mlLintViolation/v2"]: r["ruleId"] for r in results}
    return {i["fingerprint"]: i["check_name"] for i in json.loads(run.out)}


def test_baseline_survives_a_cell_inserted_above(template, cli):
    (template.root / "research/templates/.gitkeep").unlink()
    template.notebook(TEMPLATE, template_with_outputs())
    template.commit("legacy")
    assert cli("check", "--write-baseline", "baseline.json", cwd=template.root).code == 0
    template.notebook(TEMPLATE, template_with_outputs(extra_title=True))  # every cell moves down one
    run = cli("check", "--baseline", "baseline.json", "--strict", cwd=template.root)
    assert run.code == 0, run.out
    assert "3 baselined violations hidden." in run.out  # two ML302, one ML307


def test_sarif_and_gitlab_fingerprints_survive_a_cell_inserted_above(template, cli):
    (template.root / "research/templates/.gitkeep").unlink()
    template.notebook(TEMPLATE, template_with_outputs())
    before = prints(cli, template, "sarif"), prints(cli, template, "gitlab")
    template.notebook(TEMPLATE, template_with_outputs(extra_title=True))
    assert (prints(cli, template, "sarif"), prints(cli, template, "gitlab")) == before
    assert sorted(before[1].values()) == ["ML302", "ML302", "ML307"]


def test_ml309_fingerprint_survives_a_cell_inserted_above(template, cli):
    def failed_eda(*, extra_title: bool = False):
        cells = [new_markdown_cell("# Sales")] + ([new_markdown_cell("# A title above")] if extra_title else [])
        cell = new_code_cell("df['churn']", execution_count=1)
        cell.outputs = [new_output("error", ename="KeyError", evalue="'churn'", traceback=["KeyError: 'churn'"])]
        return new_notebook(cells=[*cells, cell])

    (template.root / "data/eda/.gitkeep").unlink()
    template.notebook("data/eda/sales.ipynb", failed_eda())
    before = prints(cli, template, "sarif"), prints(cli, template, "gitlab")
    assert sorted(before[1].values()) == ["ML309"]
    template.notebook("data/eda/sales.ipynb", failed_eda(extra_title=True))  # "cell 2" becomes "cell 3"
    assert (prints(cli, template, "sarif"), prints(cli, template, "gitlab")) == before


def test_ml501_fingerprint_survives_a_new_author(template, cli):
    template.write(DEVELOP, "1\n")
    template.commit("a", author="J Doe <jdoe@example.com>")
    template.write(DEVELOP, "2\n")
    template.commit("b", author="A Smith <asmith@example.com>")
    before = prints(cli, template)
    template.write(DEVELOP, "3\n")
    template.commit("c", author="B Lee <blee@example.com>")
    run = cli("check", "--format", "json", "--select", "ML501", cwd=template.root)
    message = json.loads(run.out)["violations"][0]["message"]
    assert "3 authors" in message  # the message changed...
    assert prints(cli, template) == before  # ...the identity did not


def test_fingerprint_depends_on_what_is_wrong(template, cli):
    template.write("README.md", "# Churn\n#TODO: Overview\n#TODel: Setup\n")
    assert len(prints(cli, template)) == 2


def test_gitlab_report_has_the_code_quality_fields(template, cli):
    template.write("README.md", "# Churn\n#TODO: Overview\n")
    (template.root / "LICENSE").unlink()
    run = cli("check", "--format", "gitlab", cwd=template.root)
    assert run.code == 1
    issues = json.loads(run.out)
    assert isinstance(issues, list) and len(issues) == 2
    for issue in issues:
        assert set(issue) == GITLAB_FIELDS
        assert set(issue["location"]) == {"path", "lines"} and set(issue["location"]["lines"]) == {"begin"}
        assert isinstance(issue["fingerprint"], str) and issue["fingerprint"]
    by_rule = {i["check_name"]: i for i in issues}
    assert by_rule["ML001"]["severity"] == "major" and by_rule["ML001"]["location"] == {
        "path": "LICENSE",
        "lines": {"begin": 1},
    }
    assert by_rule["ML002"]["severity"] == "minor" and by_rule["ML002"]["location"]["lines"] == {"begin": 2}
    assert by_rule["ML002"]["description"].startswith("ML002 [template-placeholder] ")


def test_gitlab_fingerprints_are_unique_for_identical_violations(template, cli):
    template.write("README.md", "# Churn\n#TODO: a\n#TODO: b\n")
    issues = json.loads(cli("check", "--format", "gitlab", cwd=template.root).out)
    assert len({i["fingerprint"] for i in issues}) == len(issues) == 2


def test_version_1_baseline_is_still_read_with_a_note_to_rewrite_it(template, cli):
    template.write("README.md", "# Churn\n#TODO: Overview\n")
    template.commit("legacy")
    entry = {"rule": "ML002", "path": "README.md", "message": "template marker '#TODO' left in README.md"}
    template.write("baseline.json", json.dumps({"version": 1, "violations": [entry]}))
    run = cli("check", "--baseline", "baseline.json", "--strict", cwd=template.root)
    assert run.code == 0, run.out
    assert "1 baselined violation hidden." in run.out
    assert "rewrite it with `ml-lint check --write-baseline baseline.json` (version 2)" in run.out


def test_messages_number_cells_from_1_and_json_cell_from_0(template, cli):
    (template.root / "research/templates/.gitkeep").unlink()
    template.notebook(TEMPLATE, template_with_outputs())
    violations = json.loads(cli("check", "--format", "json", "--select", "ML302", cwd=template.root).out)["violations"]
    assert [(v["cell"], v["message"].split(" has ")[0]) for v in violations] == [(1, "cell 2"), (2, "cell 3")]
