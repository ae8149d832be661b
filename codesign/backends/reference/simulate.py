"""The reference backend: the ideal dynamics of each model, integrated exactly.

| kind | how |
| --- | --- |
| hopfield, dense, lca, kuramoto | adaptive solver (scipy, DOP853 by default) |
| oim | batched Euler–Maruyama over `restarts` annealed runs; the best cut is kept |
| boltzmann | Glauber (heat-bath) Gibbs sampling over parallel chains |

A model with noise (σ(t) > 0 at any time) always uses the fixed-step integrator.
`simulate_ensemble` integrates many initial states at once for Monte Carlo.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.special import expit

from ..._rng import derive_rng
from ..._types import Array, State
from ...models import AbstractModel, BoltzmannModel, OIMModel
from ...noise import check_realised, noise_seed, realise
from ...spec import REFERENCE, RunConfig, Spec
from ...trace import Trace
from .integrate import (
    TABLEAUX,
    solve_adaptive,
    solve_batched_adaptive,
    solve_fixed,
)

log = logging.getLogger(__name__)

NAME = "reference"


def simulate(spec: Spec) -> Trace:
    """Run the spec's model, realised under its ``[noise]``, and return its trace."""
    check_realised(spec, NAME)
    model = realise(
        spec.model, spec.table("noise"), noise_seed(spec), spec.table("spice") or None
    )
    return run_model(model, spec.x0, spec.run, spec.table("reference"), spec.seed)


def run_model(
    model: AbstractModel,
    x0: State,
    run: RunConfig,
    options: Mapping[str, Any] | None = None,
    seed: int = 0,
) -> Trace:
    """Integrate (or sample) `model` from `x0` as `run` says."""
    options = {**REFERENCE.parse({}, base_dir=None), **(options or {})}
    start = time.perf_counter()
    if model.kind == "boltzmann":
        trace = _sample(model, x0, run, seed)
    elif model.kind == "oim":
        trace = _anneal(model, x0, run, options, seed)
    else:
        trace = _integrate(model, x0, run, options, seed)
    trace.extras["wall_time"] = np.array(time.perf_counter() - start)
    return trace


def _integrate(
    model: AbstractModel,
    x0: State,
    run: RunConfig,
    options: Mapping[str, Any],
    seed: int,
) -> Trace:
    ts = run.times
    fixed = options["solver"] == "fixed" or (
        options["solver"] == "auto" and _is_noisy(model, ts)
    )
    if fixed:
        xs = simulate_ensemble(model, x0[None, :], ts, options, seed)[:, 0]
    else:
        log.info(
            "integrating %s with %s (rtol %g)",
            model.kind,
            options["method"],
            options["rtol"],
        )
        xs = solve_adaptive(
            model.vector_field,
            ts,
            x0,
            method=options["method"],
            rtol=options["rtol"],
            atol=options["atol"],
        )
    extras = {"settle_time": np.array(model.settle_time(run.t_end))}
    if model.kind == "kuramoto":
        extras["order_parameter"] = model.order_parameter(xs)[0]
    return Trace(ts, xs, model.energy(xs), model.readout(xs[-1]), NAME, extras)


def simulate_ensemble(
    model: AbstractModel,
    x0s: State,
    ts: Array,
    options: Mapping[str, Any] | None = None,
    seed: int = 0,
) -> Array:
    """Integrate a batch of starts (B, d) at once; states at `ts`, (T, B, d).

    Noisy models (or ``solver = "fixed"``) use the fixed-step scheme with
    Euler–Maruyama noise; deterministic ones the batched Dormand–Prince solver
    with one shared step, to the options' rtol and atol.
    """
    options = {**REFERENCE.parse({}, base_dir=None), **(options or {})}
    noisy = _is_noisy(model, ts)
    starts = np.atleast_2d(x0s)
    if not noisy and options["solver"] != "fixed":
        return solve_batched_adaptive(
            model.vector_field, ts, starts, rtol=options["rtol"], atol=options["atol"]
        )
    return solve_fixed(
        model.vector_field,
        ts,
        starts,
        dt=options["dt"],
        tableau=TABLEAUX[options["integrator"]],
        noise=model.noise_amplitude if noisy else None,
        rng=derive_rng(seed, "reference", "noise") if noisy else None,
    )


def _is_noisy(model: AbstractModel, ts: Array) -> bool:
    return any(
        model.noise_amplitude(float(t)) > 0 for t in ts[:: max(1, len(ts) // 50)]
    )


def _anneal(
    model: OIMModel, x0: State, run: RunConfig, options: Mapping[str, Any], seed: int
) -> Trace:
    # restart 0 starts from x0; the others from fresh random phases
    rng = derive_rng(seed, "reference", "restarts")
    starts = np.vstack(
        [x0[None, :]]
        + [model.initial_state(rng)[None, :] for _ in range(run.restarts - 1)]
    )
    ts = run.times
    xs = simulate_ensemble(model, starts, ts, options, seed)
    cuts = model.cut_value(xs[-1])
    best = int(np.argmax(cuts))
    log.info(
        "oim: best cut %g of %d restarts (mean %g)",
        cuts[best],
        run.restarts,
        cuts.mean(),
    )
    path = xs[:, best]
    extras = {
        "cut": np.array(cuts[best]),
        "restart_cuts": cuts,
        "settle_time": np.array(model.settle_time(run.t_end)),
    }
    return Trace(ts, path, model.energy(path), model.readout(path[-1]), NAME, extras)


def _sample(model: BoltzmannModel, x0: State, run: RunConfig, seed: int) -> Trace:
    samples = gibbs_sample(
        model,
        x0,
        samples=run.samples,
        burn_in=run.burn_in,
        chains=run.chains,
        rng=derive_rng(seed, "reference", "gibbs"),
    )
    t = np.arange(len(samples), dtype=float)
    extras = {"n_visible": np.array(model.n_visible)}
    return Trace(
        t, samples, model.energy(samples), model.readout(samples), NAME, extras
    )


def gibbs_sample(
    model: BoltzmannModel,
    x0: State,
    *,
    samples: int,
    burn_in: int,
    chains: int,
    rng: np.random.Generator,
) -> Array:
    """Heat-bath Gibbs sampling with systematic sweeps over parallel chains.

    Chain 0 starts at `x0`, the others at random states; after `burn_in` sweeps each
    sweep contributes one sample per chain. Returns (samples, n), chains interleaved.
    """
    n = model.n
    state = np.where(rng.random((chains, n)) < 0.5, -1.0, 1.0)
    state[0] = np.where(np.asarray(x0) >= 0, 1.0, -1.0)
    sweeps = burn_in + -(-samples // chains)
    out = np.empty((sweeps - burn_in, chains, n))
    for sweep in range(sweeps):
        uniforms = rng.random((n, chains))
        for i in range(n):
            field = state @ model.weights[i] + model.bias[i]
            state[:, i] = np.where(
                uniforms[i] < expit(2 * field / model.temperature), 1.0, -1.0
            )
        if sweep >= burn_in:
            out[sweep - burn_in] = state
    return out.reshape(-1, n)[:samples]
