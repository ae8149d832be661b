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
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

from .._errors import BackendUnavailable

log = logging.getLogger(__name__)

Task = Callable[[dict[str, Any]], dict[str, Any]]


class LocalExecutor:
    """A pool of `workers` local processes (all cores by default)."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalExecutor:
        context = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(self.workers, mp_context=context)
        log.info("sweep: %d local worker processes", self.workers)
        return self

    def __exit__(self, *exc) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def run(self, task: Task, jobs: Iterable[dict[str, Any]]) -> Iterator[dict]:
        pending = {self._pool.submit(task, job) for job in jobs}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()


class DaskExecutor:
    """Tasks on the Dask cluster whose scheduler listens at `address`."""

    def __init__(self, address: str):
        self.address = address
        self._client = None

    def __enter__(self) -> DaskExecutor:
        from distributed import Client

        try:
            self._client = Client(self.address, timeout="10s")
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
