"""Human output: one line per violation, then a summary, then notes."""

from __future__ import annotations

from ml_lint.report.location import location
from ml_lint.result import Result, Severity

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

    lines = [
        f"{printable(location(v))}: {paint(v.rule, _SEVERITY_COLOUR[v.severity])} [{v.name}] {printable(v.message)}"
        for v in sorted(result.violations, key=lambda v: v.sort_key())
    ]
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
    if result.strict and result.warnings:
        line += " Warnings fail because of --strict."
    return line


def counted(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
