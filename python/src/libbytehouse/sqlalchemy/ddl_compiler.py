"""CREATE TABLE and the other DDL the server reads.

- A nullable column is ``Nullable(T)`` (``LowCardinality(Nullable(T))``); composite types, which
  cannot be inside Nullable, stay as they are. Columns named by the engine's keys are never
  Nullable: the server refuses nullable keys.
- Column options: ``bytehouse_materialized=``, ``bytehouse_alias=``, ``bytehouse_codec=``,
  ``bytehouse_ttl=`` (SQL text or expressions), ``server_default``, ``comment``.
- The engine clause follows the columns; a table without an engine gets MergeTree (CnchMergeTree on
  ByteHouse) ordered by its primary key, and a temporary table gets Memory.
- PRIMARY KEY, FOREIGN KEY and UNIQUE constraints are not sent (the engine's keys are the keys);
  CHECK constraints are (named, as the server requires), to servers that have constraints (19.14+).
- A schema is a database (CREATE/DROP DATABASE); servers before 20.4 drop views with DROP TABLE.
- Indexes are data-skipping indexes: ``ALTER TABLE t ADD INDEX name expr TYPE minmax GRANULARITY 1``
  (``bytehouse_type=`` and ``bytehouse_granularity=`` on ``Index`` choose others).
"""

from __future__ import annotations

import re
import warnings
from typing import Any, List, Optional, Set

from sqlalchemy import Column, Table, exc
from sqlalchemy import types as sqltypes
from sqlalchemy.sql import compiler, visitors
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.schema import CheckConstraint

from libbytehouse.sqlalchemy import engines, text_values, types

#: Types that the server does not allow inside Nullable.
NOT_NULLABLE_TYPES = (types.Array, types.Map, types.Tuple, types.JSON, sqltypes.ARRAY, sqltypes.JSON)
#: The first server version with constraints (CHECK) in CREATE TABLE.
CONSTRAINTS_SINCE = (19, 14)
#: The first server version with DROP VIEW (before it, DROP TABLE drops views).
DROP_VIEW_SINCE = (20, 4)


def default_engine(table: Table, server_has_cnch: bool) -> engines.Engine:
    """The engine of a table that names none."""
    if table._prefixes and any("TEMPORARY" in str(prefix).upper() for prefix in table._prefixes):
        return engines.Memory()
    key = [column.name for column in table.primary_key.columns] or None
    return engines.CnchMergeTree(order_by=key) if server_has_cnch else engines.MergeTree(order_by=key)


class ClickHouseDDLCompiler(compiler.DDLCompiler):
    # ---------------------------------------------------------- columns

    def get_column_specification(self, column: Column, **kw: Any) -> str:
        parts = [self.preparer.format_column(column), self.column_type(column)]
        options = column.dialect_options["bytehouse"]
        default = self.get_column_default_string(column)
        if default is not None:
            parts.append(f"DEFAULT {default}")
        for keyword in ("materialized", "alias"):
            if options.get(keyword) is not None:
                parts.append(f"{keyword.upper()} {self.expression(options[keyword], column.table)}")
        if column.comment:
            parts.append(f"COMMENT {text_values.quote(column.comment)}")
        if options.get("codec") is not None:
            parts.append(f"CODEC({options['codec']})")
        if options.get("ttl") is not None:
            parts.append(f"TTL {self.expression(options['ttl'], column.table)}")
        return " ".join(parts)

    def column_type(self, column: Column) -> str:
        type_ = column.type
        process = self.dialect.type_compiler.process
        if not column.nullable or column.name in _key_column_names(column.table):
            return process(type_, type_expression=column)
        if isinstance(type_, types.Nullable) or isinstance(types.unwrap(type_), NOT_NULLABLE_TYPES):
            return process(type_, type_expression=column)
        if isinstance(type_, types.LowCardinality):
            return f"LowCardinality(Nullable({process(type_.inner)}))"
        return f"Nullable({process(type_, type_expression=column)})"

    # ---------------------------------------------------------- tables

    def create_table_constraints(self, table: Table, **kw: Any) -> str:
        version = self.dialect.server_version_info
        if version and version < CONSTRAINTS_SINCE:
            return ""
        checks = sorted(
            (
                constraint
                for constraint in table.constraints
                if isinstance(constraint, CheckConstraint) and not getattr(constraint, "_type_bound", False)
            ),
            key=lambda constraint: constraint._creation_order,
        )
        rendered = [self.check_constraint(constraint, table, number) for number, constraint in enumerate(checks, 1)]
        return ", \n\t".join(text for text in rendered if text)

    def check_constraint(self, constraint: CheckConstraint, table: Table, number: int) -> str:
        # The server takes only named constraints: an unnamed one is named after its table.
        text = self.process(constraint)
        if text and constraint.name is None:
            text = f"CONSTRAINT {self.preparer.quote(f'{table.name}_check_{number}')} {text}"
        return text

    def post_create_table(self, table: Table) -> str:
        server = self.dialect.server
        engine = engines.engine_of(table) or default_engine(table, server.has_engine("CnchMergeTree"))
        text = "\n" + self.engine_clause(engine, table)
        if table.comment and server.table_comments:
            text += f"\nCOMMENT {text_values.quote(table.comment)}"
        return text

    def engine_clause(self, engine: engines.Engine, table: Table) -> str:
        has_cnch = self.dialect.server.has_engine("CnchMergeTree")
        arguments = ", ".join(self.key(argument, table) for argument in engine.arguments())
        text = f"ENGINE = {engine.served_name(has_cnch)}({arguments})"
        for clause in engine.clauses(has_cnch):
            if clause.key is not None:
                join_items = clause.keyword == "TTL"  # TTL rules are a plain list, not a tuple
                text += f"\n{clause.keyword} {self.key(clause.key, table, join_items)}{clause.suffix}"
        settings = getattr(engine, "settings", None)
        if settings:
            listed = ", ".join(f"{name} = {text_values.literal(value)}" for name, value in settings.items())
            text += f"\nSETTINGS {listed}"
        if isinstance(engine, engines.CnchMergeTree) and not has_cnch and engine.dropped_clauses():
            warnings.warn(
                f"libbytehouse: table {table.name!r} is created as MergeTree, since the server has no "
                f"CnchMergeTree; left out: {', '.join(engine.dropped_clauses())}",
                stacklevel=2,
            )
        return text

    def key(self, key: Any, table: Table, join_items: bool = False) -> str:
        """A key: one item, or a list rendered as a tuple (joined by commas with ``join_items``)."""
        if not isinstance(key, (list, tuple)):
            return self.expression(key, table)
        items = ", ".join(self.expression(item, table) for item in key)
        return items if join_items else f"({items})"

    def expression(self, item: Any, table: Optional[Table]) -> str:
        """A column, a column's name, a SQL expression, or SQL text."""
        if isinstance(item, Column):
            return self.preparer.quote(item.name)
        if isinstance(item, str):
            if item in _column_names(table):
                return self.preparer.quote(item)
            return item
        if isinstance(item, ClauseElement):
            return self.sql_compiler.process(item, include_table=False, literal_binds=True)
        return str(item)

    def visit_create_index(self, create: Any, **kw: Any) -> str:
        index = create.element
        options = index.dialect_options["bytehouse"]
        columns = [self.expression(expression, index.table) for expression in index.expressions]
        expression = columns[0] if len(columns) == 1 else f"({', '.join(columns)})"
        return (
            f"ALTER TABLE {self.preparer.format_table(index.table)} ADD INDEX "
            f"{self.preparer.quote(index.name)} {expression} TYPE {options.get('type') or 'minmax'} "
            f"GRANULARITY {options.get('granularity') or 1}"
        )

    def visit_drop_index(self, drop: Any, **kw: Any) -> str:
        index = drop.element
        return f"ALTER TABLE {self.preparer.format_table(index.table)} DROP INDEX {self.preparer.quote(index.name)}"

    def visit_set_table_comment(self, create: Any, **kw: Any) -> str:
        table = self.preparer.format_table(create.element)
        return f"ALTER TABLE {table} MODIFY COMMENT {text_values.quote(create.element.comment or '')}"

    def visit_drop_table_comment(self, drop: Any, **kw: Any) -> str:
        return f"ALTER TABLE {self.preparer.format_table(drop.element)} MODIFY COMMENT ''"

    def visit_set_column_comment(self, create: Any, **kw: Any) -> str:
        column = create.element
        return (
            f"ALTER TABLE {self.preparer.format_table(column.table)} COMMENT COLUMN "
            f"{self.preparer.format_column(column)} {text_values.quote(column.comment or '')}"
        )

    def visit_drop_column_comment(self, drop: Any, **kw: Any) -> str:
        column = drop.element
        return (
            f"ALTER TABLE {self.preparer.format_table(column.table)} COMMENT COLUMN "
            f"{self.preparer.format_column(column)} ''"
        )

    def create_table_select_suffixes(self, element: Any, type_: str, **kw: Any) -> str:
        # CREATE TABLE ... AS SELECT (SQLAlchemy 2.1's CreateTableAs) needs an engine too.
        if type_ != "create_table_as":
            return ""
        has_cnch = self.dialect.server.has_engine("CnchMergeTree")
        engine = engines.Memory() if element.temporary else default_engine(element.table, has_cnch)
        return " ".join(self.engine_clause(engine, element.table).split("\n"))

    def visit_drop_view(self, drop: Any, **kw: Any) -> str:
        text = super().visit_drop_view(drop, **kw)
        version = self.dialect.server_version_info
        if version and version < DROP_VIEW_SINCE:
            return re.sub(r"DROP (MATERIALIZED )?VIEW ", "DROP TABLE ", text, count=1)
        return text

    # A schema is a database.
    def visit_create_schema(self, create: Any, **kw: Any) -> str:
        return super().visit_create_schema(create, **kw).replace("CREATE SCHEMA ", "CREATE DATABASE ", 1)

    def visit_drop_schema(self, drop: Any, **kw: Any) -> str:
        text = super().visit_drop_schema(drop, **kw).replace("DROP SCHEMA ", "DROP DATABASE ", 1)
        return text[: -len(" CASCADE")] if drop.cascade else text  # a database's tables go with it

    def visit_create_sequence(self, create: Any, **kw: Any) -> str:
        raise exc.CompileError("ClickHouse has no sequences")


def _column_names(table: Optional[Table]) -> Set[str]:
    """The names of a table's columns (which a key names; ``table.c`` is by key)."""
    return set() if table is None else {column.name for column in table.columns}


def _key_column_names(table: Optional[Table]) -> Set[str]:
    """The names of the columns the table's engine keys name directly."""
    if table is None:
        return set()
    engine = engines.engine_of(table)
    names: Set[str] = set()
    if engine is None:
        return {column.name for column in table.primary_key.columns}
    for clause in engine.clauses(server_has_cnch=True):
        if clause.keyword == "TTL":
            continue
        items: List[Any] = list(clause.key) if isinstance(clause.key, (list, tuple)) else [clause.key]
        for item in items:
            if isinstance(item, str) and item in _column_names(table):
                names.add(item)
            elif isinstance(item, ClauseElement):
                names.update(node.name for node in visitors.iterate(item) if isinstance(node, Column))
    return names
