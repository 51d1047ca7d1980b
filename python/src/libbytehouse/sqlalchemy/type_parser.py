"""Server type names (``Nullable(Decimal(9, 2))``, ``Map(String, Array(Tuple(a UInt8, b String)))``,
``Enum8('a\\'b' = 1)``) parsed back into the dialect's types, for reflection."""

from __future__ import annotations

import warnings
from typing import Callable, Dict, List, Tuple

from sqlalchemy import types as sqltypes
from sqlalchemy.sql import type_api

from libbytehouse.sqlalchemy import types
from libbytehouse.sqlalchemy.identifiers import split_backquoted
from libbytehouse.sqlalchemy.text_values import parse as parse_text

#: Types without arguments, by name.
SIMPLE_TYPES: Dict[str, Callable[[], type_api.TypeEngine]] = {
    cls.__name__: cls
    for cls in (
        types.Int8,
        types.Int16,
        types.Int32,
        types.Int64,
        types.Int128,
        types.Int256,
        types.UInt8,
        types.UInt16,
        types.UInt32,
        types.UInt64,
        types.UInt128,
        types.UInt256,
        types.Float32,
        types.Float64,
        types.Bool,
        types.String,
        types.UUID,
        types.IPv4,
        types.IPv6,
        types.Date,
        types.Date32,
        types.DateTime,
        types.JSON,
        types.Nothing,
    )
}
SIMPLE_TYPES["Object"] = types.JSON
#: Decimal32(S) and its siblings: the precision each implies.
DECIMAL_PRECISIONS = {"Decimal32": 9, "Decimal64": 18, "Decimal128": 38, "Decimal256": 76}


def split_arguments(text: str) -> List[str]:
    """The top-level comma-separated items of ``text``, quotes and parentheses respected."""
    items: List[str] = []
    depth, start, quote, index = 0, 0, "", 0
    while index < len(text):
        character = text[index]
        if quote:
            if character == "\\":
                index += 1
            elif character == quote:
                quote = ""
        elif character in "'`\"":
            quote = character
        elif character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
        elif character == "," and depth == 0:
            items.append(text[start:index].strip())
            start = index + 1
        index += 1
    last = text[start:].strip()
    if last or items:
        items.append(last)
    return items


def _name_and_arguments(text: str) -> Tuple[str, List[str]]:
    text = text.strip()
    opening = text.find("(")
    if opening < 0 or not text.endswith(")"):
        return text, []
    return text[:opening].strip(), split_arguments(text[opening + 1 : -1])


def _named_element(text: str) -> Tuple[str, str]:
    """``a UInt8`` or ```a b` UInt8`` -> (name, type); an unnamed element has an empty name."""
    backquoted = split_backquoted(text)
    if backquoted is not None:
        return backquoted
    head, _, rest = text.partition(" ")
    if rest and "(" not in head:
        return head, rest.strip()
    return "", text


def _enum(kind: type, arguments: List[str]) -> type_api.TypeEngine:
    values: Dict[str, int] = {}
    for item in arguments:
        name, _, number = item.rpartition("=")
        values[str(parse_text(name.strip()))] = int(number)
    return kind(values=values)


def parse_type(text: str) -> type_api.TypeEngine:
    """The dialect type of a server type name; an unknown name gives NullType and a warning."""
    name, arguments = _name_and_arguments(text)
    if name in ("Nullable", "LowCardinality") and len(arguments) == 1:
        wrapper = types.Nullable if name == "Nullable" else types.LowCardinality
        return wrapper(parse_type(arguments[0]))
    if name == "Array" and len(arguments) == 1:
        return types.Array(parse_type(arguments[0]))
    if name == "Map" and len(arguments) == 2:
        return types.Map(parse_type(arguments[0]), parse_type(arguments[1]))
    if name == "Tuple":
        elements = [_named_element(item) for item in arguments]
        return types.Tuple(
            *[(element, parse_type(type_text)) if element else parse_type(type_text) for element, type_text in elements]
        )
    if name in ("Enum8", "Enum16"):
        return _enum(types.Enum8 if name == "Enum8" else types.Enum16, arguments)
    if name == "Decimal" and len(arguments) == 2:
        return types.Decimal(int(arguments[0]), int(arguments[1]))
    if name in DECIMAL_PRECISIONS and len(arguments) == 1:
        return types.Decimal(DECIMAL_PRECISIONS[name], int(arguments[0]))
    if name == "FixedString" and len(arguments) == 1:
        return types.FixedString(int(arguments[0]))
    if name == "DateTime" and len(arguments) == 1:
        return types.DateTime(str(parse_text(arguments[0])))
    if name == "DateTime64" and arguments:
        zone = str(parse_text(arguments[1])) if len(arguments) > 1 else None
        return types.DateTime64(int(arguments[0]), zone)
    if name == "SimpleAggregateFunction" and len(arguments) == 2:
        return parse_type(arguments[1])
    if name in SIMPLE_TYPES and (not arguments or name in ("Object", "JSON")):
        return SIMPLE_TYPES[name]()
    warnings.warn(f"libbytehouse: no SQLAlchemy type for the column type {text!r}; reflected as NullType", stacklevel=2)
    return sqltypes.NullType()


def parse_column_type(text: str) -> Tuple[type_api.TypeEngine, bool]:
    """A column's type and whether it is nullable: a top-level Nullable (also inside
    LowCardinality) becomes the column's nullability, as the dialect writes it back."""
    parsed = parse_type(text)
    if isinstance(parsed, types.Nullable):
        return parsed.inner, True
    if isinstance(parsed, types.LowCardinality) and isinstance(parsed.inner, types.Nullable):
        return types.LowCardinality(parsed.inner.inner), True
    return parsed, False
