"""libbytehouse as an ADBC driver, loaded by path through ``adbc_driver_manager`` (DB-API layer), against
both local servers: queries as Arrow, pandas and polars, parameters, executemany, ingest of a pandas frame
in each mode, metadata (GetInfo, GetObjects, GetTableSchema, GetTableTypes) and errors. Skipped without
the test servers (scripts/test-python.sh starts them)."""

from __future__ import annotations

import datetime
import itertools
import os
from typing import Iterator, Tuple

import pytest

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
dbapi = pytest.importorskip("adbc_driver_manager.dbapi")

from libbytehouse import adbc  # noqa: E402
from libbytehouse.arrow import library_path  # noqa: E402

HOST = os.environ.get("CLICKHOUSE_HOST", "127.0.0.1")
_names = itertools.count()


@pytest.fixture
def conn(live_server: Tuple[str, int]) -> Iterator[dbapi.Connection]:
    with adbc.connect(uri=f"clickhouse://default@{HOST}:{live_server[1]}/default") as opened:
        yield opened


@pytest.fixture
def table(conn: dbapi.Connection) -> Iterator[str]:
    name = f"adbc_py_{os.getpid()}_{next(_names)}"
    yield name
    with conn.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def test_dbapi_connect_by_path_with_every_form_of_options(live_server: Tuple[str, int]) -> None:
    # The driver manager itself, loading the library by path and deriving the entry point from its name.
    options = {"host": HOST, "port": str(live_server[1])}
    with dbapi.connect(driver=library_path(), db_kwargs=options, autocommit=True) as conn:
        with conn.cursor() as cursor:
            cursor.execute("SELECT currentDatabase(), 1 + 1")
            assert cursor.fetchone() == ("default", 2)
    with adbc.connect(
        uri=f"bytehouse://{HOST}:{live_server[1]}/system?setting.max_threads=1", username="default"
    ) as conn:
        with conn.cursor() as cursor:
            cursor.execute("SELECT currentDatabase(), value FROM system.settings WHERE name = 'max_threads'")
            assert cursor.fetchone() == ("system", "1")
        assert conn.adbc_current_catalog == "system"


def test_fetch_arrow_table_df_and_polars(conn: dbapi.Connection) -> None:
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT number AS n, toString(number) AS s, number / 2 AS f, toDateTime(number, 'UTC') AS t, "
            "if(number % 3 = 0, NULL, toInt32(number)) AS maybe FROM system.numbers LIMIT 200000"
        )
        table = cursor.fetch_arrow_table()
        assert table.num_rows == 200000
        assert table.schema.field("n").type == pa.uint64()
        assert table.schema.field("s").type == pa.string()
        assert table.schema.field("t").type == pa.timestamp("s", tz="UTC")
        assert table.column("maybe").null_count == 66667
        cursor.execute("SELECT number AS n FROM system.numbers LIMIT 5")
        frame = cursor.fetch_df()
        assert list(frame["n"]) == [0, 1, 2, 3, 4]
        assert cursor.description[0][0] == "n"
    frame = pl.read_database("SELECT number AS n, 'x' AS s FROM system.numbers LIMIT 3", connection=conn)
    assert frame.to_dict(as_series=False) == {"n": [0, 1, 2], "s": ["x", "x", "x"]}


def test_parameters_executemany_and_statements_without_a_result(conn: dbapi.Connection, table: str) -> None:
    with conn.cursor() as cursor:
        cursor.execute("SELECT ? + 1 AS x, ? AS s", (41, "it's"))
        assert cursor.fetchall() == [(42, "it's")]
        cursor.execute(f"CREATE TABLE {table} (id Int64, name String) ENGINE = MergeTree ORDER BY id")
        cursor.executemany(f"INSERT INTO {table} (id, name) VALUES (?, ?)", [(1, "a"), (2, "b"), (3, "c")])
        assert cursor.rowcount == 3
        cursor.execute(f"INSERT INTO {table} VALUES (?, ?)", (4, "d"))
        cursor.execute(f"SELECT id, name FROM {table} ORDER BY id")
        assert cursor.fetchall() == [(1, "a"), (2, "b"), (3, "c"), (4, "d")]


def test_ingest_a_pandas_frame_in_each_mode(conn: dbapi.Connection, table: str, live_server: Tuple[str, int]) -> None:
    frame = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "name": ["a", None, "c"],
            "score": [1.5, None, 3.5],
            "at": pd.to_datetime(["2024-01-01 10:00", "2024-02-01 00:00", "2024-03-01 00:00"]).tz_localize("UTC"),
            "ok": [True, False, True],
        }
    )
    with conn.cursor() as cursor:
        assert cursor.adbc_ingest(table, frame, mode="create") == 3
        with pytest.raises(dbapi.ProgrammingError) as failure:
            cursor.adbc_ingest(table, frame, mode="create")
        assert failure.value.status_code.name == "ALREADY_EXISTS"
        assert cursor.adbc_ingest(table, frame, mode="append") == 3
        assert cursor.adbc_ingest(table, frame, mode="create_append") == 3
        cursor.execute(f"SELECT count() FROM {table}")
        assert cursor.fetchone() == (9,)
        assert cursor.adbc_ingest(table, frame.iloc[:1], mode="replace") == 1
        cursor.execute(f"SELECT * FROM {table}")
        back = cursor.fetch_df()
        assert back["id"].tolist() == [1]
        assert back["at"].iloc[0] == pd.Timestamp("2024-01-01 10:00:00", tz="UTC")
        cursor.execute(f"SELECT engine FROM system.tables WHERE name = '{table}'")
        assert cursor.fetchone() == ("MergeTree",)
        # A cursor that ingested runs queries afterwards: the bound data is gone.
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    with conn.cursor() as cursor, pytest.raises(dbapi.ProgrammingError) as failure:
        cursor.adbc_ingest(f"{table}_missing", frame, mode="append")
    assert failure.value.status_code.name == "NOT_FOUND"
    # A temporary table lives in the connection's session (engine Memory) and takes no catalog.
    with conn.cursor() as cursor:
        assert cursor.adbc_ingest(f"{table}_tmp", frame, mode="create", temporary=True) == 3
        assert cursor.adbc_ingest(f"{table}_tmp", frame.iloc[:2], mode="replace", temporary=True) == 2
        cursor.execute(f"SELECT count() FROM {table}_tmp")
        assert cursor.fetchone() == (2,)
        with pytest.raises(dbapi.ProgrammingError):
            cursor.adbc_ingest(f"{table}_tmp", frame, mode="create", temporary=True, catalog_name="default")


def test_metadata(conn: dbapi.Connection, table: str, live_server: Tuple[str, int]) -> None:
    info = conn.adbc_get_info()
    assert info["vendor_name"] == "ClickHouse"
    assert info["driver_name"] == "libbytehouse ADBC driver"
    assert info["driver_adbc_version"] == 1_001_000
    assert conn.adbc_get_table_types() == ["SYSTEM TABLE", "TABLE", "VIEW"]
    with conn.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {table} (id UInt32, note Nullable(String)) ENGINE = MergeTree ORDER BY id")
    schema = conn.adbc_get_table_schema(table)
    assert schema.names == ["id", "note"]
    assert schema.field("note").nullable and not schema.field("id").nullable
    objects = conn.adbc_get_objects(depth="all", catalog_filter="default", table_name_filter=table).read_all()
    [catalog] = objects.to_pylist()
    [db_schema] = catalog["catalog_db_schemas"]
    [found] = db_schema["db_schema_tables"]
    assert (found["table_name"], found["table_type"]) == (table, "TABLE")
    columns = [(c["column_name"], c["ordinal_position"], c["xdbc_type_name"]) for c in found["table_columns"]]
    assert columns == [("id", 1, "UInt32"), ("note", 2, "Nullable(String)")]
    # ODBC's description of each type, as SQLColumns gives it.
    described = [(c["xdbc_nullable"], c["xdbc_is_nullable"], c["xdbc_num_prec_radix"]) for c in found["table_columns"]]
    assert described == [(0, "NO", 10), (1, "YES", None)]
    assert all(c["xdbc_data_type"] is not None and c["xdbc_column_size"] for c in found["table_columns"])
    # A String column's size is the connection's StringMaxLength.
    with adbc.connect(uri=f"clickhouse://default@{HOST}:{live_server[1]}/default", StringMaxLength="1000") as sized:
        objects = sized.adbc_get_objects(depth="all", catalog_filter="default", table_name_filter=table).read_all()
    [note] = objects.to_pylist()[0]["catalog_db_schemas"][0]["db_schema_tables"][0]["table_columns"][1:]
    assert note["xdbc_column_size"] == 1000
    catalogs = conn.adbc_get_objects(depth="catalogs").read_all().to_pylist()
    assert {"default", "system"} <= {entry["catalog_name"] for entry in catalogs}
    assert all(entry["catalog_db_schemas"] is None for entry in catalogs)
    views = conn.adbc_get_objects(depth="tables", catalog_filter="default", table_types_filter=["VIEW"]).read_all()
    assert table not in str(views.to_pylist())
    with pytest.raises(dbapi.ProgrammingError) as failure:
        conn.adbc_get_table_schema(f"{table}_missing")
    assert failure.value.status_code.name == "NOT_FOUND"


def test_errors_carry_status_sqlstate_and_server_code(conn: dbapi.Connection, live_server: Tuple[str, int]) -> None:
    with conn.cursor() as cursor:
        with pytest.raises(dbapi.ProgrammingError) as failure:
            cursor.execute("SELECT * FROM no_such_table_adbc_py")
        assert failure.value.sqlstate == "42S02"
        assert (b"bytehouse.server_code", b"60") in failure.value.details
        with pytest.raises(dbapi.ProgrammingError) as failure:
            cursor.execute("SELEC 1")
        assert failure.value.status_code.name == "INVALID_ARGUMENT"
    with pytest.raises(dbapi.NotSupportedError):
        adbc.connect(uri=f"clickhouse://{HOST}:{live_server[1]}", no_such_key="1")
    with pytest.raises(dbapi.OperationalError) as failure:
        adbc.connect(uri=f"clickhouse://{HOST}:21102")
    assert failure.value.sqlstate == "08001"


def test_a_failure_mid_stream_carries_the_server_code(conn: dbapi.Connection) -> None:
    # Blocks arrive before the server fails, so the error comes from reading the stream, where the
    # driver manager asks the driver (ErrorFromArrayStream) for the ADBC error behind it.
    sql = "SELECT throwIf(number = 50000) AS x FROM numbers(100000) SETTINGS max_block_size = 1000"
    with conn.cursor() as cursor:
        cursor.execute(sql)
        with pytest.raises(dbapi.Error) as failure:
            cursor.fetch_arrow_table()
    assert "throwIf" in str(failure.value)
    assert (b"bytehouse.server_code", b"395") in failure.value.details
    assert failure.value.sqlstate == "HY000"


def test_autocommit_is_the_only_mode(live_server: Tuple[str, int]) -> None:
    with pytest.warns(Warning, match="autocommit"):
        conn = dbapi.connect(driver=library_path(), db_kwargs={"uri": f"clickhouse://{HOST}:{live_server[1]}"})
    with conn:
        conn.commit()
        with conn.cursor() as cursor:
            cursor.execute("SELECT toDate('2024-05-06')")
            assert cursor.fetchone() == (datetime.date(2024, 5, 6),)


def test_result_and_parameter_schemas_before_running(conn: dbapi.Connection) -> None:
    with conn.cursor() as cursor:
        schema = cursor.adbc_execute_schema("SELECT toUInt8(1) AS x, 'a' AS s")
        assert (schema.names, schema.field("x").type) == (["x", "s"], pa.uint8())
        parameters = cursor.adbc_prepare("SELECT ? + ?, '?'")
        assert parameters.names == ["0", "1"]
        with pytest.raises(dbapi.NotSupportedError):
            cursor.adbc_execute_schema("CREATE TABLE never_made (x UInt8) ENGINE = Memory")
