"""Every registered check kind is complete: typed options, docs, schema, tests.

Adding a kind is one module, one registry line and regenerated docs
(CONTRIBUTING.md); this test names what is missing when a step is skipped.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from pathlib import Path

import pytest

from ml_lint.checks import KINDS
from ml_lint.frozen import Strict

ROOT = Path(__file__).resolve().parents[1]
REGEN = "run scripts/regen-docs"


@pytest.mark.parametrize("name", sorted(KINDS))
def test_kind_is_complete(name: str) -> None:
    kind = KINDS[name]
    module = kind.options.__module__.rsplit(".", 1)[-1]
    options = kind.options
    assert dataclasses.is_dataclass(options) and issubclass(options, Strict), "Options must be a Strict dataclass"
    assert options.__dataclass_params__.frozen, "Options must be frozen"  # type: ignore[attr-defined]
    hints = typing.get_type_hints(options)
    assert typing.get_args(hints["kind"]) == (name,), "Options.kind must be Literal[the kind's name]"
    assert kind.doc and kind.doc.startswith(f"{name}: "), "the module docstring starts with '<kind>: <summary>'"
    if kind.scope == "notebook":
        assert kind.check_notebook is not None and kind.check is None
        assert "paths" in hints, "a notebook kind's options say which notebooks to read (`paths`)"
    else:
        assert kind.check is not None and kind.check_notebook is None
    spec_md = (ROOT / "docs/spec.md").read_text(encoding="utf-8")
    assert f"### `{name}`" in spec_md, f"docs/spec.md does not document {name}: {REGEN}"
    schema = json.loads((ROOT / "docs/schema/spec.json").read_text(encoding="utf-8"))
    assert f"check-{name}" in schema["$defs"], f"docs/schema/spec.json lacks {name}: {REGEN}"
    assert (ROOT / "tests" / "checks" / f"test_{module}.py").is_file(), f"no tests/checks/test_{module}.py for {name}"
