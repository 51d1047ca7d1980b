"""How the benchmarks time their work: the best of several runs, and one task of a process of its
own, whose outcome may give the seconds of the part that counts."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fewest seconds `work` took in `runs` calls."""
    best = None
    for _ in range(runs):
        started = time.perf_counter()
        work()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best


def best_in_turns(runs: int, *works: Callable[[], tuple]) -> list[tuple]:
    """Each of `works` (returning a tuple that starts with seconds) run `runs` times, taking turns
    within each round, and the fastest outcome of each: a server that speeds up or slows down
    during the run then weighs on every side alike."""
    best: list = [None] * len(works)
    for _ in range(runs):
        for index, work in enumerate(works):
            outcome = work()
            if best[index] is None or outcome[0] < best[index][0]:
                best[index] = outcome
    return best


def timed_process(command: list) -> tuple[float]:
    """The seconds a command takes as a whole process."""
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return (time.perf_counter() - started,)


def timed(task: Callable[..., str], *arguments: object) -> tuple[float, str]:
    """The seconds `task` took and the outcome it describes itself with; an outcome ending in
    ` seconds_inserting=S` gives the seconds itself (S, its insert alone), and that part is dropped."""
    started = time.perf_counter()
    outcome = task(*arguments)
    elapsed = time.perf_counter() - started
    if " seconds_inserting=" in outcome:
        outcome, inserting = outcome.split(" seconds_inserting=")
        elapsed = float(inserting)
    return elapsed, outcome
