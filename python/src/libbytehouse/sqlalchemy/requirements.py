"""What ClickHouse has and lacks, for SQLAlchemy's dialect compliance suite (python/tests/compliance).

Every requirement the suite asks about and SQLAlchemy leaves closed is decided here: open where the
server has it, closed with the reason where it does not (the reason is what pytest reports for the
skip). Where 18.16 and newer servers differ, the requirement asks the server's version.
"""

from __future__ import annotations

from typing import Any, Tuple

from sqlalchemy.testing import exclusions
from sqlalchemy.testing.requirements import SuiteRequirements


def lacks(reason: str) -> Any:
    """Closed, saying why (SQLAlchemy 1.4's ``exclusions.closed()`` takes no reason)."""
    return exclusions.skip_if(lambda: True, reason)


def since(version: Tuple[int, ...], what: str) -> Any:
    """Open on servers of ``version`` or later."""
    return exclusions.only_if(
        lambda config: config.db.dialect.server_version_info >= version,
        f"{what} came with ClickHouse {'.'.join(map(str, version))}",
    )


def not_on_18(what: str) -> Any:
    """Closed on ClickHouse 18.x, the oldest server tested (which later version brought it is not
    pinned down)."""
    return exclusions.skip_if(lambda config: config.db.dialect.server_version_info < (19,), f"ClickHouse 18.x {what}")


class Requirements(SuiteRequirements):
    # ------------------------------------------------------------ keys, constraints, indexes

    @property
    def foreign_keys(self) -> Any:
        return lacks("ClickHouse has no foreign keys (the DDL leaves them out)")

    @property
    def self_referential_foreign_keys(self) -> Any:
        return lacks("ClickHouse has no foreign keys")

    @property
    def on_update_cascade(self) -> Any:
        return lacks("ClickHouse has no foreign keys, so no cascades")

    @property
    def recursive_fk_cascade(self) -> Any:
        return lacks("ClickHouse has no foreign keys, so no cascades")

    @property
    def foreign_key_constraint_reflection(self) -> Any:
        return lacks("ClickHouse has no foreign keys to reflect")

    @property
    def cross_schema_fk_reflection(self) -> Any:
        return lacks("ClickHouse has no foreign keys to reflect")

    @property
    def foreign_key_constraint_name_reflection(self) -> Any:
        return lacks("ClickHouse has no foreign keys to reflect")

    @property
    def foreign_key_constraint_option_reflection_ondelete(self) -> Any:
        return lacks("ClickHouse has no foreign keys to reflect")

    @property
    def foreign_key_constraint_option_reflection_onupdate(self) -> Any:
        return lacks("ClickHouse has no foreign keys to reflect")

    @property
    def fk_constraint_option_reflection_ondelete_restrict(self) -> Any:
        return lacks("ClickHouse has no foreign keys to reflect")

    @property
    def fk_constraint_option_reflection_ondelete_noaction(self) -> Any:
        return lacks("ClickHouse has no foreign keys to reflect")

    @property
    def fk_constraint_option_reflection_onupdate_restrict(self) -> Any:
        return lacks("ClickHouse has no foreign keys to reflect")

    @property
    def named_constraints(self) -> Any:
        return lacks("ClickHouse's keys (PRIMARY KEY, ORDER BY) are not constraints with names")

    @property
    def implicitly_named_constraints(self) -> Any:
        return lacks("ClickHouse's keys (PRIMARY KEY, ORDER BY) are not constraints with names")

    @property
    def reflects_pk_names(self) -> Any:
        return lacks("ClickHouse's primary key has no name")

    @property
    def unique_constraint_reflection(self) -> Any:
        return lacks("ClickHouse has no UNIQUE constraints")

    @property
    def duplicate_key_raises_integrity_error(self) -> Any:
        return lacks("ClickHouse does not enforce keys: a duplicate key is one more row")

    @property
    def check_constraint_reflection(self) -> Any:
        return lacks("ClickHouse's catalog (SQLTables, SQLColumns) does not report CHECK constraints")

    @property
    def inline_check_constraint_reflection(self) -> Any:
        return lacks("ClickHouse's catalog (SQLTables, SQLColumns) does not report CHECK constraints")

    @property
    def constraint_comment_reflection(self) -> Any:
        return lacks("ClickHouse's constraints have no comments")

    @property
    def index_reflection(self) -> Any:
        return lacks("ClickHouse has no B-tree indexes; its data-skipping indexes are not reflected")

    @property
    def indexes_with_ascdesc(self) -> Any:
        return lacks("ClickHouse's data-skipping indexes have no sort order")

    @property
    def reflect_indexes_with_ascdesc(self) -> Any:
        return lacks("ClickHouse has no B-tree indexes to reflect")

    @property
    def reflect_indexes_with_ascdesc_as_expression(self) -> Any:
        return lacks("ClickHouse has no B-tree indexes to reflect")

    @property
    def reflect_indexes_with_expressions(self) -> Any:
        return lacks("ClickHouse has no B-tree indexes to reflect")

    @property
    def indexes_with_expressions(self) -> Any:
        return lacks("ClickHouse has no B-tree indexes")

    @property
    def indexes_check_column_order(self) -> Any:
        return lacks("ClickHouse has no B-tree indexes to reflect")

    @property
    def index_reflects_included_columns(self) -> Any:
        return lacks("ClickHouse has no covering indexes")

    @property
    def index_ddl_if_exists(self) -> Any:
        return lacks("ClickHouse has no CREATE INDEX; an index is ALTER TABLE ... ADD INDEX")

    # ------------------------------------------------------------ generated values

    @property
    def autoincrement_insert(self) -> Any:
        return lacks("ClickHouse has no autoincrement columns")

    @property
    def autoincrement_without_sequence(self) -> Any:
        return lacks("ClickHouse has no autoincrement columns")

    @property
    def implements_get_lastrowid(self) -> Any:
        return lacks("ClickHouse generates no row ids")

    @property
    def dbapi_lastrowid(self) -> Any:
        return lacks("ClickHouse generates no row ids")

    @property
    def identity_columns(self) -> Any:
        return lacks("ClickHouse has no identity columns")

    @property
    def identity_columns_standard(self) -> Any:
        return lacks("ClickHouse has no identity columns")

    @property
    def computed_columns(self) -> Any:
        return lacks("the dialect does not write Computed() (ClickHouse's is MATERIALIZED or ALIAS)")

    # ------------------------------------------------------------ transactions

    @property
    def autocommit(self) -> Any:
        return lacks("ClickHouse has no transactions: every statement commits, nothing rolls back")

    @property
    def isolation_level(self) -> Any:
        return lacks("ClickHouse has no transactions, so no isolation levels")

    # ------------------------------------------------------------ tables, views, schemas

    @property
    def views(self) -> Any:
        return since((20, 4), "DROP VIEW, with which the suite drops its views,")

    @property
    def view_reflection(self) -> Any:
        return self.views  # as in SQLAlchemy 2 (1.4 leaves it open)

    @property
    def view_column_reflection(self) -> Any:
        return self.views

    @property
    def create_or_replace_view(self) -> Any:
        return since((19, 5), "CREATE OR REPLACE VIEW")

    @property
    def temporary_views(self) -> Any:
        return lacks("ClickHouse has no temporary views")

    @property
    def temp_table_reflection(self) -> Any:
        return lacks("ClickHouse's temporary tables are in no database: the catalog does not list them")

    @property
    def temp_table_names(self) -> Any:
        return lacks("ClickHouse's temporary tables are in no database: the catalog does not list them")

    @property
    def has_temp_table(self) -> Any:
        return lacks("ClickHouse's temporary tables are in no database: the catalog does not list them")

    @property
    def temp_table_comment_reflection(self) -> Any:
        return lacks("ClickHouse's temporary tables are in no database: the catalog does not list them")

    @property
    def table_ddl_if_exists(self) -> Any:
        return exclusions.open()

    @property
    def create_table_as(self) -> Any:
        return exclusions.open()

    @property
    def create_temp_table_as(self) -> Any:
        return exclusions.open()

    @property
    def reflect_tables_no_columns(self) -> Any:
        return lacks("ClickHouse tables have at least one column")

    @property
    def reflect_table_options(self) -> Any:
        return exclusions.open()  # the engine and its keys

    @property
    def materialized_views(self) -> Any:
        return lacks("ClickHouse's materialized views need a target engine and a trigger table")

    @property
    def schema_create_delete(self) -> Any:
        return lacks(
            "ClickHouse has no CREATE SCHEMA, which the suite writes as text (CreateSchema is CREATE DATABASE)"
        )

    @property
    def default_schema_name_switch(self) -> Any:
        return exclusions.open()  # USE database

    @property
    def comment_reflection(self) -> Any:
        return exclusions.only_if(
            lambda config: config.db.dialect.server.table_comments, "this server's tables have no comments"
        )

    @property
    def comment_reflection_full_unicode(self) -> Any:
        return self.comment_reflection

    @property
    def column_collation_reflection(self) -> Any:
        return lacks("ClickHouse's columns have no collation")

    @property
    def unicode_ddl(self) -> Any:
        return exclusions.open()

    @property
    def percent_schema_names(self) -> Any:
        return exclusions.open()

    @property
    def server_defaults(self) -> Any:
        return exclusions.open()

    @property
    def expression_server_defaults(self) -> Any:
        return exclusions.open()

    # ------------------------------------------------------------ types

    @property
    def time(self) -> Any:
        return lacks("ClickHouse has no TIME type (26.9's Time is experimental, off by default)")

    @property
    def time_microseconds(self) -> Any:
        return lacks("ClickHouse has no TIME type")

    @property
    def time_implicit_bound(self) -> Any:
        return lacks("ClickHouse has no TIME type")

    @property
    def time_timezone(self) -> Any:
        return lacks("ClickHouse has no TIME type")

    @property
    def datetime_microseconds(self) -> Any:
        return lacks("ClickHouse's DateTime holds whole seconds (DateTime64 is asked for by name)")

    @property
    def timestamp_microseconds(self) -> Any:
        return lacks("ClickHouse's DateTime holds whole seconds (DateTime64 is asked for by name)")

    @property
    def datetime_timezone(self) -> Any:
        return lacks("ClickHouse's DateTime values are naive wall-clock times in the column's zone")

    @property
    def datetime_historic(self) -> Any:
        return lacks("ClickHouse's DateTime starts at 1970-01-01")

    @property
    def datetime_timezone_historic(self) -> Any:
        return lacks("ClickHouse's DateTime starts at 1970-01-01")

    @property
    def date_historic(self) -> Any:
        return lacks("ClickHouse's Date starts at 1970-01-01 (Date32 is asked for by name)")

    @property
    def datetime_literals(self) -> Any:
        return exclusions.open()

    @property
    def datetime_interval(self) -> Any:
        return lacks("ClickHouse has no INTERVAL column type")

    @property
    def uuid_data_type(self) -> Any:
        return exclusions.open()

    @property
    def nvarchar_types(self) -> Any:
        return exclusions.open()  # NVARCHAR and NCHAR are String

    @property
    def infinity_floats(self) -> Any:
        return exclusions.open()

    @property
    def precision_numerics_many_significant_digits(self) -> Any:
        return exclusions.open()  # Decimal holds 76 digits

    @property
    def precision_numerics_enotation_small(self) -> Any:
        return exclusions.open()

    @property
    def precision_numerics_enotation_large(self) -> Any:
        return exclusions.open()

    @property
    def precision_numerics_retains_significant_digits(self) -> Any:
        return exclusions.open()

    @property
    def float_or_double_precision_behaves_generically(self) -> Any:
        return lacks("ClickHouse's FLOAT is a Float32, which does not round-trip a Python float")

    @property
    def json_type(self) -> Any:
        # The suite's JSON tests mostly index into documents (column["key"]), which 26.9's JSON
        # subcolumns could do but the dialect does not write (134 of 205 fail); documents round-trip
        # in the dialect's own tests.
        return lacks("the dialect writes no JSON element access for ClickHouse's JSON subcolumns")

    @property
    def json_deserializer_binary(self) -> Any:
        return lacks("JSON arrives as text")

    # ------------------------------------------------------------ queries

    @property
    def ctes(self) -> Any:
        return since((20, 10), "WITH name AS (SELECT ...)")

    @property
    def ctes_with_update_delete(self) -> Any:
        return lacks("ClickHouse's UPDATE and DELETE (mutations) take no WITH clause")

    @property
    def ctes_with_values(self) -> Any:
        return lacks("ClickHouse has no VALUES (...) table constructor")

    @property
    def table_value_constructor(self) -> Any:
        return lacks("ClickHouse has no VALUES (...) table constructor (its values() is a function)")

    @property
    def update_from(self) -> Any:
        return lacks("ClickHouse's UPDATE (a mutation) takes one table, without FROM")

    @property
    def delete_from(self) -> Any:
        return lacks("ClickHouse's DELETE takes one table, without USING")

    @property
    def intersect(self) -> Any:
        return since((21, 8), "INTERSECT")

    @property
    def except_(self) -> Any:
        return since((21, 8), "EXCEPT")

    @property
    def window_functions(self) -> Any:
        return since((21, 9), "Window functions")

    @property
    def window_range(self) -> Any:
        return self.window_functions

    @property
    def window_range_numeric(self) -> Any:
        return lacks("ClickHouse's RANGE offsets are whole numbers")

    @property
    def window_range_non_numeric(self) -> Any:
        return lacks("ClickHouse's RANGE frames take numbers, not intervals of dates")

    @property
    def like_escapes(self) -> Any:
        return not_on_18("has no LIKE ... ESCAPE")

    @property
    def sql_expression_limit_offset(self) -> Any:
        return not_on_18("takes only numbers in LIMIT and OFFSET")

    @property
    def nullsordering(self) -> Any:
        return exclusions.open()

    @property
    def tuple_in(self) -> Any:
        return exclusions.open()

    @property
    def regexp_match(self) -> Any:
        return exclusions.open()

    @property
    def regexp_replace(self) -> Any:
        return exclusions.open()  # replaceRegexpAll

    @property
    def supports_bitwise_and(self) -> Any:
        return exclusions.open()  # bitAnd and the other bitwise functions

    @property
    def supports_bitwise_or(self) -> Any:
        return exclusions.open()

    @property
    def supports_bitwise_xor(self) -> Any:
        return exclusions.open()

    @property
    def supports_bitwise_not(self) -> Any:
        return exclusions.open()

    @property
    def supports_bitwise_shift(self) -> Any:
        return exclusions.open()

    @property
    def supports_distinct_on(self) -> Any:
        return lacks("the dialect does not write DISTINCT ON (ClickHouse's LIMIT 1 BY does it)")

    @property
    def fetch_first(self) -> Any:
        return lacks("the dialect writes LIMIT and OFFSET, not FETCH FIRST (which 18.16 lacks)")

    @property
    def fetch_percent(self) -> Any:
        return lacks("ClickHouse has no FETCH ... PERCENT")

    @property
    def fetch_ties(self) -> Any:
        return lacks("the dialect writes LIMIT and OFFSET, not FETCH FIRST (which 18.16 lacks)")

    @property
    def fetch_no_order_by(self) -> Any:
        return lacks("the dialect writes LIMIT and OFFSET, not FETCH FIRST (which 18.16 lacks)")

    @property
    def fetch_offset_with_options(self) -> Any:
        return lacks("the dialect writes LIMIT and OFFSET, not FETCH FIRST (which 18.16 lacks)")

    @property
    def fetch_expression(self) -> Any:
        return lacks("the dialect writes LIMIT and OFFSET, not FETCH FIRST (which 18.16 lacks)")
