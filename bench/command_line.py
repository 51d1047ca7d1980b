"""The command line of bench/arrow.py and bench/adbc.py: `[ROWS] [--runs N] [--server old|modern]`,
and `--child TASK PORT ARGUMENT`, with which each starts its timed tasks in processes of their own."""

from __future__ import annotations

import argparse
import os


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", nargs="?", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--server", choices=["old", "modern"], default="old")
    parser.add_argument("--child", nargs=3, metavar=("TASK", "PORT", "ARGUMENT"))
    return parser.parse_args()


def server_port(server: str) -> int:
    """The native port of the local test server `old` (18.16) or `modern` (26.9)."""
    variable = "CLICKHOUSE_PORT" if server == "old" else "CLICKHOUSE_MODERN_PORT"
    return int(os.environ[variable])
