"""SQLAlchemy read benchmark: ROWS rows of (UInt64, String, Float64, DateTime, Nullable(Int32)) read
through our dialect (``bytehouse://``, pyodbc over the release libbytehouse.so) next to
clickhouse-sqlalchemy's native dialect (``clickhouse+native://``, clickhouse-driver), the same query
on the same table of the same server in the same run. Goal: ours/theirs at most 1.0.

Two fetch styles, each timed as ``with engine.connect() as c: c.execute(statement).fetchall()``:

- ``text``: ``text("SELECT id, s, f, t, n FROM ...")``, untyped: no result processors on either side;
- ``core``: ``select(table)`` of a ``Table`` declared with each dialect's own ClickHouse types.

Printed: best-of-RUNS times (the two sides alternate, so a disturbance hits both), wall-clock and
the client process's CPU (which other work on the machine disturbs less), their ratios, each side's
peak RSS (a child process that makes one fetch and exits), and the CPU that other processes used
meanwhile. Then where the time goes: the result processors SQLAlchemy runs per column; the DBAPIs
alone (pyodbc fetchall, clickhouse-driver execute); each fetch in phases (execute, DBAPI fetchall,
SQLAlchemy's Row objects); the Python calls per fetch; changes our dialect could make (no result
processors for Float64 and DateTime; strings read as UTF-8; pyodbc's rows made tuples in batches),
measured next to the peer; and the share of Python's cyclic GC on each side.

Usage: bench/sqlalchemy_read.sh [ROWS] [--runs N] [--server old|modern] (it makes the environment,
builds the driver and starts the servers). ``--once SIDE STYLE`` makes one fetch and prints its time
(for the RSS and perf measurements).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import operator
import os
import pstats
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import pyodbc
from clickhouse_driver import Client
from clickhouse_driver.util.compat import get_localzone_name_compat
from clickhouse_sqlalchemy import types as peer_types
from libbytehouse.sqlalchemy import types as our_types
from libbytehouse.sqlalchemy.dialect import ByteHouseExecutionContext
from sqlalchemy import Column, MetaData, Table, create_engine, event, select, text
from sqlalchemy.engine import Engine, Row
from sqlalchemy.engine.cursor import CursorFetchStrategy
from sqlalchemy.sql.expression import Executable

HOST = os.environ.get("CLICKHOUSE_HOST", "127.0.0.1")
#: A database of its own: test suites running at the same time clean up ``default``.
DATABASE = "bench_sqlalchemy"
TABLE = "read_rows"
QUERY = f"SELECT id, s, f, t, n FROM {TABLE}"
FILL = (
    f"INSERT INTO {DATABASE}.{TABLE} SELECT number, toString(number), number / 3, toDateTime(number), "
    "if(number % 10 = 0, NULL, toInt32(number)) FROM numbers({rows})"
)
SIDES = ("ours", "clickhouse-sqlalchemy")
STYLES = ("text", "core")
GOAL = 1.0
MB = 1024 * 1024


class Float64WithoutProcessor(our_types.Float64):
    """Float64 as proposed for the dialect: pyodbc already returns floats, so no result processor."""

    def result_processor(
        self, dialect: Any, coltype: Any
    ) -> Callable[[Any], Any] | None:
        return None


class DateTimeWithoutProcessor(our_types.DateTime):
    """DateTime as proposed for the dialect: pyodbc returns datetimes for SQL_TYPE_TIMESTAMP."""

    def result_processor(
        self, dialect: Any, coltype: Any
    ) -> Callable[[Any], Any] | None:
        return None


def our_table(
    metadata: MetaData,
    float_type: Any = our_types.Float64,
    datetime_type: Any = our_types.DateTime,
) -> Table:
    return Table(
        TABLE,
        metadata,
        Column("id", our_types.UInt64, nullable=False),
        Column("s", our_types.String, nullable=False),
        Column("f", float_type, nullable=False),
        Column("t", datetime_type, nullable=False),
        Column("n", our_types.Int32, nullable=True),
    )


def peer_table(metadata: MetaData) -> Table:
    return Table(
        TABLE,
        metadata,
        Column("id", peer_types.UInt64),
        Column("s", peer_types.String),
        Column("f", peer_types.Float64),
        Column("t", peer_types.DateTime),
        Column("n", peer_types.Nullable(peer_types.Int32)),
    )


@dataclass
class Side:
    name: str
    engine: Engine
    table: Table

    def statement(self, style: str) -> Executable:
        return text(QUERY) if style == "text" else select(self.table)


def sides(port: int) -> dict[str, Side]:
    ours = create_engine(f"bytehouse://{HOST}:{port}/?database={DATABASE}")
    peer = create_engine(f"clickhouse+native://default:@{HOST}:{port}/{DATABASE}")
    return {
        "ours": Side("ours", ours, our_table(MetaData())),
        "clickhouse-sqlalchemy": Side(
            "clickhouse-sqlalchemy", peer, peer_table(MetaData())
        ),
    }


def fetch(engine: Engine, statement: Executable) -> Sequence[Row[Any]]:
    with engine.connect() as connection:
        return connection.execute(statement).fetchall()


class Timing(NamedTuple):
    """Seconds of wall-clock time, and of this process's CPU: the client's own work, which other
    processes on the machine disturb much less than the wall-clock time."""

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:.2f}s (cpu {self.cpu:.2f}s)"


def timed(work: Callable[[], Sequence[Any]], rows: int) -> Timing:
    """One call of ``work``, which must return ``rows`` rows; freeing them is not timed."""
    gc.collect()
    started, started_cpu = time.perf_counter(), time.process_time()
    result = work()
    elapsed = Timing(time.perf_counter() - started, time.process_time() - started_cpu)
    if len(result) != rows:
        raise AssertionError(f"{len(result)} rows instead of {rows}")
    del result
    return elapsed


def best_of(
    runs: int, works: dict[str, Callable[[], Sequence[Any]]], rows: int
) -> dict[str, Timing]:
    """The best wall-clock and the best CPU time of each work over ``runs`` rounds, the works
    alternating within a round."""
    best: dict[str, Timing] = {}
    for _ in range(runs):
        for name, work in works.items():
            elapsed = timed(work, rows)
            known = best.get(name, elapsed)
            best[name] = Timing(
                min(known.wall, elapsed.wall), min(known.cpu, elapsed.cpu)
            )
    return best


# ---------------------------------------------------------------- data and checks


def create_data(port: int, rows: int) -> tuple[str, str]:
    """Creates the table afresh; returns the server's version and time zone."""
    client = Client(HOST, port=port)
    client.execute(f"CREATE DATABASE IF NOT EXISTS {DATABASE}")
    client.execute(f"DROP TABLE IF EXISTS {DATABASE}.{TABLE}")
    client.execute(
        f"CREATE TABLE {DATABASE}.{TABLE} (id UInt64, s String, f Float64, t DateTime, n Nullable(Int32)) "
        "ENGINE = MergeTree ORDER BY id"
    )
    client.execute(FILL.format(rows=rows))
    count = client.execute(f"SELECT count() FROM {DATABASE}.{TABLE}")[0][0]
    if count != rows:
        raise AssertionError(f"the table has {count} rows instead of {rows}")
    version, zone = client.execute("SELECT version(), timezone()")[0]
    return str(version), str(zone)


def check(all_sides: dict[str, Side], style: str, rows: int) -> None:
    """Both sides return ``rows`` rows, and the same values of the same Python types for a sample of
    about 1000 of them (matched by id: the server may send blocks in any order)."""
    ours = fetch(all_sides["ours"].engine, all_sides["ours"].statement(style))
    theirs = fetch(
        all_sides["clickhouse-sqlalchemy"].engine,
        all_sides["clickhouse-sqlalchemy"].statement(style),
    )
    if len(ours) != rows or len(theirs) != rows:
        raise AssertionError(
            f"{style}: ours has {len(ours)} rows, clickhouse-sqlalchemy {len(theirs)}, not {rows}"
        )
    sample = {row[0]: tuple(row) for row in ours[:: max(1, rows // 1000)]}
    matched = 0
    for row in theirs:
        expected = sample.get(row[0])
        if expected is None:
            continue
        matched += 1
        if tuple(row) != expected or [type(v) for v in row] != [
            type(v) for v in expected
        ]:
            raise AssertionError(
                f"{style}: ours {expected!r} but clickhouse-sqlalchemy {tuple(row)!r}"
            )
    if matched != len(sample):
        raise AssertionError(
            f"{style}: {len(sample) - matched} sampled ids missing from clickhouse-sqlalchemy's rows"
        )


# ---------------------------------------------------------------- peak RSS


def peak_rss(arguments: list[str], side: str, style: str) -> float:
    """Peak RSS in MB of a child process that makes one fetch and exits, by ``/usr/bin/time -f %M``
    (not this process's ``wait4``: a child forked from a process as large as this one after its
    fetches starts with that RSS, and ru_maxrss keeps it across exec). NaN without that program."""
    if not os.access("/usr/bin/time", os.X_OK):
        return float("nan")
    script = os.path.abspath(__file__)
    command = ["/usr/bin/time", "-f", "%M", sys.executable, script, *arguments]
    finished = subprocess.run(
        [*command, "--once", side, style],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    return int(finished.stderr.split()[-1]) * 1024 / MB


# ---------------------------------------------------------------- where the time goes


def processors(side: Side, style: str) -> str:
    """The result processor of each column, and for each processor its own cost: calling it on
    the fetched values of its column, less a loop over them that calls nothing."""
    with side.engine.connect() as connection:
        result = connection.execute(side.statement(style))
        found = result._metadata._processors  # type: ignore[attr-defined]
        keys = list(result.keys())
        rows = result.fetchall()
    described = []
    for index, (key, processor) in enumerate(zip(keys, found)):
        if processor is None:
            described.append(f"{key}=-")
            continue
        column = [row[index] for row in rows]
        started = time.process_time()
        _ = [value for value in column]
        looped = time.process_time()
        _ = [processor(value) for value in column]
        cost = time.process_time() - looped - (looped - started)
        name = getattr(processor, "__name__", type(processor).__name__)
        described.append(f"{key}={name} ({cost:.2f}s)")
    return " ".join(described)


def phases(
    engine: Engine, statement: Executable, rows: int
) -> tuple[float, float, float]:
    """One ``c.execute(statement).fetchall()`` in three phases: execute; the DBAPI cursor's
    fetchall (timed inside SQLAlchemy's CursorFetchStrategy); the rest of fetchall, which is
    SQLAlchemy making Row objects and running the result processors."""
    original = CursorFetchStrategy.fetchall
    spent = [0.0]

    def fetchall(strategy: CursorFetchStrategy, result: Any, dbapi_cursor: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(strategy, result, dbapi_cursor)
        finally:
            spent[0] += time.perf_counter() - started

    gc.collect()
    CursorFetchStrategy.fetchall = fetchall  # type: ignore[method-assign]
    try:
        with engine.connect() as connection:
            started = time.perf_counter()
            result = connection.execute(statement)
            executed = time.perf_counter()
            fetched = result.fetchall()
            done = time.perf_counter()
    finally:
        CursorFetchStrategy.fetchall = original  # type: ignore[method-assign]
    if len(fetched) != rows:
        raise AssertionError(f"{len(fetched)} rows instead of {rows}")
    del fetched
    return executed - started, spent[0], done - executed - spent[0]


def best_phases(
    runs: int, engine: Engine, statement: Executable, rows: int
) -> tuple[float, ...]:
    measured = [phases(engine, statement, rows) for _ in range(runs)]
    return tuple(min(phase) for phase in zip(*measured))


def python_calls(work: Callable[[], Sequence[Any]]) -> tuple[int, int]:
    """Python-level function calls during one fetch (cProfile): all, and those in SQLAlchemy and the
    two dialects (processors written in Python would show here as one call per value)."""
    profile = cProfile.Profile()
    profile.enable()
    result = work()
    profile.disable()
    del result
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = sum(entry[1] for entry in stats.values())
    markers = ("/sqlalchemy/", "/libbytehouse/", "/clickhouse_sqlalchemy/")
    ours = sum(
        entry[1]
        for key, entry in stats.items()
        if any(marker in key[0] for marker in markers)
    )
    return total, ours


def raw_pyodbc(side: Side) -> Callable[[], Sequence[Any]]:
    arguments, keywords = side.engine.dialect.create_connect_args(side.engine.url)
    connection = pyodbc.connect(*arguments, **keywords)

    def work() -> Sequence[Any]:
        cursor = connection.cursor()
        cursor.execute(QUERY)
        return cursor.fetchall()

    return work


def raw_driver(port: int) -> Callable[[], Sequence[Any]]:
    client = Client(HOST, port=port, database=DATABASE)
    return lambda: client.execute(QUERY)


def utf8_engine(url: Any) -> Engine:
    """Our dialect with pyodbc told to read character columns as UTF-8 in SQL_C_CHAR buffers
    (pyodbc's default asks for SQL_C_WCHAR, so the driver converts each string to UTF-16 and
    pyodbc converts it back), as the dialect's ``on_connect`` could do."""
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def read_utf8(dbapi_connection: Any, connection_record: Any) -> None:
        for sql_type in (pyodbc.SQL_CHAR, pyodbc.SQL_WCHAR):
            dbapi_connection.setdecoding(
                sql_type, encoding="utf-8", ctype=pyodbc.SQL_CHAR
            )

    return engine


class TupleRows(CursorFetchStrategy):
    """A fetch strategy our dialect could use: pyodbc's rows made plain tuples a batch at a time,
    by ``itemgetter`` (no Python call per row). SQLAlchemy's Row then keeps each tuple as it is,
    where it otherwise copies every pyodbc.Row with ``tuple()`` (which iterates the Row through
    ``__getitem__`` until IndexError: pyodbc.Row has no ``__iter__``); and only one batch of
    pyodbc rows is alive next to the tuples, not all of them."""

    def fetchall(self, result: Any, dbapi_cursor: Any) -> Any:
        try:
            count = len(dbapi_cursor.description)
            getter = operator.itemgetter(*range(count)) if count > 1 else tuple
            rows: list[Any] = []
            while batch := dbapi_cursor.fetchmany(TUPLE_BATCH):
                rows += map(getter, batch)
            result._soft_close()
            return rows
        except pyodbc.Error as error:  # SQLAlchemy wraps and raises it
            self.handle_exception(result, dbapi_cursor, error)


TUPLE_BATCH = 65536


def with_tuple_rows(work: Callable[[], Sequence[Any]]) -> Callable[[], Sequence[Any]]:
    """``work`` with our dialect's execution context using ``TupleRows``."""

    def run() -> Sequence[Any]:
        context = ByteHouseExecutionContext
        own = context.__dict__.get("cursor_fetch_strategy")
        context.cursor_fetch_strategy = TupleRows()
        try:
            return work()
        finally:
            if own is None:
                del context.cursor_fetch_strategy
            else:
                context.cursor_fetch_strategy = own

    return run


def without_gc(work: Callable[[], Sequence[Any]]) -> Callable[[], Sequence[Any]]:
    def run() -> Sequence[Any]:
        gc.disable()
        try:
            return work()
        finally:
            gc.enable()

    return run


def fetch_work(side: Side, style: str) -> Callable[[], Sequence[Any]]:
    return lambda: fetch(side.engine, side.statement(style))


def ratio(ours: Timing, theirs: Timing) -> str:
    return f"ratio={ours.wall / theirs.wall:.2f} (cpu {ours.cpu / theirs.cpu:.2f})"


def profile(
    all_sides: dict[str, Side], port: int, rows: int, runs: int, best: dict[str, Timing]
) -> None:
    ours, peer = all_sides["ours"], all_sides["clickhouse-sqlalchemy"]
    print(
        "\nresult processors per column (- none), with their own CPU time over all rows:"
    )
    for style in STYLES:
        for side in (ours, peer):
            print(f"  {style:<5} {side.name:<22} {processors(side, style)}")

    print(f"\nthe DBAPIs alone (no SQLAlchemy), best of {runs}:")
    works = {"pyodbc": raw_pyodbc(ours), "clickhouse-driver": raw_driver(port)}
    raw = best_of(runs, works, rows)
    for name, side_name in (("pyodbc", "ours"), ("clickhouse-driver", SIDES[1])):
        sqlalchemy = best[f"{side_name} text"]
        print(
            f"  {name:<18} {raw[name]}; SQLAlchemy's text style adds "
            f"{sqlalchemy.wall - raw[name].wall:.2f}s (cpu {sqlalchemy.cpu - raw[name].cpu:.2f}s)"
        )
    print(
        f"  pyodbc/clickhouse-driver {ratio(raw['pyodbc'], raw['clickhouse-driver'])}"
    )

    print(
        f"\neach fetch in phases, best of {runs} for each phase "
        "(execute | DBAPI fetchall | SQLAlchemy rows and processors):"
    )
    for style in STYLES:
        for side in (ours, peer):
            execute, dbapi, made = best_phases(
                runs, side.engine, side.statement(style), rows
            )
            print(
                f"  {style:<5} {side.name:<22} {execute:5.2f}s | {dbapi:5.2f}s | {made:5.2f}s"
            )

    print(
        "\nPython function calls in one fetch (cProfile; all | in SQLAlchemy and the dialects):"
    )
    for style in STYLES:
        for side in (ours, peer):
            total, in_sqlalchemy = python_calls(fetch_work(side, style))
            print(f"  {style:<5} {side.name:<22} {total:>9} | {in_sqlalchemy:>7}")

    utf8 = utf8_engine(ours.engine.url)
    sample = text(
        f"SELECT s, 'h\u00e9llo \u2603 \U0001f600' AS u FROM {TABLE} LIMIT 1000"
    )
    if fetch(utf8, sample) != fetch(ours.engine, sample):
        raise AssertionError("strings read as UTF-8 differ from those read as UTF-16")
    bare = select(
        our_table(MetaData(), Float64WithoutProcessor, DateTimeWithoutProcessor)
    )
    experiments: dict[str, dict[str, Callable[[], Sequence[Any]]]] = {
        "text": {
            "as it is": fetch_work(ours, "text"),
            "strings read as UTF-8": lambda: fetch(utf8, text(QUERY)),
            "pyodbc rows made tuples in batches": with_tuple_rows(
                fetch_work(ours, "text")
            ),
        },
        "core": {
            "as it is": fetch_work(ours, "core"),
            "no processor for Float64, DateTime": lambda: fetch(ours.engine, bare),
            "that, and rows made tuples in batches": with_tuple_rows(
                lambda: fetch(ours.engine, bare)
            ),
        },
    }
    print(
        f"\nchanges our dialect could make, next to clickhouse-sqlalchemy, best of {runs}:"
    )
    for style, variants in experiments.items():
        times = best_of(runs, {**variants, "peer": fetch_work(peer, style)}, rows)
        for label in variants:
            print(
                f"  {style:<5} {label:<38} {times[label]} {ratio(times[label], times['peer'])}"
            )

    print(
        f"\nwith Python's cyclic GC off during the fetch (not a fix: the GC's share), best of {runs}:"
    )
    for style in STYLES:
        works = {name: without_gc(fetch_work(all_sides[name], style)) for name in SIDES}
        times = best_of(runs, works, rows)
        print(
            f"  {style:<5} ours={times['ours']} clickhouse-sqlalchemy={times[SIDES[1]]} "
            f"{ratio(times['ours'], times[SIDES[1]])}"
        )


@contextlib.contextmanager
def perf_enabled() -> Iterator[None]:
    """With ``BENCH_PERF_CONTROL=CTL,ACK`` (the fifos of ``perf record -D -1 --control``), perf
    samples only inside this block: the fetch, not the interpreter's start and the imports."""
    fifos = os.environ.get("BENCH_PERF_CONTROL")
    if not fifos:
        yield
        return
    control_path, ack_path = fifos.split(",")
    with open(control_path, "w") as control, open(ack_path) as ack:

        def command(word: str) -> None:
            control.write(word + "\n")
            control.flush()
            ack.readline()

        command("enable")
        try:
            yield
        finally:
            command("disable")


# ---------------------------------------------------------------- main


TICKS = os.sysconf("SC_CLK_TCK")


def server_pid(server: str) -> int | None:
    state = os.environ.get("BYTEHOUSE_TEST_DIR") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", ".test-servers"
    )
    folder = "clickhouse-modern" if server == "modern" else "clickhouse-18"
    try:
        with open(os.path.join(state, folder, "server.pid")) as pid_file:
            return int(pid_file.read().strip())
    except (OSError, ValueError):
        return None


def process_cpu(pid: int | None) -> float:
    """CPU seconds of process ``pid`` and its waited-for children (0 if unknown)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return 0.0
    return sum(int(value) for value in fields[11:15]) / TICKS


class Disturbance:
    """CPU that processes other than this one (and its children) and the server used meanwhile:
    other work on the machine, which slows the timed fetches on 2 cores."""

    def __init__(self, server: str) -> None:
        self.server = server_pid(server)
        self.started = self.sample()

    def sample(self) -> tuple[float, float, float]:
        with open("/proc/stat") as stat:
            ticks = [int(value) for value in stat.readline().split()[1:9]]
        busy = (sum(ticks) - ticks[3] - ticks[4]) / TICKS
        own = sum(os.times()[:4]) + process_cpu(self.server)
        return time.monotonic(), busy, own

    def report(self) -> str:
        now, busy, own = self.sample()
        wall = now - self.started[0]
        other = max(0.0, (busy - self.started[1]) - (own - self.started[2]))
        return (
            f"other processes used {other:.1f} CPU-s in these {wall:.0f}s "
            f"({100 * other / wall:.0f}% of a core; the machine has {os.cpu_count()})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("rows", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--server",
        choices=("old", "modern"),
        default="old",
        help="18.16 (default) or 26.9",
    )
    parser.add_argument(
        "--no-profile", action="store_true", help="only the times, ratios and RSS"
    )
    parser.add_argument(
        "--once", nargs=2, metavar=("SIDE", "STYLE"), help="one fetch, its time printed"
    )
    options = parser.parse_args()
    port = int(
        os.environ[
            "CLICKHOUSE_MODERN_PORT"
            if options.server == "modern"
            else "CLICKHOUSE_PORT"
        ]
    )
    all_sides = sides(port)

    if options.once:
        side, style = all_sides[options.once[0]], options.once[1]
        with perf_enabled():
            elapsed = timed(
                lambda: fetch(side.engine, side.statement(style)), options.rows
            )
        print(f"{elapsed.wall:.3f}")
        return

    version, zone = create_data(port, options.rows)
    print(
        f"SQLAlchemy read of {options.rows} rows of (UInt64, String, Float64, DateTime, Nullable(Int32)): "
        f"ClickHouse {version} at {HOST}:{port}, best of {options.runs}"
    )
    local_zone = get_localzone_name_compat()
    if local_zone != zone:
        # Then clickhouse-driver makes each DateTime with pytz, several times slower than otherwise.
        print(
            f"(the server's time zone {zone} is not named as the client's {local_zone}: "
            "clickhouse-driver converts every DateTime through pytz, which slows the peer)"
        )
    child_arguments = [str(options.rows), "--server", options.server]
    best: dict[str, Timing] = {}
    disturbance = Disturbance(options.server)
    for style in STYLES:
        check(all_sides, style, options.rows)  # also the warm-up
        works = {
            f"{name} {style}": fetch_work(all_sides[name], style) for name in SIDES
        }
        best.update(best_of(options.runs, works, options.rows))
        ours, theirs = best[f"ours {style}"], best[f"clickhouse-sqlalchemy {style}"]
        rss = {name: peak_rss(child_arguments, name, style) for name in SIDES}
        print(
            f"{style:<5} ours={ours} clickhouse-sqlalchemy={theirs} {ratio(ours, theirs)} "
            f"(goal <= {GOAL}) peak_rss ours={rss['ours']:.0f}MB clickhouse-sqlalchemy={rss[SIDES[1]]:.0f}MB",
            flush=True,
        )
    print(f"disturbance during the timing: {disturbance.report()}", flush=True)
    if not options.no_profile:
        disturbance = Disturbance(options.server)
        profile(all_sides, port, options.rows, options.runs, best)
        print(f"disturbance during the profile: {disturbance.report()}")


if __name__ == "__main__":
    main()
