from importlib import import_module

import pytest

from ml_lint.report import FORMATS, render, text
from ml_lint.result import Result, Severity, Violation

RESULT = Result([Violation("ML001", "required-path", Severity.ERROR, "LICENSE", "missing")], [])


def test_the_formats_the_cli_offers():
    assert set(FORMATS) == {"text", "json", "github", "sarif", "junit", "gitlab"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_render_dispatches_and_ends_with_a_newline(fmt):
    out = render(RESULT, fmt)
    assert out == import_module(f"ml_lint.report.{fmt}").render(RESULT)
    assert out.endswith("\n") and not out.endswith("\n\n")
    assert "\x1b" not in render(RESULT, fmt, color=True) or fmt == "text"


def test_color_reaches_the_text_format():
    assert render(RESULT, "text", color=True) == text.render(RESULT, color=True)
    assert "\x1b[" in render(RESULT, "text", color=True)


def test_unknown_format_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown output format 'xml'; choose one of text"):
        render(RESULT, "xml")
