"""Where sweep tasks run: local worker processes, or a Dask cluster.

Both run plain functions on plain data and yield results as they finish. ngspice's
shared library is not re-entrant, so local workers are separate processes (started
with ``spawn``, one ngspice each), never threads. Every executor is a context
manager that stops what it started, also on failure or interrupt.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

from .._errors import BackendUnavailable, ValidationError

log = logging.getLogger(__name__)

Task = Callable[[dict[str, Any]], dict[str, Any]]

PARENT_POLL = 0.5  # seconds between a local worker's checks that its sweep is alive


class LocalExecutor:
    """A pool of `workers` local processes (all cores by default)."""

    def __init__(self, workers: int | None = None):
        if workers is not None and (isinstance(workers, bool) or workers < 1):
            raise ValidationError("--workers", "must be >= 1", workers)
        self.workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalExecutor:
        context = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(
            self.workers,
            mp_context=context,
            initializer=end_with_parent,
            initargs=(os.getpid(),),
        )
        log.info("sweep: %d local worker processes", self.workers)
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is not None:
            # failure or interrupt: stop the workers now, not after their samples
            for process in list(getattr(self._pool, "_processes", {}).values()):
                process.terminate()
        self._pool.shutdown(wait=exc_type is None, cancel_futures=True)

    def run(self, task: Task, jobs: Iterable[dict[str, Any]]) -> Iterator[dict]:
        pending = {self._pool.submit(task, job) for job in jobs}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()


def end_with_parent(parent: int, interval: float = PARENT_POLL) -> None:
    """Worker initializer: exit as soon as process `parent` is gone.

    A sweep killed outright (``kill -9``) cannot stop its pool, and pool workers
    would otherwise live on as orphans; each one watches its parent instead.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="codesign-end-with-parent", daemon=True).start()


class DaskExecutor:
    """Tasks on the Dask cluster whose scheduler listens at `address`."""

    def __init__(self, address: str, timeout: str = "10s"):
        self.address = address
        self.timeout = timeout
        self._client = None

    def __enter__(self) -> DaskExecutor:
        from distributed import Client

        try:
            self._client = Client(self.address, timeout=self.timeout)
        except ValueError as error:
            raise ValidationError(
                "--scheduler",
                f"must be a Dask scheduler address like tcp://HOST:PORT ({error})",
                self.address,
            ) from None
        except OSError as error:
            raise BackendUnavailable(
                f"no Dask scheduler answered at {self.address} ({error}); start one "
                "with `dask scheduler` and workers with `dask worker ADDRESS`"
            ) from None
        workers = len(self._client.scheduler_info().get("workers", {}))
        log.info("sweep: Dask cluster at %s with %d workers", self.address, workers)
        return self

    def __exit__(self, *exc) -> None:
        self._client.close()

    def run(self, task: Task, jobs: Iterable[dict[str, Any]]) -> Iterator[dict]:
        from distributed import as_completed

        futures = self._client.map(task, list(jobs), pure=False)
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            self._client.cancel(futures)


class InlineExecutor:
    """Tasks run one after another in this process (tests, debugging)."""

    def __enter__(self) -> InlineExecutor:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def run(self, task: Task, jobs: Iterable[dict[str, Any]]) -> Iterator[dict]:
        for job in jobs:
            yield task(job)


class LoopbackCluster:
    """A Dask scheduler and `workers` worker processes on 127.0.0.1.

    Started from this Python's environment (``dask scheduler``, ``dask worker``),
    each in its own process group, and stopped on leaving the context, also on
    failure: for tests, benchmarks and trying `--scheduler` on one machine. Each
    group is led by a watcher (`codesign.sweep._watch`) that ends it when this
    process is gone, so a killed owner leaves no cluster behind.
    """

    def __init__(self, workers: int = 2, timeout: float = 60.0):
        self.workers = workers
        self.timeout = timeout
        self.address: str | None = None
        self._processes: list = []
        self._folder: str | None = None

    def __enter__(self) -> LoopbackCluster:
        import json
        import subprocess
        import sys
        import tempfile
        import time
        from pathlib import Path

        # each command runs under a watcher that ends it if we are killed outright
        watched = [sys.executable, "-m", "codesign.sweep._watch", str(os.getpid())]
        dask = str(Path(sys.executable).parent / "dask")
        folder = Path(tempfile.mkdtemp(prefix="codesign-dask-"))
        self._folder = str(folder)
        scheduler_file = folder / "scheduler.json"
        quiet = {
            "stdout": subprocess.DEVNULL,
            "stderr": subprocess.DEVNULL,
            "start_new_session": True,
        }
        try:
            self._processes.append(
                subprocess.Popen(
                    [
                        *watched,
                        "--remove",
                        str(folder),
                        dask,
                        "scheduler",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--no-dashboard",
                        "--scheduler-file",
                        str(scheduler_file),
                    ],
                    **quiet,
                )
            )
            deadline = time.monotonic() + self.timeout
            while not scheduler_file.exists():
                if time.monotonic() > deadline:
                    raise BackendUnavailable(
                        "the loopback Dask scheduler did not start"
                    )
                time.sleep(0.1)
            self.address = json.loads(scheduler_file.read_text())["address"]
            self._processes.append(
                subprocess.Popen(
                    [
                        *watched,
                        dask,
                        "worker",
                        self.address,
                        "--nworkers",
                        str(self.workers),
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                    ],
                    **quiet,
                )
            )
            self._wait_for_workers(deadline)
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_for_workers(self, deadline: float) -> None:
        import time

        from distributed import Client

        with Client(self.address, timeout="10s") as client:
            while len(client.scheduler_info()["workers"]) < self.workers:
                if time.monotonic() > deadline:
                    raise BackendUnavailable(
                        f"only {len(client.scheduler_info()['workers'])} of "
                        f"{self.workers} Dask workers started"
                    )
                time.sleep(0.1)

    def __exit__(self, *exc) -> None:
        import signal
        import subprocess

        for process in reversed(self._processes):
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for process in self._processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            _wait_for_group(process.pid, timeout=20)
        self._processes.clear()
        if self._folder is not None:  # the scheduler file's folder
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


def _wait_for_group(group: int, timeout: float) -> None:
    """Wait until no process of `group` is left; after `timeout`, kill the rest
    and give them a few seconds more (an unreaped zombie would never leave)."""
    for grace in (timeout, 5.0):
        end = time.monotonic() + grace
        while time.monotonic() < end:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        try:
            os.killpg(group, signal.SIGKILL)
        except ProcessLookupError:
            return
