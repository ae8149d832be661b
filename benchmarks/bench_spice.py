"""SPICE backend: the factored Hopfield circuit against the all-to-all one.

A Hebbian memory (p = 8 patterns, gain 4, start 20 % flipped) is compiled both
ways and simulated in ngspice through the shared library; the times are the whole
`simulate` call (netlist build, ngspice, read-back). "ours" is the factored
two-layer circuit (2·n·p + n synapses), "peer" the all-to-all circuit (n²
synapses), whose dense LU dominates. Both must retrieve the stored pattern and
agree with the exact ODE.

    python benchmarks/bench_spice.py          # quick: n = 100, 200, 400 both ways
    python benchmarks/bench_spice.py --full   # n = 100, 200, 300, 400 both ways

Both modes end with the factored circuit alone at n = 1000 (target: 10 s).
"""

from __future__ import annotations

import sys
import time

import common  # noqa: F401  (one-thread BLAS before numpy)
import numpy as np

from codesign.backends import spice
from codesign.backends.reference import run_model
from codesign.compare import nrmse
from codesign.spec import spec_from_mapping

PATTERNS = 8
TARGET_RATIO = 100.0


def memory_spec(n: int, topology: str):
    """A Hebbian memory of `n` neurons, p = 8, wired as `topology`."""
    rng = np.random.default_rng(n)
    patterns = np.where(rng.random((PATTERNS, n)) < 0.5, -1.0, 1.0)
    return spec_from_mapping(
        {
            "seed": 1,
            "model": {"kind": "hopfield", "patterns": patterns.tolist(), "gain": 4.0},
            "init": {"pattern": 0, "flip": 0.2},
            "run": {"t_end": 10.0, "points": 101},
            "spice": {"topology": topology},
        }
    ), patterns[0]


def timed(n: int, topology: str) -> dict:
    """One simulation: wall time, retrieval and NRMSE against the exact ODE."""
    spec, pattern = memory_spec(n, topology)
    start = time.perf_counter()
    trace = spice.simulate(spec)
    seconds = time.perf_counter() - start
    reference = run_model(spec.model, spec.x0, spec.run)
    return {
        "seconds": seconds,
        "retrieved": bool(np.array_equal(trace.readout, pattern)),
        "nrmse": nrmse(reference, trace),
        "devices": int(trace.extras["devices"]),
    }


def result_row(n: int, ours: dict, peer: dict) -> dict:
    """One result row; the ratio is the all-to-all time over the factored."""
    case = f"factored vs all-to-all SPICE, n={n}"
    target = f">= {TARGET_RATIO:g}x" if n == 400 else "faster"
    note = (
        f"factored: {ours['devices']} elements, NRMSE {ours['nrmse']:.1e}, "
        f"retrieved {ours['retrieved']}; all-to-all: {peer['devices']} elements, "
        f"NRMSE {peer['nrmse']:.1e}, retrieved {peer['retrieved']}"
    )
    ratio = peer["seconds"] / ours["seconds"]
    met = ratio >= TARGET_RATIO if n == 400 else ratio > 1
    return common.row(
        case,
        ours_s=ours["seconds"],
        peer_s=peer["seconds"],
        target=target,
        met=met and ours["retrieved"],
        note=note,
    )


def run(quick: bool = True) -> list[dict]:
    """Time both wirings for each n, then the factored circuit alone at n = 1000."""
    # the all-to-all circuit at n = 400 alone takes about 230 s here
    sizes = (100, 200, 400) if quick else (100, 200, 300, 400)
    rows = [result_row(n, timed(n, "factored"), timed(n, "all_to_all")) for n in sizes]
    large = timed(1000, "factored")
    rows.append(
        common.row(
            "SPICE at n=1000 (factored Hebbian memory, p=8)",
            ours_s=large["seconds"],
            peer_s=10.0,
            ratio=10.0 / large["seconds"],
            target="<= 10 s",
            met=large["seconds"] <= 10.0 and large["retrieved"],
            note=(
                f"{large['devices']} elements, NRMSE {large['nrmse']:.1e}, "
                f"retrieved {large['retrieved']}; peer column is the 10 s budget"
            ),
        )
    )
    return rows


if __name__ == "__main__":
    for result in run(quick="--full" not in sys.argv):
        print(
            f"{result['case']}: ours {result['ours_s']:.2f} s, peer "
            f"{result['peer_s']:.2f} s, ratio {result['ratio']:.1f}x (target "
            f"{result['target']}, met {result['met']}); {result['note']}"
        )
