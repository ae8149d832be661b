"""Lower a spec to a compiled model: plain arrays and JSON scalars for the worker.

Every kind becomes one neuron population closed by Lava `Dense` processes:

| kind | neuron | Dense weights | graded spike |
| --- | --- | --- | --- |
| hopfield | `RateNeuron`, tanh table | dt·W | tanh(gain·x) |
| lca | `RateNeuron`, soft threshold | dt·(I − ΦᵀΦ) | T_λ(u) |
| dense | `RateNeuron`, x and h units | [[0, dt·ξᵀ], [dt·r·ξ, 0]] | g(x), f(h) |
| oim | `PhaseNeuron` × restarts | dt·K·J per restart, for cos and sin | cos φ, sin φ |
| kuramoto | `PhaseNeuron` | dt·K_ij for cos and sin | cos θ, sin θ |
| boltzmann | `StochasticNeuron` × chains | W per chain | spin changes |

Fixed-point scaling (docs/fixed-point.md): a float dry run of the same program (the
emulator, in the core) gives the ranges of states and activations; the state keeps
``state_bits`` with ``margin`` headroom, each weight an 8-bit-style mantissa
m·2^(9 − weight_bits) with one exponent per Dense, and the quantisation error of
weights, states, activation tables and time step is reported as the budget.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from ..._errors import ValidationError
from ...spec import Spec

# the kind modules register their lowerings on import
from . import dense, hopfield, kuramoto, lca, oim  # noqa: F401
from ._program import (
    LOWERINGS,
    PROTOCOL,
    SPARSE_BELOW,
    Compiled,
    Lowered,
    fanout_counts,
    step_bias,
    step_matrix,
    time_grid,
)
from .boltzmann import compile_boltzmann
from .growth import GROWTH_STEP, growth_rate
from .scaling import fixed_program

log = logging.getLogger(__name__)

KINDS = (*LOWERINGS, "boltzmann")


def compile(spec: Spec, options: dict[str, Any] | None = None) -> Compiled:
    """Lower `spec` to a program for the worker (or the emulator).

    Parameters
    ----------
    spec : Spec
        The checked spec. Its model is realised under ``[noise]`` with the
        reference's own device draws (see `UNREALISED` for what is refused).
    options : dict, optional
        Parsed ``[lava]`` values; the spec's own when None.

    Returns
    -------
    Compiled
        Arrays and JSON scalars; in fixed point, with the quantisation budget.

    Raises
    ------
    ValidationError
        A ``[noise]`` field the mapping does not realise, or weights and spikes
        whose Dense sums could overflow Lava's int32 accumulator.
    """
    options = spec.table("lava") if options is None else options
    if spec.kind not in KINDS:
        raise ValidationError(
            "model.kind",
            f"must be one of {', '.join(KINDS)} on the lava backend",
            spec.kind,
        )
    for name, highest in (("weight_bits", 14), ("activation_bits", 24)):
        if options[name] == 1:
            raise ValidationError(
                f"lava.{name}",
                f"must be 0 (automatic) or 2 to {highest}: a signed value needs 2 bits",
                1,
            )
    if spec.kind == "boltzmann":
        return _choose_synapses(compile_boltzmann(spec, options), options)
    dt, stride = time_grid(spec, options["dt"])
    lowered = LOWERINGS[spec.kind](spec, dt)
    shape = _shape(spec, lowered, stride)
    floating = _float_program(spec, lowered, dt, shape)
    if options["precision"] == "float":
        if lowered.noise is None or not np.any(lowered.noise):
            # (noise kicks are drawn on the reference's grid, which must stay)
            floating = _resolve_growth(spec, lowered, floating)
        return _choose_synapses(floating, options)
    compiled = fixed_program(spec, lowered, dt, shape, floating, options)
    return _choose_synapses(compiled, options)


def _shape(spec: Spec, lowered: Lowered, stride: int) -> dict[str, Any]:
    """The program's protocol, family and step grid (`stride` steps a sample)."""
    return {
        "protocol": PROTOCOL,
        "family": lowered.family,
        "stride": stride,
        "rows": spec.run.points,
        "ticks": 1 + stride * (spec.run.points - 1),
    }


def _resolve_growth(spec: Spec, lowered: Lowered, floating: Compiled) -> Compiled:
    """The float program, on a shorter step if its dry run grows too fast for dt.

    The dry run stays with the program (`Compiled.emulated`), so that the emulator
    engine returns it as the result. Fixed point keeps the given step: its 12-bit
    decays and its LSBs cannot follow much shorter ones (dt/τ = 0.001 is 4/4096,
    2 % off, and each step's increment falls to a few LSBs).
    """
    from .emulator import emulate

    dry = emulate(floating)
    dt, rate = floating.budget["dt"], growth_rate(lowered, dry["history"])
    if rate * dt <= GROWTH_STEP:
        floating.emulated = dry
        return floating
    shorter, stride = time_grid(spec, GROWTH_STEP / rate)
    log.info(
        "lava: dt %.3g -> %.3g, for a growth rate of %.3g per time unit in the "
        "float dry run (forward Euler keeps dt·rate <= %g)",
        dt,
        shorter,
        rate,
        GROWTH_STEP,
        extra={"key": "lava.dt"},
    )
    floating = _float_program(spec, lowered, shorter, _shape(spec, lowered, stride))
    floating.emulated = emulate(floating)
    return floating


def _choose_synapses(compiled: Compiled, options: dict[str, Any]) -> Compiled:
    """Mark each weight matrix for Lava's `Sparse` or `Dense` (``[lava] synapses``).

    Both compute the same sums; Sparse stores only the non-zero weights, as the
    block-diagonal matrices of side-by-side restarts and chains are.
    """
    for k, synapse in enumerate(compiled.program["dense"]):
        weights = compiled.arrays[f"weights_{k}"]
        density = np.count_nonzero(weights) / max(weights.size, 1)
        choice = options["synapses"]
        synapse["sparse"] = bool(
            choice == "sparse" or (choice == "auto" and density < SPARSE_BELOW)
        )
    return compiled


def _float_program(
    spec: Spec, lowered: Lowered, dt: float, shape: dict[str, Any]
) -> Compiled:
    weights, bias = step_matrix(lowered, dt), step_bias(lowered, dt)
    arrays = {"weights_0": weights, "fanout": fanout_counts(weights)}
    neuron = dict(lowered.neuron)
    if lowered.family == "rate":
        arrays.update(
            v0=np.asarray(lowered.x0, float),
            bias=bias,
            decay=lowered.decay(dt),
            tables=np.zeros((1, 1)),
        )
    else:
        neuron = {
            "shil": dt * neuron["shil"],
            "anneal_steps": round(neuron["anneal_time"] / dt),
        }
        arrays.update(
            p0=np.asarray(lowered.x0, float),
            omega=bias,
            cos=np.zeros(1),
            sin=np.zeros(1),
            noise=lowered.noise,
        )
    program = {
        **shape,
        "precision": "float",
        "neuron": neuron,
        "dense": [{"weight_exp": 0, "weight_bits": 8}],
    }
    return Compiled(spec.kind, program, arrays, 1.0, lowered.restarts, {"dt": dt})
