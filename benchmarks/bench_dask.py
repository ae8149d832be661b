"""A sweep on a loopback Dask cluster with one worker process and with two."""

from __future__ import annotations

import time

import common  # noqa: F401  (one-thread BLAS before numpy)
import numpy as np

from codesign.spec import spec_from_mapping
from codesign.sweep import DaskExecutor, LoopbackCluster, run_sweep


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
    with LoopbackCluster(workers) as cluster:
        start = time.perf_counter()
        result = run_sweep(
            _spec(),
            [("noise.mismatch", [0.2, 0.8])],
            samples,
            executor=DaskExecutor(cluster.address),
            progress=False,
        )
        return time.perf_counter() - start, result.rows


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
