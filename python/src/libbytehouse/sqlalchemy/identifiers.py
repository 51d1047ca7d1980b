"""Identifier quoting: ClickHouse quotes names with backquotes and is case-sensitive."""

from __future__ import annotations

from typing import Any

from sqlalchemy.sql import compiler

#: Words quoted when used as names, so that a column called ``order`` or ``final`` works anywhere.
RESERVED_WORDS = compiler.RESERVED_WORDS | {
    "array",
    "final",
    "format",
    "global",
    "interval",
    "prewhere",
    "sample",
    "settings",
    "totals",
    "ttl",
}


class ClickHouseIdentifierPreparer(compiler.IdentifierPreparer):
    reserved_words = RESERVED_WORDS

    def __init__(self, dialect: Any, **kw: Any) -> None:
        # A backquote inside a name is doubled, which both old and new servers read.
        super().__init__(dialect, initial_quote="`", escape_quote="`", **kw)
