"""ClickHouse column types for SQLAlchemy.

Each type renders as the server names it (``types.UInt64()`` -> ``UInt64``) and builds on the
SQLAlchemy generic type that behaves like it, so expressions, ORM attributes and pandas treat it as
they would an Integer, a String or a DateTime. SQLAlchemy's generic types map to these (see
``type_compiler``). Nullability is the column's: ``Column(String)`` is ``Nullable(String)`` and
``Column(String, nullable=False)`` is ``String``; ``Nullable(...)`` is needed only inside
composite types (``Array(Nullable(String))``).

Array, Map and Tuple values travel through ODBC as the server's text and come back as Python lists,
dicts and tuples; LowCardinality and Nullable wrap a type without changing its values.
"""

from __future__ import annotations

import datetime
import decimal
import enum as python_enum
import uuid
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from sqlalchemy import types as sqltypes
from sqlalchemy.sql import operators, type_api

from libbytehouse.sqlalchemy import text_values

TypeArgument = Union[type_api.TypeEngine, type]


def to_instance(type_: TypeArgument) -> type_api.TypeEngine:
    return type_() if isinstance(type_, type) else type_


class ClickHouseType:
    """A type that knows its server name; rendered by ``visit_clickhouse`` of the type compiler."""

    __visit_name__ = "clickhouse"

    def _compiler_dispatch(self, visitor: Any, **kw: Any) -> str:
        # SQLAlchemy derives a class's dispatch from a __visit_name__ of its own; one method here
        # keeps every subclass on visit_clickhouse (else UInt64 would render as its base, BigInteger).
        visit = getattr(visitor, "visit_clickhouse", None)
        return visit(self, **kw) if visit is not None else self.server_name(visitor)

    def server_name(self, compiler: Any) -> str:
        """The type as the server writes it; ``compiler`` (the type compiler) names the types inside."""
        return type(self).__name__

    def __repr__(self) -> str:
        # Python that makes the type again, as Alembic writes it into migrations.
        return "types." + super().__repr__()  # type: ignore[misc]

    def adapt(self, cls: type, **kw: Any) -> Any:
        # SQLAlchemy copies a type through its constructor's named arguments, which would lose what
        # varargs and derived attributes hold (a Tuple's types, an enum's numbers): copy the state.
        if cls is type(self) and not kw:
            copied = cls.__new__(cls)
            copied.__dict__.update(self.__dict__)
            return copied
        return super().adapt(cls, **kw)  # type: ignore[misc]


# ---------------------------------------------------------------- numbers


class _Integer(ClickHouseType, sqltypes.Integer):
    pass


class _WideInteger(ClickHouseType, sqltypes.BigInteger):
    """128- and 256-bit integers arrive as ODBC DECIMAL(n, 0); they are Python ints here."""

    def result_processor(self, dialect: Any, coltype: Any) -> Optional[Callable[[Any], Any]]:
        return lambda value: None if value is None else int(value)

    def bind_processor(self, dialect: Any) -> Optional[Callable[[Any], Any]]:
        # pyodbc has no parameter type for integers beyond 64 bits (nor decimals beyond 38 digits);
        # text converts exactly.
        return lambda value: None if value is None else str(value)


class Int8(_Integer):
    pass


class Int16(_Integer):
    pass


class Int32(_Integer):
    pass


class Int64(ClickHouseType, sqltypes.BigInteger):
    pass


class UInt8(_Integer):
    pass


class UInt16(_Integer):
    pass


class UInt32(ClickHouseType, sqltypes.BigInteger):
    pass


class UInt64(ClickHouseType, sqltypes.BigInteger):
    def bind_processor(self, dialect: Any) -> Optional[Callable[[Any], Any]]:
        # pyodbc binds ints as signed 64-bit; larger ones go as text, which converts exactly.
        return lambda value: str(value) if isinstance(value, int) and value >= 2**63 else value


class Int128(_WideInteger):
    pass


class Int256(_WideInteger):
    pass


class UInt128(_WideInteger):
    pass


class UInt256(_WideInteger):
    pass


class _Float(sqltypes.Float):
    """Floats (also SQLAlchemy's Float): a Decimal parameter is sent as a float, since pyodbc sends
    Decimals as text, which the server does not compute with."""

    def bind_processor(self, dialect: Any) -> Optional[Callable[[Any], Any]]:
        return lambda value: float(value) if isinstance(value, decimal.Decimal) else value

    def result_processor(self, dialect: Any, coltype: Any) -> Optional[Callable[[Any], Any]]:
        # A column pyodbc reads as floats needs nothing done per value.
        return None if coltype is float and not self.asdecimal else super().result_processor(dialect, coltype)


class _Numeric(sqltypes.Numeric):
    """Decimals (also SQLAlchemy's Numeric). pyodbc sends a Decimal parameter as text: outside
    ``INSERT ... VALUES`` (whose rows the driver converts to the column's type) it is CAST to the
    type. What the server computes may come back as a float, or as text, and is made a Decimal."""

    def bind_expression(self, bindvalue: Any) -> Any:
        from sqlalchemy import cast

        return cast(bindvalue, self)

    def result_processor(self, dialect: Any, coltype: Any) -> Optional[Callable[[Any], Any]]:
        if not self.asdecimal:
            return super().result_processor(dialect, coltype)
        if coltype is decimal.Decimal:
            return None
        return lambda value: decimal.Decimal(str(value)) if isinstance(value, (float, str)) else value


class Float32(ClickHouseType, _Float):
    pass


class Float64(ClickHouseType, _Float):
    pass


class Decimal(ClickHouseType, _Numeric):
    """``Decimal(P, S)``; P up to 76."""

    def __init__(self, precision: int = 38, scale: int = 10, asdecimal: bool = True) -> None:
        super().__init__(precision=precision, scale=scale, asdecimal=asdecimal)

    def server_name(self, compiler: Any) -> str:
        return f"Decimal({self.precision}, {self.scale})"


class Bool(ClickHouseType, sqltypes.Boolean):
    def __init__(self) -> None:
        super().__init__(create_constraint=False)


# ---------------------------------------------------------------- text


class String(ClickHouseType, sqltypes.String):
    pass


class FixedString(ClickHouseType, sqltypes.String):
    def __init__(self, length: int) -> None:
        super().__init__(length=length)

    def server_name(self, compiler: Any) -> str:
        return f"FixedString({self.length})"


class IPv4(ClickHouseType, sqltypes.String):
    def bind_processor(self, dialect: Any) -> Optional[Callable[[Any], Any]]:
        return lambda value: None if value is None else str(value)


class IPv6(IPv4):
    pass


class UUID(ClickHouseType, sqltypes.TypeEngine):
    """Values are ``uuid.UUID`` (strings with ``as_uuid=False``); text or UUIDs are accepted."""

    def __init__(self, as_uuid: bool = True) -> None:
        self.as_uuid = as_uuid

    @property
    def python_type(self) -> type:
        return uuid.UUID if self.as_uuid else str

    def bind_processor(self, dialect: Any) -> Optional[Callable[[Any], Any]]:
        return lambda value: None if value is None else str(value)

    def result_processor(self, dialect: Any, coltype: Any) -> Optional[Callable[[Any], Any]]:
        if not self.as_uuid:
            return None
        return lambda value: None if value is None else uuid.UUID(str(value))

    def literal_processor(self, dialect: Any) -> Optional[Callable[[Any], str]]:
        return lambda value: text_values.quote(str(value))


class _EnumBase(ClickHouseType, sqltypes.Enum):
    """ClickHouse enums number their names. ``Enum8('a', 'b')`` numbers them from 1; a Python
    ``enum.Enum`` with integer values keeps them; ``Enum8(values={'a': -1})`` says them."""

    def __init__(self, *enums: Any, values: Optional[Mapping[str, int]] = None, **kw: Any) -> None:
        if values is not None:
            enums = tuple(values)
        kw.setdefault("native_enum", True)
        kw.setdefault("create_constraint", False)
        super().__init__(*enums, **kw)
        self.numbers: Dict[str, int] = dict(values) if values is not None else self._numbers_of(enums)

    @staticmethod
    def _numbers_of(enums: Sequence[Any]) -> Dict[str, int]:
        if len(enums) == 1 and isinstance(enums[0], type) and issubclass(enums[0], python_enum.Enum):
            members = list(enums[0])
            if all(isinstance(member.value, int) for member in members):
                return {member.name: member.value for member in members}
            return {member.name: number for number, member in enumerate(members, 1)}
        return {str(name): number for number, name in enumerate(enums, 1)}

    def server_name(self, compiler: Any) -> str:
        items = ", ".join(f"{text_values.quote(name)} = {number}" for name, number in self.numbers.items())
        return f"{type(self).__name__}({items})"

    def __repr__(self) -> str:
        return f"types.{type(self).__name__}(values={self.numbers!r})"


class Enum8(_EnumBase):
    pass


class Enum16(_EnumBase):
    pass


# ---------------------------------------------------------------- dates and times


class _Date(sqltypes.Date):
    """Dates (also SQLAlchemy's Date): a parameter selected as such comes back as text (the driver
    sends it as a string literal); literals are quoted ISO dates."""

    def result_processor(self, dialect: Any, coltype: Any) -> Optional[Callable[[Any], Any]]:
        # Only text needs reading: a column pyodbc reads as dates costs nothing per value.
        if coltype is not str:
            return None
        return lambda value: datetime.date.fromisoformat(value[:10]) if isinstance(value, str) else value

    def literal_processor(self, dialect: Any) -> Optional[Callable[[Any], str]]:
        return lambda value: text_values.quote(value.isoformat()[:10])


class _DateTime(sqltypes.DateTime):
    """Date and time (also SQLAlchemy's DateTime), read from text as ``_Date`` is."""

    def result_processor(self, dialect: Any, coltype: Any) -> Optional[Callable[[Any], Any]]:
        if coltype is not str:
            return None
        return lambda value: datetime.datetime.fromisoformat(value) if isinstance(value, str) else value

    def literal_processor(self, dialect: Any) -> Optional[Callable[[Any], str]]:
        return text_values.literal


class _LargeBinary(sqltypes.LargeBinary):
    """Bytes (SQLAlchemy's LargeBinary, PickleType) are in a String, which the driver describes as
    text: they come back encoded as UTF-8 (bytes that are not UTF-8 do not survive that)."""

    def result_processor(self, dialect: Any, coltype: Any) -> Optional[Callable[[Any], Any]]:
        if coltype is not str:
            return None
        return lambda value: value.encode("utf-8") if isinstance(value, str) else value


class Date(ClickHouseType, _Date):
    pass


class Date32(ClickHouseType, _Date):
    pass


class DateTime(ClickHouseType, _DateTime):
    """``DateTime`` or ``DateTime('Zone')``. Values are naive wall-clock times in that zone (the
    server's when there is none), as ODBC gives them."""

    def __init__(self, timezone: Union[str, bool, None] = None) -> None:
        super().__init__(timezone=bool(timezone))
        self.zone: Optional[str] = timezone if isinstance(timezone, str) else None

    def _zone_suffix(self) -> str:
        return f"{text_values.quote(self.zone)}" if self.zone else ""

    def server_name(self, compiler: Any) -> str:
        return f"DateTime({self._zone_suffix()})" if self.zone else "DateTime"

    def __repr__(self) -> str:
        return f"types.DateTime({self.zone!r})" if self.zone else "types.DateTime()"


class DateTime64(DateTime):
    """``DateTime64(precision[, 'Zone'])``: ticks of 10^-precision seconds (microseconds reach Python)."""

    def __init__(self, precision: int = 3, timezone: Union[str, bool, None] = None) -> None:
        super().__init__(timezone=timezone)
        self.precision = precision

    def server_name(self, compiler: Any) -> str:
        zone = f", {self._zone_suffix()}" if self.zone else ""
        return f"DateTime64({self.precision}{zone})"

    def __repr__(self) -> str:
        zone = f", {self.zone!r}" if self.zone else ""
        return f"types.DateTime64({self.precision}{zone})"


# ---------------------------------------------------------------- wrappers


class _Wrapper(ClickHouseType, sqltypes.TypeEngine):
    """A type around another that keeps its values: everything Python sees is the inner type's."""

    def __init__(self, inner: TypeArgument) -> None:
        self.inner = to_instance(inner)

    @property
    def operator_classes(self) -> Any:  # type: ignore[override]
        return self.inner.operator_classes

    def server_name(self, compiler: Any) -> str:
        return f"{type(self).__name__}({compiler.process(self.inner)})"

    @property
    def python_type(self) -> type:
        return self.inner.python_type

    @property
    def _type_affinity(self) -> Any:
        return self.inner._type_affinity

    @property
    def comparator_factory(self) -> Any:  # type: ignore[override]
        return self.inner.comparator_factory

    def bind_processor(self, dialect: Any) -> Optional[Callable[[Any], Any]]:
        return self.inner.dialect_impl(dialect).bind_processor(dialect)

    def result_processor(self, dialect: Any, coltype: Any) -> Optional[Callable[[Any], Any]]:
        return self.inner.dialect_impl(dialect).result_processor(dialect, coltype)

    def literal_processor(self, dialect: Any) -> Optional[Callable[[Any], str]]:
        return self.inner.dialect_impl(dialect).literal_processor(dialect)


class Nullable(_Wrapper):
    """``Nullable(T)``: needed inside composite types; a column is Nullable when it is nullable."""


class LowCardinality(_Wrapper):
    """``LowCardinality(T)``: dictionary-encoded storage of T; ``LowCardinality(Nullable(T))`` comes
    from a nullable column."""


def unwrap(type_: type_api.TypeEngine) -> type_api.TypeEngine:
    """The type under any Nullable or LowCardinality."""
    while isinstance(type_, _Wrapper):
        type_ = type_.inner
    return type_


# ---------------------------------------------------------------- composite types


class _Composite(ClickHouseType, sqltypes.TypeEngine):
    """Values written as ClickHouse literals and read back from the server's text."""

    python_kind: type = object

    @property
    def python_type(self) -> type:
        return self.python_kind

    def bind_processor(self, dialect: Any) -> Optional[Callable[[Any], Any]]:
        return lambda value: value if value is None or isinstance(value, str) else text_values.literal(value)

    def result_processor(self, dialect: Any, coltype: Any) -> Optional[Callable[[Any], Any]]:
        return lambda value: None if value is None else python_value(self, text_values.parse(value))

    def literal_processor(self, dialect: Any) -> Optional[Callable[[Any], str]]:
        return text_values.literal

    def bind_expression(self, bindvalue: Any) -> Any:
        # A parameter is sent as text; the server compares and computes with the typed value.
        # (Statements whose text the driver turns into native blocks, INSERT ... VALUES, skip this.)
        from sqlalchemy import cast

        return cast(bindvalue, self)


class Array(_Composite):
    python_kind = list

    def __init__(self, item_type: TypeArgument) -> None:
        self.item_type = to_instance(item_type)

    def server_name(self, compiler: Any) -> str:
        return f"Array({compiler.process(self.item_type)})"


class Map(_Composite):
    python_kind = dict

    def __init__(self, key_type: TypeArgument, value_type: TypeArgument) -> None:
        self.key_type = to_instance(key_type)
        self.value_type = to_instance(value_type)

    def server_name(self, compiler: Any) -> str:
        return f"Map({compiler.process(self.key_type)}, {compiler.process(self.value_type)})"


class Tuple(_Composite):
    """``Tuple(Int32, String)`` or, named, ``Tuple(("a", Int32), ("b", String))``."""

    python_kind = tuple

    def __init__(self, *types: Union[TypeArgument, tuple[str, TypeArgument]]) -> None:
        self.names: List[Optional[str]] = []
        self.types: List[type_api.TypeEngine] = []
        for item in types:
            name, item_type = item if isinstance(item, tuple) else (None, item)
            self.names.append(name)
            self.types.append(to_instance(item_type))

    def __repr__(self) -> str:
        items = [f"({name!r}, {item!r})" if name else repr(item) for name, item in zip(self.names, self.types)]
        return f"types.Tuple({', '.join(items)})"

    def server_name(self, compiler: Any) -> str:
        quote = compiler.dialect.identifier_preparer.quote
        items = [
            f"{quote(name)} {compiler.process(item)}" if name else compiler.process(item)
            for name, item in zip(self.names, self.types)
        ]
        return f"Tuple({', '.join(items)})"


class JSON(ClickHouseType, sqltypes.JSON):
    """``JSON`` (``Object('json')`` on servers before the JSON type); values are Python objects.

    The driver has no codec for the server's JSON columns, so they travel as text: selected through
    ``toJSONString`` and written by INSERT ... SELECT (see the SQL compiler)."""

    def column_expression(self, colexpr: Any) -> Any:
        from sqlalchemy import func

        return func.toJSONString(colexpr, type_=self)


class Nothing(ClickHouseType, sqltypes.NullType):
    pass


# SQLAlchemy 2.1 asks each type which operators it takes.
_OPERATOR_CLASS = getattr(operators, "OperatorClass", None)
if _OPERATOR_CLASS is not None:
    UUID.operator_classes = _OPERATOR_CLASS.BASE | _OPERATOR_CLASS.COMPARISON
    Array.operator_classes = _OPERATOR_CLASS.ARRAY
    Tuple.operator_classes = _OPERATOR_CLASS.TUPLE
    Map.operator_classes = _OPERATOR_CLASS.BASE | _OPERATOR_CLASS.EQUALITY | _OPERATOR_CLASS.INDEXABLE


# ---------------------------------------------------------------- values inside composites


def _text_of(node: Any) -> str:
    return node if isinstance(node, str) else text_values.literal(node)


def _datetime_of(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def python_value(type_: type_api.TypeEngine, node: Any) -> Any:
    """The Python value of one node of the server's text, read as ``type_``."""
    if isinstance(node, text_values.Bare) and node == "NULL":
        return None
    type_ = unwrap(type_)
    if isinstance(type_, Array):
        return [python_value(type_.item_type, item) for item in node]
    if isinstance(type_, Map):
        return {python_value(type_.key_type, key): python_value(type_.value_type, item) for key, item in node.items()}
    if isinstance(type_, Tuple):
        return tuple(python_value(item_type, item) for item_type, item in zip(type_.types, node))
    return _scalar_of(type_, _text_of(node))


_SCALARS: Iterable[tuple[type, Callable[[str], Any]]] = (
    (sqltypes.Boolean, lambda text: text in ("true", "1")),
    (sqltypes.Integer, int),
    (sqltypes.Float, float),
    (sqltypes.Numeric, decimal.Decimal),
    (sqltypes.DateTime, _datetime_of),
    (sqltypes.Date, datetime.date.fromisoformat),
)


def _scalar_of(type_: type_api.TypeEngine, text: str) -> Any:
    if isinstance(type_, UUID):
        return uuid.UUID(text) if type_.as_uuid else text
    for kind, convert in _SCALARS:
        if isinstance(type_, kind):
            return convert(text)
    return text
