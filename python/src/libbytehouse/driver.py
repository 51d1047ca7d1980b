"""Finding the libbytehouse ODBC driver that pyodbc should load.

The driver is looked for, in order:

1. an explicit choice (the ``driver=`` URL key): a driver name registered with the driver manager
   or a path to ``libbytehouse.so``;
2. the ``BYTEHOUSE_ODBC_DRIVER`` environment variable, with the same two forms;
3. a driver registered with the driver manager (odbcinst.ini) under the name ``ByteHouse``;
4. ``libbytehouse.so`` bundled inside this package (wheels built by the packaging script).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable, Optional

ENVIRONMENT_VARIABLE = "BYTEHOUSE_ODBC_DRIVER"
REGISTERED_NAME = "ByteHouse"
BUNDLED_LIBRARY = Path(__file__).parent / "lib" / "libbytehouse.so"


class DriverNotFound(RuntimeError):
    """No libbytehouse driver could be found; the message says how to provide one."""


def _registered_drivers() -> Iterable[str]:
    import pyodbc

    return pyodbc.drivers()


def find_driver(
    explicit: Optional[str] = None,
    environ: Optional[dict] = None,
    registered: Callable[[], Iterable[str]] = _registered_drivers,
    bundled: Path = BUNDLED_LIBRARY,
) -> str:
    """The value for the connection string's ``DRIVER`` key: a registered name or a library path."""
    environ = os.environ if environ is None else environ
    for source, choice in (("driver=", explicit), (ENVIRONMENT_VARIABLE, environ.get(ENVIRONMENT_VARIABLE))):
        if choice:
            return _checked(choice, source, registered)
    if REGISTERED_NAME in registered():
        return REGISTERED_NAME
    if bundled.is_file():
        return str(bundled)
    raise DriverNotFound(
        "the libbytehouse ODBC driver was not found. Give it one of these ways: install a libbytehouse "
        f"wheel that bundles it; register it with unixODBC as [{REGISTERED_NAME}] in odbcinst.ini; set "
        f"{ENVIRONMENT_VARIABLE}=/path/to/libbytehouse.so; or add ?driver=/path/to/libbytehouse.so "
        "(or a registered driver name) to the URL"
    )


def _checked(choice: str, source: str, registered: Callable[[], Iterable[str]]) -> str:
    """A path must name a file; a name must be registered, so a typo fails here with a clear message."""
    if "/" in choice:
        if not Path(choice).is_file():
            raise DriverNotFound(f"{source} names {choice!r}, which is not a file")
        return choice
    names = list(registered())
    if choice not in names:
        listed = ", ".join(names) or "none"
        raise DriverNotFound(
            f"{source} names the ODBC driver {choice!r}, which is not registered (registered: {listed})"
        )
    return choice
