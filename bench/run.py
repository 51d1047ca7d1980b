"""Every side of every workload of bench/sides.py on both local servers, each in a process of its own
(best of N inside it, peak RSS from the kernel's accounting of that process and its children), then
`results.md` (the table, the ratios, the targets) and one PNG plot of the ratios per server in the
output folder. Usage: see bench/run.sh, which prepares the environment and calls this.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass

from sides import WORKLOADS

SIDES_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sides.py")
OURS = ("ours pyodbc", "ours arrow-odbc", "ours SQLAlchemy")
PEERS = (
    "clickhouse-client",
    "clickhouse-driver",
    "clickhouse-connect",
    "clickhouse-sqlalchemy",
    "bytehouse-driver",
)
# Sides that build a Python object per value: on this 2-core machine they take minutes (and
# clickhouse-sqlalchemy gigabytes: it holds every row) for the bigger reads, so those they read once
# rather than best of N; the SQLAlchemy sides read only the 1M narrow rows, and none of them the 10M
# wide rows.
ROW_SIDES = (
    "ours pyodbc",
    "ours SQLAlchemy",
    "clickhouse-driver",
    "clickhouse-connect",
    "clickhouse-sqlalchemy",
    "bytehouse-driver",
)
SQLALCHEMY_SIDES = ("ours SQLAlchemy", "clickhouse-sqlalchemy")
# Which of ours is compared with which peer (same kind of consumer, or the target's pair).
PAIRS = (
    ("ours pyodbc", "clickhouse-driver"),
    ("ours pyodbc", "clickhouse-connect"),
    ("ours arrow-odbc", "clickhouse-client"),
    ("ours SQLAlchemy", "clickhouse-sqlalchemy"),
)


@dataclass
class Workload:
    name: str  # as bench/sides.py names it
    label: str
    rows: int  # rows read or inserted, or how many queries or connections
    sides: tuple
    once: tuple = ()  # sides run once, not best of N


@dataclass
class Outcome:
    seconds: float | None
    peak_mb: float
    error: str = ""


def workloads(quick: bool) -> list:
    scale = 100 if quick else 1
    everyone = OURS + PEERS
    no_sqlalchemy = tuple(side for side in everyone if side not in SQLALCHEMY_SIDES)
    columnar = tuple(side for side in everyone if side not in ROW_SIDES)
    million, ten_million = 1_000_000 // scale, 10_000_000 // scale
    return [
        Workload("narrow read", f"read {million:,} rows, 5 columns", million, everyone),
        Workload(
            "narrow read", f"read {ten_million:,} rows, 5 columns", ten_million, no_sqlalchemy, ROW_SIDES
        ),
        Workload("wide read", f"read {million:,} rows, 32 columns", million, no_sqlalchemy, ROW_SIDES),
        Workload("wide read", f"read {ten_million:,} rows, 32 columns", ten_million, columnar, columnar),
        Workload("small queries", f"{1_000 // scale:,} queries of 10 rows", 1_000 // scale, everyone),
        Workload("insert", f"insert {million:,} rows, 3 columns", million, everyone),
        Workload("connect", f"{300 // scale:,} x connect + SELECT 1", 300 // scale, everyone),
    ]


def run_side(side: str, workload: Workload, port: int) -> Outcome:
    command = [sys.executable, SIDES_SCRIPT, side, workload.name, str(workload.rows), str(port), "1"]
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        last = (finished.stderr.strip().splitlines() or ["no output"])[-1]
        return Outcome(None, 0.0, f"failed: {last[:200]}")
    text = finished.stdout.strip().splitlines()[-1]
    if text.startswith("error: "):
        return Outcome(None, 0.0, text[len("error: ") :])
    seconds, peak_kb = text.split()
    return Outcome(float(seconds), int(peak_kb) / 1024)


def faster(best: Outcome | None, outcome: Outcome) -> Outcome:
    """The faster of two outcomes of one side; an error only when there is nothing better."""
    if best is None or best.seconds is None:
        return outcome
    if outcome.seconds is None or outcome.seconds >= best.seconds:
        return best
    return outcome


def server_version(port: int) -> str:
    command = ["clickhouse-client", "--host", HOST, "--port", str(port), "-q", "SELECT version()"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


HOST = os.environ.get("CLICKHOUSE_HOST", "127.0.0.1")


def measure(servers: dict, quick: bool, runs: int) -> dict:
    """{server: {workload label: {side: Outcome}}}, printed as it goes. Each workload's sides take
    turns, one run each per round, and each keeps its fastest round: the server's own speed drifts
    from minute to minute on this machine, and turns spread the drift over every side alike."""
    results: dict = {}
    for server, port in servers.items():
        for workload in workloads(quick):
            sides = [side for side in workload.sides if side in WORKLOADS[workload.name]]
            row = results.setdefault(server, {}).setdefault(workload.label, {})
            for round_number in range(runs):
                for side in sides:
                    if round_number > 0 and (side in workload.once or row[side].seconds is None):
                        continue
                    row[side] = faster(row.get(side), run_side(side, workload, port))
            for side in sides:
                outcome = row[side]
                shown = (
                    f"{outcome.seconds:.3f} s {outcome.peak_mb:.0f} MB"
                    if outcome.error == ""
                    else outcome.error
                )
                print(f"{server:6} {workload.label:34} {side:22} {shown}", flush=True)
    return results


def cell(outcome: Outcome | None) -> str:
    if outcome is None:
        return ""
    if outcome.error:
        return "does not run"
    return f"{outcome.seconds:.3f} s, {outcome.peak_mb:.0f} MB"


def ratio(row: dict, ours: str, peer: str) -> float | None:
    mine, theirs = row.get(ours), row.get(peer)
    if mine is None or theirs is None or mine.error or theirs.error:
        return None
    return mine.seconds / theirs.seconds


def table(results: dict) -> list:
    lines = []
    for server, rows in results.items():
        lines += [f"### ClickHouse {server}", ""]
        lines.append(
            "| workload | "
            + " | ".join(OURS + PEERS)
            + " | "
            + " | ".join(f"{a} / {b}" for a, b in PAIRS)
            + " |"
        )
        lines.append("|---" * (1 + len(OURS) + len(PEERS) + len(PAIRS)) + "|")
        for label, row in rows.items():
            ratios = [ratio(row, ours, peer) for ours, peer in PAIRS]
            lines.append(
                f"| {label} | "
                + " | ".join(cell(row.get(side)) for side in OURS + PEERS)
                + " | "
                + " | ".join("" if value is None else f"{value:.2f}" for value in ratios)
                + " |"
            )
        lines.append("")
        reasons = {
            (side, outcome.error) for row in rows.values() for side, outcome in row.items() if outcome.error
        }
        for side, reason in sorted(reasons):
            lines.append(f"- {side} does not run here: {reason}")
        lines.append("")
    return lines


@dataclass
class Target:
    name: str
    workload: str  # label prefix
    ours: str
    peer: str
    goal: float


def targets(quick: bool) -> list:
    scale = 100 if quick else 1
    return [
        Target(
            "pyodbc fetchall",
            f"read {1_000_000 // scale:,} rows, 5 columns",
            "ours pyodbc",
            "clickhouse-driver",
            1.0,
        ),
        Target(
            "pyodbc fast_executemany insert",
            f"insert {1_000_000 // scale:,} rows, 3 columns",
            "ours pyodbc",
            "clickhouse-driver",
            1.5,
        ),
        Target(
            "arrow-odbc with defaults",
            f"read {10_000_000 // scale:,} rows, 5 columns",
            "ours arrow-odbc",
            "clickhouse-client",
            2.0,
        ),
    ]


def target_lines(results: dict, quick: bool) -> list:
    lines = ["| target | server | ours | peer | ratio | goal | met |", "|---|---|---|---|---|---|---|"]
    for server, rows in results.items():
        for target in targets(quick):
            row = rows[target.workload]
            value = ratio(row, target.ours, target.peer)
            met = "" if value is None else ("yes" if value <= target.goal else "no")
            shown = "" if value is None else f"{value:.2f}"
            lines.append(
                f"| {target.name} | {server} | {cell(row.get(target.ours))} | {target.peer} "
                f"{cell(row.get(target.peer))} | {shown} | <= {target.goal} | {met} |"
            )
        connect = next(label for label in rows if "connect + SELECT 1" in label)
        count = int(connect.split(" ")[0].replace(",", ""))
        ours = rows[connect]["ours pyodbc"]
        if not ours.error:
            per = 1000 * ours.seconds / count
            lines.append(
                f"| connect + SELECT 1 (pyodbc, one connection) | {server} | {per:.2f} ms | | | < 2 ms | "
                f"{'yes' if per < 2 else 'no'} |"
            )
        arrow = rows[targets(quick)[2].workload]["ours arrow-odbc"]
        if not arrow.error:
            lines.append(
                f"| arrow-odbc peak RSS | {server} | {arrow.peak_mb:.0f} MB | | | < 400 MB | "
                f"{'yes' if arrow.peak_mb < 400 else 'no'} |"
            )
    return lines


def plot(results: dict, folder: str) -> list:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    files = []
    for server, rows in results.items():
        labels, values, colours = [], [], []
        palette = dict(zip(PAIRS, ("tab:blue", "tab:cyan", "tab:orange", "tab:green")))
        for label, row in rows.items():
            for pair in PAIRS:
                value = ratio(row, *pair)
                if value is not None:
                    labels.append(f"{label}: {pair[0]} / {pair[1]}")
                    values.append(value)
                    colours.append(palette[pair])
        figure, axes = pyplot.subplots(figsize=(11, 0.32 * len(labels) + 1.5))
        positions = range(len(labels))
        axes.barh(positions, values, color=colours)
        axes.set_yticks(list(positions), labels, fontsize=8)
        axes.invert_yaxis()
        axes.axvline(1.0, color="black", linewidth=0.8)
        axes.set_xscale("log")
        axes.set_xlabel("time ours / time peer (log scale; below 1: ours faster)")
        axes.set_title(f"libbytehouse against its peers, ClickHouse {server}, same run")
        for position, value in zip(positions, values):
            axes.text(value, position, f" {value:.2f}", va="center", fontsize=7)
        figure.tight_layout()
        name = f"ratios-{server}.png"
        figure.savefig(os.path.join(folder, name), dpi=110)
        pyplot.close(figure)
        files.append(name)
    return files


def machine() -> str:
    model = ""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    with open("/proc/meminfo") as meminfo:
        memory_gb = int(meminfo.readline().split()[1]) / 1024 / 1024
    return f"{platform.node()}: {os.cpu_count()} cores {model}, {memory_gb:.0f} GB, {platform.platform()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a hundredth of the rows, one run: a smoke run")
    parser.add_argument("--runs", type=int, default=3, help="best of N (default 3)")
    parser.add_argument("--out", required=True, help="the results folder")
    parser.add_argument("--server", choices=("both", "old", "modern"), default="both")
    options = parser.parse_args()
    runs = 1 if options.quick else options.runs
    ports = {"old": int(os.environ["CLICKHOUSE_PORT"]), "modern": int(os.environ["CLICKHOUSE_MODERN_PORT"])}
    servers = {server_version(port): port for key, port in ports.items() if options.server in ("both", key)}
    os.makedirs(options.out, exist_ok=True)
    started = time.time()
    results = measure(servers, options.quick, runs)
    minutes = (time.time() - started) / 60
    with open(os.path.join(options.out, "results.json"), "w") as raw:
        json.dump(
            {
                server: {label: {side: vars(o) for side, o in row.items()} for label, row in rows.items()}
                for server, rows in results.items()
            },
            raw,
            indent=1,
        )
    plots = plot(results, options.out)
    lines = [
        f"# Benchmarks of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}",
        "",
        f"Machine: {machine()}. Servers on loopback: "
        + ", ".join(f"ClickHouse {server} (tcp {port})" for server, port in servers.items())
        + f". Best of {runs} rounds in which the sides of a workload take turns, one process per "
        "side and run (the bigger reads into Python rows, and the 10M wide read: one round), peak RSS "
        "of that process "
        f"(clickhouse-client: of its own processes); {minutes:.0f} minutes in all."
        + (" Quick mode: a hundredth of the rows." if options.quick else ""),
        "",
        (
            f"Load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores. A shared "
            "machine (other builds and tests running meanwhile) makes timings noisy: each is the best "
            "of several where it can be, and the ratios compare sides measured in the same run."
        ),
        "",
        "## Targets",
        "",
        *target_lines(results, options.quick),
        "",
        "## Every workload",
        "",
        (
            "Each cell: time of the work (imports and making the rows to insert excluded), peak RSS. "
            "Ratios are ours / peer (below 1: ours faster)."
        ),
        "",
        *table(results),
        *[f"![ratios]({name})" for name in plots],
        "",
    ]
    with open(os.path.join(options.out, "results.md"), "w") as markdown:
        markdown.write("\n".join(lines))
    print(f"wrote {options.out}/results.md and {', '.join(plots)}")


if __name__ == "__main__":
    main()
