"""Frozen dataclasses: the one definition of what a spec says.

Rules, placeholders and every check kind's options are plain frozen
dataclasses. The cold side (ml_lint.spec) validates YAML into them with
pydantic, which reads the markers below; the warm side never imports pydantic:
it rebuilds the same objects from the cached JSON with `unpack`. So a check's
type hint is exactly what it receives, whichever side built it.

The markers' `__get_pydantic_core_schema__` hooks are called by pydantic only,
so importing this module costs nothing on the hook path.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from enum import Enum
from functools import cache
from typing import Any, ClassVar, TypeVar

T = TypeVar("T")


class Strict:
    """Base of the spec dataclasses: unknown keys are errors that list the known ones.

    `ALIASES` maps a field to the key users write (`passing` -> `pass`, a
    Python keyword).
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}
    ALIASES: ClassVar[dict[str, str]] = {}

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        schema = handler(source)
        node = schema
        while node.get("type") != "dataclass":  # pydantic may wrap it in a definitions schema
            node = node["schema"]
        for field in node["schema"]["fields"]:
            if field["name"] in cls.ALIASES:
                field["validation_alias"] = field["serialization_alias"] = cls.ALIASES[field["name"]]
        return core_schema.no_info_before_validator_function(cls._known_keys, schema)

    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        # pydantic's "unexpected keyword argument" does not say what *is* allowed;
        # someone editing YAML needs that.
        if isinstance(data, dict):
            check_known_keys(data, {cls.ALIASES.get(f.name, f.name) for f in dataclasses.fields(cls)})  # type: ignore[arg-type]
        return data


def check_known_keys(data: dict, allowed: set[str]) -> None:
    """Raise ValueError naming the first key of `data` not `allowed`, and what is (spec/load.py locates it)."""
    unknown = [str(key) for key in data if key not in allowed]
    if unknown:
        raise ValueError(f"unknown key '{unknown[0]}'; allowed keys: {', '.join(sorted(allowed))}")


def option_names(options: Any) -> set[str]:
    """The option names of a check's `Options` (class or instance): every field but `kind`."""
    return {field.name for field in dataclasses.fields(options) if field.name != "kind"}


class Validated:
    """Annotated marker: `func(value)` returns the value or raises ValueError (after type checks)."""

    def __init__(self, func: Callable[[Any], Any], *, before: bool = False):
        self.func, self.before = func, before

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        if self.before:
            return core_schema.no_info_before_validator_function(self.func, handler(source))
        return core_schema.no_info_after_validator_function(self.func, handler(source))


class Bounds:
    """Annotated marker: pydantic constraints by name (`min_length=1`, `ge=1`, `pattern=...`)."""

    def __init__(self, **constraints: Any):
        self.constraints = constraints

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return {**handler(source), **self.constraints}


def one_or_many(value: Any) -> Any:
    """A single mapping where a list of mappings is expected is a list of one."""
    return [value] if isinstance(value, dict) else value


OneOrMany = Validated(one_or_many, before=True)


def encode(value: Any) -> Any:
    """`value` as plain JSON data, for fingerprints and display (sets sorted, enums by value); `pack` keeps types."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: encode(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [encode(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted(encode(item) for item in value)
    if isinstance(value, dict):
        return {key: encode(item) for key, item in value.items()}
    if isinstance(value, Enum):
        return value.value
    return value


def pack(value: Any) -> Any:
    """`value` as self-describing JSON that `unpack` rebuilds without reading any type hint.

    Dataclasses and enums carry their class ("module:Name"), tuples become
    arrays, sets and mappings are marked: the cache's form of a rule set, which
    a warm run rebuilds in a few milliseconds.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {field.name: pack(getattr(value, field.name)) for field in dataclasses.fields(value)}
        return {"@": _class_id(type(value)), **fields}
    if isinstance(value, tuple):
        return [pack(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return {"@set": sorted(pack(item) for item in value)}
    if isinstance(value, dict):
        return {"@dict": {key: pack(item) for key, item in value.items()}}
    if isinstance(value, Enum):
        return {"@enum": _class_id(type(value)), "value": value.value}
    if isinstance(value, list):
        raise TypeError("frozen values hold tuples, not lists")
    return value


def unpack(data: Any) -> Any:
    """The value `pack` described (ValueError for anything it could not have written)."""
    if isinstance(data, list):
        return tuple(unpack(item) for item in data)
    if not isinstance(data, dict):
        return data
    if "@set" in data:
        return frozenset(unpack(item) for item in data["@set"])
    if "@dict" in data:
        return {key: unpack(item) for key, item in data["@dict"].items()}
    if "@enum" in data:
        return _class(data["@enum"], Enum)(data["value"])
    cls = _class(data["@"], None)
    return cls(**{key: unpack(item) for key, item in data.items() if key != "@"})


def _class_id(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


@cache
def _class(class_id: str, base: type | None) -> Any:
    """A dataclass (or an enum, with `base`) of ml-lint named by `_class_id`; never anything else."""
    import importlib

    module, _, name = class_id.partition(":")
    if not module.startswith("ml_lint.") or "." in name:
        raise ValueError(f"not an ml-lint type: {class_id!r}")
    cls = getattr(importlib.import_module(module), name, None)
    ok = isinstance(cls, type) and (issubclass(cls, base) if base else dataclasses.is_dataclass(cls))
    if not ok:
        raise ValueError(f"not an ml-lint type: {class_id!r}")
    return cls
