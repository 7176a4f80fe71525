"""Human output: one line per violation, then a summary, then notes."""

from __future__ import annotations

import re

from ml_lint.report.location import location
from ml_lint.result import Result, Severity, Violation

_RED = "\033[31m"
_YELLOW = "\033[33m"
_GREEN = "\033[32m"
_BOLD = "\033[1m"
_RESET = "\033[0m"

_SEVERITY_COLOUR = {Severity.ERROR: _RED + _BOLD, Severity.WARNING: _YELLOW + _BOLD}

# File names come from the repository being checked: a newline would forge a
# report line, an escape sequence would drive the reader's terminal and a bidi
# override would make the name read differently. Show them escaped instead.
_CONTROLS = [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_ESCAPES = {c: repr(chr(c))[1:-1] if c < 0x100 else f"\\u{c:04x}" for c in _CONTROLS}


def printable(text: str) -> str:
    return text.translate(_ESCAPES)


def render(result: Result, *, color: bool = False, quiet: bool = False) -> str:
    def paint(text: str, style: str) -> str:
        return f"{style}{text}{_RESET}" if color else text

    def line(where: str, v: Violation, message: str) -> str:
        return f"{printable(where)}: {paint(v.rule, _SEVERITY_COLOUR[v.severity])} [{v.name}] {printable(message)}"

    single, groups = _missing_folder_groups(result.violations)
    keyed = [(v.sort_key(), line(location(v), v, v.message)) for v in single]
    footer = []
    for (rule, command), members in groups.items():
        by_parent: dict[str, list[Violation]] = {}
        for v in members:
            by_parent.setdefault(_parent(v.path), []).append(v)
        for parent, inside in by_parent.items():
            names = ", ".join(v.path[len(parent) :] for v in inside)
            keyed.append(((parent, 0, 0, rule, ""), line(parent or "./", inside[0], f"missing folders: {names}")))
        footer.append(
            f"{rule}: {len(members)} folders missing; one command creates them all (it never overwrites): {command}"
        )
    lines = [text for _, text in sorted(keyed, key=lambda k: k[0])] + footer
    if quiet:
        return "".join(line + "\n" for line in lines)
    if lines:
        lines.append("")
    verdict = _RED if result.exit_code else _YELLOW if result.violations else _GREEN
    lines.append(paint(summary_line(result), verdict + _BOLD))
    if result.baselined:
        lines.append(f"{counted(result.baselined, 'baselined violation')} hidden.")
    if result.fixed:
        lines.append(f"Fixed {counted(len(result.fixed), 'problem')}:")
        lines.extend(f"  {printable(fix)}" for fix in result.fixed)
    lines.extend(f"note: {printable(note)}" for note in result.notes)
    return "\n".join(lines) + "\n"


def summary_line(result: Result) -> str:
    if not result.violations:
        return "All checks passed."
    counts = f"{counted(result.errors, 'error')}, {counted(result.warnings, 'warning')}"
    line = f"Found {counted(len(result.violations), 'violation')} ({counts})."
    fixable = sum(v.fixable for v in result.violations)
    if fixable:
        line = f"{line[:-1]}; {fixable} fixable with --fix."
    if result.strict and result.warnings:
        line += " Warnings fail because of --strict."
    return line


def statistics(result: Result) -> str:
    """One line per rule, most frequent first: `12  ML201  develop-name`."""
    from collections import Counter

    counts = Counter((v.rule, v.name) for v in result.violations)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    width = len(str(ranked[0][1])) if ranked else 1
    lines = [f"{n:>{width}}  {rule}  {name}" for (rule, name), n in ranked]
    return "".join(line + "\n" for line in lines)


def counted(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


_MISSING = re.compile(r"folder '(?P<path>[^']+/)' is missing\b.*`(?P<command>[^`]+)`")


def _missing_folder_groups(
    violations: list[Violation],
) -> tuple[list[Violation], dict[tuple[str, str], list[Violation]]]:
    """Violations to show one per line, and missing folders grouped by (rule, fixing command).

    A repository that does not follow the layout yet misses many folders: one
    line per parent folder and the one command that creates them all reads
    better than a line each (JSON and the other formats keep one per path).
    """
    groups: dict[tuple[str, str], list[Violation]] = {}
    for v in sorted(violations, key=lambda v: v.sort_key()):
        match = _MISSING.match(v.message) if v.line is None else None
        if match and match["path"] == v.path:
            groups.setdefault((v.rule, match["command"]), []).append(v)
    grouped = {key: members for key, members in groups.items() if len(members) > 1}
    members = {id(v) for vs in grouped.values() for v in vs}
    return [v for v in violations if id(v) not in members], grouped


def _parent(path: str) -> str:
    """'data/' for 'data/raw/', '' for 'assets/'."""
    head = path.rstrip("/").rpartition("/")[0]
    return head + "/" if head else ""
