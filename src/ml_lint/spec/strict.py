"""Base of every spec and config model: strict, frozen, helpful about keys."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from ml_lint.frozen import check_known_keys


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        # pydantic's own "extra inputs are not permitted" does not say what
        # *is* permitted; users editing YAML need that.
        if isinstance(data, dict):
            check_known_keys(data, {field.alias or name for name, field in cls.model_fields.items()})
        return data
