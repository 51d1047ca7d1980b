"""Type names in DDL and CAST: ClickHouse's own types as they name themselves, SQLAlchemy's generic
types as the ClickHouse type that holds their values."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exc
from sqlalchemy import types as sqltypes
from sqlalchemy.sql import compiler

from libbytehouse.sqlalchemy import types


class ClickHouseTypeCompiler(compiler.GenericTypeCompiler):
    def visit_clickhouse(self, type_: types.ClickHouseType, **kw: Any) -> str:
        if isinstance(type_, types.JSON):
            return self._json()
        return type_.server_name(self)

    def _json(self) -> str:
        server = self.dialect.server
        if server.has_type("JSON"):
            return "JSON"
        if server.has_type("Object"):
            return "Object('json')"
        raise exc.CompileError("this server has no JSON type (ClickHouse 22.3 or later has one)")

    def visit_JSON(self, type_: sqltypes.JSON, **kw: Any) -> str:
        return self._json()

    # Integers keep their SQL widths.
    def visit_integer(self, type_: Any, **kw: Any) -> str:
        return "Int32"

    def visit_small_integer(self, type_: Any, **kw: Any) -> str:
        return "Int16"

    def visit_big_integer(self, type_: Any, **kw: Any) -> str:
        return "Int64"

    def visit_boolean(self, type_: Any, **kw: Any) -> str:
        return "Bool" if self.dialect.server.has_type("Bool") else "UInt8"

    def visit_float(self, type_: sqltypes.Float, **kw: Any) -> str:
        precision = getattr(type_, "precision", None)
        return "Float32" if precision is not None and precision <= 24 else "Float64"

    def visit_REAL(self, type_: Any, **kw: Any) -> str:
        return "Float32"

    def visit_double(self, type_: Any, **kw: Any) -> str:
        return "Float64"

    visit_DOUBLE = visit_double
    visit_DOUBLE_PRECISION = visit_double
    visit_FLOAT = visit_float

    def visit_numeric(self, type_: sqltypes.Numeric, **kw: Any) -> str:
        precision = type_.precision if type_.precision is not None else 38
        scale = type_.scale if type_.scale is not None else (0 if type_.precision is not None else 10)
        return f"Decimal({precision}, {scale})"

    visit_decimal = visit_numeric
    visit_DECIMAL = visit_numeric
    visit_NUMERIC = visit_numeric

    # Text and bytes are String: it holds any bytes, and a length is not enforced.
    def visit_string(self, type_: Any, **kw: Any) -> str:
        return "String"

    visit_unicode = visit_string
    visit_text = visit_string
    visit_unicode_text = visit_string
    visit_enum_string = visit_string
    visit_large_binary = visit_string
    visit_VARCHAR = visit_string
    visit_NVARCHAR = visit_string
    visit_CHAR = visit_string
    visit_NCHAR = visit_string
    visit_TEXT = visit_string
    visit_CLOB = visit_string
    visit_BLOB = visit_string
    visit_BINARY = visit_string
    visit_VARBINARY = visit_string
    visit__binary = visit_string

    def visit_date(self, type_: Any, **kw: Any) -> str:
        return "Date"

    visit_DATE = visit_date

    def visit_datetime(self, type_: Any, **kw: Any) -> str:
        return "DateTime"

    visit_DATETIME = visit_datetime
    visit_TIMESTAMP = visit_datetime

    def visit_time(self, type_: Any, **kw: Any) -> str:
        raise exc.CompileError("ClickHouse has no TIME type: store times as String or as an Int32 of seconds")

    visit_TIME = visit_time

    def visit_interval(self, type_: Any, **kw: Any) -> str:
        raise exc.CompileError("ClickHouse columns cannot hold intervals: store them as Int64 seconds")

    def visit_uuid(self, type_: Any, **kw: Any) -> str:
        return "UUID"

    visit_UUID = visit_uuid

    def visit_enum(self, type_: sqltypes.Enum, **kw: Any) -> str:
        kind = types.Enum16 if len(type_.enums) > 127 else types.Enum8
        return kind(*type_.enums).server_name(self)

    def visit_ARRAY(self, type_: sqltypes.ARRAY, **kw: Any) -> str:
        return f"Array({self.process(type_.item_type, **kw)})"

    def visit_null(self, type_: Any, **kw: Any) -> str:
        return "Nullable(Nothing)"
