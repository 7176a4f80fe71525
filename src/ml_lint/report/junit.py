"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ml_lint.report.location import location
from ml_lint.report.text import summary_line
from ml_lint.result import Result, Violation

# Characters XML 1.0 cannot carry at all, not even as character references.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    return _NOT_XML.sub("\N{REPLACEMENT CHARACTER}", value)


def render(result: Result) -> str:
    violations = sorted(result.violations, key=lambda v: v.sort_key())
    counts = {
        "tests": str(max(len(violations), 1)),
        "failures": str(sum(result.fails(v) for v in violations)),
        "errors": "0",
        "skipped": "0",
    }
    suites = ET.Element("testsuites", {"name": "ml-lint", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": "ml-lint", **counts})
    for violation in violations:
        suite.append(_testcase(violation, result.fails(violation)))
    if not violations:
        ET.SubElement(suite, "testcase", classname="ml-lint", name=summary_line(result))
    if result.notes:
        ET.SubElement(suite, "system-out").text = xml_text("".join(f"note: {note}\n" for note in result.notes))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _testcase(violation: Violation, fails: bool) -> ET.Element:
    """A failing violation is a <failure>; a warning that passes is reported in the case's <system-out>."""
    case = ET.Element(
        "testcase",
        classname=xml_text(f"{violation.rule}.{violation.name}"),
        name=xml_text(location(violation)),
    )
    text = xml_text(f"{location(violation)}: {violation.rule} [{violation.name}] {violation.message}")
    if fails:
        failure = ET.SubElement(case, "failure", type=violation.severity.value, message=xml_text(violation.message))
        failure.text = text
    else:
        ET.SubElement(case, "system-out").text = f"{violation.severity.value}: {text}"
    return case
