"""Boltzmann sampling on Lava: `StochasticNeuron`s, one colour class per step, chains
side by side, spikes only when a spin flips."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..._rng import derive_rng
from ..._types import Array
from ...models import BoltzmannModel
from ...noise import noise_seed, realise
from ...spec import Spec
from ._program import PROTOCOL, Compiled, check_units, fanout_counts, realised_devices
from .scaling import (
    fractional_bits,
    quantisation_budget,
    quantised_synapses,
    weight_bits,
)
from .worker import fixed_point as fp


def colouring(weights: Array) -> np.ndarray:
    """A greedy proper colouring of the coupling graph (W_ij ≠ 0), largest degree
    first: units of one colour are never coupled, so they update together."""
    coupled = weights != 0
    colours = np.full(len(weights), -1)
    for unit in np.argsort(-coupled.sum(axis=1), kind="stable"):
        taken = set(colours[coupled[unit]].tolist())
        colours[unit] = next(c for c in range(len(weights)) if c not in taken)
    return colours


def compile_boltzmann(spec: Spec, options: dict[str, Any]) -> Compiled:
    """Gibbs sampling of P(s) ∝ exp(−E(s)/T) on `StochasticNeuron`s.

    Each step updates one colour class by heat bath, s_i = +1 with probability
    σ(2(Σ_j W_ij s_j + b_i)/T); a sweep is one step per colour, and the samples are
    the states after each sweep beyond `burn_in`, chains interleaved like the
    reference's.
    """
    # chains side by side; one sweep is one step per colour class
    realised_devices(spec)
    model: BoltzmannModel = realise(spec.model, spec.table("noise"), noise_seed(spec))
    run, n = spec.run, spec.model.n
    colours = colouring(model.weights)
    n_colours = int(colours.max()) + 1
    rows = -(-run.samples // run.chains)
    ticks = 1 + (run.burn_in + rows) * n_colours

    # starts and uniform integers from the seed: chain 0 starts at x0
    rng = derive_rng(spec.seed, "lava", "gibbs")
    starts = np.where(rng.random((run.chains, n)) < 0.5, -1, 1)
    starts[0] = np.where(np.asarray(spec.x0) >= 0, 1, -1)
    uniforms = rng.integers(0, 1 << 16, (ticks - 1, run.chains * n))
    check_units(run.chains * n, "run.chains", run.chains)
    weights = np.kron(np.eye(run.chains), model.weights)
    shape = {
        "protocol": PROTOCOL,
        "family": "stochastic",
        "stride": n_colours,
        "rows": rows,
        "ticks": ticks,
    }
    neuron = {"n_colors": n_colours, "skip": run.burn_in + 1}
    arrays = {"colors": np.tile(colours, run.chains), "uniforms": uniforms}
    if options["precision"] == "float":
        arrays.update(
            weights_0=weights,
            fanout=fanout_counts(weights),
            s0=starts.ravel().astype(float),
            table=np.zeros(1),
            bias=np.tile(model.bias, run.chains),
        )
        program = {
            **shape,
            "precision": "float",
            "neuron": {**neuron, "temperature": model.temperature},
            "dense": [{"weight_exp": 0, "weight_bits": 8}],
        }
        return Compiled(spec.kind, program, arrays, 1.0, run.chains, {})
    return fixed_boltzmann(model, spec, weights, starts, shape, neuron, arrays, options)


def fixed_boltzmann(
    model: BoltzmannModel,
    spec: Spec,
    weights: Array,
    starts: np.ndarray,
    shape: dict[str, Any],
    neuron: dict[str, Any],
    arrays: dict[str, np.ndarray],
    options: dict[str, Any],
) -> Compiled:
    # the field u = W s + b in state_bits; spikes are changes of s (0, ±2)
    field_range = float(
        np.max(np.sum(np.abs(model.weights), axis=1) + np.abs(model.bias))
    )
    frac = fractional_bits(field_range, options["state_bits"], options["margin"])
    real = weights * 2.0**frac
    options = {**options, "weight_bits": weight_bits(options)}
    synapses, dense, kept = quantised_synapses(real, 2, options)

    # P(+1) = σ(2h/T) by look-up, 16-bit, over the field range (beyond: 0 or 1)
    k, temperature = options["table_bits"], model.temperature
    reach = max(min(options["margin"] * field_range, 8 * temperature) * 2**frac, 1)
    shift = max(0, math.ceil(math.log2(reach)) - (k - 1))
    centres = (np.arange(1 << k) - (1 << (k - 1)) + 0.5) * 2.0**shift / 2**frac
    table = np.round(65536 / (1 + np.exp(-2 * centres / temperature)))
    grid = np.linspace(-reach, reach, 20001).astype(np.int64)
    exact = 1 / (1 + np.exp(-2 * grid / 2**frac / temperature))
    table_error = float(
        np.max(np.abs(exact - fp.table_lookup(grid, table, shift) / 65536))
    )

    arrays = {
        **arrays,
        **synapses,
        "table": table.astype(np.int64),
        "s0": starts.ravel().astype(np.int64),
        "bias": np.round(np.tile(model.bias, spec.run.chains) * 2**frac).astype(
            np.int64
        ),
    }
    program = {
        **shape,
        "precision": "fixed",
        "neuron": {**neuron, "shift": shift},
        "dense": dense,
    }
    budget = quantisation_budget(real, kept, 2.0**-frac, 2.0**-frac, table_error, 0.0)
    budget["weight_bits"] = options["weight_bits"]
    return Compiled(spec.kind, program, arrays, 1.0, spec.run.chains, budget)
