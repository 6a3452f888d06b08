"""Serve the app the way production does: gunicorn, production settings, hashed static files."""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(*arguments: str, env: dict) -> None:
    """Run a management command in its own process with the benchmark's environment."""
    subprocess.run([str(PYTHON), "manage.py", *arguments], cwd=ROOT, env=env, check=True)


def collectstatic(env: dict) -> None:
    # Production pages name static files through the manifest, so rendering fails without it.
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)


def _healthy(port: int, timeout: float = 2) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn(*, env: dict, port: int, workers: int, threads: int, log_path: Path):
    """Run gunicorn on 127.0.0.1:`port` until the block ends, however it ends."""
    command = [
        str(GUNICORN),
        "promptvault.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--error-logfile",
        str(log_path),
        "--timeout",
        "60",
    ]
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        # Its own process group, so stopping it also stops its workers and nothing else.
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while not _healthy(port):
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early; see {log_path}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer /healthz in 60 s; see {log_path}")
            time.sleep(0.25)
        yield Server(process, port, env["DATABASE_URL"])
    finally:
        _stop(process)


def _cpu_ticks(parent_pid: int) -> int:
    """CPU time (clock ticks) used so far by `parent_pid` and its children: the workers."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        # After the command name: state, ppid, ..., utime and stime are the 12th and 13th.
        if pid == parent_pid or int(fields[1]) == parent_pid:
            total += int(fields[11]) + int(fields[12])
    return total


class Server:
    """The running gunicorn, and a way to tell when it has finished all the work sent to it."""

    QUIET_CHECKS = 3
    CHECK_INTERVAL = 0.05

    def __init__(self, process: subprocess.Popen, port: int, database_url: str):
        self.process, self.port, self.database_url = process, port, database_url

    def wait_until_idle(self, timeout: float = 120) -> float:
        """Block until requests left over from a load run are done; returns the seconds waited.

        A load tool that stops on time leaves requests queued or running in the server, and
        they would slow down whatever is measured next. A health check answered after the
        load stopped means every earlier connection has been taken by a worker; the workers
        are then idle once they use no CPU and none of their queries is running.
        """
        import psycopg

        started = time.monotonic()
        if not _healthy(self.port, timeout=timeout):
            raise RuntimeError("gunicorn stopped answering after a load run")
        quiet = 0
        last = _cpu_ticks(self.process.pid)
        with psycopg.connect(self.database_url, autocommit=True) as database:
            while quiet < self.QUIET_CHECKS:
                if time.monotonic() - started > timeout:
                    raise RuntimeError(f"gunicorn was still busy {timeout:.0f} s after a load run")
                time.sleep(self.CHECK_INTERVAL)
                ticks = _cpu_ticks(self.process.pid)
                (running,) = database.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND backend_type = 'client backend' AND state = 'active' "
                    "AND pid <> pg_backend_pid()"
                ).fetchone()
                quiet = quiet + 1 if ticks == last and not running else 0
                last = ticks
        return time.monotonic() - started


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
