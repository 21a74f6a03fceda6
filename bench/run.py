"""Run the service and the bare baseline side by side, load both with wrk, print the figures.

    .venv/bin/python bench/run.py [--database-url URL] [--workers N] [--connections 8] [--duration 10]
                                  [--rounds 3]

Both run under gunicorn with the same number of workers (the service's own default: two a
core plus one), on loopback ports, against the same PostgreSQL database (fill it first with
bench/generate.py). The service runs as it ships (gunicorn.conf.py), with its access log sent
to a file and rate limits raised so that the load is not refused. Each scenario is loaded with
`wrk --latency` on the service and on the baseline in turn, `--rounds` times (the order swapped
each round, so that a machine that speeds up or slows down over a minute favours neither), and
the table gives the median of the rounds' requests a second, p50 and p99 latency, the ratio of
the medians and the range of the rounds' own ratios. Then: the deep page against the first page, and
the largest resident memory of a service worker. Under each scenario: the CPU a request took in
each server's workers, in PostgreSQL and in Redis (all their processes, from /proc), which is
what bounds requests a second once the cores are busy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from cpu import children_cpu_seconds, command_cpu_seconds
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
SERVICE_PORT, BASELINE_PORT = 8601, 8602


@dataclass
class Figures:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    # CPU a request, in milliseconds, of the server's workers, PostgreSQL and Redis.
    cpu_ms: dict[str, float]


def _milliseconds(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        raise SystemExit(f"wrk printed a latency of {text!r}")
    number, unit = found.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def cpu_seconds(master: int) -> dict[str, float]:
    return {
        "workers": children_cpu_seconds(master),
        "PostgreSQL": command_cpu_seconds("postgres"),
        "Redis": command_cpu_seconds("redis-server"),
    }


def wrk(url: str, connections: int, duration: int, master: int, script: Path | None = None) -> Figures:
    command = ["wrk", "--latency", "-t2", f"-c{connections}", f"-d{duration}s"]
    command += ["-s", str(script)] if script else []
    cpu_before = cpu_seconds(master)
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    cpu_after = cpu_seconds(master)
    if "Non-2xx" in output:
        raise SystemExit(f"wrk saw errors on {url}:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1)  # type: ignore[union-attr]
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1)  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    cpu_ms = {part: (cpu_after[part] - cpu_before[part]) * 1000 / requests for part in cpu_before}
    return Figures(rate, _milliseconds(p50), _milliseconds(p99), cpu_ms)


def median(rounds: list[Figures]) -> Figures:
    """Each figure's median over the rounds."""
    return Figures(
        statistics.median(figures.requests_per_second for figures in rounds),
        statistics.median(figures.p50_ms for figures in rounds),
        statistics.median(figures.p99_ms for figures in rounds),
        {part: statistics.median(figures.cpu_ms[part] for figures in rounds) for part in rounds[0].cpu_ms},
    )


def cpu_text(figures: Figures) -> str:
    parts = ", ".join(f"{part} {ms:.2f}" for part, ms in figures.cpu_ms.items())
    return f"{sum(figures.cpu_ms.values()):.2f} ms ({parts})"


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        if response.status != 200:
            raise SystemExit(f"{url} answered {response.status}")
        return json.load(response)


def wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise SystemExit(f"the server for {url} exited with {process.returncode}")
        try:
            get_json(url)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def start(
    app: str, port: int, workers: int, environment: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    command = [GUNICORN, "--config", str(ROOT / "gunicorn.conf.py"), "--access-logfile", str(log), app]
    env = {
        **os.environ,
        **environment,
        "STANCELINE_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
    }
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)


def worker_rss_mb(master: int) -> float:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for child in children:
        status = Path(f"/proc/{child}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)  # type: ignore[union-attr]
    return max(sizes)


def machine(database: str) -> str:
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
    with psycopg.connect(database) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
    cpu_name = cpu.group(1) if cpu else platform.processor()
    return f"{cpu_name}, {os.cpu_count()} cores, {memory / 1024**2:.0f} GiB, PostgreSQL {version}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/stanceline_bench")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=10, help="seconds a scenario")
    parser.add_argument("--rounds", type=int, default=3, help="loads of each server a scenario")
    parser.add_argument("--fts-word", default="kalomi", help="a rare word of bench/generate.py's")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/15",
        help="where the service counts rate limits, as in docker-compose.yml; '' for its memory",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--only", action="append", default=[], help="run the scenarios whose name has this text (repeatable)"
    )
    args = parser.parse_args()
    plain = make_url(args.database_url).set(drivername="postgresql").render_as_string(hide_password=False)

    with psycopg.connect(plain) as connection:
        actor, topic = connection.execute(
            "SELECT actor_id, topic_id FROM statement_positions WHERE actor_id = (SELECT actor_id FROM "
            "statements GROUP BY actor_id ORDER BY count(*) DESC LIMIT 1) "
            "GROUP BY actor_id, topic_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()  # type: ignore[misc]
        ids = [
            row[0]
            for row in connection.execute("SELECT id FROM statements TABLESAMPLE SYSTEM (1) LIMIT 1000")
        ]

    folder = Path(tempfile.mkdtemp(prefix="stanceline-bench-"))
    service_env = {
        "DATABASE_URL": make_url(args.database_url)
        .set(drivername="postgresql+psycopg")
        .render_as_string(False),
        "RATE_LIMIT_PER_ADDRESS": "100000000/minute",
        "RATE_LIMIT_PER_KEY": "100000000/minute",
    }
    if args.redis_url:  # as docker-compose.yml runs it: rate limits counted in Redis
        service_env["REDIS_URL"] = args.redis_url
    servers = [
        start("service.app:create_app()", SERVICE_PORT, args.workers, service_env, folder / "service.log"),
        start(
            "bench.baseline:app",
            BASELINE_PORT,
            args.workers,
            {"BASELINE_DATABASE_URL": plain},
            folder / "baseline.log",
        ),
    ]
    try:
        service, baseline = f"http://127.0.0.1:{SERVICE_PORT}", f"http://127.0.0.1:{BASELINE_PORT}"
        wait_ready(f"{service}/readyz", servers[0])
        wait_ready(f"{baseline}/statements/{ids[0]}", servers[1])
        # Like for like: the same statements in the same JSON, whether got, listed or searched.
        same = [(f"/api/v1/statements/{i}", f"/statements/{i}") for i in ids[:50]] + [
            (f"/api/v1/statements?actor={actor}&limit=50", f"/statements?actor={actor}&limit=50"),
            (f"/api/v1/statements?q={args.fts_word}&limit=50", f"/search?q={args.fts_word}&limit=50"),
        ]
        for service_path, baseline_path in same:
            ours, theirs = get_json(service + service_path), get_json(baseline + baseline_path)
            if isinstance(ours, dict) and "items" in ours:
                ours, theirs = ours["items"], theirs["items"]
            if ours != theirs:
                raise SystemExit(
                    f"The baseline differs from the service on {service_path}: not like for like."
                )

        def deep(base: str, path: str) -> str:
            """The URL of the page that ends 10,000 rows in: its cursor is after row 9,950."""
            cursor = None
            for limit in [200] * 49 + [150]:
                url = f"{base}{path}?actor={actor}&limit={limit}" + (f"&cursor={cursor}" if cursor else "")
                cursor = get_json(url)["next_cursor"]
                if cursor is None:
                    raise SystemExit("The busy actor has fewer than 10,000 statements.")
            return f"{base}{path}?actor={actor}&limit=50&cursor={cursor}"

        script = folder / "ids.lua"
        script.write_text(
            "ids = {" + ",".join(f'"{i}"' for i in ids) + "}\nn = 0\n"
            "request = function()\n  n = n + 1\n"
            "  return wrk.format(nil, wrk.path .. ids[n % #ids + 1])\nend\n"
        )
        scenarios: list[tuple[str, str, str | None, Path | None]] = [
            ("get statement", f"{service}/api/v1/statements/", f"{baseline}/statements/", script),
            (
                "list by actor, first page",
                f"{service}/api/v1/statements?actor={actor}&limit=50",
                f"{baseline}/statements?actor={actor}&limit=50",
                None,
            ),
            (
                "list by actor, 10,000 deep",
                deep(service, "/api/v1/statements"),
                deep(baseline, "/statements"),
                None,
            ),
            (
                "full-text query",
                f"{service}/api/v1/statements?q={args.fts_word}&limit=50",
                f"{baseline}/search?q={args.fts_word}&limit=50",
                None,
            ),
            ("shifts, actor of 10,000", f"{service}/api/v1/actors/{actor}/shifts?topic={topic}", None, None),
        ]
        results: dict[str, Any] = {"machine": machine(plain), "workers": args.workers, "scenarios": {}}
        print(
            f"{results['machine']}; {args.workers} workers each; "
            f"wrk -t2 -c{args.connections} -d{args.duration}s; medians of {args.rounds} rounds"
        )
        print(
            f"{'scenario':28} {'service req/s':>13} {'p50':>7} {'p99':>7} | "
            f"{'baseline req/s':>14} {'p50':>7} {'p99':>7} | ratio (rounds)"
        )
        for name, service_url, baseline_url, lua in scenarios:
            if args.only and not any(part in name for part in args.only):
                continue
            if lua is None:
                get_json(service_url)
            load = (args.connections, args.duration)
            mine_rounds: list[Figures] = []
            bare_rounds: list[Figures] = []
            for round_number in range(args.rounds):
                loads = [(mine_rounds, service_url, servers[0].pid)]
                if baseline_url:
                    loads.append((bare_rounds, baseline_url, servers[1].pid))
                for rounds, url, master in loads[:: 1 if round_number % 2 == 0 else -1]:
                    rounds.append(wrk(url, *load, master, lua))
            mine = median(mine_rounds)
            bare = median(bare_rounds) if bare_rounds else None
            ratio = "—"
            if bare:
                each = [
                    ours.requests_per_second / theirs.requests_per_second
                    for ours, theirs in zip(mine_rounds, bare_rounds, strict=True)
                ]
                median_ratio = mine.requests_per_second / bare.requests_per_second
                ratio = f"{median_ratio:.2f} ({min(each):.2f}–{max(each):.2f})"
            bare_text = (
                f"{bare.requests_per_second:14.0f} {bare.p50_ms:6.1f}ms {bare.p99_ms:5.1f}ms"
                if bare
                else f"{'—':>14} {'—':>7} {'—':>7}"
            )
            print(
                f"{name:28} {mine.requests_per_second:13.0f} {mine.p50_ms:5.1f}ms {mine.p99_ms:5.1f}ms | "
                f"{bare_text} | {ratio}"
            )
            bare_cpu = f"; baseline {cpu_text(bare)}" if bare else ""
            print(f"{'':4}CPU a request: service {cpu_text(mine)}{bare_cpu}")
            results["scenarios"][name] = {
                "service": vars(mine),
                "baseline": vars(bare) if bare else None,
                "rounds": {
                    "service": [vars(figures) for figures in mine_rounds],
                    "baseline": [vars(figures) for figures in bare_rounds],
                },
            }
        measured = results["scenarios"]
        if {"list by actor, first page", "list by actor, 10,000 deep"} <= measured.keys():
            first = measured["list by actor, first page"]["service"]["requests_per_second"]
            deep_rate = measured["list by actor, 10,000 deep"]["service"]["requests_per_second"]
            results["deep_over_first"] = first / deep_rate
            ratio = results["deep_over_first"]
            print(f"deep page: first page's req/s ÷ deep page's = {ratio:.2f} (target ≤ 1.2)")
        results["worker_rss_mb"] = worker_rss_mb(servers[0].pid)
        print(f"largest service worker: {results['worker_rss_mb']:.0f} MB resident (target < 200)")
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
