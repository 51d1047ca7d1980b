"""libbytehouse for Python: a SQLAlchemy dialect for ByteHouse and ClickHouse over pyodbc and the
libbytehouse ODBC driver (``bytehouse://`` URLs; see ``libbytehouse.sqlalchemy``)."""

from importlib.metadata import version

from libbytehouse.driver import DriverNotFound, find_driver

# The crate's version: the wheel takes it from Cargo.toml when it is built (python/setup.py).
__version__ = version("libbytehouse")

__all__ = ["DriverNotFound", "__version__", "find_driver"]
