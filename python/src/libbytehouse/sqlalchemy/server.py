"""What the connected server has, asked once per engine: type names, table engines, the settings the
dialect relies on, and the columns of system.tables. DDL and SQL are written for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, FrozenSet, Optional

#: One round trip: each row is (kind, name).
CAPABILITIES_QUERY = """
SELECT 'type', name FROM system.data_type_families
UNION ALL SELECT 'engine', name FROM system.table_engines
UNION ALL SELECT 'setting', name FROM system.settings
    WHERE name IN ('mutations_sync', 'lightweight_deletes_sync')
UNION ALL SELECT 'table column', name FROM system.columns WHERE database = 'system' AND table = 'tables'
"""


@dataclass(frozen=True)
class Server:
    """A server's capabilities; ``known`` is False before the first connection, when SQL is
    written for a modern ByteHouse (as when compiling without a connection)."""

    known: bool = False
    types: FrozenSet[str] = field(default_factory=frozenset)
    engines: FrozenSet[str] = field(default_factory=frozenset)
    settings: FrozenSet[str] = field(default_factory=frozenset)
    table_columns: FrozenSet[str] = field(default_factory=frozenset)

    @classmethod
    def ask(cls, dbapi_connection: Any) -> Server:
        cursor = dbapi_connection.cursor()
        try:
            rows = cursor.execute(CAPABILITIES_QUERY).fetchall()
        finally:
            cursor.close()

        def names(kind: str) -> FrozenSet[str]:
            return frozenset(name for row_kind, name in rows if row_kind == kind)

        return cls(True, names("type"), names("engine"), names("setting"), names("table column"))

    def has_type(self, name: str) -> bool:
        return not self.known or name in self.types

    def has_engine(self, name: str) -> bool:
        return not self.known or name in self.engines

    @property
    def mutations_sync(self) -> bool:
        """Whether ``SET mutations_sync`` makes UPDATE and DELETE wait for their mutation."""
        return not self.known or "mutations_sync" in self.settings

    @property
    def lightweight_delete(self) -> bool:
        """Whether ``DELETE FROM t WHERE ...`` exists (it came with this setting)."""
        return not self.known or "lightweight_deletes_sync" in self.settings

    @property
    def table_comments(self) -> bool:
        return not self.known or "comment" in self.table_columns


UNKNOWN = Server()


def version_of(text: Optional[str]) -> tuple:
    """``'26.9.2.1'`` -> (26, 9, 2, 1)."""
    parts = []
    for piece in (text or "").split("."):
        if not piece.isdigit():
            break
        parts.append(int(piece))
    return tuple(parts)
