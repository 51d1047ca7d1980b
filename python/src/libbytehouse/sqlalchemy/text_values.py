"""ClickHouse's text form of values, both ways.

The driver hands Array, Map and Tuple values to ODBC applications as the text the server prints
(``[1,2]``, ``{'k':[1]}``, ``(1,'x')``) and reads the same text back when it is written into such a
column. ``parse`` turns that text into a tree of Python lists, dicts and tuples whose leaves are
quoted strings (``str``) or bare words (``Bare``: numbers, ``NULL``, ``true``); ``literal`` writes
Python values in that form.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import ipaddress
import math
import uuid
from typing import Any, Dict, List, Tuple, Union


class Bare(str):
    """An unquoted word of the text: a number, NULL, true/false, nan, inf."""


Node = Union[str, Bare, List[Any], Tuple[Any, ...], Dict[Any, Any]]

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "b": "\b", "f": "\f", "a": "\a", "v": "\v"}
_CLOSERS = {"[": "]", "(": ")", "{": "}"}


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def fail(self, message: str) -> ValueError:
        return ValueError(f"cannot read {self.text!r} at offset {self.at}: {message}")

    def skip_blanks(self) -> None:
        while self.at < len(self.text) and self.text[self.at] in " \t\r\n":
            self.at += 1

    def peek(self) -> str:
        self.skip_blanks()
        return self.text[self.at] if self.at < len(self.text) else ""

    def value(self) -> Node:
        first = self.peek()
        if first == "'":
            return self.string()
        if first in _CLOSERS:
            return self.container(first)
        start = self.at
        while self.at < len(self.text) and self.text[self.at] not in ",:)]} \t\r\n":
            self.at += 1
        if start == self.at:
            raise self.fail("expected a value")
        return Bare(self.text[start : self.at])

    def string(self) -> str:
        self.at += 1
        pieces: List[str] = []
        while self.at < len(self.text):
            character = self.text[self.at]
            self.at += 1
            if character == "'":
                return "".join(pieces)
            if character == "\\" and self.at < len(self.text):
                escaped = self.text[self.at]
                self.at += 1
                if escaped == "x":
                    pieces.append(chr(int(self.text[self.at : self.at + 2], 16)))
                    self.at += 2
                else:
                    pieces.append(_ESCAPES.get(escaped, escaped))
            else:
                pieces.append(character)
        raise self.fail("unterminated string")

    def container(self, opener: str) -> Node:
        closer = _CLOSERS[opener]
        self.at += 1
        items: List[Any] = []
        pairs: Dict[Any, Any] = {}
        if self.peek() == closer:
            self.at += 1
            return {} if opener == "{" else (() if opener == "(" else [])
        while True:
            item = self.value()
            if opener == "{":
                if self.peek() != ":":
                    raise self.fail("expected `:`")
                self.at += 1
                pairs[_hashable(item)] = self.value()
            else:
                items.append(item)
            separator = self.peek()
            self.at += 1
            if separator == closer:
                break
            if separator != ",":
                raise self.fail(f"expected `,` or `{closer}`")
        if opener == "{":
            return pairs
        return tuple(items) if opener == "(" else items


def _hashable(node: Node) -> Any:
    if isinstance(node, list):
        return tuple(_hashable(item) for item in node)
    if isinstance(node, dict):
        return tuple(node.items())
    return node


def parse(text: str) -> Node:
    """The tree of one value printed by the server."""
    reader = _Reader(text)
    node = reader.value()
    if reader.peek():
        raise reader.fail("unexpected text after the value")
    return node


def quote(text: str) -> str:
    """A ClickHouse string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def literal(value: Any) -> str:
    """``value`` as a ClickHouse literal, the form the driver reads into any column type."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return quote(str(value.name))
    if isinstance(value, (int, decimal.Decimal)):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, datetime.datetime):
        return quote(value.replace(tzinfo=None).isoformat(sep=" "))
    if isinstance(value, (datetime.date, uuid.UUID, ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return quote(str(value))
    if isinstance(value, bytes):
        return quote(value.decode("utf-8", "surrogateescape"))
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{literal(key)}:{literal(item)}" for key, item in value.items()) + "}"
    if isinstance(value, tuple):
        return "(" + ",".join(literal(item) for item in value) + ")"
    if isinstance(value, (list, set, frozenset)):
        return "[" + ",".join(literal(item) for item in value) + "]"
    raise TypeError(f"cannot write a {type(value).__name__} as a ClickHouse literal")
