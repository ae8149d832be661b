"""Small, fast specs of every kind, shared by the CLI and cross-backend tests."""

from __future__ import annotations

import numpy as np

from codesign._rng import derive_rng
from codesign.models.maxcut import petersen_graph


def _patterns(p: int, n: int, seed: int) -> np.ndarray:
    rng = derive_rng(seed, "tests", "patterns")
    return np.where(rng.random((p, n)) < 0.5, -1.0, 1.0)


def spec_mapping(kind: str) -> dict:
    """A spec (as a TOML-like mapping) of `kind` that runs in about a second."""
    run = {"t_end": 10.0, "points": 101}
    if kind == "hopfield":
        model = {
            "kind": "hopfield",
            "patterns": _patterns(3, 24, 1).tolist(),
            "gain": 4.0,
        }
        return {
            "seed": 3,
            "model": model,
            "run": run,
            "init": {"pattern": 1, "flip": 0.2},
        }
    if kind == "dense":
        model = {"kind": "dense", "patterns": _patterns(6, 16, 2).tolist(), "beta": 1.0}
        return {
            "seed": 3,
            "model": model,
            "run": run,
            "init": {"pattern": 2, "flip": 0.125},
        }
    if kind == "boltzmann":
        rng = derive_rng(5, "tests", "boltzmann")
        w = rng.normal(0, 0.4, (6, 6))
        w = np.triu(w, 1)
        w = w + w.T
        return {
            "seed": 3,
            "model": {
                "kind": "boltzmann",
                "weights": w.tolist(),
                "bias": rng.normal(0, 0.2, 6).tolist(),
            },
            "run": {"samples": 4000, "burn_in": 50, "chains": 16},
        }
    if kind == "kuramoto":
        omega = np.linspace(-0.5, 0.5, 8)
        return {
            "seed": 3,
            "model": {
                "kind": "kuramoto",
                "frequencies": omega.tolist(),
                "coupling": 2.0,
            },
            "run": run,
        }
    if kind == "oim":
        graph = petersen_graph()
        return {
            "seed": 3,
            "model": {
                "kind": "oim",
                "couplings": (-graph.adjacency.toarray()).tolist(),
            },
            "run": {"t_end": 40.0, "points": 101, "restarts": 8},
        }
    if kind == "lca":
        return lca_mapping((12, 20), derive_rng(6, "tests", "lca"), t_end=40.0)
    raise ValueError(kind)


def lca_mapping(shape: tuple[int, int], rng: np.random.Generator, t_end: float) -> dict:
    """A sparse-coding spec: unit-norm random atoms, a 3-sparse code, λ = 0.1."""
    m, n = shape
    phi = rng.normal(0, 1, (m, n))
    phi /= np.linalg.norm(phi, axis=0)
    code = np.zeros(n)
    code[[2, 7, 15]] = [1.5, -1.0, 0.8]
    return {
        "seed": 3,
        "model": {
            "kind": "lca",
            "dictionary": phi.tolist(),
            "signal": (phi @ code).tolist(),
            "lam": 0.1,
        },
        "run": {"t_end": t_end, "points": 101},
    }


KINDS = ("hopfield", "dense", "boltzmann", "kuramoto", "oim", "lca")
