"""A ``bytehouse://`` URL turned into libbytehouse's ODBC connection string.

Every form of bytehouse-sqlalchemy's URLs is accepted (region or host:port; account, user and
password in the query or in the URL; an API key as user ``bytehouse``), as are the option names of
clickhouse-driver. The keys of ``QUERY_KEYS`` are translated; ``setting.<name>`` passes a server
setting; any other key is given to the driver as it is, so the driver's own keys
(``StringMaxLength``, ``LogFile``, ...) work in a URL too and a misspelt key is reported by it.
"""

from __future__ import annotations

import math
from typing import Any, Dict, List, Mapping, Optional, Tuple

from sqlalchemy.engine.url import URL

from libbytehouse.driver import find_driver

#: URL query key -> the driver's key (see the driver's configuration keys).
QUERY_KEYS: Dict[str, str] = {
    "region": "Region",
    "host": "Host",
    "port": "Port",
    "account": "Account",
    "user": "UID",
    "username": "UID",
    "password": "PWD",
    "api_key": "ApiKey",
    "database": "Database",
    "secure": "Secure",
    "skip_verification": "SkipVerification",
    "ca_certs": "CAFile",
    "ca_file": "CAFile",
    "connect_timeout": "ConnectTimeout",
    "send_receive_timeout": "SendReceiveTimeout",
    "query_timeout": "QueryTimeout",
    "compression": "Compression",
    "virtual_warehouse": "VirtualWarehouse",
    "vw": "VirtualWarehouse",
    "warehouse": "VirtualWarehouse",
    "role": "Role",
    "active_role": "Role",
    "client_name": "ClientName",
    "string_max_length": "StringMaxLength",
    "log_file": "LogFile",
}
#: Keys that take whole seconds in the driver and may be fractional in clickhouse-driver's URLs.
SECONDS_KEYS = {"ConnectTimeout", "SendReceiveTimeout", "QueryTimeout"}
#: Keys given to ``pyodbc.connect`` as arguments, as SQLAlchemy's pyodbc connector does.
PYODBC_ARGUMENTS = ("ansi", "unicode_results", "autocommit")
#: Keys the dialect reads itself; they do not reach the driver.
DIALECT_KEYS = ("engine_reflection", "driver", "odbc_connect")

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def as_bool(key: str, value: str) -> bool:
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"URL key {key!r} must be true or false, not {value!r}")


def quote_value(value: str) -> str:
    """An ODBC connection-string value, in braces when it holds characters that would end it."""
    if any(character in value for character in ";{}") or value != value.strip():
        return "{" + value.replace("}", "}}") + "}"
    return value


def _driver_value(name: str, key: str, value: Any) -> str:
    """The value of URL key ``name`` in the form of the driver's ``key``: booleans as 1/0, timeouts as
    whole seconds."""
    text = str(value)
    if key in ("Secure", "SkipVerification"):
        return "1" if as_bool(name, text) else "0"
    if key == "Compression":
        # clickhouse-driver names the method; the driver speaks LZ4 when compression is on.
        return "1" if text.strip().lower() in TRUE_WORDS | {"lz4", "lz4hc"} else "0"
    if key in SECONDS_KEYS:
        try:
            return str(math.ceil(float(text)))
        except ValueError:
            return text  # the driver names the key and the value it cannot read
    return text


def driver_pairs(url: URL) -> List[Tuple[str, str]]:
    """The driver's keys and values for everything the URL says, in a stable order."""
    pairs: Dict[str, str] = {}
    netloc = (
        ("Host", url.host),
        ("Port", url.port),
        ("UID", url.username),
        ("PWD", url.password),
        ("Database", url.database),
    )
    for key, value in netloc:
        if value not in (None, ""):
            pairs[key] = str(value)
    query: Mapping[str, Any] = url.query
    for name, value in query.items():
        if name in PYODBC_ARGUMENTS or name in DIALECT_KEYS:
            continue
        if isinstance(value, (tuple, list)):
            value = value[-1]
        lowered = name.lower()
        if lowered == "verify":
            pairs["SkipVerification"] = "0" if as_bool(name, value) else "1"
            continue
        key = QUERY_KEYS.get(lowered, name)
        pairs[key] = _driver_value(name, key, value)
    return list(pairs.items())


def connection_string(url: URL, driver: str) -> str:
    """``DRIVER=...;Host=...;...`` for ``url``, the driver being a registered name or a library path."""
    raw = url.query.get("odbc_connect")
    if raw:
        has_driver = any(part.strip().lower().startswith("driver=") for part in str(raw).split(";"))
        return str(raw) if has_driver else f"DRIVER={quote_value(driver)};{raw}"
    parts = [f"DRIVER={quote_value(driver)}"]
    parts += [f"{key}={quote_value(value)}" for key, value in driver_pairs(url)]
    return ";".join(parts)


def pyodbc_arguments(url: URL) -> Dict[str, Any]:
    """Arguments for ``pyodbc.connect``; autocommit is on unless the URL says otherwise, since the
    server has no transactions for pyodbc to begin or end."""
    arguments: Dict[str, Any] = {"autocommit": True}
    for name in PYODBC_ARGUMENTS:
        if name in url.query:
            arguments[name] = as_bool(name, url.query[name])
    return arguments


def connect_args(url: URL, driver: Optional[str] = None) -> Tuple[Tuple[str], Dict[str, Any]]:
    """What ``Dialect.create_connect_args`` returns: pyodbc's positional and keyword arguments."""
    explicit = url.query.get("driver")
    driver = driver or find_driver(str(explicit) if explicit else None)
    return (connection_string(url, driver),), pyodbc_arguments(url)
