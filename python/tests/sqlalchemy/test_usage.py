"""The dialect as applications use it, against both servers: Core and ORM CRUD, ClickHouse's SELECT
clauses, results read in batches, names that need quoting, transactions that are no-ops, and the pool
replacing a connection that broke."""

from __future__ import annotations

import pytest
import sqlalchemy
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, func, inspect, text
from sqlalchemy.orm import Session, declarative_base

from gateway import GatewayProcess
from libbytehouse.sqlalchemy import engines, select, types


def test_core_crud_with_mutations(engine, table_name):
    table = Table(
        table_name,
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("name", String),
        engines.MergeTree(order_by="id"),
    )
    table.create(engine)
    try:
        with engine.begin() as connection:
            connection.execute(table.insert(), [{"id": n, "name": f"n{n}"} for n in range(5)])
            connection.execute(table.update().where(table.c.id == 1).values(name="one"))
            connection.execute(table.delete().where(table.c.id >= 3))
            connection.execute(table.insert().from_select(["id", "name"], select(table.c.id + 10, table.c.name)))
        with engine.connect() as connection:
            rows = connection.execute(select(table).order_by(table.c.id)).fetchall()
        assert [tuple(row) for row in rows] == [
            (0, "n0"),
            (1, "one"),
            (2, "n2"),
            (10, "n0"),
            (11, "one"),
            (12, "n2"),
        ]
    finally:
        table.drop(engine)


def test_orm_crud(engine, table_name):
    Base = declarative_base()

    class Item(Base):
        __tablename__ = table_name
        __table_args__ = (engines.ReplacingMergeTree(order_by="id"),)
        id = Column(Integer, primary_key=True)
        name = Column(String)
        tags = Column(types.Array(types.String), nullable=False, default=list)

    Base.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            session.add_all([Item(id=1, name="a", tags=["x", "y"]), Item(id=2, name="b")])
            session.commit()
        with Session(engine) as session:
            item = session.get(Item, 1)
            assert (item.name, item.tags) == ("a", ["x", "y"])
            item.name = "renamed"
            session.commit()
            session.delete(session.get(Item, 2))
            session.commit()
        with Session(engine) as session:
            assert [(item.id, item.name) for item in session.query(Item).order_by(Item.id)] == [(1, "renamed")]
            assert session.scalars(select(Item).final().where(Item.id == 1)).one().name == "renamed"
    finally:
        Base.metadata.drop_all(engine)


def test_select_extensions_run_on_the_server(engine, server, table_name):
    table = Table(
        table_name,
        MetaData(),
        Column("id", types.UInt64, nullable=False),
        Column("version", types.UInt32, nullable=False),
        Column("tags", types.Array(types.String), nullable=False),
        engines.ReplacingMergeTree(version="version", order_by="id", sample_by="id"),
    )
    table.create(engine)
    try:
        with engine.begin() as connection:
            connection.execute(table.insert(), [{"id": 1, "version": 1, "tags": ["a", "b"]}])
            connection.execute(
                table.insert(), [{"id": 1, "version": 2, "tags": ["c"]}, {"id": 2, "version": 1, "tags": []}]
            )
        with engine.connect() as connection:
            final = select(table.c.id, table.c.tags).final().order_by(table.c.id)
            assert [tuple(row) for row in connection.execute(final)] == [(1, ["c"]), (2, [])]
            tag = table.c.tags.label("tag")
            exploded = select(table.c.id, text("tag")).array_join(tag).order_by(table.c.id, text("tag"))
            assert [tuple(row) for row in connection.execute(exploded)] == [(1, "a"), (1, "b"), (1, "c")]
            latest = (
                select(table.c.id, table.c.version)
                .sample(1.0)
                .prewhere(table.c.id > 0)
                .order_by(table.c.id, table.c.version.desc())
                .limit_by([table.c.id], 1)
                .settings(max_threads=1)
            )
            assert [tuple(row) for row in connection.execute(latest)] == [(1, 2), (2, 1)]
    finally:
        table.drop(engine)


AWKWARD = "t a`b'c\"d.ü"


def test_names_that_need_quoting(engine):
    table = Table(
        AWKWARD,
        MetaData(),
        Column("ключ", Integer, nullable=False),
        Column("select", String),
        Column("a.b", Integer),
        engines.MergeTree(order_by="ключ"),
    )
    table.create(engine)
    try:
        with engine.begin() as connection:
            connection.execute(table.insert(), {"ключ": 1, "select": "x", "a.b": 2})
        with engine.connect() as connection:
            assert tuple(connection.execute(select(table)).one()) == (1, "x", 2)
        inspector = inspect(engine)
        assert AWKWARD in inspector.get_table_names()
        assert [column["name"] for column in inspector.get_columns(AWKWARD)] == ["ключ", "select", "a.b"]
        assert inspector.get_pk_constraint(AWKWARD)["constrained_columns"] == ["ключ"]
        reflected = Table(AWKWARD, MetaData(), autoload_with=engine)
        assert engines.engine_of(reflected).order_by == "ключ"
    finally:
        table.drop(engine)


def test_transactions_are_accepted_and_do_nothing(engine, table_name):
    table = Table(table_name, MetaData(), Column("id", Integer, nullable=False), engines.Memory())
    table.create(engine)
    try:
        with engine.connect() as connection:
            transaction = connection.begin()
            connection.execute(table.insert(), {"id": 1})
            transaction.rollback()  # accepted; the row was stored when the INSERT ran
            with connection.begin():
                connection.execute(table.insert(), {"id": 2})
            assert connection.execute(select(func.count()).select_from(table)).scalar() == 2
            assert connection.get_isolation_level() == "AUTOCOMMIT"
    finally:
        table.drop(engine)


def test_results_read_in_batches_to_their_end(engine):
    """fetchmany past the last row gives an empty batch, not an error from the closed cursor."""
    with engine.connect() as connection:
        result = connection.execute(text("SELECT number FROM system.numbers LIMIT 5"))
        batches = []
        while batch := result.fetchmany(2):
            batches.append([row[0] for row in batch])
        assert batches == [[0, 1], [2, 3], [4]]
        assert result.fetchmany(2) == []


def test_schemas_are_databases(engine):
    inspector = inspect(engine)
    assert {"default", "system"} <= set(inspector.get_schema_names())
    assert "numbers" in inspector.get_table_names(schema="system")
    assert inspector.has_table("numbers", schema="system")
    assert engine.dialect.default_schema_name == "default"


def test_pool_replaces_a_broken_connection(server):
    gateway = GatewayProcess(server.port, "x", "y", "default", "")
    url = f"bytehouse://127.0.0.1:{gateway.port}/?database=default"
    pinged = create_engine(url, pool_size=1, pool_pre_ping=True)
    plain = create_engine(url, pool_size=1)
    try:
        for engine in (pinged, plain):
            with engine.connect() as connection:
                assert connection.execute(text("SELECT 1")).scalar() == 1
        gateway.cut()
        with pinged.connect() as connection:  # the ping finds the connection broken: a new one is made
            assert connection.execute(text("SELECT 2")).scalar() == 2
        with plain.connect() as connection, pytest.raises(sqlalchemy.exc.DBAPIError) as failure:
            connection.execute(text("SELECT 3"))
        assert failure.value.connection_invalidated
        assert "08S01" in str(failure.value)
        with plain.connect() as connection:  # the pool made a new connection
            assert connection.execute(text("SELECT 4")).scalar() == 4
    finally:
        pinged.dispose()
        plain.dispose()
        gateway.close()
