"""SQLAlchemy's dialect compliance suite on the bytehouse dialect.

What ClickHouse lacks is closed in libbytehouse.sqlalchemy.requirements; the tests below are the
ones a requirement cannot say, each skipped (or adapted) with the ClickHouse behaviour that is why.
"""

import functools
from typing import Any, Callable, Tuple

import pytest
import sqlalchemy
from sqlalchemy.testing import config, exclusions
from sqlalchemy.testing import suite as _suite
from sqlalchemy.testing.suite import *  # noqa: F403

#: Data-skipping indexes (ClickHouse's only indexes) came with 19.6.
SKIPPING_INDEXES_SINCE = (19, 6)
SQLALCHEMY_1 = sqlalchemy.__version__.startswith("1.")
NO_INDEXES = "ClickHouse has no B-tree indexes; its data-skipping indexes are not reflected"
NO_FOREIGN_KEYS = "ClickHouse has no foreign keys to reflect"
NOT_UTF8 = "ClickHouse's String reaches ODBC as text: bytes that are not UTF-8 come back replaced"


def is_18() -> bool:
    """Whether the server is ClickHouse 18.x, the oldest tested (which later version brought what it
    lacks is not pinned down)."""
    return config.db.dialect.server_version_info < (19,)


def skip_cases(test: Callable[..., Any], reason: str, argument: str, values: Tuple[Any, ...]) -> Callable[..., Any]:
    """The suite's parametrized ``test``, with the cases whose ``argument`` is one of ``values`` skipped."""

    @functools.wraps(test)
    def run(self: Any, *args: Any, **kw: Any) -> Any:
        if kw.get(argument) in values:
            pytest.skip(reason)
        return test(self, *args, **kw)

    return run


def not_on_18(test: Callable[..., Any], what: str) -> Callable[..., Any]:
    """The suite's ``test``, skipped on ClickHouse 18.x."""
    return exclusions.skip_if(lambda config: is_18(), f"ClickHouse 18.x {what}")(test)


class _WithoutIndexesOnOldServers:
    @classmethod
    def define_tables(cls, metadata: Any) -> None:
        super().define_tables(metadata)  # type: ignore[misc]
        if config.db.dialect.server_version_info < SKIPPING_INDEXES_SINCE:
            # The suite indexes some columns whatever the requirements say; a server without
            # data-skipping indexes gets the tables without them.
            for table in metadata.tables.values():
                table.indexes.clear()


class BinaryTest(_suite.BinaryTest):
    test_binary_roundtrip = skip_cases(_suite.BinaryTest.test_binary_roundtrip, NOT_UTF8, "data", (b"7\xe7\x9f",))

    @pytest.mark.skip(reason=f"{NOT_UTF8} (a pickle is not UTF-8)")
    def test_pickle_roundtrip(self) -> None:
        pass


class CastTypeDecoratorTest(_suite.CastTypeDecoratorTest):
    test_special_type = not_on_18(
        _suite.CastTypeDecoratorTest.test_special_type, "does not compare an Int32 with a String"
    )


class ComponentReflectionTest(_WithoutIndexesOnOldServers, _suite.ComponentReflectionTest):
    @pytest.mark.skip(reason=NO_INDEXES)  # SQLAlchemy 1.4 asks no requirement for it
    def test_get_indexes(self) -> None:
        pass

    if hasattr(_suite.ComponentReflectionTest, "test_get_view_names"):  # SQLAlchemy 2
        test_get_view_names = not_on_18(
            _suite.ComponentReflectionTest.test_get_view_names,
            "has no DROP VIEW, with which the suite drops its views, so it makes none",
        )


class ComponentReflectionTestExtra(_suite.ComponentReflectionTestExtra):
    if SQLALCHEMY_1:

        @pytest.mark.skip(reason="ClickHouse's String has no length: String(52) is reflected as String")
        def test_varchar_reflection(self) -> None:
            pass

    else:

        @pytest.mark.skip(reason="ClickHouse's String has no length: String(52) is reflected as String")
        def test_string_length_reflection(self) -> None:
            pass


if SQLALCHEMY_1:

    class DateTimeCoercedToDateTimeTest(_suite.DateTimeCoercedToDateTimeTest):
        @pytest.mark.skip(
            reason="ClickHouse does not compare a Date with a date and time in a string (SQLAlchemy 1.4's test "
            "compares with an untyped datetime literal)"
        )
        def test_literal(self) -> None:
            pass

    @pytest.mark.skip(reason=NO_INDEXES)  # SQLAlchemy 1.4 asks no requirement for it
    class HasIndexTest(_suite.HasIndexTest):
        pass

    # SQLAlchemy 1.4 makes its views whatever view_reflection says, and drops them as text.
    @pytest.mark.skipif(is_18(), reason="ClickHouse 18.x has no DROP VIEW, with which the suite drops its views")
    class HasTableTest(_suite.HasTableTest):
        pass


class CompoundSelectTest(_suite.CompoundSelectTest):
    pass


# UNION without ALL: 18.16 has only UNION ALL.
for _name in (
    "test_distinct_selectable_in_unions",
    "test_limit_offset_aliased_selectable_in_unions",
    "test_limit_offset_in_unions_from_alias",
    "test_limit_offset_selectable_in_unions",
    "test_order_by_selectable_in_unions",
    "test_plain_union",
    "test_select_from_plain_union",
):
    setattr(CompoundSelectTest, _name, not_on_18(getattr(_suite.CompoundSelectTest, _name), "has only UNION ALL"))


if SQLALCHEMY_1:

    class DeprecatedCompoundSelectTest(_suite.DeprecatedCompoundSelectTest):
        pass

    for _name in dir(_suite.DeprecatedCompoundSelectTest):
        if _name.startswith("test_") and "union" in _name:
            test = getattr(_suite.DeprecatedCompoundSelectTest, _name)
            setattr(DeprecatedCompoundSelectTest, _name, not_on_18(test, "has only UNION ALL"))


class ExistsTest(_suite.ExistsTest):
    test_select_exists = not_on_18(_suite.ExistsTest.test_select_exists, "has no EXISTS")
    test_select_exists_false = not_on_18(_suite.ExistsTest.test_select_exists_false, "has no EXISTS")


class FetchLimitOffsetTest(_suite.FetchLimitOffsetTest):
    test_limit_render_multiple_times = not_on_18(
        _suite.FetchLimitOffsetTest.test_limit_render_multiple_times, "has only UNION ALL"
    )


class JoinTest(_suite.JoinTest):
    test_inner_join_fk = not_on_18(
        _suite.JoinTest.test_inner_join_fk,
        "fails this ORDER BY over a JOIN ('Size of permutation is less than required')",
    )
    test_outer_join_fk = not_on_18(
        _suite.JoinTest.test_outer_join_fk,
        "fails this ORDER BY over a JOIN ('Size of permutation is less than required')",
    )
    test_outer_join_false = not_on_18(
        _suite.JoinTest.test_outer_join_false, "fills the missing side of LEFT JOIN ... ON false with default values"
    )


class LikeFunctionsTest(_suite.LikeFunctionsTest):
    pass


# SQLAlchemy 2 asks like_escapes for these, 1.4 does not.
for _name in dir(_suite.LikeFunctionsTest):
    if _name.startswith("test_") and "escape" in _name and "unescaped" not in _name:
        setattr(LikeFunctionsTest, _name, not_on_18(getattr(_suite.LikeFunctionsTest, _name), "has no LIKE ... ESCAPE"))


class LongNameBlowoutTest(_suite.LongNameBlowoutTest):
    test_long_convention_name = skip_cases(
        _suite.LongNameBlowoutTest.test_long_convention_name,
        "ClickHouse's indexes are data-skipping indexes, which are not reflected as SQLAlchemy indexes",
        "type_",
        ("ix",),
    )


class NumericTest(_suite.NumericTest):
    pass


for _name in (
    "test_float_as_decimal",
    "test_float_custom_scale",
    "test_numeric_as_float",
    "test_numeric_null_as_float",
    "test_render_literal_float",
):
    setattr(NumericTest, _name, not_on_18(getattr(_suite.NumericTest, _name), "does not add a Decimal and a Float64"))


class QuotedNameArgumentTest(_WithoutIndexesOnOldServers, _suite.QuotedNameArgumentTest):
    # SQLAlchemy 1.4 asks no requirement for these.
    @pytest.mark.skip(reason=NO_FOREIGN_KEYS)
    def test_get_foreign_keys(self) -> None:
        pass

    @pytest.mark.skip(reason=NO_INDEXES)
    def test_get_indexes(self) -> None:
        pass


if hasattr(_suite, "TrueDivTest"):  # SQLAlchemy 2's suite

    @pytest.mark.skip(
        reason="ClickHouse has no RETURNING; the dialect refuses it while compiling (CompileError) where this test "
        "expects the statement to reach the server"
    )
    class ReturningGuardsTest(_suite.ReturningGuardsTest):
        pass

    class TrueDivTest(_suite.TrueDivTest):
        test_truediv_divisor = skip_cases(
            _suite.TrueDivTest.test_truediv_divisor,
            "ClickHouse divides Decimals by scaling the dividend by 10^scale of the divisor, which overflows here",
            "left",
            ("0.00000000000049382716", "5.02797279921331664759"),
        )


if hasattr(_suite, "TableViaSelectTest"):  # SQLAlchemy 2.1

    class TableViaSelectTest(_suite.TableViaSelectTest):
        test_without_metadata = skip_cases(
            _suite.TableViaSelectTest.test_without_metadata,
            "ClickHouse's temporary tables are in no database: the catalog does not list their columns",
            "use_temp",
            (True,),
        )


class WindowFunctionTest(_suite.WindowFunctionTest):
    if hasattr(_suite.WindowFunctionTest, "test_window_range"):  # SQLAlchemy 2

        @pytest.mark.skip(reason="the test has no ORDER BY, and ClickHouse returns window rows in no particular order")
        def test_window_range(self) -> None:
            pass
