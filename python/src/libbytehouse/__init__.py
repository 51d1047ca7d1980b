"""libbytehouse for Python: a SQLAlchemy dialect for ByteHouse and ClickHouse over pyodbc and the
libbytehouse ODBC driver (``bytehouse://`` URLs; see ``libbytehouse.sqlalchemy``)."""

from libbytehouse.driver import DriverNotFound, find_driver

__version__ = "0.1.0"

__all__ = ["DriverNotFound", "__version__", "find_driver"]
