"""CPU time of local processes, from /proc: what a benchmark's figures cost, and where.

On a machine whose cores are all busy under load, requests a second follow the CPU a request
takes in all the processes that serve it (the app's workers, PostgreSQL, Redis), so bench/run.py
prints that CPU beside each rate, and the imports print PostgreSQL's share.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def process_cpu_seconds(pid: int) -> float:
    """User and system time of one process, 0 if it has ended."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _named(command: str) -> Iterable[int]:
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip().startswith(command):
                yield int(pid)
        except OSError:  # it ended meanwhile
            continue


def command_cpu_seconds(command: str) -> float:
    """User and system time of every live process of that command ("postgres", "redis-server")."""
    return sum(process_cpu_seconds(pid) for pid in _named(command))


def children_cpu_seconds(parent: int) -> float:
    """User and system time of a process's live children (a gunicorn master's workers)."""
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    return sum(process_cpu_seconds(int(child)) for child in children)
