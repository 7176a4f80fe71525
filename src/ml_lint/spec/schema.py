"""JSON Schemas of the spec and config formats, for editors (yaml-language-server).

Generated from the pydantic models, so they cannot disagree with validation.
docs/schema/*.json hold the output; a test keeps them current.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from ml_lint.checks import KINDS
from ml_lint.spec.config import Config
from ml_lint.spec.load import Spec

MODELS: dict[str, type[BaseModel]] = {"spec": Spec, "config": Config}
TITLES = {"spec": "ml-lint layout spec", "config": "ml-lint configuration (.ml-lint.yaml, [tool.ml-lint])"}
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(which: str) -> dict:
    schema = MODELS[which].model_json_schema(by_alias=True)
    names = {f"{kind.options.__module__.replace('.', '__')}__Options": f"check-{name}" for name, kind in KINDS.items()}
    schema = _rename(schema, names)
    for name in names.values():
        if name in schema["$defs"]:
            schema["$defs"][name]["title"] = name
    rule = schema["$defs"].get("Rule")
    if rule:  # a rule's `check` may be one mapping instead of a list
        checks = rule["properties"]["check"]
        rule["properties"]["check"] = {"anyOf": [checks["items"], checks]}
        rule["properties"]["examples"].pop("default", None)  # pydantic writes it with field names, not keys
    if which == "config":
        _options_by_name(schema, names)
    return {"$schema": DIALECT, **schema, "title": TITLES[which]}


def _options_by_name(schema: dict, names: dict[str, str]) -> None:
    """Rule overrides name their options: an unknown key (`folder` for `folders`) is an error.

    Any rule (of any spec) may set an option some check kind has; each rule of
    the built-in spec, by id or name, only the options of its own checks.
    """
    from ml_lint.frozen import option_names
    from ml_lint.spec.load import load_spec

    override = schema["$defs"]["RuleOverride"]
    known = sorted(set().union(*(option_names(kind.options) for kind in KINDS.values())))
    override["additionalProperties"] = False
    base_properties = dict(override["properties"])
    override["properties"] = {**base_properties, **{name: {} for name in known}}
    per_rule: dict[str, Any] = {}
    for rule in load_spec("ml-project").rules:
        allowed = sorted(set().union(*(option_names(type(options)) for options in rule.check)))
        definition = f"override-{rule.id}"
        schema["$defs"][definition] = {
            "type": "object",
            "title": f"{rule.id} {rule.name} (ml-project)",
            "description": f"Changes to {rule.id} {rule.name} of the built-in spec: its severity or its options.",
            "properties": {**base_properties, **{name: {} for name in allowed}},
            "additionalProperties": False,
        }
        setting = {"oneOf": [{"enum": [False, True, "off", "on"]}, {"$ref": f"#/$defs/{definition}"}]}
        per_rule[rule.id] = per_rule[rule.name] = setting
    schema["properties"]["rules"]["properties"] = per_rule


def _rename(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {names.get(k, k): _rename(v, names) for k, v in node.items()}
    if isinstance(node, list):
        return [_rename(v, names) for v in node]
    if isinstance(node, str) and node.startswith("#/$defs/"):
        return "#/$defs/" + names.get(node[8:], node[8:])
    return node


def json_schema_text(which: str) -> str:
    return json.dumps(json_schema(which), indent=2) + "\n"
