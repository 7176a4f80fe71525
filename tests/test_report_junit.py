import xml.etree.ElementTree as ET

import pytest

from ml_lint.report import junit
from ml_lint.result import Result, Severity, Violation


def violation(path="a.txt", message="m", line=None, severity=Severity.ERROR):
    return Violation("ML001", "required-path", severity, path, message, line)


def parse(result):
    root = ET.fromstring(junit.render(result).encode("utf-8"))
    assert root.tag == "testsuites"
    [suite] = root
    assert suite.get("name") == "ml-lint"
    return suite


def test_one_failing_testcase_per_violation():
    suite = parse(Result([violation("b", "second", 2, Severity.WARNING), violation("a", "first")], [], strict=True))
    assert suite.get("tests") == "2" and suite.get("failures") == "2"
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["a", "b:2"]
    assert [c.get("classname") for c in cases] == ["ML001.required-path"] * 2
    failure = cases[1].find("failure")
    assert failure.get("type") == "warning"
    assert failure.get("message") == "second"
    assert failure.text == "b:2: ML001 [required-path] second"


def test_clean_run_has_one_passing_testcase():
    suite = parse(Result([], [], notes=["ML303 skipped: not a git repository"]))
    [case] = suite.findall("testcase")
    assert case.find("failure") is None
    assert suite.get("failures") == "0"
    assert "ML303 skipped" in suite.find("system-out").text


@pytest.mark.parametrize(
    "tricky",
    [
        "a & b < c > d",
        "quotes \" and '",
        "]]> end of cdata",
        "line\nbreak",
        "tab\there",
        "\u00fcnic\u00f6de \u2013 \U0001f600",
        "%0A :: , ;",
    ],
)
def test_text_round_trips(tricky):
    suite = parse(Result([violation(f"dir/{tricky}.txt", tricky)], []))
    case = suite.find("testcase")
    assert case.get("name") == f"dir/{tricky}.txt"
    assert case.find("failure").get("message") == tricky


@pytest.mark.parametrize(
    "bad",
    ["nul\x00", "bell\x07", "esc\x1b[31m", "\ufffe", b"\xff".decode("utf-8", "surrogateescape")],
)
def test_characters_xml_cannot_hold_still_give_well_formed_xml(bad):
    suite = parse(Result([violation(bad, bad)], []))
    assert "\N{REPLACEMENT CHARACTER}" in suite.find("testcase/failure").get("message")


def test_warnings_on_a_passing_run_are_not_failures():
    suite = parse(Result([violation("b", "a warning", 2, Severity.WARNING), violation("a", "an error")], []))
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    error, warning = suite.findall("testcase")
    assert error.find("failure") is not None
    assert warning.find("failure") is None
    assert warning.find("system-out").text == "warning: b:2: ML001 [required-path] a warning"
