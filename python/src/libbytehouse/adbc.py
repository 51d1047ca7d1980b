"""libbytehouse as an ADBC driver, through ``adbc_driver_manager``.

``connect()`` finds ``libbytehouse.so`` the way the ODBC dialect does (see :mod:`libbytehouse.driver`)
and opens a DB-API connection over the native protocol::

    from libbytehouse import adbc

    with adbc.connect(uri="clickhouse://default@localhost:9000/default") as conn:
        with conn.cursor() as cursor:
            cursor.execute("SELECT number FROM system.numbers LIMIT 10")
            table = cursor.fetch_arrow_table()

Every keyword is a database option: ``uri`` (a ``bytehouse://`` or ``clickhouse://`` URL), ``username``,
``password``, or any connection key of the driver (``region``, ``api_key``, ``secure``,
``virtual_warehouse``, ``setting.max_threads``, ...). The server has no transactions, so the connection
is in autocommit mode.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from .arrow import library_path


def connect(driver: Optional[str] = None, **options: Any) -> Any:
    """An ``adbc_driver_manager.dbapi.Connection`` to the server that ``options`` name.

    ``driver`` is a path to ``libbytehouse.so`` (or a registered ODBC driver name); without it the
    library is looked for as :func:`libbytehouse.driver.find_driver` does.
    """
    from adbc_driver_manager import dbapi

    db_kwargs: Dict[str, str] = {key: str(value) for key, value in options.items()}
    return dbapi.connect(
        driver=library_path(driver),
        entrypoint="AdbcDriverInit",
        db_kwargs=db_kwargs,
        autocommit=True,
    )
