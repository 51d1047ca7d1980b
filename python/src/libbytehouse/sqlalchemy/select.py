"""``select()`` with ClickHouse's SELECT clauses::

    from libbytehouse.sqlalchemy import select

    select(hits).final().sample(0.1).prewhere(hits.c.day == today).where(...)
    select(t.c.id, t.c.tag).array_join(t.c.tags.label("tag"))
    select(t).order_by(t.c.ts.desc()).limit_by([t.c.user], 3)
    select(t).settings(max_threads=2)

It takes what SQLAlchemy's ``select()`` takes (columns, tables, ORM entities) and returns a Select
that works everywhere a Select does; ``Select.extend(statement)`` adds the clauses to one built
with SQLAlchemy's own ``select()``.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Iterable, Optional, Tuple

import sqlalchemy
from sqlalchemy.sql import coercions, roles
from sqlalchemy.sql.elements import ClauseElement, literal_column
from sqlalchemy.sql.visitors import InternalTraversal


def generative(method: Callable[..., None]) -> Callable[..., Select]:
    """A method that changes a copy of the statement and returns it, as Select's own methods do."""

    @functools.wraps(method)
    def on_a_copy(self: Select, *args: Any, **kw: Any) -> Select:
        copy = self._generate()
        method(copy, *args, **kw)
        return copy

    return on_a_copy


def _number_or_expression(value: Any) -> ClauseElement:
    if isinstance(value, ClauseElement):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return literal_column(repr(value))
    raise TypeError(f"expected a number or a SQL expression, not {value!r}")


class Select(sqlalchemy.sql.Select):
    inherit_cache = True

    _bytehouse_final = False
    _bytehouse_sample: Optional[ClauseElement] = None
    _bytehouse_sample_offset: Optional[ClauseElement] = None
    _bytehouse_array_join: Tuple[ClauseElement, ...] = ()
    _bytehouse_left_array_join = False
    _bytehouse_prewhere: Tuple[ClauseElement, ...] = ()
    _bytehouse_limit_by: Tuple[ClauseElement, ...] = ()
    _bytehouse_limit_by_counts: Optional[Tuple[int, Optional[int]]] = None
    _bytehouse_settings: Tuple[Tuple[str, Any], ...] = ()

    # What makes two statements compile differently is part of the cache key (and is copied when
    # the ORM adapts a statement).
    _bytehouse_internals = [
        ("_bytehouse_final", InternalTraversal.dp_boolean),
        ("_bytehouse_sample", InternalTraversal.dp_clauseelement),
        ("_bytehouse_sample_offset", InternalTraversal.dp_clauseelement),
        ("_bytehouse_array_join", InternalTraversal.dp_clauseelement_tuple),
        ("_bytehouse_left_array_join", InternalTraversal.dp_boolean),
        ("_bytehouse_prewhere", InternalTraversal.dp_clauseelement_tuple),
        ("_bytehouse_limit_by", InternalTraversal.dp_clauseelement_tuple),
        ("_bytehouse_limit_by_counts", InternalTraversal.dp_plain_obj),
        ("_bytehouse_settings", InternalTraversal.dp_plain_obj),
    ]
    _traverse_internals = [*sqlalchemy.sql.Select._traverse_internals, *_bytehouse_internals]
    _cache_key_traversal = [*sqlalchemy.sql.Select._cache_key_traversal, *_bytehouse_internals]

    @classmethod
    def extend(cls, statement: sqlalchemy.sql.Select) -> Select:
        """``statement`` (from SQLAlchemy's ``select()``) as a Select with these clauses."""
        extended = cls.__new__(cls)
        extended.__dict__.update(statement.__dict__)
        return extended

    @generative
    def final(self) -> None:
        """``FINAL``: merge rows the way the engine would (Replacing, Collapsing, ...) before reading."""
        self._bytehouse_final = True

    @generative
    def sample(self, ratio_or_rows: Any, offset: Any = None) -> None:
        """``SAMPLE k [OFFSET m]`` on a table with a sampling key: a ratio (0.1) or a row count."""
        self._bytehouse_sample = _number_or_expression(ratio_or_rows)
        self._bytehouse_sample_offset = None if offset is None else _number_or_expression(offset)

    @generative
    def array_join(self, *columns: Any, left: bool = False) -> None:
        """``[LEFT] ARRAY JOIN`` of array columns (labelled columns give the element a name)."""
        self._bytehouse_array_join = tuple(coercions.expect(roles.ColumnsClauseRole, column) for column in columns)
        self._bytehouse_left_array_join = left

    def left_array_join(self, *columns: Any) -> Select:
        return self.array_join(*columns, left=True)

    @generative
    def prewhere(self, *criteria: Any) -> None:
        """``PREWHERE``: a condition read before the other columns (MergeTree tables)."""
        self._bytehouse_prewhere += tuple(coercions.expect(roles.WhereHavingRole, item) for item in criteria)

    @generative
    def limit_by(self, by: Iterable[Any], limit: int, offset: Optional[int] = None) -> None:
        """``LIMIT n [OFFSET m] BY columns``: at most ``limit`` rows for each value of ``by``."""
        self._bytehouse_limit_by = tuple(coercions.expect(roles.ByOfRole, item) for item in by)
        self._bytehouse_limit_by_counts = (int(limit), None if offset is None else int(offset))

    @generative
    def settings(self, **settings: Any) -> None:
        """``SETTINGS name = value, ...`` for this query only."""
        self._bytehouse_settings += tuple(sorted(settings.items()))


def select(*entities: Any, **kw: Any) -> Select:
    """SQLAlchemy's ``select()``, returning a Select with ClickHouse's clauses."""
    return Select.extend(sqlalchemy.select(*entities, **kw))
