import json

from ml_lint.report import json as json_report
from ml_lint.result import Result, Severity, Violation


def result():
    return Result(
        [
            Violation(
                "ML305",
                "notebook-title",
                Severity.WARNING,
                "research/deliver/n.ipynb",
                "first cell is not a heading",
                7,
                None,
                0,
            ),
            Violation("ML001", "required-path", Severity.ERROR, "LICENSE", "LICENSE is missing"),
            Violation(
                "ML104",
                "data-in-research",
                Severity.WARNING,
                "research/d\u00e9j\u00e0.csv",
                'quote " and \\ and \n',
                2,
                4,
            ),
        ],
        [],
        notes=["ML501 skipped: not a git repository"],
        fixed=["deleted data/.gitkeep"],
        baselined=3,
    )


def test_document_shape():
    document = json.loads(json_report.render(result()))
    assert document == {
        "version": 1,
        "violations": [
            {
                "rule": "ML001",
                "name": "required-path",
                "severity": "error",
                "path": "LICENSE",
                "line": None,
                "column": None,
                "message": "LICENSE is missing",
            },
            {
                "rule": "ML305",
                "name": "notebook-title",
                "severity": "warning",
                "path": "research/deliver/n.ipynb",
                "line": 7,
                "column": None,
                "message": "first cell is not a heading",
                "cell": 0,
            },
            {
                "rule": "ML104",
                "name": "data-in-research",
                "severity": "warning",
                "path": "research/d\u00e9j\u00e0.csv",
                "line": 2,
                "column": 4,
                "message": 'quote " and \\ and \n',
            },
        ],
        "summary": {
            "errors": 1,
            "warnings": 2,
            "baselined": 3,
            "fixed": ["deleted data/.gitkeep"],
            "notes": ["ML501 skipped: not a git repository"],
        },
    }


def test_two_space_indent_and_trailing_newline():
    out = json_report.render(Result([], []))
    assert out.startswith('{\n  "version": 1,\n  "violations": [],\n')
    assert out.endswith("}\n")


def test_undecodable_file_names_still_serialise():
    # The engine keeps non-UTF-8 names as surrogate escapes.
    name = b"data/raw/\xff.csv".decode("utf-8", "surrogateescape")
    v = Violation("ML101", "non-pushable-data", Severity.ERROR, name, "m")
    out = json_report.render(Result([v], []))
    out.encode("ascii")
    assert json.loads(out)["violations"][0]["path"] == name
