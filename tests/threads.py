"""Running jobs at the same moment on threads of their own, for the concurrency tests on
PostgreSQL (each thread gets its own database connection, closed when its job ends)."""

import threading

from django.db import connection


def run_together(jobs):
    """Start every job at the same moment, each on its own thread; return results and errors."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)
    errors = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=30)
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - collected and asserted by the caller
            errors[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors
