"""JSON Schemas of the spec and config formats, for editors (yaml-language-server).

Generated from the pydantic models, so they cannot disagree with validation.
"""

from __future__ import annotations

import json

from ml_lint.config import Config
from ml_lint.spec import Spec

MODELS = {"spec": Spec, "config": Config}
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(which: str) -> dict:
    model = MODELS[which]
    schema = model.model_json_schema(by_alias=True)
    title = "ml-lint layout spec" if which == "spec" else "ml-lint configuration (.ml-lint.yaml)"
    return {"$schema": DIALECT, **schema, "title": title}


def json_schema_text(which: str) -> str:
    return json.dumps(json_schema(which), indent=2, sort_keys=False) + "\n"
