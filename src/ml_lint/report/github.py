"""GitHub Actions workflow commands, byte-identical to @actions/core.

`core.error(message, {title, file, startLine, startColumn})` prints
`::error title=…,file=…,line=…,col=…::message`: properties in the order of
toCommandProperties (title, file, line, endLine, col, endColumn), each
skipped when falsy, values through escapeProperty, message through escapeData.
"""

from __future__ import annotations

from collections.abc import Mapping

from ml_lint.report.encoding import valid_utf8
from ml_lint.report.location import location
from ml_lint.report.text import counted, summary_line
from ml_lint.result import Result, Violation

# GitHub renders at most this many annotations of each kind per step.
ANNOTATION_LIMIT = 10
# GitHub refuses a step summary larger than 1 MiB.
STEP_SUMMARY_LIMIT = 1024 * 1024
# Bytes kept free for the sentence saying how many rows were left out.
_OVERFLOW_ROOM = 200


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: Mapping[str, object], message: str) -> str:
    text = "::" + name
    if properties:
        # @actions/core adds the space whenever it got properties, even if
        # every value turns out falsy and none is printed.
        text += " " + ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value)
    return f"{text}::{escape_data(message)}"


def annotation(violation: Violation) -> str:
    properties = {
        "title": f"{violation.rule} {violation.name}",
        "file": violation.path,
        "line": violation.line,
        "col": violation.column,
    }
    return command(violation.severity.value, properties, violation.message)


def render(result: Result) -> str:
    violations = sorted(result.violations, key=lambda v: v.sort_key())
    lines = [annotation(v) for v in violations]
    lines.extend(command("notice", {}, note) for note in result.notes)
    if result.errors > ANNOTATION_LIMIT or result.warnings > ANNOTATION_LIMIT:
        lines.append(
            f"ml-lint found {counted(result.errors, 'error')} and "
            f"{counted(result.warnings, 'warning')}; GitHub shows "
            f"only the first {ANNOTATION_LIMIT} annotations of each kind per step. "
            "The full table is in the job's step summary."
        )
    return valid_utf8("".join(line + "\n" for line in lines))


def step_summary(result: Result) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY: every violation in one table."""
    head = f"## ml-lint\n\n{summary_line(result)}\n"
    if not result.violations:
        return head + _notes(result)
    head += "\n| Rule | Severity | Location | Message |\n| --- | --- | --- | --- |\n"
    violations = sorted(result.violations, key=lambda v: v.sort_key())
    rows = [_row(v) for v in violations]
    budget = STEP_SUMMARY_LIMIT - _size(head) - _size(_notes(result)) - _OVERFLOW_ROOM
    kept = []
    for row in rows:
        budget -= _size(row)
        if budget < 0:
            break
        kept.append(row)
    table = "".join(kept)
    if len(kept) < len(rows):
        table += (
            f"\n{counted(len(rows) - len(kept), 'more violation')} not shown: GitHub limits a step "
            "summary to 1 MiB. Run `ml-lint check --format json` for all of them.\n"
        )
    return valid_utf8(head + table + _notes(result))


def _size(markdown: str) -> int:
    # Each surrogate-escaped byte counts 3, the size of the U+FFFD it becomes.
    return len(markdown.encode("utf-8", "surrogatepass"))


def _row(violation: Violation) -> str:
    cells = [
        f"{violation.rule} {violation.name}",
        violation.severity.value,
        location(violation),
        violation.message,
    ]
    return "| " + " | ".join(_cell(c) for c in cells) + " |\n"


# Characters with inline meaning in GitHub Markdown (| splits table cells,
# $ starts maths); a backslash makes each one literal.
_MARKDOWN_SPECIAL = set("\\`*_[]<>|~&$")


def _cell(text: str) -> str:
    escaped = "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in text)
    return escaped.replace("\r\n", "<br>").replace("\r", "<br>").replace("\n", "<br>")


def _notes(result: Result) -> str:
    if not result.notes:
        return ""
    return "\n" + "".join(f"- note: {_cell(note)}\n" for note in result.notes)
