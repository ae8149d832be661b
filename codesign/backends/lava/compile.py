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

from ..._errors import NumericalError, ValidationError
from ...noise import check_realised
from ...spec import Spec
from .. import RUNAWAY

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
from .growth import GROWTH_STEP, STABLE_STEP, step_rates
from .scaling import fixed_program
from .worker import fixed_point as fp

log = logging.getLogger(__name__)

DRIFT_TOL = 0.005  # phase runs at dt and dt/2 agree to this NRMSE (over 2π)
DRIFT_HALVINGS = 4  # at most 16 times the steps for a drifting path
FIXED_DECAY_FLOOR = 24  # fixed-point rate networks: 2^12·dt/τ ≥ 24 (≤ 2 % off)
DIVERGED_HALVINGS = 10  # dt / 1024 at most

KINDS = (*LOWERINGS, "boltzmann")


def compile(spec: Spec, options: dict[str, Any] | None = None) -> Compiled:
    """Lower `spec` to a program for the worker (or the emulator).

    Parameters
    ----------
    spec : Spec
        The checked spec. Its model is realised under ``[noise]`` with the
        reference's own device draws (`codesign.noise.REALISED` says which).
    options : dict, optional
        Parsed ``[lava]`` values; the spec's own when None.

    Returns
    -------
    Compiled
        Arrays and JSON scalars; in fixed point, with the quantisation budget.

    Raises
    ------
    ValidationError
        A ``[noise]`` field Lava does not realise for the kind, or weights and spikes
        whose Dense sums could overflow Lava's int32 accumulator.
    """
    options = spec.table("lava") if options is None else options
    check_realised(spec, "lava")
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
    floating = _float_program(spec, lowered, dt, _shape(spec, lowered, stride))

    # a float dry run may ask for a shorter step (stable, fast growth, drifting
    # phases); noise kicks keep an OIM on the reference's grid
    noisy = lowered.noise is not None and bool(np.any(lowered.noise))
    if not noisy:
        fixed_rate = lowered.family == "rate" and options["precision"] == "fixed"
        floating = _resolve_step(spec, lowered, floating, fixed_rate)
    if options["precision"] == "float":
        return _choose_synapses(floating, options)
    dt, stride = floating.budget["dt"], floating.program["stride"]
    shape = _shape(spec, lowered, stride)
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


def _resolve_step(
    spec: Spec, lowered: Lowered, floating: Compiled, fixed_rate: bool
) -> Compiled:
    """The float program, on a shorter step if its dry run needs one.

    - Stability: dt halves while the dry run diverges (a state beyond `RUNAWAY`,
      at most `DIVERGED_HALVINGS` times), and dt·σ ≤ `STABLE_STEP` for the fastest
      decay σ of the Jacobian along it (`growth.py`): an LCA whose dictionary
      has λ_max(ΦᵀΦ) = 48 diverges at dt = 0.1.
    - Fast growth: dt·α ≤ `GROWTH_STEP` for the largest growth rate α. For a
      fixed-point rate network (`fixed_rate`) only down to the dt at which its
      slowest unit keeps a 12-bit decay of `FIXED_DECAY_FLOOR`: shorter steps
      round dt/τ by more than 2 % and leave each step's increment a few LSBs,
      which cost more readouts than they saved.
    - A drifting path (phase networks): forward Euler's global error grows with
      t_end where the phases never settle, so dt halves (at most
      `DRIFT_HALVINGS` times) until the run at dt/2 is within `DRIFT_TOL` of it
      (NRMSE over 2π), which puts the error at dt near 2·`DRIFT_TOL`.

    The dry run stays with the program (`Compiled.emulated`), so that the emulator
    engine returns it as the result.
    """
    # a run that stays finite, then steps for its rates, then a path that holds
    floating, dry = _converging(spec, lowered, floating)
    longest = _longest_step(spec, lowered, dry["history"], fixed_rate)
    if floating.budget["dt"] > longest:
        log.info(
            "lava: dt %.3g -> at most %.3g for the float dry run's growth and decay "
            "(forward Euler keeps dt·growth <= %g and dt·decay <= %g)",
            floating.budget["dt"],
            longest,
            GROWTH_STEP,
            STABLE_STEP,
            extra={"key": "lava.dt"},
        )
        floating = _on_step(spec, lowered, longest)
        dry = _dry_run(floating)
    if lowered.family == "phase":
        floating, dry = _settled_path(spec, lowered, floating, dry)
    floating.emulated = dry
    return floating


def _converging(
    spec: Spec, lowered: Lowered, floating: Compiled
) -> tuple[Compiled, dict[str, np.ndarray]]:
    """The program and its dry run, dt halved while the run diverges."""
    dry = _dry_run(floating)
    passed_at = None  # when the previous (longer-step) dry run passed RUNAWAY
    for halving in range(DIVERGED_HALVINGS + 1):
        beyond = ~(np.abs(dry["history"]) < RUNAWAY)  # (NaN counts as beyond)
        if not np.any(beyond):
            return floating, dry
        # an unstable step diverges sooner the longer it is; an unstable network
        # diverges at the same time on every step
        rows = np.any(beyond, axis=-1).reshape(-1, beyond.shape[-2]).any(axis=0)
        at = float(spec.run.times[np.argmax(rows)])
        if halving == DIVERGED_HALVINGS or (
            passed_at is not None and abs(at - passed_at) <= 0.1 * passed_at
        ):
            break
        passed_at = at
        log.info(
            "lava: halving dt %.3g, on which the float dry run diverges",
            floating.budget["dt"],
            extra={"key": "lava.dt"},
        )
        floating = _on_step(spec, lowered, floating.budget["dt"] / 2)
        dry = _dry_run(floating)
    raise NumericalError(
        f"the {spec.kind} network diverges near t = {at:.3g} on every step down to "
        f"dt = {floating.budget['dt']:.3g} (its float dry run passes {RUNAWAY:g}): "
        "the model as realised is unstable; check its parameters, or lower the "
        "[noise] levels"
    )


def _longest_step(
    spec: Spec, lowered: Lowered, states: np.ndarray, fixed_rate: bool
) -> float:
    """The longest dt for the dry run's decay (stability) and growth rates."""
    growth, decay = step_rates(lowered, states)
    stable = STABLE_STEP / decay if decay > 0 else np.inf
    floor = 0.0
    if fixed_rate:
        slowest = float(np.min(lowered.decay(1.0)))  # 1/τ of the slowest unit
        floor = FIXED_DECAY_FLOOR / (1 << fp.DECAY_BITS) / slowest
    longest = min(stable, max(GROWTH_STEP / growth, floor) if growth > 0 else np.inf)
    aligned, stride = time_grid(spec, longest)
    if stride > 1 and aligned < floor <= aligned * stride / (stride - 1) <= stable:
        longest = aligned * stride / (stride - 1)  # the grid step just above it
    log.debug(
        "lava: dry-run growth rate %.3g, decay rate %.3g per time unit: dt <= %.3g",
        growth,
        decay,
        longest,
        extra={"key": "lava.dt"},
    )
    return longest


def _settled_path(
    spec: Spec, lowered: Lowered, floating: Compiled, dry: dict[str, np.ndarray]
) -> tuple[Compiled, dict[str, np.ndarray]]:
    """Halve dt until the dry run at dt/2 agrees with it (phase networks)."""
    for _ in range(DRIFT_HALVINGS):
        finer = _on_step(spec, lowered, floating.budget["dt"] / 2)
        finer_dry = _dry_run(finer)
        drift = nrmse_phases(dry["history"], finer_dry["history"])
        if drift <= DRIFT_TOL:
            break
        log.info(
            "lava: halving dt %.3g, whose run differs by %.3g (NRMSE) from one at "
            "half the step",
            floating.budget["dt"],
            drift,
            extra={"key": "lava.dt"},
        )
        floating, dry = finer, finer_dry
    return floating, dry


def _dry_run(floating: Compiled) -> dict[str, np.ndarray]:
    """The float program in the emulator; a diverging run is reported, not raised."""
    from .emulator import emulate

    with np.errstate(over="ignore", invalid="ignore"):
        return emulate(floating)


def _on_step(spec: Spec, lowered: Lowered, dt_max: float) -> Compiled:
    """The float program on the longest step ≤ dt_max that keeps samples on it."""
    dt, stride = time_grid(spec, dt_max)
    return _float_program(spec, lowered, dt, _shape(spec, lowered, stride))


def nrmse_phases(a: np.ndarray, b: np.ndarray) -> float:
    """RMS of the wrapped difference of two phase histories, over 2π."""
    return float(np.sqrt(np.mean(np.angle(np.exp(1j * (a - b))) ** 2)) / (2 * np.pi))


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
