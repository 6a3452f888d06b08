"""Drive one URL with N concurrent clients for a fixed time, from a separate process.

`measure` runs `wrk` when it is installed (it costs the shared CPU least) and otherwise this
file as a script: Python threads, each with its own keep-alive connection, recording every
request's latency. Both print the same JSON summary. Only 127.0.0.1 is ever contacted.
"""

import argparse
import http.client
import json
import math
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

WRK_SCRIPT = Path(__file__).with_name("wrk.lua")
REQUEST_TIMEOUT = 30
MAX_REQUESTS_PER_CLIENT = 1_000_000


def _local_url(url: str):
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname != "127.0.0.1":
        raise ValueError(f"The benchmark only talks to http://127.0.0.1, not {url!r}.")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.hostname, parts.port or 80, path


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def measure(url: str, *, duration: float, clients: int, headers: dict, tool: str = "auto") -> dict:
    """Load `url` for `duration` seconds; returns requests, rps, latency percentiles (ms) and
    errors (every response that is not a 200, plus connection failures)."""
    _local_url(url)
    if tool == "wrk" or (tool == "auto" and wrk_available()):
        return _measure_wrk(url, duration=duration, clients=clients, headers=headers)
    return _measure_python(url, duration=duration, clients=clients, headers=headers)


def _measure_wrk(url: str, *, duration: float, clients: int, headers: dict) -> dict:
    # One wrk thread drives all connections through epoll; more would take CPU from the server.
    command = [
        "wrk",
        "--threads",
        "1",
        "--connections",
        str(clients),
        "--duration",
        f"{max(1, round(duration))}s",
        "--timeout",
        f"{REQUEST_TIMEOUT}s",
        "--script",
        str(WRK_SCRIPT),
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    command.append(url)
    finished = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + REQUEST_TIMEOUT + 30
    )
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed: {finished.stderr.strip() or finished.stdout.strip()}")
    line = [row for row in finished.stdout.splitlines() if row.startswith("{")][-1]
    raw = json.loads(line)
    seconds = raw["duration_us"] / 1_000_000
    failures = raw["connect_errors"] + raw["read_errors"] + raw["write_errors"] + raw["timeouts"]
    return {
        "tool": "wrk",
        "requests": raw["requests"],
        "seconds": round(seconds, 3),
        "rps": raw["requests"] / seconds if seconds else 0.0,
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "mean_ms": raw["mean_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "quantiles_ms": [value / 1000 for value in raw["quantiles_us"]],
        "errors": raw["not_ok"] + failures,
        "error_detail": {
            "not_200": raw["not_ok"],
            "connect": raw["connect_errors"],
            "read": raw["read_errors"],
            "write": raw["write_errors"],
            "timeout": raw["timeouts"],
        },
    }


def _measure_python(url: str, *, duration: float, clients: int, headers: dict) -> dict:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        url,
        "--duration",
        str(duration),
        "--clients",
        str(clients),
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    finished = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + REQUEST_TIMEOUT + 30
    )
    if finished.returncode != 0:
        raise RuntimeError(f"load client failed: {finished.stderr.strip()}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


def combine(slices: list[dict]) -> dict:
    """One page's figures from slices measured at different moments: rates from the summed
    requests and time, percentiles from the slices' percentile points weighted by their
    request counts (exact for a single slice, within a percentile rank otherwise)."""
    if len(slices) == 1:
        return {**slices[0], "slices": 1}
    requests = sum(part["requests"] for part in slices)
    seconds = sum(part["seconds"] for part in slices)
    points = sorted(
        (value, part["requests"] / len(part["quantiles_ms"]))
        for part in slices
        for value in part["quantiles_ms"]
    )

    def merged(share: float) -> float:
        wanted = share * requests
        seen = 0.0
        for value, weight in points:
            seen += weight
            if seen >= wanted - 1e-9:
                return value
        return points[-1][0] if points else 0.0

    detail = Counter()
    for part in slices:
        detail.update(part["error_detail"])
    return {
        "tool": slices[0]["tool"],
        "slices": len(slices),
        "requests": requests,
        "seconds": round(seconds, 3),
        "rps": requests / seconds if seconds else 0.0,
        "slice_rps": [round(part["rps"], 1) for part in slices],
        "p50_ms": merged(0.50),
        "p95_ms": merged(0.95),
        "p99_ms": merged(0.99),
        "mean_ms": (
            sum(part["mean_ms"] * part["requests"] for part in slices) / requests
            if requests
            else 0.0
        ),
        "max_ms": max(part["max_ms"] for part in slices),
        "errors": sum(part["errors"] for part in slices),
        "error_detail": dict(detail),
        "drain_seconds": round(sum(part.get("drain_seconds", 0) for part in slices), 2),
    }


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(share * len(sorted_values)))
    return sorted_values[rank - 1]


class Client(threading.Thread):
    """One simulated browser: a keep-alive connection, one request at a time."""

    def __init__(self, host: str, port: int, path: str, headers: dict, deadline: float):
        super().__init__(daemon=True)
        self.host, self.port, self.path, self.headers = host, port, path, headers
        self.deadline = deadline
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()
        self.failures = 0
        self.bytes = 0

    def run(self) -> None:
        connection = None
        while time.perf_counter() < self.deadline and len(self.latencies) < (
            MAX_REQUESTS_PER_CLIENT
        ):
            if connection is None:
                connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=REQUEST_TIMEOUT
                )
            started = time.perf_counter()
            try:
                connection.request("GET", self.path, headers=self.headers)
                response = connection.getresponse()
                self.bytes += len(response.read())
            except (OSError, http.client.HTTPException):
                self.failures += 1
                connection.close()
                connection = None
                continue
            self.latencies.append(time.perf_counter() - started)
            self.statuses[response.status] += 1
            if response.will_close:
                connection.close()
                connection = None
        if connection is not None:
            connection.close()


def run_clients(url: str, *, duration: float, clients: int, headers: dict) -> dict:
    host, port, path = _local_url(url)
    started = time.perf_counter()
    workers = [Client(host, port, path, headers, started + duration) for _ in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(duration + REQUEST_TIMEOUT + 5)
    seconds = time.perf_counter() - started
    latencies = sorted(value for worker in workers for value in worker.latencies)
    statuses = sum((worker.statuses for worker in workers), Counter())
    failures = sum(worker.failures for worker in workers)
    not_200 = sum(count for status, count in statuses.items() if status != 200)
    return {
        "tool": "python",
        "requests": len(latencies),
        "seconds": round(seconds, 3),
        "rps": len(latencies) / seconds if seconds else 0.0,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "mean_ms": (sum(latencies) / len(latencies) * 1000) if latencies else 0.0,
        "max_ms": (latencies[-1] * 1000) if latencies else 0.0,
        "quantiles_ms": [percentile(latencies, rank / 100) * 1000 for rank in range(1, 101)],
        "errors": not_200 + failures,
        "error_detail": {"not_200": not_200, "connection": failures},
        "statuses": {str(status): count for status, count in sorted(statuses.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--header", action="append", default=[], help="'Name: value'")
    args = parser.parse_args()
    headers = dict(item.split(": ", 1) for item in args.header)
    result = run_clients(args.url, duration=args.duration, clients=args.clients, headers=headers)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
