"""SQL as ClickHouse reads it.

- SELECT clauses in ClickHouse's order, with the extensions of ``libbytehouse.sqlalchemy.select``:
  ``FROM t FINAL SAMPLE k ARRAY JOIN ... PREWHERE ... WHERE ... GROUP BY ... HAVING ... ORDER BY ...
  LIMIT n BY ... LIMIT ... SETTINGS ...``.
- UPDATE and DELETE are mutations: ``ALTER TABLE t UPDATE ... WHERE ...`` and ``ALTER TABLE t
  DELETE WHERE ...``, or the lightweight ``DELETE FROM t WHERE ...`` where the server has it. A
  statement without WHERE gets ``WHERE 1``, which the server requires.
- UNION, INTERSECT and EXCEPT are written with DISTINCT (bare, the server refuses or keeps duplicates).
- String literals are escaped the ClickHouse way (a backslash is an escape character).
"""

from __future__ import annotations

import re
from typing import Any, List, Optional

from sqlalchemy import Table, exc
from sqlalchemy import types as sqltypes
from sqlalchemy.sql import compiler
from sqlalchemy.sql.selectable import CompoundSelect, Join

from libbytehouse.sqlalchemy import engines, text_values, types

#: Engines whose tables take lightweight DELETE (the MergeTree family).
LIGHTWEIGHT_DELETE_ENGINES = ("MergeTree",)
#: A parameter as the compiler writes it (SQLAlchemy 2 numbers positional ones last), or a literal
#: rendered at execution.
PARAMETER = r"(\?|%\([^()]+\)s|__\[POSTCOMPILE_[^\]]+\])"
#: A VALUES row of parameters, which the driver can send as a native block.
PLAIN_VALUES = rf"{PARAMETER}(, {PARAMETER})*"
#: ``INSERT ... VALUES (row)``: the statement up to VALUES, and the row (parentheses nest one deep).
_ITEM = r"%\([^()]+\)s|[^()]"
ONE_ROW = rf"(?s)(.*) VALUES \(((?:{_ITEM}|\((?:{_ITEM})*\))*)\)"
#: Where the SELECTs of a compound end, for visit_compound_select (it never reaches the server).
COMPOUND_END = "\x00end of the compound's SELECTs\x00"


class ClickHouseSQLCompiler(compiler.SQLCompiler):
    # A bare UNION is refused unless `union_default_mode` is set, and a bare INTERSECT or EXCEPT
    # keeps duplicates: SQL's UNION, INTERSECT and EXCEPT say DISTINCT.
    compound_keywords = {
        key: f"{word} DISTINCT" if " " not in word else word for key, word in compiler.COMPOUND_KEYWORDS.items()
    }

    # ---------------------------------------------------------- SELECT

    def _compose_select_body(
        self,
        text: str,
        select: Any,
        compile_state: Any,
        inner_columns: List[str],
        froms: List[Any],
        byfrom: Any,
        toplevel: bool,
        kwargs: Any,
    ) -> str:
        # An ORM statement is compiled from a new Select; its extensions are on the one given.
        extended = getattr(compile_state, "select_statement", select)
        text += ", ".join(inner_columns)
        from_linter = None
        if self.linting & compiler.COLLECT_CARTESIAN_PRODUCTS:
            from_linter = compiler.FromLinter({}, set())
            if toplevel:
                self.from_linter = from_linter
        if froms:
            hints = dict(byfrom or {})
            modifiers = self._table_modifiers(extended, **kwargs)
            if modifiers:
                leftmost = _leftmost_table(froms[0])
                hints[leftmost] = (hints.get(leftmost, "") + modifiers).strip()
            rendered = [
                from_._compiler_dispatch(self, asfrom=True, fromhints=hints, from_linter=from_linter, **kwargs)
                for from_ in froms
            ]
            text += " \nFROM " + ", ".join(rendered)
            text += self._array_join_clause(extended, **kwargs)
        else:
            text += self.default_from()
        prewhere = getattr(extended, "_bytehouse_prewhere", ())
        if prewhere:
            text += " \nPREWHERE " + self._generate_delimited_and_list(prewhere, **kwargs)
        if select._where_criteria:
            where = self._generate_delimited_and_list(select._where_criteria, from_linter=from_linter, **kwargs)
            if where:
                text += " \nWHERE " + where
        if from_linter is not None and self.linting & compiler.WARN_LINTING:
            from_linter.warn()
        if select._group_by_clauses:
            text += self.group_by_clause(select, **kwargs)
        if select._having_criteria:
            having = self._generate_delimited_and_list(select._having_criteria, **kwargs)
            if having:
                text += " \nHAVING " + having
        if select._order_by_clauses:
            text += self.order_by_clause(select, **kwargs)
        text += self._limit_by_clause(extended, **kwargs)
        if select._has_row_limiting_clause:
            text += self._row_limit_clause(select, **kwargs)
        if select._for_update_arg is not None:
            text += self.for_update_clause(select, **kwargs)
        return text + self._settings_clause(extended)

    def visit_compound_select(self, cs: Any, **kw: Any) -> str:
        # After the last SELECT of a UNION, ORDER BY and LIMIT are that SELECT's own to ClickHouse:
        # those of the whole compound go around it, SELECT * FROM (... UNION ...) ORDER BY ... LIMIT ...
        text = super().visit_compound_select(cs, **kw)
        if COMPOUND_END not in text:
            return text
        selects, _, rest = text.partition(COMPOUND_END)
        return f"SELECT * FROM ({selects}){rest}"

    def group_by_clause(self, select: Any, **kw: Any) -> str:
        text = super().group_by_clause(select, **kw)
        if isinstance(select, CompoundSelect) and (select._order_by_clauses or select._has_row_limiting_clause):
            return COMPOUND_END + text
        return text

    def get_from_hint_text(self, table: Any, text: str) -> str:
        # A table hint is written after the table's name: FINAL, SAMPLE (also from `with_hint`).
        return text

    def _table_modifiers(self, select: Any, **kw: Any) -> str:
        """``FINAL`` and ``SAMPLE``, which follow the first table's name."""
        text = " FINAL" if getattr(select, "_bytehouse_final", False) else ""
        sample = getattr(select, "_bytehouse_sample", None)
        if sample is not None:
            text += " SAMPLE " + self.process(sample, **kw)
            offset = getattr(select, "_bytehouse_sample_offset", None)
            if offset is not None:
                text += " OFFSET " + self.process(offset, **kw)
        return text

    def _array_join_clause(self, select: Any, **kw: Any) -> str:
        columns = getattr(select, "_bytehouse_array_join", ())
        if not columns:
            return ""
        keyword = "LEFT ARRAY JOIN" if getattr(select, "_bytehouse_left_array_join", False) else "ARRAY JOIN"
        items = [self.process(column, **{**kw, "within_columns_clause": True}) for column in columns]
        return f" \n{keyword} " + ", ".join(items)

    def _limit_by_clause(self, select: Any, **kw: Any) -> str:
        counts = getattr(select, "_bytehouse_limit_by_counts", None)
        if counts is None:
            return ""
        limit, offset = counts
        skip = f" OFFSET {offset}" if offset is not None else ""
        by = ", ".join(self.process(item, **kw) for item in select._bytehouse_limit_by)
        return f" \nLIMIT {limit}{skip} BY {by}"

    def _settings_clause(self, select: Any) -> str:
        settings = getattr(select, "_bytehouse_settings", ())
        if not settings:
            return ""
        return " \nSETTINGS " + ", ".join(f"{name} = {text_values.literal(value)}" for name, value in settings)

    def limit_clause(self, select: Any, **kw: Any) -> str:
        text = ""
        if select._limit_clause is not None:
            text += " \nLIMIT " + self.process(select._limit_clause, **kw)
        if select._offset_clause is not None:
            if select._limit_clause is None:
                # OFFSET alone is not read by older servers; this limit (2^62) is "no limit", and with
                # the offset added it stays a signed 64-bit number (beyond that, 18.16 fails or
                # returns nothing).
                text += " \nLIMIT 4611686018427387904"
            text += " OFFSET " + self.process(select._offset_clause, **kw)
        return text

    def for_update_clause(self, select: Any, **kw: Any) -> str:
        return ""  # there are no row locks; reading is always consistent per part

    def default_from(self) -> str:
        return ""

    def visit_true(self, expr: Any, **kw: Any) -> str:
        return "true" if self.dialect.supports_native_boolean else "1"

    def visit_false(self, expr: Any, **kw: Any) -> str:
        return "false" if self.dialect.supports_native_boolean else "0"

    def visit_concat_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return f"concat({self.process(binary.left, **kw)}, {self.process(binary.right, **kw)})"

    def visit_regexp_match_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        pattern = self._regexp_pattern(self.process(binary.right, **kw), binary)
        return f"match({self.process(binary.left, **kw)}, {pattern})"

    def visit_not_regexp_match_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return "NOT " + self.visit_regexp_match_op_binary(binary, operator, **kw)

    def visit_regexp_replace_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        pattern, replacement = (self.process(clause, **kw) for clause in binary.right.clauses)
        pattern = self._regexp_pattern(pattern, binary)
        return f"replaceRegexpAll({self.process(binary.left, **kw)}, {pattern}, {replacement})"

    def _regexp_pattern(self, pattern: str, binary: Any) -> str:
        # RE2 takes flags inside the pattern: (?i) and the like.
        flags = binary.modifiers.get("flags")
        return f"concat({text_values.quote(f'(?{flags})')}, {pattern})" if flags else pattern

    # Bitwise operators are functions.
    def visit_bitwise_and_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._function_of(binary, "bitAnd", **kw)

    def visit_bitwise_or_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._function_of(binary, "bitOr", **kw)

    def visit_bitwise_xor_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._function_of(binary, "bitXor", **kw)

    def visit_bitwise_lshift_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._function_of(binary, "bitShiftLeft", **kw)

    def visit_bitwise_rshift_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._function_of(binary, "bitShiftRight", **kw)

    def visit_bitwise_not_op_unary_operator(self, element: Any, operator: Any, **kw: Any) -> str:
        return f"bitNot({self.process(element.element, **kw)})"

    def _function_of(self, binary: Any, name: str, **kw: Any) -> str:
        return f"{name}({self.process(binary.left, **kw)}, {self.process(binary.right, **kw)})"

    def render_literal_value(self, value: Any, type_: Any) -> str:
        if isinstance(value, str):
            return text_values.quote(value)
        return super().render_literal_value(value, type_)

    def visit_bindparam(self, bindparam: Any, **kw: Any) -> str:
        # The driver turns INSERT ... VALUES (?, ...) into a native block of the target columns' types,
        # so a value there needs no CAST (and VALUES takes only plain values).
        if self.isinsert and not self.stack[1:]:
            kw["skip_bind_expression"] = True
        return super().visit_bindparam(bindparam, **kw)

    def visit_insert(self, insert_stmt: Any, **kw: Any) -> str:
        text = super().visit_insert(insert_stmt, **kw)
        one_row = re.fullmatch(ONE_ROW, text)
        if one_row is None:
            return text
        # The driver writes VALUES rows as native blocks, which it cannot do for a JSON column nor
        # for a value that is an expression (a SQL default such as now()); as INSERT ... SELECT,
        # the server converts the JSON text and computes the expressions itself.
        json = any(_is_json(column.type) for column in insert_stmt.table.columns)
        if json or not re.fullmatch(PLAIN_VALUES, one_row[2]):
            return f"{one_row[1]} SELECT {one_row[2]}"
        return text

    def returning_clause(self, stmt: Any, returning_cols: Any, **kw: Any) -> str:
        raise exc.CompileError("ClickHouse has no RETURNING")

    # ---------------------------------------------------------- UPDATE, DELETE

    def update_tables_clause(self, update_stmt: Any, from_table: Any, extra_froms: Any, **kw: Any) -> str:
        self._mutated_table = super().update_tables_clause(update_stmt, from_table, extra_froms, **kw)
        return self._mutated_table

    def delete_table_clause(self, delete_stmt: Any, from_table: Any, extra_froms: Any, **kw: Any) -> str:
        self._mutated_table = from_table._compiler_dispatch(self, asfrom=True, iscrud=True)
        return self._mutated_table

    def visit_update(self, update_stmt: Any, **kw: Any) -> str:
        # A mutation names columns without their table (older servers know no `t.column` there).
        kw.setdefault("include_table", False)
        text = super().visit_update(update_stmt, **kw)
        head = f"UPDATE {self._mutated_table} SET "
        if not text.startswith(head):
            raise exc.CompileError("ClickHouse updates one table at a time, without FROM or joins")
        text = f"ALTER TABLE {self._mutated_table} UPDATE " + text[len(head) :]
        return text if update_stmt._where_criteria else text + " WHERE 1"

    def visit_delete(self, delete_stmt: Any, **kw: Any) -> str:
        kw.setdefault("include_table", False)
        text = super().visit_delete(delete_stmt, **kw)
        head = f"DELETE FROM {self._mutated_table}"
        if not text.startswith(head):
            raise exc.CompileError("ClickHouse deletes from one table at a time, without USING or joins")
        condition = text[len(head) :] if delete_stmt._where_criteria else " WHERE 1"
        if self._lightweight_delete(delete_stmt.table):
            return head + condition
        return f"ALTER TABLE {self._mutated_table} DELETE" + condition

    def _lightweight_delete(self, table: Any) -> bool:
        if not self.dialect.server.lightweight_delete:
            return False
        engine: Optional[engines.Engine] = engines.engine_of(table) if isinstance(table, Table) else None
        return engine is None or engine.name.endswith(LIGHTWEIGHT_DELETE_ENGINES)


def _is_json(type_: Any) -> bool:
    return isinstance(types.unwrap(type_), sqltypes.JSON)


def _leftmost_table(from_: Any) -> Any:
    """The table a FROM item starts with (the left side of a join, all the way down)."""
    while isinstance(from_, Join):
        from_ = from_.left
    return from_
