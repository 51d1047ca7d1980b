"""libbytehouse's C API read through pyarrow's C stream import, against both local servers: every
column type, streams of many blocks, errors in the middle of a stream, and statements without a
result. Skipped without the test servers (scripts/test-python.sh starts them)."""

from __future__ import annotations

import datetime
import decimal
import os
import uuid
from typing import Any, Iterator, List, Optional, Tuple

import pytest

pa = pytest.importorskip("pyarrow")

from libbytehouse.arrow import BytehouseError, Connection, connect  # noqa: E402

HOST = os.environ.get("CLICKHOUSE_HOST", "127.0.0.1")
UTC = datetime.timezone.utc


@pytest.fixture
def connection(live_server: Tuple[str, int]) -> Iterator[Connection]:
    with connect(f"Host={HOST};Port={live_server[1]}") as opened:
        yield opened


#: (type, SQL literal, value pyarrow gives back, Arrow type or None to skip that check, oldest server)
CASES: List[Tuple[str, str, Any, Optional[Any], str]] = [
    ("UInt8", "255", 255, pa.uint8(), "18.16"),
    ("UInt64", "18446744073709551615", 2**64 - 1, pa.uint64(), "18.16"),
    ("Int16", "-32768", -32768, pa.int16(), "18.16"),
    ("Int64", "-9223372036854775808", -(2**63), pa.int64(), "18.16"),
    ("Float32", "1.5", 1.5, pa.float32(), "18.16"),
    ("Float64", "-2.25", -2.25, pa.float64(), "18.16"),
    ("Decimal(9, 2)", "'-1234567.89'", decimal.Decimal("-1234567.89"), pa.decimal128(9, 2), "18.16"),
    ("Decimal(18, 4)", "'12345678901234.5678'", decimal.Decimal("12345678901234.5678"), pa.decimal128(18, 4), "18.16"),
    (
        "Decimal(38, 10)",
        "'-1234567890123456789012345678.0123456789'",
        decimal.Decimal("-1234567890123456789012345678.0123456789"),
        pa.decimal128(38, 10),
        "18.16",
    ),
    ("String", "'é\\'x'", "é'x", pa.string(), "18.16"),
    ("FixedString(3)", "'ab'", b"ab\x00", pa.binary(3), "18.16"),
    ("Date", "'2020-01-02'", datetime.date(2020, 1, 2), pa.date32(), "18.16"),
    (
        "DateTime('UTC')",
        "'2020-01-02 03:04:05'",
        datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC),
        pa.timestamp("s", "UTC"),
        "18.16",
    ),
    (
        "UUID",
        "'61f0c404-5cb3-11e7-907b-a6006ad3dba0'",
        uuid.UUID("61f0c404-5cb3-11e7-907b-a6006ad3dba0").bytes,
        pa.binary(16),
        "18.16",
    ),
    ("Enum8('a' = 1, 'b' = -2)", "'b'", "b", pa.string(), "18.16"),
    ("Nullable(Int32)", "NULL", None, pa.int32(), "18.16"),
    ("Nullable(String)", "'x'", "x", pa.string(), "18.16"),
    ("Array(Nullable(Int32))", "[1, NULL, 3]", [1, None, 3], pa.list_(pa.int32()), "18.16"),
    ("Array(Array(String))", "[['a'], [], ['b', 'c']]", [["a"], [], ["b", "c"]], None, "18.16"),
    ("Tuple(Int8, String)", "(1, 'x')", {"1": 1, "2": "x"}, None, "18.16"),
    ("Int128", "'-170141183460469231731687303715884105728'", decimal.Decimal(-(2**127)), pa.decimal256(39, 0), "26.9"),
    ("UInt128", "'340282366920938463463374607431768211455'", decimal.Decimal(2**128 - 1), pa.decimal256(39, 0), "26.9"),
    (
        "Int256",
        "'-57896044618658097711785492504343953926634992332820282019728792003956564819968'",
        str(-(2**255)),
        pa.string(),
        "26.9",
    ),
    (
        "Decimal(76, 20)",
        "'12345678901234567890123456789012345678901234567890123456.01234567890123456789'",
        decimal.Decimal("12345678901234567890123456789012345678901234567890123456.01234567890123456789"),
        pa.decimal256(76, 20),
        "26.9",
    ),
    ("Bool", "true", True, pa.bool_(), "26.9"),
    ("Date32", "'1900-01-01'", datetime.date(1900, 1, 1), pa.date32(), "26.9"),
    (
        "DateTime64(3, 'UTC')",
        "'2020-01-02 03:04:05.678'",
        datetime.datetime(2020, 1, 2, 3, 4, 5, 678000, tzinfo=UTC),
        pa.timestamp("ms", "UTC"),
        "26.9",
    ),
    (
        "DateTime64(2, 'Asia/Tokyo')",
        "'2020-01-02 03:04:05.67'",
        datetime.datetime(2020, 1, 1, 18, 4, 5, 670000, tzinfo=UTC),
        pa.timestamp("ms", "Asia/Tokyo"),
        "26.9",
    ),
    ("DateTime64(9, 'UTC')", "'2020-01-02 03:04:05.123456789'", None, pa.timestamp("ns", "UTC"), "26.9"),
    ("IPv4", "'10.0.0.1'", "10.0.0.1", pa.string(), "26.9"),
    ("IPv6", "'2001:db8::1'", "2001:db8::1", pa.string(), "26.9"),
    (
        "Map(String, Nullable(UInt8))",
        "map('a', 1, 'b', NULL)",
        [("a", 1), ("b", None)],
        pa.map_(pa.string(), pa.uint8()),
        "26.9",
    ),
    ("Tuple(a Int8, b Array(String))", "(1, ['x'])", {"a": 1, "b": ["x"]}, None, "26.9"),
    ("LowCardinality(String)", "'low'", "low", pa.dictionary(pa.int32(), pa.string()), "26.9"),
    ("LowCardinality(Nullable(String))", "NULL", None, pa.dictionary(pa.int32(), pa.string()), "26.9"),
]


def supported(live_server: Tuple[str, int], oldest: str) -> bool:
    return oldest == "18.16" or live_server[0] != "18.16"


@pytest.mark.parametrize("type_name, literal, expected, arrow_type, oldest", CASES, ids=[case[0] for case in CASES])
def test_every_type_reads_back_as_the_server_has_it(
    connection: Connection,
    live_server: Tuple[str, int],
    type_name: str,
    literal: str,
    expected: Any,
    arrow_type: Optional[Any],
    oldest: str,
) -> None:
    if not supported(live_server, oldest):
        pytest.skip(f"{type_name} is newer than ClickHouse {live_server[0]}")
    table = connection.query_arrow(f"SELECT CAST({literal} AS {type_name}) AS v, toString(v) AS printed").read_all()
    column = table.column("v")
    if arrow_type is not None:
        assert column.type == arrow_type
    value = column.to_pylist()[0]
    if type_name.startswith("DateTime64(9"):
        assert column.cast(pa.int64()).to_pylist()[0] == 1577934245123456789
        return
    assert value == expected, table.column("printed").to_pylist()[0]
    nullable = type_name.startswith(("Nullable", "LowCardinality(Nullable"))
    assert table.schema.field("v").nullable == nullable


def test_null_only_columns_are_arrow_null(connection: Connection) -> None:
    table = connection.query_arrow("SELECT NULL AS n").read_all()
    assert table.schema.field("n").type == pa.null()
    assert table.column("n").to_pylist() == [None]


def test_a_result_of_many_blocks_streams_batch_by_batch(connection: Connection) -> None:
    reader = connection.query_arrow(
        "SELECT number AS n, toString(number) AS s, if(number % 3 = 0, NULL, number) AS m FROM numbers(300000)"
    )
    assert reader.schema.names == ["n", "s", "m"]
    batches = 0
    total = 0
    nulls = 0
    for batch in reader:
        batches += 1
        total += pa.compute.sum(batch.column("n")).as_py() or 0
        nulls += batch.column("m").null_count
        assert batch.column("s").to_pylist()[:1] == [str(batch.column("n")[0].as_py())]
    assert batches > 1
    assert total == 300000 * 299999 // 2
    assert nulls == 100000


def test_strings_can_come_as_binary(connection: Connection) -> None:
    table = connection.query_arrow("SELECT unhex('FF00') AS b", binary_strings=True).read_all()
    assert table.column("b").type == pa.binary()
    assert table.column("b").to_pylist() == [b"\xff\x00"]


def test_an_error_in_the_middle_of_a_stream_is_raised_not_a_short_result(connection: Connection) -> None:
    sql = "SELECT throwIf(number = 150000) AS t FROM numbers(300000) SETTINGS max_block_size = 1000"
    reader = connection.query_arrow(sql)
    with pytest.raises(OSError, match=r"Code: 395"):
        for _ in reader:
            pass
    assert connection.query_arrow("SELECT 1 AS one").read_all().column("one").to_pylist() == [1]


def test_server_errors_carry_code_and_sqlstate(connection: Connection) -> None:
    with pytest.raises(BytehouseError) as raised:
        connection.query_arrow("SELEC 1")
    assert (raised.value.code, raised.value.sqlstate) == (62, "42000")


def test_statements_without_a_result_and_rows_written(connection: Connection, live_server: Tuple[str, int]) -> None:
    table = f"arrow_stream_{os.getpid()}_{live_server[1]}"
    connection.execute(f"DROP TABLE IF EXISTS {table}")
    connection.execute(f"CREATE TABLE {table} (x UInt32) ENGINE = Memory")
    try:
        written = connection.execute(f"INSERT INTO {table} VALUES (1), (2), (3)")
        assert written == 3
        empty = connection.query_arrow(f"INSERT INTO {table} VALUES (4)").read_all()
        assert empty.num_columns == 0 and empty.num_rows == 0
        assert connection.query_arrow(f"SELECT sum(x) AS s FROM {table}").read_all().column("s").to_pylist() == [10]
    finally:
        connection.execute(f"DROP TABLE {table}")


def test_a_newer_statement_ends_an_open_stream_with_an_error(connection: Connection) -> None:
    reader = connection.query_arrow("SELECT number FROM numbers(1000000) SETTINGS max_block_size = 1000")
    reader.read_next_batch()
    assert connection.query_arrow("SELECT 2 AS two").read_all().column("two").to_pylist() == [2]
    with pytest.raises(OSError, match="another statement ran"):
        reader.read_all()


def test_connect_errors_name_the_problem_without_the_password(live_server: Tuple[str, int]) -> None:
    with pytest.raises(BytehouseError) as raised:
        connect(f"Host={HOST};Port={live_server[1]};UID=nobody;PWD=MarkerSecret1")
    assert raised.value.sqlstate == "28000"
    assert "MarkerSecret1" not in str(raised.value)


def test_arrow_data_inserts_and_reads_back(connection: Connection, live_server: Tuple[str, int]) -> None:
    table = f"arrow_insert_{os.getpid()}_{live_server[1]}"
    modern = live_server[0] != "18.16"
    columns = [
        "i Int64",
        "u UInt8",
        "f Float64",
        "s String",
        "b String",
        "d Date",
        "t DateTime('UTC')",
        "dec Decimal(18, 4)",
        "n Nullable(Int32)",
        "a Array(Nullable(String))",
        "lc LowCardinality(String)" if modern else "lc String",
    ]
    if modern:
        columns += ["m Map(String, UInt16)", "tup Tuple(Int8, String)", "t64 DateTime64(3, 'UTC')"]
    connection.execute(f"DROP TABLE IF EXISTS {table}")
    connection.execute(f"CREATE TABLE {table} ({', '.join(columns)}) ENGINE = Memory")
    data = {
        "i": pa.array([-(2**63), 5], pa.int64()),
        "u": pa.array([255, 0], pa.uint8()),
        "f": pa.array([1.5, -0.25]),
        "s": pa.array(["é", "it's"]),
        "b": pa.array([b"\xff\x00", b""], pa.binary()),
        "d": pa.array([datetime.date(2020, 1, 2), datetime.date(1970, 1, 1)]),
        "t": pa.array([datetime.datetime(2020, 1, 2, 3, 4, 5), datetime.datetime(1970, 1, 1)], pa.timestamp("s")),
        "dec": pa.array([decimal.Decimal("-12.5"), decimal.Decimal("0.0001")], pa.decimal128(18, 4)),
        "n": pa.array([None, 7], pa.int32()),
        "a": pa.array([["x", None], []], pa.list_(pa.string())),
        "lc": pa.array(["low", "low"]).dictionary_encode(),
    }
    if modern:
        data["m"] = pa.array([[("k", 1)], []], pa.map_(pa.string(), pa.uint16()))
        data["tup"] = pa.array(
            [{"a": 1, "b": "x"}, {"a": -1, "b": ""}], pa.struct([("a", pa.int8()), ("b", pa.string())])
        )
        data["t64"] = pa.array([1577934245678, 0], pa.timestamp("ms", "UTC"))
    source = pa.table(data)
    try:
        stored = connection.insert_arrow(f"INSERT INTO {table} VALUES", source.to_batches(max_chunksize=1)[0])
        stored += connection.insert_arrow(f"INSERT INTO {table} VALUES", source.slice(1).to_reader())
        assert stored == 2
        text_columns = ", ".join(name for name in data if name != "b")
        back = connection.query_arrow(f"SELECT {text_columns} FROM {table} ORDER BY u DESC").read_all()
        assert back.column("i").to_pylist() == [-(2**63), 5]
        assert back.column("s").to_pylist() == ["é", "it's"]
        raw = connection.query_arrow(f"SELECT b FROM {table} ORDER BY u DESC", binary_strings=True).read_all()
        assert raw.column("b").to_pylist() == [b"\xff\x00", b""]
        assert back.column("d").to_pylist() == [datetime.date(2020, 1, 2), datetime.date(1970, 1, 1)]
        assert back.column("t").to_pylist()[0] == datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
        assert back.column("dec").to_pylist() == [decimal.Decimal("-12.5000"), decimal.Decimal("0.0001")]
        assert back.column("n").to_pylist() == [None, 7]
        assert back.column("a").to_pylist() == [["x", None], []]
        assert back.column("lc").to_pylist() == ["low", "low"]
        if modern:
            assert back.column("m").to_pylist() == [[("k", 1)], []]
            assert back.column("tup").to_pylist() == [{"1": 1, "2": "x"}, {"1": -1, "2": ""}]
            assert back.column("t64").cast(pa.int64()).to_pylist() == [1577934245678, 0]
    finally:
        connection.execute(f"DROP TABLE {table}")


def test_a_bad_arrow_value_names_its_column_and_row(connection: Connection, live_server: Tuple[str, int]) -> None:
    table = f"arrow_bad_{os.getpid()}_{live_server[1]}"
    connection.execute(f"DROP TABLE IF EXISTS {table}")
    connection.execute(f"CREATE TABLE {table} (x UInt8) ENGINE = Memory")
    try:
        with pytest.raises(BytehouseError) as raised:
            connection.insert_arrow(f"INSERT INTO {table} VALUES", pa.table({"x": pa.array([1, 2, 300])}))
        assert raised.value.sqlstate == "22018"
        assert "column `x` at row 3" in raised.value.message
        assert connection.query_arrow(f"SELECT count() AS c FROM {table}").read_all().column("c").to_pylist() == [0]
        with pytest.raises(BytehouseError, match="is not supported"):
            connection.insert_arrow(f"INSERT INTO {table} VALUES", pa.table({"x": pa.array([1], pa.float16())}))
    finally:
        connection.execute(f"DROP TABLE {table}")


def test_settings_and_timeout_apply_to_one_statement(connection: Connection) -> None:
    shown = "SELECT value FROM system.settings WHERE name = 'max_block_size'"
    before = connection.query_arrow(shown).read_all().column(0).to_pylist()
    reader = connection.query_arrow("SELECT number FROM numbers(1000)", settings={"max_block_size": 100})
    assert [batch.num_rows for batch in reader] == [100] * 10
    assert connection.query_arrow(shown, settings={"max_block_size": 777}).read_all().column(0).to_pylist() == ["777"]
    assert connection.query_arrow(shown).read_all().column(0).to_pylist() == before
    with pytest.raises(BytehouseError) as rejected:
        connection.execute("SELECT 1", settings={"no_such_setting": 1})
    assert rejected.value.code == 115 and "no_such_setting" in rejected.value.message
    with pytest.raises(BytehouseError) as timed_out:
        connection.execute("SELECT count() FROM system.numbers", timeout=0.3)
    assert timed_out.value.sqlstate == "HYT00"
    assert connection.query_arrow("SELECT 1 AS one").read_all().column(0).to_pylist() == [1]
