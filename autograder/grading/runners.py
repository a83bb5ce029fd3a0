"""Where submissions run: a local process pool, or the workers of a Dask cluster."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import as_completed as futures_completed

from autograder.grading.execute import Job, run_job


class LocalRunner:
    """Run jobs in ``workers`` local processes (default: one per core)."""

    def __init__(self, workers: int | None = None) -> None:
        if workers is not None and (not isinstance(workers, int) or workers < 1):
            raise ValueError(f"workers must be a positive integer, got {workers!r}")
        self.workers = workers or os.cpu_count() or 1
        self.where = f"{self.workers} local worker processes"
        # Workers start fresh (spawn): no inherited threads, sockets or gradebook connections.
        context = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(self.workers, mp_context=context)

    def submit(self, job: Job) -> Future:
        return self._pool.submit(run_job, job)

    def as_completed(self, futures: Iterable[Future]) -> Iterator[Future]:
        return futures_completed(list(futures))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskRunner:
    """Run each job as a task on the Dask scheduler at ``address``.

    Needs ``pip install dlcourse[cluster]`` (Dask distributed) here and on the workers, which
    must also have the course installed. dask-jobqueue starts such workers on SLURM or PBS.
    """

    def __init__(self, address: str) -> None:
        if not isinstance(address, str) or not address:
            raise ValueError("a Dask scheduler address looks like tcp://host:8786")
        try:
            from distributed import Client
        except ImportError as err:  # pragma: no cover - depends on the install
            raise RuntimeError(
                "grading on a Dask cluster needs Dask: pip install 'dlcourse[cluster]'"
            ) from err
        self._client = Client(address, timeout=30)
        workers = len(self._client.scheduler_info().get("workers", {}))
        self.where = f"the Dask cluster at {address} ({workers} workers)"

    def submit(self, job: Job):
        # pure=False: regrading the same submission must run it again.
        key = f"grade-{job.student}-{os.urandom(4).hex()}"
        return self._client.submit(run_job, job, pure=False, key=key)

    def as_completed(self, futures):
        from distributed import as_completed

        return as_completed(list(futures))

    def close(self) -> None:
        self._client.close()
