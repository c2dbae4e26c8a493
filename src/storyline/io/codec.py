"""Records <-> JSON-ready dicts, driven by the dataclass type hints (round-trip tested).

Both directions work from plans made once per type (field names; a decoder per field
type), not from the type hints re-read at every value: the store encodes and decodes
every annotation and dossier through here, so this is on the hot path of every build.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")

SCHEMA_VERSION = 1

# Values to_dict passes through as they are (exact types: a subclass takes the long way).
_PLAIN: frozenset[type] = frozenset({str, int, float, bool, type(None)})
_NOT_A_RECORD: tuple[str, ...] = ()
_FIELDS: dict[type, tuple[str, ...]] = {}  # record type -> its field names (() if no record)
# record type -> (field, default) of fields left out of the JSON while they hold their
# default: a field added later to a record stored by the million (``Span.part``) costs
# nothing where it is unused, and rows written before it read the same.
_OMITTED: dict[type, tuple[tuple[str, Any], ...]] = {}
OMIT_DEFAULT = "codec_omit_default"  # field metadata key: dataclasses.field(metadata={...: True})


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        fields = dataclasses.fields(cls) if dataclasses.is_dataclass(cls) else ()
        names = tuple(f.name for f in fields) if fields else _NOT_A_RECORD
        _OMITTED[cls] = tuple((f.name, f.default) for f in fields if f.metadata.get(OMIT_DEFAULT))
        _FIELDS[cls] = names
    return names


def to_dict(record: Any) -> Any:
    """A JSON-ready structure for a record (dates as ISO strings, tuples as lists)."""
    cls = type(record)
    if cls in _PLAIN:
        return record
    names = _field_names(cls)
    # plain values are taken as they are without a call each (most fields are str or int)
    if names:
        out = {}
        for name in names:
            value = getattr(record, name)
            out[name] = value if type(value) in _PLAIN else to_dict(value)
        for name, default in _OMITTED[cls]:
            if out[name] == default:
                del out[name]
        return out
    if isinstance(record, tuple | list):
        return [item if type(item) in _PLAIN else to_dict(item) for item in record]
    if isinstance(record, dict):
        return {str(k): to_dict(v) for k, v in record.items()}
    if isinstance(record, date):
        return record.isoformat()
    return record


def from_dict(cls: type[T], data: Any) -> T:
    """Rebuild a record of type ``cls`` from :func:`to_dict` output."""
    decode = _decoder(typing.cast(Any, cls))  # a type is hashable: the cache key
    return typing.cast(T, data if decode is None else decode(data))


Decoder = Callable[[Any], Any]


@functools.cache
def _decoder(tp: Any) -> Decoder | None:
    """How JSON data becomes a value of type ``tp`` (None: the JSON value is the value).

    Every decoder maps None to None, as a missing optional value is null at any depth.
    """
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        # a union of primitives (str | int ...): JSON already holds the value
        return _decoder(options[0]) if len(options) == 1 else None
    if origin is tuple:
        return _tuple_decoder(get_args(tp))
    if origin is dict:
        _, value_type = get_args(tp)
        value = _decoder(value_type)
        if value is None:
            return lambda data: None if data is None else dict(data)
        return lambda data: None if data is None else {k: value(v) for k, v in data.items()}
    if origin is typing.Literal:
        return None
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _record_decoder(tp)
    if tp is date:
        return lambda data: None if data is None else date.fromisoformat(data)
    return None


def _tuple_decoder(args: tuple[Any, ...]) -> Decoder:
    if len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0])
        if item is None:
            return lambda data: None if data is None else tuple(data)
        return lambda data: None if data is None else tuple([item(x) for x in data])
    items = [_decoder(a) or _same for a in args]
    return lambda data: (
        None if data is None else tuple(d(x) for d, x in zip(items, data, strict=True))
    )


def _same(value: Any) -> Any:
    return value


def _record_decoder(tp: type[Any]) -> Decoder:
    # the plan is made on first use: a record type may (through its fields) refer to itself
    plan: list[tuple[str, Decoder | None]] = []

    def build(data: Any) -> Any:
        if data is None:
            return None
        if not plan:
            hints = get_type_hints(tp)  # slow: once per record type
            plan.extend((f.name, _decoder(hints[f.name])) for f in dataclasses.fields(tp))
        kwargs = {}
        for name, decode in plan:
            if name in data:
                value = data[name]
                kwargs[name] = value if decode is None else decode(value)
        return tp(**kwargs)

    return build
