"""A sweep on a loopback Dask cluster with one worker process and with two.

Each sample is an annealed oscillator Ising machine on a 60-node graph (about a
second of work), so that the measured ratio is the parallel speed-up rather than
the scheduler's per-task overhead; workers are warmed up (imports done) before
timing, and each sweep is timed three times (the best counts).
"""

from __future__ import annotations

import common  # noqa: F401  (one-thread BLAS before numpy)
import numpy as np

from codesign.models.maxcut import random_graph
from codesign.spec import spec_from_mapping
from codesign.sweep import DaskExecutor, LoopbackCluster, run_sweep


def _spec():
    graph = random_graph(60, 0.1, np.random.default_rng(0))
    return spec_from_mapping(
        {
            "seed": 2,
            "model": {
                "kind": "oim",
                "couplings": (-graph.adjacency.toarray()).tolist(),
            },
            "run": {"t_end": 20.0, "points": 11, "restarts": 8},
        }
    )


def _cluster_time(workers: int, samples: int) -> tuple[float, float, list]:
    """(best seconds, spread, rows) of the same sweep run three times."""
    spec = _spec()
    with LoopbackCluster(workers) as cluster:
        executor = DaskExecutor(cluster.address)
        run_sweep(
            spec,
            [("noise.mismatch", [0.05])],
            workers,
            executor=executor,
            progress=False,
        )  # warm-up: every worker imports codesign

        def sweep():
            return run_sweep(
                spec,
                [("noise.mismatch", [0.2, 0.8])],
                samples,
                executor=DaskExecutor(cluster.address),
                progress=False,
            ).rows

        return common.timed(sweep)


def run(quick: bool = True) -> list[dict]:
    samples = 8 if quick else 24
    one, spread_one, rows_one = _cluster_time(1, samples)
    two, spread_two, rows_two = _cluster_time(2, samples)
    ratio = one / two
    return [
        common.row(
            f"sweep on Dask: 2 workers vs 1 (oim n=60, {2 * samples} samples)",
            ours_s=two,
            peer_s=one,
            ratio=ratio,
            spread=max(spread_one, spread_two),
            target=">= 1.8x",
            met=ratio >= 1.8,
            note=f"best of 3; identical rows: {rows_one == rows_two}; 2 cores here",
        )
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
