"""DDL and SQL as compiled text: ByteHouse's exact CnchMergeTree DDL, ClickHouse's fallback, types,
mutations and the SELECT extensions. No server needed."""

import datetime
import decimal
import enum
import warnings

import pytest
from sqlalchemy import (
    CheckConstraint,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    func,
    literal_column,
    text,
    union,
    union_all,
)
from sqlalchemy import types as sqltypes
from sqlalchemy.schema import CreateIndex, CreateSchema, CreateTable, DropSchema, Index

try:  # SQLAlchemy 2 names it DropView
    from sqlalchemy.sql.ddl import DropView as _DropView
except ImportError:
    from sqlalchemy.sql.ddl import _DropView

from libbytehouse.sqlalchemy import ByteHouseDialect, engines, select, types
from libbytehouse.sqlalchemy.server import Server

CLICKHOUSE = Server(
    known=True,
    types=frozenset({"Bool", "JSON"}),
    engines=frozenset({"MergeTree", "Memory"}),
    settings=frozenset({"mutations_sync", "lightweight_deletes_sync"}),
    table_columns=frozenset({"comment"}),
)


def dialect(server=None):
    dialect = ByteHouseDialect()
    if server is not None:
        dialect.server = server
    return dialect


def ddl(table, server=None):
    return str(CreateTable(table).compile(dialect=dialect(server))).strip()


def events_table(engine):
    return Table(
        "events",
        MetaData(),
        Column("id", types.UInt64, nullable=False),
        Column("ts", types.DateTime("Asia/Shanghai"), nullable=False),
        Column("name", String),
        engine,
    )


CNCH = engines.CnchMergeTree(
    order_by=["id", "ts"],
    partition_by=func.toYYYYMM(literal_column("ts")),
    primary_key="id",
    unique_key="id",
    cluster_by="id",
    buckets=16,
    split_number=64,
    with_range=True,
    settings={"index_granularity": 4096},
)


def test_cnch_merge_tree_is_bytehouse_ddl():
    assert ddl(events_table(CNCH)) == (
        "CREATE TABLE events (\n"
        "\tid UInt64, \n"
        "\tts DateTime('Asia/Shanghai'), \n"
        "\tname Nullable(String)\n"
        ")\n"
        "ENGINE = CnchMergeTree()\n"
        "PARTITION BY toYYYYMM(ts)\n"
        "CLUSTER BY id INTO 16 BUCKETS SPLIT_NUMBER 64 WITH_RANGE\n"
        "ORDER BY (id, ts)\n"
        "PRIMARY KEY id\n"
        "UNIQUE KEY id\n"
        "SETTINGS index_granularity = 4096"
    )


def test_cnch_merge_tree_on_clickhouse_is_merge_tree_with_a_warning():
    with pytest.warns(UserWarning, match="created as MergeTree.*left out: UNIQUE KEY, CLUSTER BY"):
        text_ = ddl(events_table(CNCH), CLICKHOUSE)
    assert text_.endswith(
        "ENGINE = MergeTree()\nPARTITION BY toYYYYMM(ts)\nORDER BY (id, ts)\nPRIMARY KEY id\n"
        "SETTINGS index_granularity = 4096"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ddl(events_table(engines.CnchMergeTree(order_by="id")), CLICKHOUSE)


def test_merge_tree_family_and_default_engines():
    cases = {
        engines.ReplacingMergeTree(version="ts", order_by="id"): "ENGINE = ReplacingMergeTree(ts)\nORDER BY id",
        engines.SummingMergeTree(columns=["id"], order_by="ts"): "ENGINE = SummingMergeTree((id))\nORDER BY ts",
        engines.CollapsingMergeTree("id", order_by="ts"): "ENGINE = CollapsingMergeTree(id)\nORDER BY ts",
        engines.VersionedCollapsingMergeTree("id", "ts", order_by="ts"): (
            "ENGINE = VersionedCollapsingMergeTree(id, ts)\nORDER BY ts"
        ),
        engines.AggregatingMergeTree(order_by="id", ttl="ts + INTERVAL 1 DAY"): (
            "ENGINE = AggregatingMergeTree()\nORDER BY id\nTTL ts + INTERVAL 1 DAY"
        ),
        engines.Memory(): "ENGINE = Memory()",
        engines.Log(): "ENGINE = Log()",
    }
    for engine, clause in cases.items():
        assert ddl(events_table(engine), CLICKHOUSE).endswith(clause), engine
    keyed = Table("k", MetaData(), Column("a", Integer, primary_key=True), Column("b", Integer))
    assert ddl(keyed, CLICKHOUSE).endswith("\tb Nullable(Int32)\n)\nENGINE = MergeTree()\nORDER BY (a)")
    assert ddl(keyed).endswith("ENGINE = CnchMergeTree()\nORDER BY (a)")


def test_nullability_follows_the_column_and_the_keys():
    table = Table(
        "t",
        MetaData(),
        Column("k", String),  # named by ORDER BY: never Nullable
        Column("lc", types.LowCardinality(String)),
        Column("arr", types.Array(types.Nullable(String))),
        Column("n", types.Nullable(types.Int8), nullable=False),
        Column("m", types.Map(String, types.UInt8)),
        engines.MergeTree(order_by="k"),
    )
    assert ddl(table).splitlines()[1:6] == [
        "\tk String, ",
        "\tlc LowCardinality(Nullable(String)), ",
        "\tarr Array(Nullable(String)), ",
        "\tn Nullable(Int8), ",
        "\tm Map(String, UInt8)",
    ]


def test_column_options_and_comments():
    table = Table(
        "t",
        MetaData(),
        Column("a", Integer, nullable=False, server_default=text("42"), comment="it's a"),
        Column("b", Integer, nullable=False, bytehouse_materialized="a * 2", bytehouse_codec="ZSTD(1)"),
        Column("c", String, nullable=False, bytehouse_alias="toString(a)"),
        engines.MergeTree(),
        comment="a table",
    )
    assert ddl(table, CLICKHOUSE) == (
        "CREATE TABLE t (\n"
        "\ta Int32 DEFAULT 42 COMMENT 'it\\'s a', \n"
        "\tb Int32 MATERIALIZED a * 2 CODEC(ZSTD(1)), \n"
        "\tc String ALIAS toString(a)\n"
        ")\nENGINE = MergeTree()\nORDER BY tuple()\nCOMMENT 'a table'"
    )
    index = Index("ix_a", table.c.a, bytehouse_type="set(100)", bytehouse_granularity=2)
    assert str(CreateIndex(index).compile(dialect=dialect())) == (
        "ALTER TABLE t ADD INDEX ix_a a TYPE set(100) GRANULARITY 2"
    )


def test_check_constraints_are_named_and_left_out_for_servers_without_them():
    table = Table(
        "t",
        MetaData(),
        Column("a", Integer, nullable=False),
        CheckConstraint("a > 0", name="positive"),
        CheckConstraint("a < 10"),
        engines.MergeTree(),
    )
    assert ddl(table).splitlines()[2:4] == [
        "\tCONSTRAINT positive CHECK (a > 0), ",
        "\tCONSTRAINT t_check_2 CHECK (a < 10)",
    ]
    old = dialect()
    old.server_version_info = (18, 16, 1)
    assert "CHECK" not in str(CreateTable(table).compile(dialect=old))


def test_keys_name_columns_by_name_even_when_their_key_differs():
    table = Table("t", MetaData(), Column("méil", Integer, primary_key=True, key="a"), Column("b", Integer))
    lines = ddl(table).splitlines()
    assert (lines[1], lines[-1]) == ("\t`méil` Int32, ", "ORDER BY (`méil`)")


def test_create_table_as_select_has_an_engine():
    ddl_module = pytest.importorskip("sqlalchemy.sql.ddl")
    if not hasattr(ddl_module, "CreateTableAs"):
        pytest.skip("CreateTableAs came with SQLAlchemy 2.1")
    source = Table("s", MetaData(), Column("id", Integer))
    statement = ddl_module.CreateTableAs(select(source.c.id), "t")
    assert str(statement.compile(dialect=dialect(CLICKHOUSE))) == (
        "CREATE TABLE t ENGINE = MergeTree() ORDER BY tuple() AS SELECT s.id \nFROM s"
    )
    temporary = ddl_module.CreateTableAs(select(source.c.id), "t", temporary=True)
    assert "TEMPORARY TABLE t ENGINE = Memory() AS" in str(temporary.compile(dialect=dialect(CLICKHOUSE)))


def test_schemas_are_databases_and_old_servers_drop_views_as_tables():
    assert str(CreateSchema("s").compile(dialect=dialect())) == "CREATE DATABASE s"
    assert str(DropSchema("s", cascade=True).compile(dialect=dialect())) == "DROP DATABASE s"
    view = Table("v", MetaData())
    assert str(_DropView(view).compile(dialect=dialect())).strip() == "DROP VIEW v"
    old = dialect()
    old.server_version_info = (18, 16, 1)
    assert str(_DropView(view).compile(dialect=old)).strip() == "DROP TABLE v"


class Color(enum.Enum):
    red = -1
    green = 5


@pytest.mark.parametrize(
    ("type_", "expected"),
    [
        (Integer(), "Int32"),
        (sqltypes.BigInteger(), "Int64"),
        (sqltypes.SmallInteger(), "Int16"),
        (sqltypes.Boolean(), "Bool"),
        (sqltypes.Float(), "Float64"),
        (sqltypes.Float(precision=10), "Float32"),
        (sqltypes.Numeric(10, 2), "Decimal(10, 2)"),
        (sqltypes.Numeric(), "Decimal(38, 10)"),
        (sqltypes.Text(), "String"),
        (sqltypes.LargeBinary(), "String"),
        (sqltypes.Date(), "Date"),
        (sqltypes.DateTime(), "DateTime"),
        (sqltypes.Enum("a", "b"), "Enum8('a' = 1, 'b' = 2)"),
        (sqltypes.ARRAY(Integer), "Array(Int32)"),
        (sqltypes.JSON(), "JSON"),
        (types.Enum16(Color), "Enum16('red' = -1, 'green' = 5)"),
        (types.Decimal(76, 20), "Decimal(76, 20)"),
        (types.DateTime64(6, "UTC"), "DateTime64(6, 'UTC')"),
        (types.FixedString(3), "FixedString(3)"),
        (types.Map(String, types.Array(types.UInt256)), "Map(String, Array(UInt256))"),
        (types.Tuple(("a b", types.Int8), ("c", String)), "Tuple(`a b` Int8, c String)"),
        (types.Tuple(types.IPv4, types.IPv6, types.UUID, types.Date32), "Tuple(IPv4, IPv6, UUID, Date32)"),
    ],
)
def test_type_names(type_, expected):
    assert dialect().type_compiler.process(type_) == expected


def test_old_servers_get_uint8_for_booleans_and_no_json():
    old = Server(known=True, types=frozenset({"UInt8"}))
    assert dialect(old).type_compiler.process(sqltypes.Boolean()) == "UInt8"
    with pytest.raises(Exception, match="no JSON type"):
        dialect(old).type_compiler.process(sqltypes.JSON())


def sql(statement, server=None, **kw):
    return " ".join(str(statement.compile(dialect=dialect(server), **kw)).split())


def test_update_and_delete_are_mutations():
    table = Table("t", MetaData(), Column("id", Integer), Column("v", String), engines.MergeTree())
    memory = Table("m", MetaData(), Column("id", Integer), engines.Memory())
    assert sql(table.update().where(table.c.id == 1).values(v="x")) == "ALTER TABLE t UPDATE v=? WHERE id = ?"
    assert sql(table.update().values(v="x")) == "ALTER TABLE t UPDATE v=? WHERE 1"
    assert sql(table.delete().where(table.c.id > 1)) == "DELETE FROM t WHERE id > ?"
    assert sql(table.delete()) == "DELETE FROM t WHERE 1"
    assert sql(memory.delete().where(memory.c.id == 1)) == "ALTER TABLE m DELETE WHERE id = ?"
    old = Server(known=True)
    assert sql(table.delete().where(table.c.id > 1), old) == "ALTER TABLE t DELETE WHERE id > ?"


def test_select_extensions_in_clickhouse_order():
    t = Table("t", MetaData(), Column("id", Integer), Column("tags", types.Array(String)), Column("ts", Integer))
    other = Table("o", MetaData(), Column("id", Integer))
    statement = (
        select(t.c.id, literal_column("tag"))
        .select_from(t.join(other, t.c.id == other.c.id))
        .final()
        .sample(0.1)
        .array_join(t.c.tags.label("tag"))
        .prewhere(t.c.ts > 5)
        .where(t.c.id > 1)
        .order_by(t.c.ts)
        .limit_by([t.c.id], 2, offset=1)
        .limit(10)
        .offset(3)
        .settings(max_threads=2, optimize_read_in_order=True)
    )
    assert sql(statement) == (
        "SELECT t.id, tag FROM t FINAL SAMPLE 0.1 JOIN o ON t.id = o.id ARRAY JOIN t.tags AS tag "
        "PREWHERE t.ts > ? WHERE t.id > ? ORDER BY t.ts LIMIT 2 OFFSET 1 BY t.id LIMIT ? OFFSET ? "
        "SETTINGS max_threads = 2, optimize_read_in_order = true"
    )
    assert sql(select(t.c.id).offset(5)) == "SELECT t.id FROM t LIMIT 4611686018427387904 OFFSET ?"


def test_a_union_is_distinct_and_its_order_and_limit_go_around_it():
    t = Table("t", MetaData(), Column("id", Integer))
    first, second = select(t).where(t.c.id == 1), select(t).where(t.c.id == 2)
    assert (
        sql(union(first, second))
        == "SELECT t.id FROM t WHERE t.id = ? UNION DISTINCT SELECT t.id FROM t WHERE t.id = ?"
    )
    assert sql(union_all(first, second.order_by(t.c.id).limit(1)).order_by("id").limit(2)) == (
        "SELECT * FROM (SELECT t.id FROM t WHERE t.id = ? UNION ALL (SELECT t.id FROM t WHERE t.id = ? "
        "ORDER BY t.id LIMIT ?)) ORDER BY id LIMIT ?"
    )


def test_insert_values_with_expressions_become_insert_select():
    t = Table("t", MetaData(), Column("id", Integer), Column("n", Integer, default=literal_column("2") + 2))
    assert sql(t.insert(), column_keys=["id", "n"]) == "INSERT INTO t (id, n) VALUES (?, ?)"
    assert sql(t.insert(), column_keys=["id"]) == "INSERT INTO t (id, n) SELECT ?, (2 + ?)"
    assert sql(t.insert().values(id=func.now())) == "INSERT INTO t (id, n) SELECT now(), (2 + ?)"


def test_decimal_parameters_are_cast_outside_insert_values_and_dates_render_as_literals():
    t = Table("t", MetaData(), Column("x", sqltypes.Numeric(8, 4)), Column("d", sqltypes.Date))
    assert sql(select(t.c.x + decimal.Decimal("1.5"))) == "SELECT t.x + CAST(? AS Decimal(8, 4)) AS anon_1 FROM t"
    assert sql(t.insert().values(x=decimal.Decimal("1.5"))) == "INSERT INTO t (x) VALUES (?)"
    literal = select(t).where(t.c.d == datetime.date(2012, 10, 15), t.c.x > 1)
    assert sql(literal, compile_kwargs={"literal_binds": True}).endswith("WHERE t.d = '2012-10-15' AND t.x > 1")


def test_bitwise_operators_and_regular_expressions_are_functions():
    t = Table("t", MetaData(), Column("n", Integer), Column("s", String))
    if hasattr(t.c.n, "bitwise_and"):  # SQLAlchemy 2
        assert sql(select(t.c.n.bitwise_and(3), t.c.n.bitwise_not(), t.c.n.bitwise_lshift(1))) == (
            "SELECT bitAnd(t.n, ?) AS anon_1, bitNot(t.n), bitShiftLeft(t.n, ?) AS anon_2 FROM t"
        )
    assert sql(select(t).where(t.c.s.regexp_match("a.", flags="i"))) == (
        "SELECT t.n, t.s FROM t WHERE match(t.s, concat('(?i)', ?))"
    )
    assert sql(select(t.c.s.regexp_replace("a", "b"))) == "SELECT replaceRegexpAll(t.s, ?, ?) AS anon_1 FROM t"


def test_extensions_are_part_of_the_cache_key():
    t = Table("t", MetaData(), Column("id", Integer))
    plain, final = select(t), select(t).final()
    assert plain._generate_cache_key() != final._generate_cache_key()
    assert select(t).settings(a=1)._generate_cache_key() != select(t).settings(a=2)._generate_cache_key()


def test_string_literals_escape_backslashes():
    t = Table("t", MetaData(), Column("s", String))
    statement = select(t).where(t.c.s == "a\\'b")
    compiled = statement.compile(dialect=dialect(), compile_kwargs={"literal_binds": True})
    assert "t.s = 'a\\\\\\'b'" in str(compiled)


def test_rows_of_tables_with_json_are_inserted_by_select():
    table = Table("j", MetaData(), Column("id", Integer), Column("doc", sqltypes.JSON))
    assert sql(table.insert()) == "INSERT INTO j (id, doc) SELECT ?, ?"
    assert sql(select(table.c.doc)) == "SELECT toJSONString(j.doc) AS doc FROM j"
    plain = Table("p", MetaData(), Column("id", Integer))
    assert sql(plain.insert()) == "INSERT INTO p (id) VALUES (?)"


def test_backquoted_names_are_read_as_the_server_prints_them():
    from libbytehouse.sqlalchemy.identifiers import split_backquoted
    from libbytehouse.sqlalchemy.type_parser import parse_type

    assert split_backquoted("`a\\`b``c\\\\` UInt8") == ("a`b`c\\", "UInt8")
    assert split_backquoted("plain UInt8") is None
    assert split_backquoted("`unterminated") is None
    parsed = parse_type("Tuple(`x y` UInt8, z String)")
    assert (parsed.names, [type(item).__name__ for item in parsed.types]) == (["x y", "z"], ["UInt8", "String"])
