"""Naming patterns and user regexes are untrusted input: they fail cleanly or stay fast."""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from ml_lint.patterns import NamePattern, PatternError, Placeholder, explain_mismatch
from ml_lint.regexsafety import UnsafeRegex, check_regex

SAFE = [
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
    r"[a-z0-9]+(?:-[a-z0-9]+)*",
    r"v?[0-9]+(?:\.[0-9]+)*",
    r"(\w+\.)*\w+",
    r"(\d{2}){3}",
    r"(?:/home/|/Users/)[^/\s'\"]+",
    r"\bsys\.path\.(?:append|insert)\s*\(",
    r".+",
]
EXPONENTIAL = [r"(a+)+$", r"(a*)*b", r"(\w+\s?)*$", r"(.*,)*x", r"(a{1,9}){5,}", r"(-?[a-z]+)*!", r"(?=(a+)+b)"]


@pytest.mark.parametrize("regex", SAFE)
def test_safe_regexes_are_accepted(regex):
    check_regex(regex)


@pytest.mark.parametrize("regex", EXPONENTIAL)
def test_nested_repetition_is_refused(regex):
    with pytest.raises(UnsafeRegex, match="exponential time"):
        check_regex(regex)


@pytest.mark.parametrize("regex", [r"(a)\1", r"(?P<x>a)(?P=x)", r"(a)?(?(1)b|c)"])
def test_placeholders_refuse_back_references(regex):
    with pytest.raises(ValidationError, match="back-references"):
        placeholder(regex=regex)


def placeholder(**fields: object) -> Placeholder:
    """A placeholder validated as a spec's is."""
    return TypeAdapter(Placeholder).validate_python(fields)


def test_placeholder_refuses_global_flags_and_named_groups():
    with pytest.raises(ValidationError, match=r"\(\?i:\.\.\.\)"):
        placeholder(regex="(?i)[a-z]+")
    with pytest.raises(ValidationError, match="named groups"):
        placeholder(regex="(?P<name>[a-z]+)")
    assert NamePattern.compile("x{p}", {"p": placeholder(regex="(?i:[a-z]+)")}).matches("xAbC")


def test_capturing_groups_in_placeholders_keep_their_meaning():
    # Literal parentheses and groups inside the user's regex must not shift the date check.
    placeholders = {
        "tag": placeholder(regex=r"\((a|b)\)[(]"),
        "date": placeholder(regex="[0-9]{4}-[0-9]{2}-[0-9]{2}", date="%Y-%m-%d"),
    }
    pattern = NamePattern.compile("{tag}_{date}", placeholders)
    assert pattern.matches("(a)(_2024-05-01")
    assert not pattern.matches("(a)(_2024-13-01")
    assert "not a valid date" in explain_mismatch("(b)(_2024-02-30", [pattern])


def test_the_same_placeholder_twice():
    placeholders = {"w": placeholder(regex="[a-z]+")}
    assert NamePattern.compile("{w}-{w}", placeholders).matches("ab-cd")


def test_a_long_hostile_name_is_fast():
    placeholders = {
        "w": placeholder(regex="[a-z0-9]+(?:-[a-z0-9]+)*"),
        "v": placeholder(regex=r"v?[0-9]+(?:\.[0-9]+)*"),
    }
    pattern = NamePattern.compile("{w}_{v}", placeholders)
    start = time.perf_counter()
    for name in ("a-" * 5000 + "!", "a_" + "1." * 5000 + "!", "-" * 10000):
        assert explain_mismatch(name, [pattern]) is not None
    assert time.perf_counter() - start < 2


REGEX_TOKENS = st.sampled_from(
    ["a", "b", "-", ".", "\\", "\\d", "\\w", "(", ")", "(?:", "(?P<n>", "(?i)", "[", "]", "^", "$",
     "*", "+", "?", "{", "}", "{2}", "{1,3}", "|", "\\1", "(?=", "(?<=", "(?#", ","]
)  # fmt: skip
regexes = st.lists(REGEX_TOKENS, max_size=12).map("".join) | st.text(max_size=12)
names = st.text(alphabet=st.sampled_from("ab-_.1(){}\\ é\udcff"), max_size=30)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(regex=regexes, template=st.text(alphabet=st.sampled_from("ab_{}-.x"), max_size=12), name=names)
def test_any_template_and_regex_fails_cleanly_and_never_crashes_at_match_time(regex, template, name):
    try:
        placeholders = {"x": placeholder(regex=regex, date="%Y")}
    except ValidationError:
        return  # a clean, located config error
    try:
        pattern = NamePattern.compile(template, placeholders)
    except PatternError:
        return
    start = time.perf_counter()
    assert pattern.matches(name) in (True, False)
    message = explain_mismatch(name, [pattern])
    assert message is None or "does not match" in message
    assert time.perf_counter() - start < 1


@settings(max_examples=200, deadline=None)
@given(st.lists(REGEX_TOKENS, max_size=10).map("".join))
def test_accepted_regexes_stay_fast_on_a_near_match(regex):
    try:
        check_regex(regex)
    except UnsafeRegex:
        return
    import re

    compiled = re.compile(regex)
    start = time.perf_counter()
    for text in ("a" * 2000 + "!", "ab-" * 700 + "\n", "1," * 1000):
        compiled.search(text)
    assert time.perf_counter() - start < 1


DATE_FORMATS = ["%Y-%m-%d", "%Y%m%d", "%d.%m.%Y", "%Y_%m", "%m-%d", "%Y-%m-%dT%H", "%b %Y", "%Y%%%m"]
DATE_TEXT = st.text(alphabet="0123456789-._ %TJanb", max_size=12)


@settings(max_examples=3000, suppress_health_check=[HealthCheck.too_slow])
@given(fmt=st.sampled_from(DATE_FORMATS), value=st.one_of(DATE_TEXT, st.dates().map(str)))
def test_dates_are_read_as_strptime_reads_them(fmt, value):
    """The fast reader for day formats must accept exactly what strptime accepts."""
    from datetime import datetime

    from ml_lint.patterns import _is_date

    try:
        datetime.strptime(value, fmt)
        expected = True
    except ValueError:
        expected = False
    assert _is_date(value, fmt) is expected, (value, fmt)


@pytest.mark.parametrize(
    ("value", "fmt", "valid"),
    [
        ("2024-02-29", "%Y-%m-%d", True),
        ("2023-02-29", "%Y-%m-%d", False),
        ("2024-13-01", "%Y-%m-%d", False),
        ("2024-5-1", "%Y-%m-%d", True),  # strptime reads one-digit months and days
        ("0000-01-01", "%Y-%m-%d", False),
        ("20240501", "%Y%m%d", True),
        ("31.04.2024", "%d.%m.%Y", False),
    ],
)
def test_calendar_dates(value, fmt, valid):
    from ml_lint.patterns import _day_reader, _is_date

    assert _day_reader(fmt) is not None  # the fast reader decides these
    assert _is_date(value, fmt) is valid
