"""How result rows come from pyodbc: a batch at a time, as plain tuples.

SQLAlchemy copies each DBAPI row with ``tuple(row)``, which for a pyodbc Row (it has no
``__iter__``) walks ``__getitem__`` until IndexError; an ``itemgetter`` makes the tuples of a whole
batch without a Python call per row, and only one batch of pyodbc rows is alive next to them.
Measured by bench/sqlalchemy_read.sh: a million rows read about 10% faster, with less memory.
"""

from __future__ import annotations

import operator
from typing import Any, Callable, List, Optional

from sqlalchemy.engine.cursor import CursorFetchStrategy

#: Rows a batch when all of a result is asked for.
BATCH_ROWS = 65536


def _as_tuples(dbapi_cursor: Any) -> Callable[[Any], tuple]:
    count = len(dbapi_cursor.description)
    return operator.itemgetter(*range(count)) if count > 1 else tuple


class TupleRows(CursorFetchStrategy):
    __slots__ = ()

    def fetchmany(self, result: Any, dbapi_cursor: Any, size: Optional[int] = None) -> Any:
        try:
            batch = dbapi_cursor.fetchmany() if size is None else dbapi_cursor.fetchmany(size)
            if not batch:
                # Closing the cursor takes its description, which an empty batch does not need.
                result._soft_close()
                return []
            return list(map(_as_tuples(dbapi_cursor), batch))
        except BaseException as error:  # SQLAlchemy wraps and raises it, as its own strategy does
            self.handle_exception(result, dbapi_cursor, error)

    def fetchall(self, result: Any, dbapi_cursor: Any) -> Any:
        try:
            as_tuples = _as_tuples(dbapi_cursor)
            rows: List[tuple] = []
            while batch := dbapi_cursor.fetchmany(BATCH_ROWS):
                rows += map(as_tuples, batch)
            result._soft_close()
            return rows
        except BaseException as error:
            self.handle_exception(result, dbapi_cursor, error)


TUPLE_ROWS = TupleRows()
