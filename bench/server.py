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


def _healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
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
        yield process
    finally:
        _stop(process)


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
