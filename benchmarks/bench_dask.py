"""A sweep on a loopback Dask cluster with one worker process and with two."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common  # noqa: F401  (one-thread BLAS before numpy)
import numpy as np

from codesign.spec import spec_from_mapping
from codesign.sweep import DaskExecutor, run_sweep

DASK = str(Path(sys.executable).parent / "dask")


def _spec():
    rng = np.random.default_rng(0)
    patterns = rng.choice([-1.0, 1.0], (6, 120))
    return spec_from_mapping(
        {
            "seed": 2,
            "model": {"kind": "hopfield", "patterns": patterns.tolist(), "gain": 4.0},
            "init": {"pattern": 0, "flip": 0.2},
            "run": {"t_end": 20.0, "points": 101},
            "reference": {"rtol": 1e-10, "atol": 1e-12},
        }
    )


def _cluster_time(workers: int, samples: int) -> tuple[float, list]:
    folder = Path(tempfile.mkdtemp(prefix="codesign-dask-"))
    scheduler_file = folder / "scheduler.json"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    processes = [
        subprocess.Popen(
            [
                DASK,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(scheduler_file),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    ]
    try:
        while not scheduler_file.exists():
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        processes.append(
            subprocess.Popen(
                [
                    DASK,
                    "worker",
                    address,
                    "--nworkers",
                    str(workers),
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        executor = DaskExecutor(address)
        with executor:
            while len(executor._client.scheduler_info()["workers"]) < workers:
                time.sleep(0.1)
        start = time.perf_counter()
        result = run_sweep(
            _spec(),
            [("noise.mismatch", [0.2, 0.8])],
            samples,
            executor=DaskExecutor(address),
            progress=False,
        )
        return time.perf_counter() - start, result.rows
    finally:
        for process in reversed(processes):
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)


def run(quick: bool = True) -> list[dict]:
    samples = 12 if quick else 40
    one, rows_one = _cluster_time(1, samples)
    two, rows_two = _cluster_time(2, samples)
    ratio = one / two
    return [
        common.row(
            f"sweep on Dask: 2 workers vs 1 (hopfield n=120, {2 * samples} samples)",
            ours_s=two,
            peer_s=one,
            ratio=ratio,
            target=">= 1.8x",
            met=ratio >= 1.8,
            note=f"identical rows: {rows_one == rows_two}; 2 cores here",
        )
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
