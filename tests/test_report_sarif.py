import json
import os
import re
import subprocess
from pathlib import Path
from typing import NamedTuple

import jsonschema
import pytest

import ml_lint
from ml_lint.report import sarif
from ml_lint.result import Result, Severity, Violation

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))


class RuleInfo(NamedTuple):
    """A rule as reporters see it (ml_lint.result.RuleDoc)."""

    id: str
    name: str
    severity: Severity
    summary: str
    description: str = ""
    fixable: bool = False


RULES = [
    RuleInfo(
        "ML001",
        "required-path",
        Severity.ERROR,
        "Required paths exist",
        "README.md, LICENSE, configs/ ... must exist.",
        False,
    ),
    RuleInfo("ML302", "template-outputs", Severity.ERROR, "Template notebooks are clean", "", True),
    RuleInfo("ML305", "notebook-title", Severity.WARNING, "Notebooks start with a heading"),
]


def violation(path="README.md", message="m", line=None, column=None, rule="ML001", severity=Severity.ERROR):
    return Violation(rule, "name", severity, path, message, line, column)


def log(*violations, rules=RULES):
    return json.loads(sarif.render(Result(list(violations), rules)))


def validate(document):
    validator_class = jsonschema.validators.validator_for(SCHEMA)
    validator_class.check_schema(SCHEMA)
    validator_class(SCHEMA).validate(document)


def test_vendored_schema_is_the_oasis_one():
    assert SCHEMA["id"] == sarif.SCHEMA_URI
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]


def test_validates_with_tricky_values():
    document = log(
        violation("LICENSE", "missing"),
        violation("configs/", "missing folder"),
        violation("research/d\u00e9j\u00e0 vu/\U0001f600 #1?.ipynb", 'line\nbreak "quoted"', 3, 9, "ML302"),
        violation("a:b%c.csv", "\u00fcnic\u00f6de \u2013 ok", 1, None, "ML305", Severity.WARNING),
    )
    validate(document)
    for result in document["runs"][0]["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert re.fullmatch(r"(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})*", uri), uri


def test_validates_when_clean():
    validate(log())
    validate(json.loads(sarif.render(Result([], []))))


def test_schema_rejects_a_broken_log():
    document = log(violation())
    del document["runs"][0]["tool"]["driver"]["name"]
    with pytest.raises(jsonschema.ValidationError):
        validate(document)


def test_driver_and_rules():
    driver = log()["runs"][0]["tool"]["driver"]
    assert driver["name"] == "ml-lint"
    assert driver["version"] == ml_lint.__version__
    assert driver["informationUri"].startswith("https://")
    assert driver["rules"][0] == {
        "id": "ML001",
        "name": "required-path",
        "shortDescription": {"text": "Required paths exist"},
        "fullDescription": {"text": "README.md, LICENSE, configs/ ... must exist."},
        "help": {"text": "README.md, LICENSE, configs/ ... must exist."},
        "defaultConfiguration": {"level": "error"},
        "properties": {"fixable": False},
    }
    assert [r["defaultConfiguration"]["level"] for r in driver["rules"]] == [
        "error",
        "error",
        "warning",
    ]
    # An empty description falls back to the summary.
    assert driver["rules"][1]["fullDescription"] == {"text": "Template notebooks are clean"}


def test_result_fields():
    run = log(violation("b.ipynb", "w", 4, 2, "ML305", Severity.WARNING), violation("a", "e"))["runs"][0]
    first, second = run["results"]
    assert first["ruleId"] == "ML001" and first["level"] == "error"
    assert first["message"] == {"text": "e"}
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "a", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1},
    }
    assert second["level"] == "warning"
    assert second["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 4,
        "startColumn": 2,
    }
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_rule_missing_from_active_rules_still_gets_a_descriptor():
    run = log(violation(rule="X999"), rules=[])["runs"][0]
    [rule] = run["tool"]["driver"]["rules"]
    assert rule["id"] == "X999"
    assert run["results"][0]["ruleIndex"] == 0
    validate(log(violation(rule="X999"), rules=[]))


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("README.md", "README.md"),
        ("configs/", "configs/"),
        ("data/raw/a b.csv", "data/raw/a%20b.csv"),
        ("100%.csv", "100%25.csv"),
        ("x#y?.txt", "x%23y%3F.txt"),
        ("a:b/c.txt", "a%3Ab/c.txt"),
        ("donn\u00e9es/\u00e9.csv", "donn%C3%A9es/%C3%A9.csv"),
        ("\U0001f600.ipynb", "%F0%9F%98%80.ipynb"),
        ("tilde~-_.x", "tilde~-_.x"),
        (b"raw/\xff.bin".decode("utf-8", "surrogateescape"), "raw/%FF.bin"),
    ],
)
def test_uri_percent_encoding(path, uri):
    assert sarif.artifact_uri(path) == uri


def fingerprints(document):
    return [next(iter(r["partialFingerprints"].values())) for r in document["runs"][0]["results"]]


def test_fingerprint_survives_line_changes():
    before = log(violation("n.ipynb", "cell never run", 10, 1, "ML302"))
    after = log(violation("n.ipynb", "cell never run", 250, 4, "ML302"))
    assert fingerprints(before) == fingerprints(after)


@pytest.mark.parametrize(
    "changed",
    [
        violation("other.ipynb", "m", 1),
        violation("n.ipynb", "other", 1),
        violation("n.ipynb", "m", 1, rule="ML302"),
    ],
)
def test_fingerprint_changes_with_rule_path_or_message(changed):
    assert fingerprints(log(violation("n.ipynb", "m", 1))) != fingerprints(log(changed))


def test_identical_violations_get_distinct_fingerprints():
    prints = fingerprints(log(violation("R.md", "#TODO", 2), violation("R.md", "#TODO", 9)))
    assert len(set(prints)) == 2


def test_notes_become_tool_execution_notifications():
    document = json.loads(sarif.render(Result([], RULES, notes=["ML303 skipped: not a git repository"])))
    validate(document)
    [invocation] = document["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    assert invocation["toolExecutionNotifications"] == [
        {"level": "note", "message": {"text": "ML303 skipped: not a git repository"}}
    ]


def test_results_are_capped_at_githubs_limit_errors_first(monkeypatch):
    monkeypatch.setattr(sarif, "RESULT_LIMIT", 3)
    warnings = [violation(f"w{i}", rule="ML305", severity=Severity.WARNING) for i in range(3)]
    errors = [violation(f"z{i}") for i in range(2)]
    document = log(*warnings, *errors)
    validate(document)
    run = document["runs"][0]
    paths = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    assert paths == ["w0", "z0", "z1"]  # both errors kept, still in path order
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"].startswith("2 of 5 violations left out")
    # Capping does not change the fingerprints of what is kept.
    monkeypatch.setattr(sarif, "RESULT_LIMIT", 25_000)
    full = log(*warnings, *errors)["runs"][0]["results"]
    kept = {r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in run["results"]}
    assert kept <= {r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in full}


UNDECODABLE = b"research/develop/\xff.ipynb".decode("utf-8", "surrogateescape")


def test_undecodable_names_keep_their_bytes_in_the_uri_and_are_valid_text():
    document = sarif.render(Result([violation(UNDECODABLE, f"'{UNDECODABLE[17:]}' \ud800 bad")], RULES))
    assert document.isascii()  # no lone surrogate escapes either: strict parsers reject those
    assert "\\ud" not in document and "\\ud" not in document.lower()
    [result] = json.loads(document)["runs"][0]["results"]
    assert result["message"]["text"] == "'\ufffd.ipynb' \ufffd bad"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == ("research/develop/%FF.ipynb")


MULTITOOL = os.environ.get("ML_LINT_SARIF_MULTITOOL")


@pytest.mark.skipif(
    not MULTITOOL,
    reason="set ML_LINT_SARIF_MULTITOOL to a Sarif.Multitool executable "
    "(npm install @microsoft/sarif-multitool) to run Microsoft's SARIF validator",
)
def test_microsoft_sarif_validator_reports_no_errors_or_warnings(tmp_path):
    tricky = [
        violation("LICENSE", "missing"),
        violation("configs/", "missing folder"),
        violation("research/d\u00e9j\u00e0 vu/#1?.ipynb", 'line\nbreak "q"', 3, 9, "ML302"),
        violation("a:b%c.csv", "x", 1, None, "ML305", Severity.WARNING),
        violation(UNDECODABLE, "not UTF-8 " + UNDECODABLE),
        violation("R.md", "#TODO", 2, 1, rule="X999"),
        violation("R.md", "#TODO", 2, 1, rule="X999"),
    ]
    log_file = tmp_path / "ml-lint.sarif"
    log_file.write_text(sarif.render(Result(tricky, RULES, notes=["a note"])), "utf-8")
    report = tmp_path / "validation.sarif"
    proc = subprocess.run(
        [MULTITOOL, "validate", "--output", str(report), str(log_file)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    findings = json.loads(report.read_text("utf-8-sig"))["runs"][0].get("results", [])
    serious = [f for f in findings if f.get("level", "warning") in ("error", "warning")]
    assert serious == [], proc.stdout
