"""Table engines, given to ``Table(...)`` beside the columns or in ``__table_args__``::

    Table("user", metadata, Column("user_id", Integer), engines.CnchMergeTree(order_by="user_id"))

Keys (``order_by``, ``partition_by``, ...) take a column, a column name, a SQL expression
(``func.toDate(t.c.ts)``, ``func.tuple()``), SQL text, or a list of these (rendered as a tuple).
``Table(..., bytehouse_engine=engines.Memory())`` is the same as passing the engine beside the
columns; a reflected table carries its engine that way.

On a server without CnchMergeTree (ClickHouse), CnchMergeTree is created as MergeTree with the
clauses MergeTree has; a warning names the ByteHouse-only clauses left out (UNIQUE KEY, CLUSTER BY).
"""

from __future__ import annotations

import inspect
from typing import Any, Dict, List, NamedTuple, Optional, Sequence

from sqlalchemy import Column, literal_column
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.schema import SchemaItem, Table

ENGINE_KEYWORD = "bytehouse_engine"


class Clause(NamedTuple):
    """One clause after the engine's name: ``ORDER BY <key>``; ``suffix`` is text after the key."""

    keyword: str
    key: Any
    suffix: str = ""


class Engine(SchemaItem):
    """A table engine: its name, its arguments and the clauses that follow it."""

    __visit_name__ = "bytehouse_engine"

    def _set_parent(self, parent: Any, **kw: Any) -> None:
        if not isinstance(parent, Table):
            raise TypeError(f"{type(self).__name__} is given to a Table, not to {type(parent).__name__}")
        parent.dialect_kwargs[ENGINE_KEYWORD] = self

    @property
    def name(self) -> str:
        return type(self).__name__

    def served_name(self, server_has_cnch: bool) -> str:
        """The engine's name in DDL for a server that has CnchMergeTree or not."""
        return self.name

    def arguments(self) -> Sequence[Any]:
        """What goes inside the parentheses after the engine's name."""
        return ()

    def clauses(self, server_has_cnch: bool) -> List[Clause]:
        """The clauses after the name, in the order the server expects them (keys may be None)."""
        return []

    def __repr__(self) -> str:
        """Python that makes this engine again (Alembic writes it into migrations); expressions
        are given as their SQL text."""
        names: Dict[str, None] = {}  # the constructors' named arguments, the subclass's first
        for cls in type(self).__mro__:
            if "__init__" in cls.__dict__ and issubclass(cls, Engine):
                parameters = inspect.signature(cls.__init__).parameters.values()
                names.update((p.name, None) for p in parameters if p.kind in _NAMED and p.name != "self")
        fields = {name: getattr(self, name) for name in names if not _is_unset(getattr(self, name))}
        rendered = ", ".join(f"{key}={_python_of(value)}" for key, value in fields.items())
        return f"engines.{self.name}({rendered})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and repr(other) == repr(self)

    def __hash__(self) -> int:
        return hash(repr(self))


class Memory(Engine):
    pass


class Log(Engine):
    pass


class MergeTree(Engine):
    def __init__(
        self,
        order_by: Any = None,
        partition_by: Any = None,
        primary_key: Any = None,
        sample_by: Any = None,
        ttl: Any = None,
        settings: Optional[Dict[str, Any]] = None,
    ) -> None:
        self.order_by = order_by
        self.partition_by = partition_by
        self.primary_key = primary_key
        self.sample_by = sample_by
        self.ttl = ttl
        self.settings = dict(settings or {})

    def clauses(self, server_has_cnch: bool) -> List[Clause]:
        # MergeTree needs ORDER BY; `tuple()` is "no order", as the seed's examples write it.
        order_by = self.order_by if self.order_by is not None else literal_column("tuple()")
        return [
            Clause("PARTITION BY", self.partition_by),
            Clause("ORDER BY", order_by),
            Clause("PRIMARY KEY", self.primary_key),
            Clause("SAMPLE BY", self.sample_by),
            Clause("TTL", self.ttl),
        ]


class ReplacingMergeTree(MergeTree):
    def __init__(self, version: Any = None, is_deleted: Any = None, **keys: Any) -> None:
        super().__init__(**keys)
        self.version = version
        self.is_deleted = is_deleted

    def arguments(self) -> Sequence[Any]:
        return [argument for argument in (self.version, self.is_deleted) if argument is not None]


class SummingMergeTree(MergeTree):
    def __init__(self, columns: Any = None, **keys: Any) -> None:
        super().__init__(**keys)
        self.columns = columns

    def arguments(self) -> Sequence[Any]:
        return [] if self.columns is None else [self.columns]


class AggregatingMergeTree(MergeTree):
    pass


class CollapsingMergeTree(MergeTree):
    def __init__(self, sign: Any, **keys: Any) -> None:
        super().__init__(**keys)
        self.sign = sign

    def arguments(self) -> Sequence[Any]:
        return [self.sign]


class VersionedCollapsingMergeTree(MergeTree):
    def __init__(self, sign: Any, version: Any, **keys: Any) -> None:
        super().__init__(**keys)
        self.sign = sign
        self.version = version

    def arguments(self) -> Sequence[Any]:
        return [self.sign, self.version]


class CnchMergeTree(MergeTree):
    """ByteHouse's MergeTree. ``unique_key`` gives upsert semantics; ``cluster_by`` with ``buckets``
    (and optionally ``split_number`` and ``with_range``) spreads rows over buckets."""

    #: The clauses only ByteHouse has, left out when the server is ClickHouse.
    BYTEHOUSE_ONLY = ("UNIQUE KEY", "CLUSTER BY")

    def __init__(
        self,
        order_by: Any = None,
        partition_by: Any = None,
        primary_key: Any = None,
        unique_key: Any = None,
        cluster_by: Any = None,
        buckets: Optional[int] = None,
        split_number: Optional[int] = None,
        with_range: bool = False,
        sample_by: Any = None,
        ttl: Any = None,
        settings: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(order_by, partition_by, primary_key, sample_by, ttl, settings)
        self.unique_key = unique_key
        self.cluster_by = cluster_by
        self.buckets = buckets
        self.split_number = split_number
        self.with_range = with_range
        if cluster_by is not None and buckets is None:
            raise ValueError("CnchMergeTree: cluster_by needs buckets (CLUSTER BY ... INTO n BUCKETS)")

    def served_name(self, server_has_cnch: bool) -> str:
        return self.name if server_has_cnch else "MergeTree"

    def clauses(self, server_has_cnch: bool) -> List[Clause]:
        merge_tree = super().clauses(server_has_cnch)
        if not server_has_cnch:
            return merge_tree
        buckets = f" INTO {self.buckets} BUCKETS"
        if self.split_number is not None:
            buckets += f" SPLIT_NUMBER {self.split_number}"
        if self.with_range:
            buckets += " WITH_RANGE"
        # ByteHouse's documented order: PARTITION BY, CLUSTER BY, ORDER BY, PRIMARY KEY, UNIQUE KEY, ...
        return [
            merge_tree[0],
            Clause("CLUSTER BY", self.cluster_by, buckets),
            *merge_tree[1:3],
            Clause("UNIQUE KEY", self.unique_key),
            *merge_tree[3:],
        ]

    def dropped_clauses(self) -> List[str]:
        """The ByteHouse-only clauses this engine uses."""
        given = {"UNIQUE KEY": self.unique_key, "CLUSTER BY": self.cluster_by}
        return [keyword for keyword in self.BYTEHOUSE_ONLY if given[keyword] is not None]


_NAMED = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)


def _is_unset(value: Any) -> bool:
    return value is None or value is False or (isinstance(value, dict) and not value)


def _python_of(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_python_of(item) for item in value) + "]"
    if isinstance(value, Column):
        return repr(value.name)
    if isinstance(value, ClauseElement):
        return repr(str(value.compile(compile_kwargs={"literal_binds": True})))
    return repr(value)


#: Engines by name, for reflection.
ENGINES = {
    cls.__name__: cls
    for cls in (
        Memory,
        Log,
        MergeTree,
        ReplacingMergeTree,
        SummingMergeTree,
        AggregatingMergeTree,
        CollapsingMergeTree,
        VersionedCollapsingMergeTree,
        CnchMergeTree,
    )
}


def engine_of(table: Table) -> Optional[Engine]:
    engine = table.dialect_kwargs.get(ENGINE_KEYWORD)
    return engine if isinstance(engine, Engine) else None


__all__ = [
    "AggregatingMergeTree",
    "CnchMergeTree",
    "CollapsingMergeTree",
    "Engine",
    "Log",
    "Memory",
    "MergeTree",
    "ReplacingMergeTree",
    "SummingMergeTree",
    "VersionedCollapsingMergeTree",
]
