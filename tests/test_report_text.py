import pytest

from ml_lint.report import text
from ml_lint.result import Result, Severity, Violation

E, W = Severity.ERROR, Severity.WARNING


def violation(path, line=None, column=None, severity=E, rule="ML001", message="m"):
    return Violation(rule, f"name-{rule}", severity, path, message, line, column)


def test_one_line_per_violation_sorted_by_path_then_position():
    result = Result(
        [
            violation("research/b.ipynb", 3, severity=W, rule="ML305", message="no title"),
            violation("LICENSE", message="missing"),
            violation("research/a.ipynb", 40, 2, rule="ML301", message="never run"),
            violation("research/b.ipynb", 1, rule="ML302", message="has outputs"),
        ],
        [],
    )
    assert text.render(result) == (
        "LICENSE: ML001 [name-ML001] missing\n"
        "research/a.ipynb:40:2: ML301 [name-ML301] never run\n"
        "research/b.ipynb:1: ML302 [name-ML302] has outputs\n"
        "research/b.ipynb:3: ML305 [name-ML305] no title\n"
        "\n"
        "Found 4 violations (3 errors, 1 warning).\n"
    )


@pytest.mark.parametrize(
    ("severities", "summary"),
    [
        ([], "All checks passed."),
        ([E], "Found 1 violation (1 error, 0 warnings)."),
        ([W, W], "Found 2 violations (0 errors, 2 warnings)."),
        ([E, E, W], "Found 3 violations (2 errors, 1 warning)."),
    ],
)
def test_summary_line_counts(severities, summary):
    result = Result([violation(f"f{i}", severity=s) for i, s in enumerate(severities)], [])
    assert text.summary_line(result) == summary
    assert text.render(result).splitlines()[-1] == summary


def test_strict_summary_says_why_warnings_fail():
    result = Result([violation("f", severity=W)], [], strict=True)
    assert text.summary_line(result).endswith("Warnings fail because of --strict.")


def test_clean_run_is_one_line():
    assert text.render(Result([], [])) == "All checks passed.\n"


def test_baselined_fixed_and_notes_follow_the_summary():
    result = Result(
        [],
        [],
        notes=["ML303 skipped: not a git repository"],
        fixed=["deleted data/raw/.gitkeep", "stripped outputs of research/templates/t.ipynb"],
        baselined=2,
    )
    assert text.render(result) == (
        "All checks passed.\n"
        "2 baselined violations hidden.\n"
        "Fixed 2 problems:\n"
        "  deleted data/raw/.gitkeep\n"
        "  stripped outputs of research/templates/t.ipynb\n"
        "note: ML303 skipped: not a git repository\n"
    )


def tricky_result():
    return Result(
        [
            violation("d\u00e4ta/\U0001f600 x.csv", 1, 1, message="100% [bad]"),
            violation("b.csv", severity=W),
        ],
        [],
        notes=["n"],
        fixed=["f"],
        baselined=1,
    )


def test_no_escape_codes_without_color():
    assert "\x1b" not in text.render(tricky_result(), color=False)
    assert "\x1b" not in text.render(tricky_result())


def test_color_paints_the_rule_id_not_the_path():
    out = text.render(
        Result([violation("data/x.csv", 2, severity=E), violation("data/y.csv", severity=W)], []),
        color=True,
    )
    first, second = out.splitlines()[:2]
    assert first.startswith("data/x.csv:2: \x1b[")
    assert "\x1b[31m\x1b[1mML001\x1b[0m [name-ML001]" in first
    assert second.startswith("data/y.csv: \x1b[33m")
    assert "\x1b[0m" in out.splitlines()[-1]
