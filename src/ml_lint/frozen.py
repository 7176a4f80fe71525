"""Frozen dataclasses: the one definition of what a spec says.

Rules, placeholders and every check kind's options are plain frozen
dataclasses. The cold side (ml_lint.spec) validates YAML into them with
pydantic, which reads the markers below; the warm side never imports pydantic:
it rebuilds the same objects from the cached JSON with `decode`. So a check's
type hint is exactly what it receives, whichever side built it.

The markers' `__get_pydantic_core_schema__` hooks are called by pydantic only,
so importing this module costs nothing on the hook path.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable
from enum import Enum
from functools import cache
from typing import Annotated, Any, ClassVar, TypeVar, Union, get_args, get_origin, get_type_hints

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
            allowed = sorted(cls.ALIASES.get(f.name, f.name) for f in dataclasses.fields(cls))  # type: ignore[arg-type]
            unknown = [str(key) for key in data if key not in allowed]
            if unknown:
                raise ValueError(f"unknown key '{unknown[0]}'; allowed keys: {', '.join(allowed)}")
        return data


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
    """`value` as JSON data that `decode` turns back into it (sets sorted, enums by value)."""
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


def decode(kind: Any, data: Any) -> Any:
    """`data` (JSON of a value of type `kind`) as that type: the warm side's validation-free rebuild."""
    origin = get_origin(kind)
    if origin is Annotated:
        return decode(get_args(kind)[0], data)
    if dataclasses.is_dataclass(kind):
        cls: Any = kind
        hints = _hints(cls)
        return cls(**{name: decode(hints[name], value) for name, value in data.items()})
    if origin in (Union, types.UnionType):
        return _decode_union(get_args(kind), data)
    if origin is tuple:
        args = get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], item) for item in data)
        return tuple(decode(arg, item) for arg, item in zip(args, data, strict=False))
    if origin is frozenset:
        return frozenset(decode(get_args(kind)[0], item) for item in data)
    if origin is list:
        return [decode(get_args(kind)[0], item) for item in data]
    if origin is dict:
        return {key: decode(get_args(kind)[1], value) for key, value in data.items()}
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    return data


def _decode_union(options: tuple[Any, ...], data: Any) -> Any:
    if data is None:
        return None
    for option in options:
        if dataclasses.is_dataclass(option):
            tag = get_args(_hints(option).get("kind"))  # type: ignore[arg-type]
            if not tag or (isinstance(data, dict) and data.get("kind") in tag):
                return decode(option, data)
        elif option is not type(None):
            return decode(option, data)
    raise ValueError(f"no type of {options} fits {data!r}")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls, include_extras=True)  # each class's annotations in its own module
