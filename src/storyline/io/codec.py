"""Records <-> JSON-ready dicts, driven by the dataclass type hints (round-trip tested)."""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from datetime import date
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")

SCHEMA_VERSION = 1


def to_dict(record: Any) -> Any:
    """A JSON-ready structure for a record (dates as ISO strings, tuples as lists)."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: to_dict(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, tuple | list):
        return [to_dict(item) for item in record]
    if isinstance(record, dict):
        return {str(k): to_dict(v) for k, v in record.items()}
    if isinstance(record, date):
        return record.isoformat()
    return record


def from_dict(cls: type[T], data: Any) -> T:
    """Rebuild a record of type ``cls`` from :func:`to_dict` output."""
    return typing.cast(T, _build(cls, data))


@functools.cache
def _hints(cls: type[Any]) -> dict[str, Any]:
    """A record type's resolved field types (resolving is slow: once per type)."""
    return get_type_hints(cls)


def _build(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        if len(options) == 1:
            return _build(options[0], data)
        return data  # a union of primitives (str | int ...): JSON already holds the value
    if origin is tuple:
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], item) for item in data)
        return tuple(_build(a, item) for a, item in zip(args, data, strict=True))
    if origin is dict:
        _, value_type = get_args(tp)
        return {k: _build(value_type, v) for k, v in data.items()}
    if origin is typing.Literal:
        return data
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {
            f.name: _build(hints[f.name], data[f.name])
            for f in dataclasses.fields(tp)
            if f.name in data
        }
        return tp(**kwargs)
    if tp is date:
        return date.fromisoformat(data)
    return data
