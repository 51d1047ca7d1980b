"""Every column type through the dialect against both servers: created from SQLAlchemy types, written
with execute and executemany, read back as Python values, and reflected to the same types."""

from __future__ import annotations

import datetime
import decimal
import ipaddress
import uuid

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, inspect, select, text
from sqlalchemy import types as sqltypes

from libbytehouse.sqlalchemy import engines, types
from libbytehouse.sqlalchemy.server import Server

U = uuid.UUID("01234567-89ab-cdef-0123-456789abcdef")

#: (column type, value written, value read back, server type it needs or None).
CASES = {
    "i8": (types.Int8, -128, -128, None),
    "i16": (types.Int16, -32768, -32768, None),
    "i32": (types.Int32, -(2**31), -(2**31), None),
    "i64": (types.Int64, -(2**63), -(2**63), None),
    "u8": (types.UInt8, 255, 255, None),
    "u16": (types.UInt16, 65535, 65535, None),
    "u32": (types.UInt32, 2**32 - 1, 2**32 - 1, None),
    "u64": (types.UInt64, 2**64 - 1, 2**64 - 1, None),
    "i128": (types.Int128, -(2**127), -(2**127), "Int128"),
    "u256": (types.UInt256, 2**256 - 1, 2**256 - 1, "UInt256"),
    "f32": (types.Float32, 1.5, 1.5, None),
    "f64": (types.Float64, 0.1, 0.1, None),
    "dec": (types.Decimal(18, 4), decimal.Decimal("-12.3456"), decimal.Decimal("-12.3456"), None),
    "s": (types.String, "Grüße, 世界 ' \\ \n", "Grüße, 世界 ' \\ \n", None),
    "fs": (types.FixedString(3), "abc", "abc", None),
    "d": (types.Date, datetime.date(2020, 1, 2), datetime.date(2020, 1, 2), None),
    "d32": (types.Date32, datetime.date(1900, 1, 1), datetime.date(1900, 1, 1), "Date32"),
    "t": (types.DateTime, datetime.datetime(2020, 1, 2, 3, 4, 5), datetime.datetime(2020, 1, 2, 3, 4, 5), None),
    "tz": (
        types.DateTime("Asia/Shanghai"),
        datetime.datetime(2020, 1, 2, 3, 4, 5),
        datetime.datetime(2020, 1, 2, 3, 4, 5),
        None,
    ),
    "t64": (
        types.DateTime64(6),
        datetime.datetime(2020, 1, 2, 3, 4, 5, 123456),
        datetime.datetime(2020, 1, 2, 3, 4, 5, 123456),
        "DateTime64",
    ),
    "u": (types.UUID, U, U, None),
    "e": (types.Enum8("a", "b"), "b", "b", None),
    "b": (types.Bool, True, True, "Bool"),
    "ip4": (types.IPv4, ipaddress.IPv4Address("10.0.0.1"), "10.0.0.1", "IPv4"),
    "ip6": (types.IPv6, "2001:db8::1", "2001:db8::1", "IPv6"),
    "lc": (types.LowCardinality(types.String), "low", "low", "Bool"),  # 18.16 calls it experimental
    "arr": (types.Array(types.Int32), [1, -2], [1, -2], None),
    "arr_s": (types.Array(types.Nullable(types.String)), ["a'b", None], ["a'b", None], None),
    "nested": (types.Array(types.Array(types.UInt8)), [[1], []], [[1], []], None),
    "tup": (types.Tuple(types.Int32, types.String), (1, "x"), (1, "x"), None),
    "map": (types.Map(types.String, types.Array(types.UInt8)), {"k": [1, 2]}, {"k": [1, 2]}, "Map"),
    "gen_int": (Integer, 7, 7, None),
    "gen_num": (sqltypes.Numeric(10, 2), decimal.Decimal("1.25"), decimal.Decimal("1.25"), None),
    "gen_bool": (sqltypes.Boolean, False, False, None),
    "gen_text": (sqltypes.Text, "text", "text", None),
    "gen_dt": (
        sqltypes.DateTime,
        datetime.datetime(2021, 5, 6, 7, 8, 9),
        datetime.datetime(2021, 5, 6, 7, 8, 9),
        None,
    ),
    "gen_enum": (sqltypes.Enum("x", "y", name="xy"), "y", "y", None),
    "gen_uuid": (getattr(sqltypes, "Uuid", types.UUID), U, U, None),
}


def server_of(engine) -> Server:
    with engine.connect():
        return engine.dialect.server


def cases_for(server: Server) -> dict:
    return {name: case for name, case in CASES.items() if case[3] is None or server.has_type(case[3])}


def make_table(name: str, cases: dict) -> Table:
    columns = [Column("id", Integer, nullable=False)]
    for column, (type_, *_rest) in cases.items():
        columns.append(Column(column, type_, nullable=False))
        if not isinstance(type_, (types.Array, types.Tuple, types.Map)):
            columns.append(Column(f"n_{column}", type_))
    return Table(name, MetaData(), *columns, engines.MergeTree(order_by="id"))


def test_types_round_trip_and_reflect(engine, table_name):
    cases = cases_for(server_of(engine))
    table = make_table(table_name, cases)
    table.create(engine)
    try:
        written = {"id": 1, **{name: case[1] for name, case in cases.items()}}
        nulls = {f"n_{name}": None for name in cases if f"n_{name}" in table.c}
        with engine.begin() as connection:
            connection.execute(table.insert(), {**written, **nulls})
            # executemany: one native block of two rows.
            connection.execute(table.insert(), [{**written, **nulls, "id": 2}, {**written, **nulls, "id": 3}])
        with engine.connect() as connection:
            rows = connection.execute(select(table).order_by(table.c.id)).mappings().fetchall()
        assert len(rows) == 3
        for row in rows:
            for name, case in cases.items():
                assert row[name] == case[2], name
                if f"n_{name}" in table.c:
                    assert row[f"n_{name}"] is None, name
        reflected = Table(table_name, MetaData(), autoload_with=engine)
        compile_type = engine.dialect.type_compiler.process
        for column in table.columns:
            twin = reflected.c[column.name]
            assert compile_type(twin.type) == compile_type(column.type), column.name
            assert twin.nullable == column.nullable, column.name
    finally:
        table.drop(engine)


def test_values_compare_in_where_clauses(engine, table_name):
    """Composite values are sent as text and CAST to their type; scalars compare as they are."""
    cases = {name: case for name, case in cases_for(server_of(engine)).items() if name in ("arr", "tup", "u", "t")}
    table = make_table(table_name, cases)
    table.create(engine)
    try:
        with engine.begin() as connection:
            connection.execute(table.insert(), {"id": 1, **{name: case[1] for name, case in cases.items()}})
        with engine.connect() as connection:
            for name, case in cases.items():
                found = connection.execute(select(table.c.id).where(table.c[name] == case[1])).scalar()
                assert found == 1, name
    finally:
        table.drop(engine)


def test_reflection_reports_engine_keys_comment_and_column_options(engine, server, table_name):
    table = Table(
        table_name,
        MetaData(),
        Column("id", types.UInt64, nullable=False),
        Column("d", types.Date, nullable=False),
        Column("v", Integer, server_default=text("7"), nullable=False),
        Column("doubled", Integer, nullable=False, bytehouse_materialized="v * 2"),
        engines.ReplacingMergeTree(
            version="v", order_by=["id", "d"], partition_by="d", primary_key="id", sample_by="id"
        ),
        comment=None if server.is_old else "the table's comment",
    )
    table.create(engine)
    try:
        inspector = inspect(engine)
        assert table_name in inspector.get_table_names()
        assert inspector.has_table(table_name)
        assert not inspector.has_table(table_name.replace("_", "%"))
        assert inspector.get_pk_constraint(table_name)["constrained_columns"] == ["id"]
        columns = {column["name"]: column for column in inspector.get_columns(table_name)}
        assert columns["v"]["default"] in ("7", "CAST(7, 'Int32')")  # 26.9 writes the type in
        assert columns["doubled"]["dialect_options"]["bytehouse_materialized"] in ("v * 2", "CAST(v * 2, 'Int32')")
        comment = inspector.get_table_comment(table_name)["text"]
        assert comment == (None if server.is_old else "the table's comment")
        engine_ = inspector.get_table_options(table_name)["bytehouse_engine"]
        assert isinstance(engine_, engines.ReplacingMergeTree)
        assert (engine_.version, engine_.order_by, engine_.partition_by) == ("v", ["id", "d"], "d")
        assert (engine_.primary_key, engine_.sample_by) == ("id", "id")
        assert engine_.settings == {"index_granularity": 8192}
        original = server_description(engine, table_name)
        # The DDL of the reflected table makes the same table again.
        reflected = Table(table_name, MetaData(), autoload_with=engine)
        reflected.drop(engine)
        reflected.create(engine)
        assert server_description(engine, table_name) == original
    finally:
        table.drop(engine, checkfirst=True)


def server_description(engine, table_name: str) -> tuple:
    """What the server says of a table: its engine clause, comment and columns."""
    with engine.connect() as connection:
        engine_full = connection.execute(
            text("SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = :name"),
            {"name": table_name},
        ).scalar()
        columns = connection.execute(
            text(
                "SELECT name, type, default_kind, default_expression FROM system.columns "
                "WHERE database = currentDatabase() AND table = :name ORDER BY name"
            ),
            {"name": table_name},
        ).fetchall()
    return engine_full, [tuple(column) for column in columns]


def test_json_values_travel_as_text(engine, table_name):
    """The driver has no codec for JSON columns: the dialect reads them through toJSONString and
    writes rows of tables with JSON columns by INSERT ... SELECT."""
    if not server_of(engine).has_type("JSON"):
        pytest.skip("the server has no JSON type")
    table = Table(
        table_name,
        MetaData(),
        Column("id", Integer, nullable=False),
        Column("j", types.JSON, nullable=False),
        Column("g", sqltypes.JSON, nullable=False),
        engines.MergeTree(order_by="id"),
    )
    table.create(engine)
    try:
        with engine.begin() as connection:
            connection.execute(table.insert(), {"id": 1, "j": {"a": 1, "b": ["x"]}, "g": {"k": 2.5}})
            connection.execute(table.insert(), [{"id": 2, "j": {}, "g": {"n": {"m": 1}}}, {"id": 3, "j": {}, "g": {}}])
        with engine.connect() as connection:
            rows = connection.execute(select(table).order_by(table.c.id)).fetchall()
        assert [tuple(row) for row in rows] == [
            (1, {"a": 1, "b": ["x"]}, {"k": 2.5}),
            (2, {}, {"n": {"m": 1}}),
            (3, {}, {}),
        ]
        reflected = Table(table_name, MetaData(), autoload_with=engine)
        assert isinstance(reflected.c.j.type, types.JSON)
    finally:
        table.drop(engine)
