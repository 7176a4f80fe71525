"""GitHub workflow commands must match @actions/core byte for byte.

Expected values are written out by hand from @actions/core's command.ts:
escapeData: % -> %25, CR -> %0D, LF -> %0A; escapeProperty additionally
: -> %3A, , -> %2C; properties in the order title, file, line, col;
a falsy property is left out.
"""

import pytest

from ml_lint.report import github
from ml_lint.result import Result, Severity, Violation


def violation(
    path="README.md",
    message="msg",
    line=None,
    column=None,
    severity=Severity.ERROR,
    rule="ML001",
    name="required-path",
):
    return Violation(rule, name, severity, path, message, line, column)


MESSAGES = [
    ("plain", b"plain"),
    ("100% done", b"100%25 done"),
    ("a:b,c", b"a:b,c"),
    ("first\nsecond", b"first%0Asecond"),
    ("first\r\nsecond", b"first%0D%0Asecond"),
    ("bare\rcr", b"bare%0Dcr"),
    ("::error::inner", b"::error::inner"),
    ("already %0A escaped", b"already %250A escaped"),
    ("na\u00efve \u2013 \u00fcber", b"na\xc3\xafve \xe2\x80\x93 \xc3\xbcber"),
    ("emoji \U0001f600", b"emoji \xf0\x9f\x98\x80"),
    ("", b""),
]

PATHS = [
    ("data/raw/x.csv", b"data/raw/x.csv"),
    ("data/raw/a:b.csv", b"data/raw/a%3Ab.csv"),
    ("a,b.ipynb", b"a%2Cb.ipynb"),
    ("100%.txt", b"100%25.txt"),
    ("new\nline.txt", b"new%0Aline.txt"),
    ("crlf\r\n.txt", b"crlf%0D%0A.txt"),
    ("x::y", b"x%3A%3Ay"),
    ("%3A", b"%253A"),
    ("with space/f.ipynb", b"with space/f.ipynb"),
    (
        "research/\u00fcn\u00ef/\U0001f600.ipynb",
        b"research/\xc3\xbcn\xc3\xaf/\xf0\x9f\x98\x80.ipynb",
    ),
]


@pytest.mark.parametrize(("message", "expected"), MESSAGES)
def test_message_is_escaped_like_escape_data(message, expected):
    out = github.render(Result([violation(message=message)], []))
    assert out.encode() == b"::error title=ML001 required-path,file=README.md::" + expected + b"\n"


@pytest.mark.parametrize(("path", "expected"), PATHS)
def test_file_is_escaped_like_escape_property(path, expected):
    out = github.render(Result([violation(path=path)], []))
    assert out.encode() == b"::error title=ML001 required-path,file=" + expected + b"::msg\n"


def test_title_is_escaped_as_a_property():
    v = violation(rule="X1", name="odd:name,here%")
    assert github.annotation(v) == "::error title=X1 odd%3Aname%2Chere%25,file=README.md::msg"


def test_full_command_with_line_and_column():
    v = Violation(
        "ML101",
        "non-pushable-data",
        Severity.ERROR,
        "data/raw/a:b,c.csv",
        "tracked: remove it, 100%\nnow",
        3,
        7,
    )
    assert github.render(Result([v], [])).encode() == (
        b"::error title=ML101 non-pushable-data,file=data/raw/a%3Ab%2Cc.csv,line=3,col=7"
        b"::tracked: remove it, 100%25%0Anow\n"
    )


@pytest.mark.parametrize(
    ("line", "column", "expected"),
    [
        (None, None, "::warning title=ML002 p,file=f::m"),
        (4, None, "::warning title=ML002 p,file=f,line=4::m"),
        (4, 2, "::warning title=ML002 p,file=f,line=4,col=2::m"),
        # @actions/core drops any falsy property, so a column without a line
        # still prints col alone.
        (None, 2, "::warning title=ML002 p,file=f,col=2::m"),
    ],
)
def test_line_and_column_are_omitted_when_unknown(line, column, expected):
    v = violation("f", "m", line, column, Severity.WARNING, "ML002", "p")
    assert github.annotation(v) == expected


def test_command_without_properties_has_no_space():
    assert github.command("notice", {}, "a\nb") == "::notice::a%0Ab"


def test_notes_become_notices_after_the_annotations():
    result = Result([violation()], [], notes=["ML303 skipped: not a git repository"])
    assert github.render(result).splitlines() == [
        "::error title=ML001 required-path,file=README.md::msg",
        "::notice::ML303 skipped: not a git repository",
    ]


def test_annotations_are_sorted_by_path_then_line():
    result = Result([violation("b", line=1), violation("a", line=9), violation("a", line=2)], [])
    files = [line.split("file=")[1].split("::")[0] for line in github.render(result).splitlines()]
    assert files == ["a,line=2", "a,line=9", "b,line=1"]


def many(errors, warnings):
    return [violation(f"e{i}.txt") for i in range(errors)] + [
        violation(f"w{i}.txt", severity=Severity.WARNING) for i in range(warnings)
    ]


def test_no_overflow_notice_at_ten_of_each():
    lines = github.render(Result(many(10, 10), [])).splitlines()
    assert len(lines) == 20
    assert all(line.startswith("::") for line in lines)


@pytest.mark.parametrize(("errors", "warnings"), [(11, 0), (0, 11), (25, 3)])
def test_overflow_notice_follows_all_commands(errors, warnings):
    lines = github.render(Result(many(errors, warnings), [])).splitlines()
    commands, notice = lines[:-1], lines[-1]
    assert len(commands) == errors + warnings
    assert all(line.startswith("::") for line in commands)
    assert not notice.startswith("::")
    assert f"{errors} error" in notice and f"{warnings} warning" in notice
    assert "step summary" in notice


def table_rows(summary):
    return [line for line in summary.splitlines() if line.startswith("| ") and "---" not in line][1:]


def unescaped_cells(row):
    cells, current, escaped = [], "", False
    for char in row:
        if char == "|" and not escaped:
            cells.append(current)
            current = ""
        else:
            current += char
        escaped = char == "\\" and not escaped
    return [c.strip() for c in cells[1:]]


def test_step_summary_lists_every_violation():
    result = Result(many(25, 3), [])
    rows = table_rows(github.step_summary(result))
    assert len(rows) == 28
    assert "Found 28 violations (25 errors, 3 warnings)." in github.step_summary(result)


def test_step_summary_cells_escape_pipes_and_newlines():
    v = Violation(
        "ML002",
        "template-placeholder",
        Severity.WARNING,
        "a|b.md",
        "one | two\nthree\r\nfour `x` *y*",
        5,
        1,
    )
    summary = github.step_summary(Result([v], []))
    [row] = table_rows(summary)
    assert unescaped_cells(row) == [
        "ML002 template-placeholder",
        "warning",
        "a\\|b.md:5:1",
        "one \\| two<br>three<br>four \\`x\\` \\*y\\*",
    ]


def test_step_summary_when_clean_has_no_table():
    summary = github.step_summary(Result([], [], notes=["ML501 skipped: not a git repository"]))
    assert "All checks passed." in summary
    assert "| Rule" not in summary
    assert "ML501 skipped" in summary


def test_step_summary_stays_under_githubs_size_limit():
    big = [violation(f"f{i}.txt", "x" * 5000) for i in range(300)]
    summary = github.step_summary(Result(big, []))
    assert len(summary.encode()) <= github.STEP_SUMMARY_LIMIT
    shown = len(table_rows(summary))
    assert 0 < shown < 300
    assert f"{300 - shown} more violations not shown" in summary


UNDECODABLE = b"data/raw/\xff.csv".decode("utf-8", "surrogateescape")


def test_step_summary_shows_undecodable_bytes_as_replacement_characters():
    [row] = table_rows(github.step_summary(Result([violation(UNDECODABLE)], [])))
    assert "data/raw/\ufffd.csv" in row
    row.encode("utf-8")  # what GitHub reads: valid UTF-8


@pytest.mark.parametrize("message", ["bad name " + UNDECODABLE, "lone \ud800 surrogate from a notebook"])
def test_annotations_are_valid_utf8(message):
    output = github.render(Result([violation(UNDECODABLE, message)], []))
    assert output.encode("utf-8").startswith(b"::error title=ML001 required-path,file=data/raw/\xef\xbf\xbd.csv::")
    assert "\ufffd" in output.split("::")[-1]
