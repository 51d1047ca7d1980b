"""Query results as Arrow, straight from libbytehouse's C API: no ODBC, no Python work per value.

``connect()`` takes the driver's connection-string keys (``Host=...;Port=...;UID=...`` or ``DSN=...``)
and returns a connection whose ``query_arrow()`` gives a ``pyarrow.RecordBatchReader``, one batch per
block the server sends. Every statement takes ``settings=`` (a mapping of setting names to values,
sent with that statement only) and ``timeout=`` (seconds; the connection's ``QueryTimeout`` when
not given). The library is found like the ODBC driver (see :mod:`libbytehouse.driver`),
and must be a path here: a registered driver name is looked up in odbcinst.ini.
"""

from __future__ import annotations

import ctypes
import subprocess
from typing import Any, Dict, Mapping, Optional

from .driver import find_driver

STRINGS_AS_BINARY = 1


class ArrowArrayStream(ctypes.Structure):
    """The Arrow C stream interface struct; pyarrow takes it over on import."""

    _fields_ = [
        ("get_schema", ctypes.c_void_p),
        ("get_next", ctypes.c_void_p),
        ("get_last_error", ctypes.c_void_p),
        ("release", ctypes.c_void_p),
        ("private_data", ctypes.c_void_p),
    ]


class Setting(ctypes.Structure):
    """``bh_setting``: one setting's name and value."""

    _fields_ = [("name", ctypes.c_char_p), ("value", ctypes.c_char_p)]


ProgressCallback = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_uint64, ctypes.c_uint64)


class QueryOptions(ctypes.Structure):
    """``bh_query_options``: a statement's settings, timeout and progress callback."""

    _fields_ = [
        ("settings", ctypes.POINTER(Setting)),
        ("n_settings", ctypes.c_size_t),
        ("timeout_ms", ctypes.c_uint64),
        ("progress", ProgressCallback),
        ("progress_context", ctypes.c_void_p),
    ]


def _options(settings: Optional[Mapping[str, Any]], timeout: Optional[float]) -> Optional[QueryOptions]:
    """The C options of a statement, or None for the defaults (ctypes keeps the settings array
    alive as long as the struct that points at it)."""
    if not settings and timeout is None:
        return None
    options = QueryOptions()
    if settings:
        array = (Setting * len(settings))(*(Setting(str(k).encode(), str(v).encode()) for k, v in settings.items()))
        options.settings = array
        options.n_settings = len(settings)
    if timeout is not None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        options.timeout_ms = max(1, round(timeout * 1000))
    return options


def _by_reference(options: Optional[QueryOptions]) -> Any:
    return None if options is None else ctypes.byref(options)


class BytehouseError(Exception):
    """A failed call: ``code`` is the server's error code (0 when the client found the error)."""

    def __init__(self, code: int, sqlstate: str, message: str) -> None:
        super().__init__(f"[{sqlstate}] {message}")
        self.code = code
        self.sqlstate = sqlstate
        self.message = message


def library_path(explicit: Optional[str] = None) -> str:
    """The path of libbytehouse.so: the driver lookup's answer, resolved through odbcinst when it is
    a registered name."""
    choice = find_driver(explicit)
    if "/" in choice:
        return choice
    listing = subprocess.run(["odbcinst", "-q", "-d", "-n", choice], capture_output=True, text=True, check=True)
    for line in listing.stdout.splitlines():
        key, _, value = line.partition("=")
        if key.strip().lower() == "driver":
            return value.strip()
    raise FileNotFoundError(f"odbcinst.ini names no library for the driver {choice!r}")


def _load(path: str) -> ctypes.CDLL:
    library = ctypes.CDLL(path)
    pointer, text = ctypes.c_void_p, ctypes.c_char_p
    error_out = ctypes.POINTER(ctypes.c_void_p)
    signatures: Dict[str, Any] = {
        "bh_connect": (pointer, [text, error_out]),
        "bh_connection_free": (None, [pointer]),
        "bh_execute": (
            ctypes.c_int32,
            [
                pointer,
                text,
                ctypes.c_void_p,
                ctypes.c_size_t,
                ctypes.c_void_p,
                ctypes.POINTER(ctypes.c_int64),
                error_out,
            ],
        ),
        "bh_query_arrow": (
            ctypes.c_int32,
            [
                pointer,
                text,
                ctypes.c_void_p,
                ctypes.c_size_t,
                ctypes.c_void_p,
                ctypes.c_uint32,
                ctypes.c_void_p,
                error_out,
            ],
        ),
        "bh_insert_arrow": (
            ctypes.c_int32,
            [pointer, text, ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint64), error_out],
        ),
        "bh_cancel": (ctypes.c_int32, [pointer]),
        "bh_error_code": (ctypes.c_int32, [pointer]),
        "bh_error_sqlstate": (text, [pointer]),
        "bh_error_message": (text, [pointer]),
        "bh_error_free": (None, [pointer]),
    }
    for name, (result, arguments) in signatures.items():
        function = getattr(library, name)
        function.restype = result
        function.argtypes = arguments
    return library


class Connection:
    """A connection over the native protocol; one thread at a time, ``cancel()`` from any."""

    def __init__(self, connection_string: str, library: Optional[str] = None) -> None:
        self._handle: Optional[int] = None
        self._library = _load(library_path(library))
        error = ctypes.c_void_p()
        handle = self._library.bh_connect(connection_string.encode(), ctypes.byref(error))
        self._raise_if(error)
        self._handle = handle

    def _raise_if(self, error: ctypes.c_void_p) -> None:
        if not error.value:
            return
        library = self._library
        failure = BytehouseError(
            library.bh_error_code(error),
            library.bh_error_sqlstate(error).decode(),
            library.bh_error_message(error).decode(errors="replace"),
        )
        library.bh_error_free(error)
        raise failure

    def _live(self) -> int:
        if self._handle is None:
            raise BytehouseError(0, "08003", "the connection is closed")
        return self._handle

    def query_arrow(
        self,
        sql: str,
        binary_strings: bool = False,
        settings: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Runs ``sql`` and returns its result as a ``pyarrow.RecordBatchReader``."""
        import pyarrow

        stream = ArrowArrayStream()
        error = ctypes.c_void_p()
        flags = STRINGS_AS_BINARY if binary_strings else 0
        options = _options(settings, timeout)
        self._library.bh_query_arrow(
            self._live(),
            sql.encode(),
            None,
            0,
            _by_reference(options),
            flags,
            ctypes.byref(stream),
            ctypes.byref(error),
        )
        self._raise_if(error)
        return pyarrow.RecordBatchReader._import_from_c(ctypes.addressof(stream))

    def insert_arrow(
        self,
        sql: str,
        data: Any,
        settings: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
    ) -> int:
        """Runs ``sql`` (``INSERT INTO t [(columns)] VALUES``) with the rows of ``data``, a pyarrow
        Table, RecordBatch or RecordBatchReader, one block per batch; returns the rows stored."""
        import pyarrow

        if isinstance(data, pyarrow.RecordBatch):
            data = pyarrow.Table.from_batches([data])
        if isinstance(data, pyarrow.Table):
            data = data.to_reader()
        options = _options(settings, timeout)
        stream = ArrowArrayStream()
        data._export_to_c(ctypes.addressof(stream))
        rows = ctypes.c_uint64()
        error = ctypes.c_void_p()
        self._library.bh_insert_arrow(
            self._live(),
            sql.encode(),
            _by_reference(options),
            ctypes.byref(stream),
            ctypes.byref(rows),
            ctypes.byref(error),
        )
        self._raise_if(error)
        return rows.value

    def execute(
        self, sql: str, settings: Optional[Mapping[str, Any]] = None, timeout: Optional[float] = None
    ) -> Optional[int]:
        """Runs ``sql``, dropping any rows; returns the rows it wrote when the server says."""
        written = ctypes.c_int64()
        error = ctypes.c_void_p()
        options = _options(settings, timeout)
        self._library.bh_execute(
            self._live(), sql.encode(), None, 0, _by_reference(options), ctypes.byref(written), ctypes.byref(error)
        )
        self._raise_if(error)
        return None if written.value < 0 else written.value

    def cancel(self) -> None:
        """Asks the server to stop the running query; safe from another thread."""
        if self._handle is not None:
            self._library.bh_cancel(self._handle)

    def close(self) -> None:
        if self._handle is not None:
            self._library.bh_connection_free(self._handle)
            self._handle = None

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()


def connect(connection_string: str, library: Optional[str] = None) -> Connection:
    """Opens a connection with the driver's connection-string keys."""
    return Connection(connection_string, library)
