"""Shared Lava runs: each (case, precision) runs on Lava's simulator once per session.

Lava simulates about 1,000–2,000 steps per second whatever the size, so the cases
here are short (≤ 1,000 steps) and every test that needs a run reuses the cached one.
"""

from __future__ import annotations

import numpy as np
import pytest

from codesign._rng import derive_rng
from codesign.backends import lava
from codesign.backends.lava.simulate import to_trace
from codesign.backends.reference import simulate as reference_simulate
from codesign.spec import spec_from_mapping
from tests.cases import lca_mapping

RUN = {"t_end": 10.0, "points": 101}


def _hopfield() -> dict:
    rng = derive_rng(1, "tests", "lava", "hopfield")
    patterns = np.where(rng.random((3, 24)) < 0.5, -1.0, 1.0)
    return {
        "seed": 3,
        "model": {"kind": "hopfield", "patterns": patterns.tolist(), "gain": 4.0},
        "init": {"pattern": 1, "flip": 0.2},
        "run": RUN,
    }


def _lca() -> dict:
    # a well-posed instance: every inactive atom's correlation is ≥ 0.024 below λ,
    # so its support does not hinge on the last bit
    rng = derive_rng(9, "tests", "lava", "lca")
    # the overcomplete code settles slowly: 80 time constants in 800 steps of 0.1
    return {**lca_mapping((16, 24), rng, t_end=80.0), "lava": {"dt": 0.1}}


def random_graph_couplings(n: int, seed: int, density: float = 0.5) -> np.ndarray:
    """J = −w of a random unweighted graph on n nodes (every node has an edge)."""
    rng = derive_rng(seed, "tests", "lava", "graph")
    upper = np.triu(rng.random((n, n)) < density, 1).astype(float)
    upper[np.arange(n - 1), np.arange(1, n)] = 1.0  # a path keeps it connected
    return -(upper + upper.T)


def _oim(seed: int) -> dict:
    return {
        "seed": seed,
        "model": {
            "kind": "oim",
            "couplings": random_graph_couplings(12, seed).tolist(),
        },
        "run": {"t_end": 10.0, "points": 101, "restarts": 16},
    }


def _kuramoto() -> dict:
    return {
        "seed": 3,
        "model": {
            "kind": "kuramoto",
            "frequencies": np.linspace(-0.5, 0.5, 8).tolist(),
            "coupling": 2.0,
        },
        "run": RUN,
    }


def _dense(separation: str) -> dict:
    rng = derive_rng(2, "tests", "lava", "dense")
    patterns = np.where(rng.random((6, 16)) < 0.5, -1.0, 1.0)
    model = {"kind": "dense", "patterns": patterns.tolist(), "separation": separation}
    return {
        "seed": 3,
        "model": model,
        "run": RUN,
        "init": {"pattern": 2, "flip": 0.125},
    }


def _boltzmann() -> dict:
    rng = derive_rng(5, "tests", "lava", "boltzmann")
    w = np.triu(rng.normal(0, 0.4, (6, 6)), 1)
    model = {
        "kind": "boltzmann",
        "weights": (w + w.T).tolist(),
        "bias": rng.normal(0, 0.2, 6).tolist(),
    }
    return {
        "seed": 3,
        "model": model,
        "run": {"samples": 4000, "burn_in": 20, "chains": 32},
    }


CASES = {
    "boltzmann": _boltzmann,
    "dense": lambda: _dense("softmax"),
    "dense-polynomial": lambda: _dense("polynomial"),
    "hopfield": _hopfield,
    "lca": _lca,
    "oim": lambda: _oim(11),
    "oim-2": lambda: _oim(12),
    "kuramoto": _kuramoto,
}


def case_spec(case: str, **lava_options):
    """The spec of `case` with `[lava]` values (over the case's own)."""
    raw = CASES[case]()
    raw["lava"] = {**raw.get("lava", {}), **lava_options}
    return spec_from_mapping(raw)


class LavaRuns:
    """Memoised Lava and reference runs of the cases."""

    def __init__(self):
        self._runs, self._references = {}, {}

    def spec(self, case: str, precision: str):
        return case_spec(case, precision=precision)

    def run(self, case: str, precision: str):
        """(compiled model, raw worker result, trace) of one case on Lava."""
        key = (case, precision)
        if key not in self._runs:
            spec = self.spec(case, precision)
            compiled = lava.compile(spec)
            raw = lava.run_worker(compiled, timeout=300)
            self._runs[key] = (compiled, raw, to_trace(spec, compiled, raw))
        return self._runs[key]

    def trace(self, case: str, precision: str):
        return self.run(case, precision)[2]

    def reference(self, case: str):
        if case not in self._references:
            self._references[case] = reference_simulate(self.spec(case, "float"))
        return self._references[case]


@pytest.fixture(scope="session")
def lava_runs() -> LavaRuns:
    assert lava.unavailable() is None, lava.unavailable()
    return LavaRuns()
