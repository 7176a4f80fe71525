"""Docs generated from the spec and the models cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

from ml_lint.spec import docs
from ml_lint.spec.load import load_spec

ROOT = Path(__file__).resolve().parents[1]


def between(text: str, start: str, end: str) -> str | None:
    match = re.search(re.escape(start) + r"\n(.*?)" + re.escape(end), text, re.S)
    return match.group(1) if match else None


def test_rules_reference_is_current():
    assert (ROOT / "docs/rules.md").read_text() == docs.rule_reference(load_spec()), (
        "docs/rules.md is stale: run scripts/regen-docs"
    )


def test_spec_md_check_kinds_section_is_current():
    section = between((ROOT / "docs/spec.md").read_text(), "<!-- check-kinds:start -->", "<!-- check-kinds:end -->")
    assert section == docs.check_kinds_reference(), (
        "the check-kinds section of docs/spec.md is stale: run scripts/regen-docs"
    )


def test_spec_md_documents_every_check_kind_option():
    from dataclasses import fields

    from ml_lint.checks import KINDS

    text = (ROOT / "docs/spec.md").read_text()
    for name, kind in KINDS.items():
        assert f"### `{name}`" in text
        for option in fields(kind.options):
            assert option.name == "kind" or f"| `{option.name}` |" in text, (name, option.name)
