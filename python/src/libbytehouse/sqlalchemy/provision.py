"""Test provisioning for SQLAlchemy's compliance suite: the test schemas are databases."""

from __future__ import annotations

from typing import Any

from sqlalchemy.testing.provision import (
    post_configure_engine,
    set_default_schema_on_connection,
    temp_table_keyword_args,
)

SCHEMAS = ("test_schema", "test_schema_2")


@post_configure_engine.for_db("bytehouse")
def _create_schemas(url: Any, engine: Any, follower_ident: Any) -> None:
    with engine.connect() as connection:
        for schema in SCHEMAS:
            connection.exec_driver_sql(f"CREATE DATABASE IF NOT EXISTS {schema}")


@temp_table_keyword_args.for_db("bytehouse")
def _temp_table_keyword_args(cfg: Any, eng: Any) -> dict:
    return {"prefixes": ["TEMPORARY"]}


@set_default_schema_on_connection.for_db("bytehouse")
def _set_default_schema_on_connection(cfg: Any, dbapi_connection: Any, schema_name: str) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"USE {schema_name}")
    finally:
        cursor.close()
