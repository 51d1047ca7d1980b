"""Identifier quoting: ClickHouse quotes names with backquotes and is case-sensitive."""

from __future__ import annotations

from typing import Any, Optional, Tuple

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


def split_backquoted(text: str) -> Optional[Tuple[str, str]]:
    """The name in backquotes at the start of ``text`` and the text after it, None when ``text`` does
    not start with a backquote. Inside, a backslash escapes the next character and a doubled
    backquote is one, as the server reads them."""
    if not text.startswith("`"):
        return None
    name, index = [], 1
    while index < len(text):
        character = text[index]
        if character == "\\" and index + 1 < len(text):
            name.append(text[index + 1])
            index += 2
        elif character == "`" and text[index + 1 : index + 2] == "`":
            name.append("`")
            index += 2
        elif character == "`":
            return "".join(name), text[index + 1 :].strip()
        else:
            name.append(character)
            index += 1
    return None
