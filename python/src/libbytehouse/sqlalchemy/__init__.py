"""SQLAlchemy dialect ``bytehouse://`` (also ``bytehouse+pyodbc://``) for ByteHouse and ClickHouse.

``engines`` has the table engines, ``types`` the column types, and ``select`` is SQLAlchemy's
``select()`` with ClickHouse's clauses (FINAL, SAMPLE, ARRAY JOIN, PREWHERE, LIMIT BY, SETTINGS).
"""

from libbytehouse.sqlalchemy import engines, types
from libbytehouse.sqlalchemy.dialect import ByteHouseDialect
from libbytehouse.sqlalchemy.select import Select, select

try:  # registers the dialect's Alembic implementation where Alembic is installed
    from libbytehouse.sqlalchemy import alembic_impl  # noqa: F401
except ImportError:
    pass

__all__ = ["ByteHouseDialect", "Select", "engines", "select", "types"]
