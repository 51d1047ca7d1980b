"""Reflection through the driver's catalog functions (SQLTables, SQLColumns, SQLPrimaryKeys), called
with pyodbc's ``cursor.tables/columns/primaryKeys``. A SQLAlchemy schema is a ClickHouse database,
which ODBC calls a catalog. Besides ODBC's columns the driver reports each table's engine and keys
and each column's place in them; the engine comes back as an ``engines`` object."""

from __future__ import annotations

import re
from typing import Any, Dict, Iterator, List, Optional

from libbytehouse.sqlalchemy import engines
from libbytehouse.sqlalchemy.identifiers import split_backquoted
from libbytehouse.sqlalchemy.type_parser import parse_column_type, split_arguments

Row = Dict[str, Any]
#: The CREATE statement of a view (the catalog functions do not give it).
VIEW_QUERY = (
    "SELECT create_table_query FROM system.tables "
    "WHERE database = ? AND name = ? AND engine IN ('View', 'MaterializedView')"
)


def escape_pattern(name: str) -> str:
    """An identifier as a catalog search pattern that matches only itself."""
    return name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _rows(cursor: Any) -> Iterator[Row]:
    """The rows of a catalog result as dicts keyed by lower-case column name."""
    names = [description[0].lower() for description in cursor.description]
    for row in cursor.fetchall():
        yield dict(zip(names, row))


class Catalog:
    """Catalog calls on one DBAPI (pyodbc) connection."""

    def __init__(self, dbapi_connection: Any) -> None:
        self.dbapi_connection = dbapi_connection

    def _call(self, function: str, **arguments: Any) -> List[Row]:
        cursor = self.dbapi_connection.cursor()
        try:
            getattr(cursor, function)(**arguments)
            return list(_rows(cursor))
        finally:
            cursor.close()

    def databases(self) -> List[str]:
        return [row["table_cat"] for row in self._call("tables", catalog="%", schema="", table="")]

    def tables(self, database: str, name: Optional[str] = None, kind: Optional[str] = None) -> List[Row]:
        """The tables of ``database`` (the one named ``name``, when given) of a table type."""
        rows = self._call(
            "tables",
            catalog=database,
            table=None if name is None else escape_pattern(name),
            tableType=kind,
        )
        return [row for row in rows if name is None or row["table_name"] == name]

    def columns(self, database: str, table: str) -> List[Row]:
        rows = self._call("columns", catalog=database, table=escape_pattern(table))
        return [row for row in rows if row["table_name"] == table]

    def view_definition(self, database: str, view: str) -> Optional[str]:
        """The CREATE statement of a view, None when there is no such view."""
        cursor = self.dbapi_connection.cursor()
        try:
            row = cursor.execute(VIEW_QUERY, database, view).fetchone()
        finally:
            cursor.close()
        return None if row is None else row[0]

    def primary_key(self, database: str, table: str) -> List[str]:
        rows = self._call("primaryKeys", catalog=database, table=table)
        return [row["column_name"] for row in sorted(rows, key=lambda row: row["key_seq"])]


def column_of(row: Row) -> Dict[str, Any]:
    """SQLAlchemy's reflected column from a SQLColumns row."""
    type_, nullable = parse_column_type(row["type_name"])
    kind = (row.get("default_kind") or "").upper()
    expression = row.get("column_def")
    cast = re.fullmatch(r"(?s)CAST\((.*), '([^']*)'\)", expression or "")
    if cast and cast[2] == row["type_name"]:
        expression = cast[1]  # older servers keep a default as CAST(expression, 'column type')
    column: Dict[str, Any] = {
        "name": row["column_name"],
        "type": type_,
        "nullable": nullable,
        "default": expression if kind == "DEFAULT" else None,
        "comment": row.get("remarks") or None,
        # No "autoincrement": SQLAlchemy asks dialects to leave it out rather than say False for a key.
    }
    if kind in ("MATERIALIZED", "ALIAS") and expression:
        column["dialect_options"] = {f"bytehouse_{kind.lower()}": expression}
    return column


def _key(text: Optional[str]) -> Any:
    """A key expression as the engine takes it: one item, or a list of items."""
    if not text:
        return None
    if text.startswith("(") and text.endswith(")") and len(split_arguments(text[1:-1])) > 1:
        text = text[1:-1]
    items = [_unquote(item) for item in split_arguments(text)]
    return items[0] if len(items) == 1 else items


def _unquote(item: str) -> str:
    """A backquoted column name without its quotes (an expression stays as it is)."""
    backquoted = split_backquoted(item)
    return backquoted[0] if backquoted is not None and not backquoted[1] else item


def _engine_arguments(engine_full: str, name: str) -> List[Any]:
    """The arguments inside ``Name(...)`` at the start of the engine clause."""
    rest = engine_full[len(name) :]
    if not rest.startswith("("):
        return []
    depth = 0
    for index, character in enumerate(rest):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 0:
            return [_unquote(item) for item in split_arguments(rest[1:index])]
    return []


def _settings(text: Optional[str]) -> Dict[str, Any]:
    settings: Dict[str, Any] = {}
    for item in split_arguments(text or ""):
        name, _, value = item.partition("=")
        value = value.strip()
        settings[name.strip()] = int(value) if value.lstrip("-").isdigit() else value.strip("'")
    return settings


def engine_of(row: Row) -> Optional[engines.Engine]:
    """The engine of a SQLTables row, when it is one the dialect knows."""
    name = row.get("engine") or ""
    kind = engines.ENGINES.get(name)
    if kind is None:
        return None
    if not issubclass(kind, engines.MergeTree):
        return kind()
    keys: Dict[str, Any] = {
        "order_by": _key(row.get("sorting_key")),
        "partition_by": _key(row.get("partition_key")),
        "sample_by": _key(row.get("sampling_key")),
        "ttl": row.get("ttl") or None,
        "settings": _settings(row.get("settings")),
    }
    primary_key = _key(row.get("primary_key"))
    if primary_key != keys["order_by"]:
        keys["primary_key"] = primary_key
    if kind is engines.CnchMergeTree:
        keys.update(unique_key=_key(row.get("unique_key")), cluster_by=_key(row.get("cluster_by")))
        keys["buckets"] = row.get("buckets")
    arguments = _engine_arguments(row.get("engine_full") or "", name)
    if kind is engines.ReplacingMergeTree:
        keys.update(zip(("version", "is_deleted"), arguments))
    elif kind is engines.SummingMergeTree and arguments:
        keys["columns"] = _key(", ".join(arguments))
    elif kind is engines.CollapsingMergeTree:
        return kind(*arguments[:1], **keys)
    elif kind is engines.VersionedCollapsingMergeTree:
        return kind(*arguments[:2], **keys)
    return kind(**keys)
