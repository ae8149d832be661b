"""The oscillator Ising machine (reference) on G-set graphs, against the best-known
cuts and against simulated annealing (dwave-samplers): the time annealing needs to
reach the cut the OIM found."""

from __future__ import annotations

import time
from pathlib import Path

import common  # noqa: F401  (one-thread BLAS before numpy)
import numpy as np

from codesign import simulate
from codesign.models import read_rudy
from codesign.spec import spec_from_mapping

GSET = Path(__file__).resolve().parent / "gset"
BEST_KNOWN = {"G1": 11624, "G2": 11620, "G3": 11622}


def _oim(name: str) -> tuple[float, float]:
    spec = spec_from_mapping(
        {
            "seed": 1,
            # a longer, noisier anneal than the defaults (chosen on G1 with seed 1;
            # seeds 2 and 3 on G1, and G2 and G3, all stayed above 99.6 %)
            "model": {
                "kind": "oim",
                "graph": str(GSET / f"{name}.txt"),
                "shil": 0.5,
                "noise": 1.0,
                "anneal": 0.9,
            },
            "run": {"t_end": 150.0, "points": 11, "restarts": 16},
            "reference": {"integrator": "heun", "dt": 0.02},
        }
    )
    start = time.perf_counter()
    trace = simulate(spec, "reference")
    return float(trace.extras["cut"]), time.perf_counter() - start


def _annealing_time_to(graph, cut: float, reads: int = 8) -> tuple[float, float]:
    """Seconds simulated annealing needs to reach `cut` (sweeps doubled until it
    does), and the cut it reached."""
    from dwave.samplers import SimulatedAnnealingSampler

    sampler = SimulatedAnnealingSampler()
    couplings = {
        (int(i), int(j)): float(w)
        for (i, j), w in zip(graph.edges, graph.weights, strict=True)
    }
    best, sweeps = -np.inf, 125
    while sweeps <= 64_000:
        start = time.perf_counter()
        answer = sampler.sample_ising(
            {}, couplings, num_reads=reads, num_sweeps=sweeps, seed=1
        )
        elapsed = time.perf_counter() - start
        best = (graph.total_weight - answer.first.energy) / 2
        if best >= cut:
            return elapsed, best
        sweeps *= 2
    return elapsed, best


def run(quick: bool = True) -> list[dict]:
    rows = []
    for name in ["G1", "G2", "G3"]:
        cut, seconds = _oim(name)
        graph = read_rudy(GSET / f"{name}.txt")
        sa_seconds, sa_cut = _annealing_time_to(graph, cut)
        ratio = cut / BEST_KNOWN[name]
        rows.append(
            common.row(
                f"OIM on {name} (n=800) vs best-known cut and simulated annealing",
                ours_s=seconds,
                peer_s=sa_seconds,
                ratio=ratio,
                target=">= 0.995 of best",
                met=ratio >= 0.995,
                note=(
                    f"cut {cut:.0f} of best-known {BEST_KNOWN[name]}; "
                    f"dwave-samplers SA reached {sa_cut:.0f} in {sa_seconds:.2f} s "
                    f"(OIM took {seconds:.1f} s)"
                ),
            )
        )
    return rows


if __name__ == "__main__":
    for line in run():
        print(line)
