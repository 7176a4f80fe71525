"""`ml-lint schema`: JSON Schemas that accept what the loader accepts and reject what it rejects."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

DOCS = Path(__file__).resolve().parents[1] / "docs"
BUILTIN = Path(__file__).resolve().parents[1] / "rules" / "ml-project.yaml"


@pytest.fixture(params=["spec", "config"])
def which(request):
    return request.param


def schema_of(cli, which, cwd) -> dict:
    run = cli("schema", which, cwd=cwd)
    assert run.code == 0
    return json.loads(run.out)


def test_schema_is_valid_json_schema(cli, tmp_path, which):
    schema = schema_of(cli, which, tmp_path)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_published_schema_files_are_current(cli, tmp_path, which):
    published = json.loads((DOCS / "schema" / f"{which}.json").read_text())
    assert published == schema_of(cli, which, tmp_path), f"docs/schema/{which}.json is stale: run scripts/regen-docs"


def test_spec_schema_accepts_the_shipped_specs(cli, tmp_path):
    validator = jsonschema.Draft202012Validator(schema_of(cli, "spec", tmp_path))
    for path in (BUILTIN, DOCS / "examples" / "cookiecutter-data-science.yaml"):
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(path.read_text()))]
        assert errors == [], path


@pytest.mark.parametrize(
    "bad",
    [
        {"name": "x", "rules": [], "colour": 1},
        {
            "name": "x",
            "rules": [
                {
                    "id": "X1",
                    "name": "x",
                    "severity": "fatal",
                    "summary": "s",
                    "check": {"kind": "naming", "folders": ["a"], "patterns": ["b"]},
                }
            ],
        },
        {
            "name": "x",
            "rules": [
                {"id": "X1", "name": "x", "severity": "error", "summary": "s", "check": {"kind": "no-such-kind"}}
            ],
        },
        {
            "name": "x",
            "rules": [
                {
                    "id": "X1",
                    "name": "x",
                    "severity": "error",
                    "summary": "s",
                    "check": {"kind": "naming", "folders": ["a"], "patterns": ["b"], "colour": 1},
                }
            ],
        },
    ],
)
def test_spec_schema_rejects_invalid_specs(cli, tmp_path, bad):
    validator = jsonschema.Draft202012Validator(schema_of(cli, "spec", tmp_path))
    assert list(validator.iter_errors(bad))


def test_config_schema_accepts_documented_forms_and_rejects_bad_ones(cli, tmp_path):
    validator = jsonschema.Draft202012Validator(schema_of(cli, "config", tmp_path))
    good = yaml.safe_load(
        "extends: ml-project\n"
        "placeholders: {user_id: {regex: '[a-z]+'}}\n"
        "rules: {ML304: off, ML003: 'off', ML201: {severity: error, patterns: ['{user_id}']}}\n"
        "exclude: [archive/]\n"
        "per-path-ignores: {'legacy/': [ML201]}\n"
    )
    assert [e.message for e in validator.iter_errors(good)] == []
    for bad in (
        {"rulez": {}},
        {"rules": {"ML304": "of"}},
        {"rules": {"ML304": {"severity": "loud"}}},
        {"exclude": "a/"},
    ):
        assert list(validator.iter_errors(bad)), bad


def test_schema_needs_a_known_name(cli, tmp_path):
    run = cli("schema", "rules", cwd=tmp_path)
    assert run.code == 2 and "invalid choice" in run.err


def test_config_schema_validates_rule_options_by_name(cli, tmp_path):
    validator = jsonschema.Draft202012Validator(schema_of(cli, "config", tmp_path))
    for good in (
        {"rules": {"ML201": {"folders": ["research/develop"]}}},
        {"rules": {"develop-name": {"patterns": ["{user_id}"], "severity": "warning"}}},
        {"rules": {"XY100": {"paths": ["a/**"]}}},  # a custom spec's rule: any known option
    ):
        assert [e.message for e in validator.iter_errors(good)] == [], good
    for bad in (
        {"rules": {"ML201": {"folder": ["research/develop"]}}},  # the docs' typo example
        {"rules": {"develop-name": {"markers": ["#TODO"]}}},  # an option of another kind
        {"rules": {"XY100": {"folder": ["a"]}}},  # no kind has it
    ):
        assert list(validator.iter_errors(bad)), bad
