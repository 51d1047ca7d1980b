"""Alembic for the bytehouse dialect: imported by the dialect's package when Alembic is installed.

- DDL is not transactional; the version table is a MergeTree without a key, so that its one row can
  be updated (the server does not update key columns).
- ALTER COLUMN becomes ClickHouse's ``MODIFY COLUMN`` (type, nullability, default) and
  ``RENAME COLUMN``.
- Autogenerate writes the dialect's types and engines as ``types.X(...)`` and ``engines.X(...)``
  and imports them in the migration.
"""

from __future__ import annotations

from typing import Any, Optional, Union

from alembic.ddl.base import ColumnDefault, ColumnName, ColumnNullable, ColumnType, alter_table, format_column_name
from alembic.ddl.impl import DefaultImpl
from sqlalchemy import Column, MetaData, String, Table
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.type_api import TypeEngine

from libbytehouse.sqlalchemy import engines, types

IMPORTS = "from libbytehouse.sqlalchemy import engines, types"


class ByteHouseImpl(DefaultImpl):
    __dialect__ = "bytehouse"
    transactional_ddl = False

    def version_table_impl(
        self, *, version_table: str, version_table_schema: Optional[str], version_table_pk: bool, **kw: Any
    ) -> Table:
        return Table(
            version_table,
            MetaData(),
            Column("version_num", String(32), nullable=False),
            engines.MergeTree(),
            schema=version_table_schema,
        )

    def render_type(self, type_obj: TypeEngine, autogen_context: Any) -> Union[str, bool]:
        # Every table a migration creates may carry an engine: the import serves both.
        if autogen_context.imports is not None:
            autogen_context.imports.add(IMPORTS)
        if isinstance(type_obj, types.ClickHouseType):
            return repr(type_obj)
        return False


def _modify_column(compiler: Any, element: Any, type_: TypeEngine, nullable: bool) -> str:
    """``ALTER TABLE t MODIFY COLUMN c <type>``: nullability is part of the type."""
    column = Column(element.column_name, type_, nullable=nullable)
    return (
        f"{alter_table(compiler, element.table_name, element.schema)} MODIFY COLUMN "
        f"{format_column_name(compiler, element.column_name)} {compiler.column_type(column)}"
    )


@compiles(ColumnType, "bytehouse")
def _column_type(element: ColumnType, compiler: Any, **kw: Any) -> str:
    nullable = element.existing_nullable if element.existing_nullable is not None else True
    return _modify_column(compiler, element, element.type_, nullable)


@compiles(ColumnNullable, "bytehouse")
def _column_nullable(element: ColumnNullable, compiler: Any, **kw: Any) -> str:
    if element.existing_type is None:
        raise NotImplementedError("changing nullability needs the column's existing_type")
    return _modify_column(compiler, element, element.existing_type, element.nullable)


@compiles(ColumnName, "bytehouse")
def _column_name(element: ColumnName, compiler: Any, **kw: Any) -> str:
    return (
        f"{alter_table(compiler, element.table_name, element.schema)} RENAME COLUMN "
        f"{format_column_name(compiler, element.column_name)} TO {format_column_name(compiler, element.newname)}"
    )


@compiles(ColumnDefault, "bytehouse")
def _column_default(element: ColumnDefault, compiler: Any, **kw: Any) -> str:
    table = alter_table(compiler, element.table_name, element.schema)
    column = format_column_name(compiler, element.column_name)
    if element.default is None:
        return f"{table} MODIFY COLUMN {column} REMOVE DEFAULT"
    default = compiler.get_column_default_string(Column(element.column_name, server_default=element.default))
    return f"{table} MODIFY COLUMN {column} DEFAULT {default}"
