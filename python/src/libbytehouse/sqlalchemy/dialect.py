"""The ``bytehouse`` (and ``bytehouse+pyodbc``) SQLAlchemy dialect: SQLAlchemy's pyodbc connector
over the libbytehouse ODBC driver, for ByteHouse and ClickHouse.

- Connecting: see ``connect_args`` for the URL forms and keys.
- Transactions: the server has none; ``begin()``, ``commit()`` and ``rollback()`` are accepted and do
  nothing (statements take effect when they run).
- ``executemany`` of an INSERT sends all rows as one native block (pyodbc ``fast_executemany``).
- A broken connection (SQLSTATE 08S01, 08003, ...) is a disconnect: the pool replaces it.
- Reflection goes through the driver's catalog functions (``reflection``).
"""

from __future__ import annotations

import functools
import time
import warnings
from typing import Any, Callable, Dict, List, Optional

from sqlalchemy import Column, Index, Table
from sqlalchemy import types as sqltypes
from sqlalchemy.connectors.pyodbc import PyODBCConnector
from sqlalchemy.engine import default
from sqlalchemy.exc import NoSuchTableError

from libbytehouse.sqlalchemy import connect_args, types
from libbytehouse.sqlalchemy import reflection as catalog
from libbytehouse.sqlalchemy.ddl_compiler import ClickHouseDDLCompiler
from libbytehouse.sqlalchemy.fetch import TUPLE_ROWS
from libbytehouse.sqlalchemy.identifiers import ClickHouseIdentifierPreparer
from libbytehouse.sqlalchemy.server import UNKNOWN, Server, version_of
from libbytehouse.sqlalchemy.sql_compiler import ClickHouseSQLCompiler
from libbytehouse.sqlalchemy.type_compiler import ClickHouseTypeCompiler

#: SQLSTATEs after which a connection cannot be used again.
DISCONNECT_STATES = ("08S01", "08003", "08007", "08001", "01002")
#: How long an UPDATE or DELETE waits for its mutation on a server without ``mutations_sync``.
MUTATION_WAIT_SECONDS = 300.0


def cached(method: Callable[..., Any]) -> Callable[..., Any]:
    """Keeps a reflection result in the inspector's ``info_cache`` for the call's arguments, as
    SQLAlchemy's own decorator does (whose signature rewriting 1.4 cannot do with annotations)."""

    @functools.wraps(method)
    def reflect(self: Any, connection: Any, *args: Any, **kw: Any) -> Any:
        info_cache = kw.get("info_cache")
        if info_cache is None:
            return method(self, connection, *args, **kw)
        key = (method.__name__, args, tuple((k, v) for k, v in kw.items() if isinstance(v, (str, int, type(None)))))
        if key not in info_cache:
            info_cache[key] = method(self, connection, *args, **kw)
        return info_cache[key]

    return reflect


class ByteHouseExecutionContext(default.DefaultExecutionContext):
    cursor_fetch_strategy = TUPLE_ROWS

    def post_exec(self) -> None:
        super().post_exec()
        table = getattr(self.compiled, "_mutated_table", None)
        if table is not None and (self.isupdate or self.isdelete) and not self.dialect.mutations_synced:
            self._wait_for_mutations(self.compiled.statement.table)

    def _wait_for_mutations(self, table: Table) -> None:
        """Old servers run a mutation after ALTER TABLE returns; wait until it is done, so that what
        follows sees it (as ``mutations_sync`` does on newer servers)."""
        database = table.schema or self.dialect.default_schema_name
        query = "SELECT count() FROM system.mutations WHERE database = ? AND table = ? AND is_done = 0"
        deadline = time.monotonic() + MUTATION_WAIT_SECONDS
        cursor = self.root_connection.connection.cursor()
        try:
            while cursor.execute(query, database, table.name).fetchone()[0]:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the mutation of {database}.{table.name} did not finish in time")
                time.sleep(0.05)
        finally:
            cursor.close()


class ByteHouseDialect(PyODBCConnector, default.DefaultDialect):
    name = "bytehouse"
    driver = "pyodbc"
    supports_statement_cache = True

    statement_compiler = ClickHouseSQLCompiler
    ddl_compiler = ClickHouseDDLCompiler
    type_compiler = ClickHouseTypeCompiler
    type_compiler_cls = ClickHouseTypeCompiler
    preparer = ClickHouseIdentifierPreparer
    execution_ctx_cls = ByteHouseExecutionContext

    default_paramstyle = "qmark"
    supports_native_decimal = True
    supports_native_boolean = True
    supports_native_enum = True
    supports_native_uuid = True
    supports_sequences = False
    sequences_optional = True
    supports_default_values = False
    supports_default_metavalue = False
    supports_empty_insert = False
    supports_multivalues_insert = True
    supports_comments = True
    inline_comments = True
    supports_alter = True
    supports_schemas = True
    supports_is_distinct_from = False
    div_is_floordiv = False  # `/` gives a Float64 even for integers (SQLAlchemy 2)
    postfetch_lastrowid = False
    implicit_returning = False
    insert_returning = False
    update_returning = False
    delete_returning = False
    full_returning = False
    # Mutations report no row counts, and there are no transactions to roll back on a mismatch.
    supports_sane_rowcount = False
    supports_sane_multi_rowcount = False
    requires_name_normalize = False
    max_identifier_length = 255
    fast_executemany = True

    colspecs = {
        sqltypes.JSON: types.JSON,
        sqltypes.Float: types._Float,
        sqltypes.Numeric: types._Numeric,
        sqltypes.Date: types._Date,
        sqltypes.DateTime: types._DateTime,
        sqltypes.LargeBinary: types._LargeBinary,
        **({sqltypes.Uuid: types.UUID} if hasattr(sqltypes, "Uuid") else {}),
    }

    construct_arguments = [
        (Table, {"engine": None}),
        (Column, {"materialized": None, "alias": None, "codec": None, "ttl": None}),
        (Index, {"type": None, "granularity": None}),
    ]

    def __init__(
        self,
        engine_reflection: bool = True,
        json_serializer: Optional[Callable[[Any], str]] = None,
        json_deserializer: Optional[Callable[[str], Any]] = None,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.engine_reflection = engine_reflection
        # create_engine(json_serializer=..., json_deserializer=...), as other dialects take them.
        self._json_serializer = json_serializer
        self._json_deserializer = json_deserializer
        self.server: Server = UNKNOWN
        self._server_asked = False
        #: Whether the last connection made mutations synchronous (`SET mutations_sync`).
        self.mutations_synced = False

    # ------------------------------------------------------------ connecting

    @classmethod
    def import_dbapi(cls) -> Any:
        import pyodbc

        return pyodbc

    @classmethod
    def dbapi(cls) -> Any:  # SQLAlchemy 1.4 asks for the DBAPI by this name
        return cls.import_dbapi()

    def create_connect_args(self, url: Any) -> Any:
        if "engine_reflection" in url.query:
            self.engine_reflection = connect_args.as_bool("engine_reflection", url.query["engine_reflection"])
        return connect_args.connect_args(url)

    def on_connect(self) -> Callable[[Any], None]:
        def prepare(dbapi_connection: Any) -> None:
            if not self._server_asked:
                self._server_asked = True
                try:
                    self.server = Server.ask(dbapi_connection)
                except self.dbapi.Error as error:  # a server that hides its system tables
                    warnings.warn(
                        f"libbytehouse: cannot read what the server has ({error}); assuming all", stacklevel=2
                    )
                self.supports_native_boolean = self.server.has_type("Bool")
            # UPDATE and DELETE return when their mutation is done, as an ORM expects (where the
            # server refuses, the dialect waits for each mutation itself); the missing side of an
            # outer join is NULL, as SQL says, rather than its type's default.
            self.mutations_synced = self.server.mutations_sync and self._set(dbapi_connection, "mutations_sync = 2")
            self._set(dbapi_connection, "join_use_nulls = 1")

        return prepare

    def _set(self, dbapi_connection: Any, setting: str) -> bool:
        """``SET setting`` for the connection's session; False when the server refuses it."""
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"SET {setting}")
            return True
        except self.dbapi.Error:
            return False
        finally:
            cursor.close()

    def _get_server_version_info(self, connection: Any) -> tuple:
        return version_of(connection.exec_driver_sql("SELECT version()").scalar())

    def _get_default_schema_name(self, connection: Any) -> str:
        return connection.exec_driver_sql("SELECT currentDatabase()").scalar()

    def is_disconnect(self, e: Exception, connection: Any, cursor: Any) -> bool:
        if isinstance(e, self.dbapi.Error) and e.args and e.args[0] in DISCONNECT_STATES:
            return True
        return super().is_disconnect(e, connection, cursor)

    # ------------------------------------------------------------ transactions: none

    def do_begin(self, dbapi_connection: Any) -> None:
        pass

    def do_commit(self, dbapi_connection: Any) -> None:
        pass

    def do_rollback(self, dbapi_connection: Any) -> None:
        pass

    def get_isolation_level(self, dbapi_connection: Any) -> str:
        return "AUTOCOMMIT"

    def get_default_isolation_level(self, dbapi_connection: Any) -> str:
        return "AUTOCOMMIT"

    def get_isolation_level_values(self, dbapi_connection: Any) -> List[str]:
        return ["AUTOCOMMIT"]

    def set_isolation_level(self, dbapi_connection: Any, level: str) -> None:
        if level != "AUTOCOMMIT":
            raise NotImplementedError("ClickHouse has no transactions: AUTOCOMMIT is the only isolation level")

    def reset_isolation_level(self, dbapi_connection: Any) -> None:
        pass

    # ------------------------------------------------------------ execution

    def do_executemany(self, cursor: Any, statement: str, parameters: Any, context: Any = None) -> None:
        # A parameter array for INSERT ... VALUES becomes one native INSERT block in the driver.
        if self.fast_executemany and context is not None and context.isinsert:
            cursor.fast_executemany = True
        cursor.executemany(statement, parameters)

    # ------------------------------------------------------------ reflection

    def _catalog(self, connection: Any) -> catalog.Catalog:
        return catalog.Catalog(connection.connection)

    def _database(self, schema: Optional[str]) -> str:
        return schema or self.default_schema_name

    @cached
    def get_schema_names(self, connection: Any, **kw: Any) -> List[str]:
        return self._catalog(connection).databases()

    def _table_names(self, connection: Any, schema: Optional[str], kind: str) -> List[str]:
        rows = self._catalog(connection).tables(self._database(schema), kind=kind)
        return [row["table_name"] for row in rows]

    @cached
    def get_table_names(self, connection: Any, schema: Optional[str] = None, **kw: Any) -> List[str]:
        return self._table_names(connection, schema, "TABLE,SYSTEM TABLE")

    @cached
    def get_view_names(self, connection: Any, schema: Optional[str] = None, **kw: Any) -> List[str]:
        return self._table_names(connection, schema, "VIEW")

    def get_temp_table_names(self, connection: Any, schema: Optional[str] = None, **kw: Any) -> List[str]:
        return []

    def get_sequence_names(self, connection: Any, schema: Optional[str] = None, **kw: Any) -> List[str]:
        return []

    @cached
    def has_table(self, connection: Any, table_name: str, schema: Optional[str] = None, **kw: Any) -> bool:
        return bool(self._catalog(connection).tables(self._database(schema), table_name))

    def has_sequence(self, connection: Any, sequence_name: str, schema: Optional[str] = None, **kw: Any) -> bool:
        return False

    @cached
    def _table_row(self, connection: Any, table_name: str, schema: Optional[str] = None, **kw: Any) -> Dict:
        rows = self._catalog(connection).tables(self._database(schema), table_name)
        if not rows:
            raise NoSuchTableError(f"{schema}.{table_name}" if schema else table_name)
        return rows[0]

    @cached
    def get_columns(self, connection: Any, table_name: str, schema: Optional[str] = None, **kw: Any) -> List:
        rows = self._catalog(connection).columns(self._database(schema), table_name)
        if not rows:
            self._table_row(connection, table_name, schema, **kw)  # raises NoSuchTableError
        return [catalog.column_of(row) for row in rows]

    @cached
    def get_pk_constraint(self, connection: Any, table_name: str, schema: Optional[str] = None, **kw: Any) -> Dict:
        columns = self._catalog(connection).primary_key(self._database(schema), table_name)
        if not columns:
            self._table_row(connection, table_name, schema, **kw)  # raises NoSuchTableError
        return {"constrained_columns": columns, "name": None}

    def get_foreign_keys(self, connection: Any, table_name: str, schema: Optional[str] = None, **kw: Any) -> List:
        return []

    def get_indexes(self, connection: Any, table_name: str, schema: Optional[str] = None, **kw: Any) -> List:
        # The sorting key, which the driver's SQLStatistics reports as an index, is part of the engine.
        return []

    def get_unique_constraints(self, connection: Any, table_name: str, schema: Optional[str] = None, **kw: Any) -> List:
        return []

    def get_check_constraints(self, connection: Any, table_name: str, schema: Optional[str] = None, **kw: Any) -> List:
        return []

    @cached
    def get_view_definition(self, connection: Any, view_name: str, schema: Optional[str] = None, **kw: Any) -> str:
        definition = self._catalog(connection).view_definition(self._database(schema), view_name)
        if definition is None:
            raise NoSuchTableError(f"{schema}.{view_name}" if schema else view_name)
        return definition

    @cached
    def get_table_comment(self, connection: Any, table_name: str, schema: Optional[str] = None, **kw: Any) -> Dict:
        return {"text": self._table_row(connection, table_name, schema, **kw).get("remarks")}

    @cached
    def get_table_options(self, connection: Any, table_name: str, schema: Optional[str] = None, **kw: Any) -> Dict:
        if not self.engine_reflection:
            return {}
        engine = catalog.engine_of(self._table_row(connection, table_name, schema, **kw))
        return {} if engine is None else {"bytehouse_engine": engine}


dialect = ByteHouseDialect

__all__ = ["ByteHouseDialect", "dialect"]
