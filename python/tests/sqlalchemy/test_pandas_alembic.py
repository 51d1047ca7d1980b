"""pandas (read_sql, to_sql) and Alembic (autogenerate, upgrade) through the dialect, on both servers."""

from __future__ import annotations

import datetime
import os
import textwrap

import pytest
from sqlalchemy import create_engine, inspect, text

pandas = pytest.importorskip("pandas")
alembic_command = pytest.importorskip("alembic.command")
alembic_config = pytest.importorskip("alembic.config")


def test_pandas_writes_and_reads_a_frame(engine, table_name):
    frame = pandas.DataFrame(
        {
            "id": [1, 2, 3],
            "name": ["a", None, "c'"],
            "price": [1.5, float("nan"), -2.25],
            "at": [datetime.datetime(2020, 1, 2, 3, 4, 5)] * 3,
        }
    )
    try:
        # to_sql creates the table (MergeTree, nullable columns Nullable) and inserts with executemany.
        assert frame.to_sql(table_name, engine, index=False) in (None, 3, -1)  # pyodbc: -1 after executemany
        read = pandas.read_sql(text(f"SELECT * FROM {table_name} ORDER BY id"), engine)
        assert read["id"].tolist() == [1, 2, 3]
        assert read["name"][0] == "a" and pandas.isna(read["name"][1]) and read["name"][2] == "c'"
        assert read["price"].tolist()[0] == 1.5 and pandas.isna(read["price"][1])
        assert read["at"].tolist() == [pandas.Timestamp(2020, 1, 2, 3, 4, 5)] * 3
        whole = pandas.read_sql_table(table_name, engine)
        assert len(whole) == 3
        frame.to_sql(table_name, engine, index=False, if_exists="append")
        assert pandas.read_sql(text(f"SELECT count() AS n FROM {table_name}"), engine)["n"][0] == 6
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP TABLE IF EXISTS {table_name}"))


MODELS = """
from sqlalchemy import Column, Integer, MetaData, String, Table
from libbytehouse.sqlalchemy import engines, types

metadata = MetaData()
Table(
    "{table}",
    metadata,
    Column("id", types.UInt64, primary_key=True),
    Column("name", String),
    {extra}
    engines.MergeTree(order_by="id"),
)
"""


def test_alembic_autogenerates_and_upgrades(server, database, table_name, tmp_path, monkeypatch):
    # A database of its own: autogenerate compares everything in it.
    url = f"bytehouse://127.0.0.1:{server.port}/?database={database}"
    engine = create_engine(url)
    config = alembic_config.Config(str(tmp_path / "alembic.ini"))
    config.set_main_option("script_location", str(tmp_path / "migrations"))
    config.set_main_option("sqlalchemy.url", url)
    alembic_command.init(config, str(tmp_path / "migrations"))
    environment = tmp_path / "migrations" / "env.py"
    environment.write_text(
        environment.read_text().replace("target_metadata = None", "from models import metadata as target_metadata")
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    models = tmp_path / "models.py"
    try:
        models.write_text(MODELS.format(table=table_name, extra=""))
        purge_module("models")  # another test's models may be imported
        first = alembic_command.revision(config, message="create", autogenerate=True)
        script = open(first.path).read()
        assert "op.create_table(" in script and "engines.MergeTree(order_by='id')" in script, script
        alembic_command.upgrade(config, "head")
        assert {column["name"] for column in inspect(engine).get_columns(table_name)} == {"id", "name"}

        models.write_text(MODELS.format(table=table_name, extra='Column("score", types.Float64),'))
        purge_module("models")
        second = alembic_command.revision(config, message="add score", autogenerate=True)
        script = open(second.path).read()
        assert "op.add_column(" in script and "types.Float64()" in script, script
        alembic_command.upgrade(config, "head")
        columns = {column["name"]: column for column in inspect(engine).get_columns(table_name)}
        assert set(columns) == {"id", "name", "score"} and columns["score"]["nullable"]
        with engine.connect() as connection:
            current = connection.execute(text("SELECT version_num FROM alembic_version")).fetchall()
        assert [row[0] for row in current] == [second.revision]

        purge_module("models")
        assert alembic_command.revision(config, message="nothing", autogenerate=True) is not None
        latest = sorted(os.listdir(tmp_path / "migrations" / "versions"))
        assert len([name for name in latest if name.endswith(".py")]) == 3
        alembic_command.downgrade(config, "-1")  # drops the column again
        assert {column["name"] for column in inspect(engine).get_columns(table_name)} == {"id", "name"}
    finally:
        engine.dispose()


def test_nothing_to_migrate_when_models_match(server, database, table_name):
    """Reflected types compare equal to the models' types: no spurious changes."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    namespace: dict = {}
    exec(textwrap.dedent(MODELS.format(table=table_name, extra='Column("score", types.Float64),')), namespace)
    metadata = namespace["metadata"]
    engine = create_engine(f"bytehouse://127.0.0.1:{server.port}/?database={database}")
    metadata.create_all(engine)
    try:
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    finally:
        engine.dispose()


def purge_module(name: str) -> None:
    import sys

    sys.modules.pop(name, None)
