"""Lower a spec to a compiled model: plain arrays and JSON scalars for the worker.

Every kind becomes one neuron population closed by one Lava `Dense` process:

| kind | neuron | Dense weights | graded spike |
| --- | --- | --- | --- |
| hopfield | `RateNeuron`, tanh table | dt·W | tanh(gain·x) |
| lca | `RateNeuron`, soft threshold | dt·(I − ΦᵀΦ) | T_λ(u) |
| oim | `PhaseNeuron` × restarts | dt·K·J per restart, for cos and sin | cos φ, sin φ |
| kuramoto | `PhaseNeuron` | dt·K_ij for cos and sin | cos θ, sin θ |

Fixed-point scaling (docs/fixed-point.md): a float dry run of the same program (the
emulator, in the core) gives the ranges of states and activations; the state keeps
``state_bits`` with ``margin`` headroom, each weight an 8-bit-style mantissa
m·2^(9 − weight_bits) with one exponent per Dense, and the quantisation error of
weights, states, activation tables and time step is reported as the budget.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..._errors import ValidationError
from ..._rng import derive_rng
from ..._types import Array
from ...models import HopfieldModel, KuramotoModel, LCAModel, OIMModel
from ...spec import Spec
from .worker import fixed_point as fp

log = logging.getLogger(__name__)

PROTOCOL = 1
FAMILIES = {"hopfield": "rate", "lca": "rate", "oim": "phase", "kuramoto": "phase"}
PHASE_UNIT = (1 << fp.PHASE_BITS) / (2 * np.pi)  # phase LSBs per radian
ACCUMULATOR_LIMIT = 2**31  # Lava's Dense sums int32 products


@dataclass
class Compiled:
    """A model lowered for the worker (or the emulator).

    `program` is JSON-able (the worker's ``model.json``), `arrays` are numpy arrays
    (``arrays.npz``); `scale` turns a recorded state into model units (x = h·scale),
    `restarts` counts independent copies side by side, and `budget` holds the
    quantisation errors (fixed point) in model units.
    """

    kind: str
    program: dict[str, Any]
    arrays: dict[str, np.ndarray]
    scale: float = 1.0
    restarts: int = 1
    budget: dict[str, float] = field(default_factory=dict)

    @property
    def precision(self) -> str:
        return self.program["precision"]

    @property
    def ticks(self) -> int:
        return self.program["ticks"]


@dataclass(frozen=True)
class _Lowered:
    """The real-valued program before any rounding: dx = dt·(drive) per step."""

    family: str
    weights: Array  # the matrix A of the loop, before dt
    x0: Array  # (restarts·n,)
    bias: Array  # b (rate) or ω (phase), per unit, before dt
    neuron: dict[str, Any]
    restarts: int = 1
    noise: Array | None = None  # (steps, restarts·n) kicks σ(t)√dt z, in radians


def time_grid(spec: Spec, dt_max: float) -> tuple[float, int]:
    """(dt, stride): the largest dt ≤ dt_max that puts every sample on a step."""
    interval = spec.run.t_end / (spec.run.points - 1)
    stride = max(1, math.ceil(interval / dt_max - 1e-9))
    return interval / stride, stride


def compile(spec: Spec, options: dict[str, Any] | None = None) -> Compiled:
    """Lower `spec` for Lava with the ``[lava]`` values `options` (spec's if None)."""
    options = spec.table("lava") if options is None else options
    if spec.kind not in FAMILIES:
        raise ValidationError(
            "model.kind",
            f"must be one of {', '.join(FAMILIES)} on the lava backend",
            spec.kind,
        )
    dt, stride = time_grid(spec, options["dt"])
    lowered = LOWERINGS[spec.kind](spec, dt)
    shape = {
        "protocol": PROTOCOL,
        "family": lowered.family,
        "stride": stride,
        "rows": spec.run.points,
        "ticks": 1 + stride * (spec.run.points - 1),
    }
    floating = _float_program(spec, lowered, dt, shape)
    if options["precision"] == "float":
        return floating
    return _fixed_program(spec, lowered, dt, shape, floating, options)


# --- lowering of each kind to a real-valued loop ----------------------------------
def _lower_hopfield(spec: Spec, dt: float) -> _Lowered:
    model: HopfieldModel = spec.model
    return _Lowered(
        "rate", model.weights, spec.x0, model.bias, {"act": "tanh", "gain": model.gain}
    )


def _lower_lca(spec: Spec, dt: float) -> _Lowered:
    model: LCAModel = spec.model
    loop = np.eye(model.n) - model.gram
    act = "relu" if model.nonnegative else "soft"
    return _Lowered(
        "rate", loop, spec.x0, model.drive, {"act": act, "threshold": model.lam}
    )


def _lower_oim(spec: Spec, dt: float) -> _Lowered:
    # the same restarts and noise realisation as the reference, so that paths compare
    model: OIMModel = spec.model
    rng = derive_rng(spec.seed, "reference", "restarts")
    starts = np.vstack(
        [spec.x0[None, :]]
        + [model.initial_state(rng)[None, :] for _ in range(spec.run.restarts - 1)]
    )
    return _Lowered(
        "phase",
        model.k * model.couplings.toarray(),
        starts.ravel(),
        np.zeros(model.n),
        {"shil": model.shil, "anneal_time": model.anneal_time},
        spec.run.restarts,
        _noise_kicks(spec, starts.shape, dt),
    )


def _noise_kicks(spec: Spec, shape: tuple[int, int], dt: float) -> Array:
    """σ(t)√h z for every step with σ > 0, drawn as the reference draws them.

    The reference's fixed-step integrator draws one standard normal per unit at
    each step whose σ(t) > 0, from the stream ("reference", "noise"); with the same
    step grid, the kicks here are the same numbers.
    """
    model, ts = spec.model, spec.run.times
    stride = round((ts[1] - ts[0]) / dt)
    rng = derive_rng(spec.seed, "reference", "noise")
    kicks = []
    for k in range(1, len(ts)):
        t0, t1 = float(ts[k - 1]), float(ts[k])
        h = (t1 - t0) / stride
        for step in range(stride):
            sigma = model.noise_amplitude(t0 + step * h)
            if sigma <= 0:
                return _rows(kicks, shape)
            kicks.append(sigma * np.sqrt(h) * rng.standard_normal(shape).ravel())
    return _rows(kicks, shape)


def _rows(kicks: list[Array], shape: tuple[int, int]) -> Array:
    return np.array(kicks) if kicks else np.zeros((1, shape[0] * shape[1]))


def _lower_kuramoto(spec: Spec, dt: float) -> _Lowered:
    model: KuramotoModel = spec.model
    return _Lowered(
        "phase",
        model.coupling_matrix(),
        spec.x0,
        model.omega,
        {"shil": 0.0, "anneal_time": 0.0},
        1,
        np.zeros((1, model.n)),
    )


LOWERINGS = {
    "hopfield": _lower_hopfield,
    "lca": _lower_lca,
    "oim": _lower_oim,
    "kuramoto": _lower_kuramoto,
}


def _loop_matrix(lowered: _Lowered) -> Array:
    """The Dense matrix over all units (block-diagonal over restarts and cos/sin)."""
    blocks = np.kron(np.eye(lowered.restarts), lowered.weights)
    if lowered.family == "phase":
        blocks = np.kron(np.eye(2), blocks)
    return blocks


def _fanout(weights: Array) -> np.ndarray:
    return np.count_nonzero(weights, axis=0).astype(np.int64)


# --- floating point -----------------------------------------------------------------
def _float_program(
    spec: Spec, lowered: _Lowered, dt: float, shape: dict[str, Any]
) -> Compiled:
    weights = dt * _loop_matrix(lowered)
    bias = np.tile(dt * lowered.bias, lowered.restarts)
    arrays = {"weights_0": weights, "fanout": _fanout(weights)}
    neuron = dict(lowered.neuron)
    if lowered.family == "rate":
        neuron["dt"] = dt
        arrays.update(v0=np.asarray(lowered.x0, float), bias=bias, table=np.zeros(1))
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


# --- fixed point --------------------------------------------------------------------
def quantise_weights(
    real: Array, bits: int
) -> tuple[list[np.ndarray], list[int], Array]:
    """Lava Dense weights and exponents, and their real values, for a target matrix.

    Each weight is a signed mantissa M with |M| < 2^(bits−1) times one exponent
    2^e. Up to 8 bits, one Dense holds M·2^(9−bits) (so Lava's own clipping and
    truncation leave it alone) with weight_exp = e − (9 − bits). Above 8 bits
    (at most 14) the mantissa is split, M = M_hi·2^s + M_lo with s = bits − 8, over
    two Dense processes with exponents e + s and e: Loihi holds 8-bit weights, so
    a finer weight costs a second synapse per pair.
    """
    top = (1 << (bits - 1)) - 1
    largest = float(np.max(np.abs(real))) if real.size else 0.0
    if largest == 0.0:
        return [np.zeros(real.shape, np.int64)], [0], np.zeros(real.shape)
    exponent = math.ceil(math.log2(largest / top))
    mantissa = np.clip(np.round(real / 2.0**exponent), -top, top).astype(np.int64)
    kept = mantissa * 2.0**exponent
    if bits <= 8:
        return [mantissa << (9 - bits)], [exponent - (9 - bits)], kept
    split = bits - 8
    high = np.clip(np.round(mantissa / 2**split), -127, 127).astype(np.int64)
    low = mantissa - (high << split)
    return [high << 1, low << 1], [exponent + split - 1, exponent - 1], kept


def _synapses(
    real: Array, largest_spike: int, options: dict[str, Any]
) -> tuple[dict[str, np.ndarray], list[dict[str, int]], Array]:
    """Arrays, Dense parameters and kept real values of a fixed-point weight matrix."""
    parts, exponents, kept = quantise_weights(real, options["weight_bits"])
    arrays = {f"weights_{k}": part for k, part in enumerate(parts)}
    arrays["fanout"] = sum(_fanout(part) for part in parts)
    for part in parts:
        _check_accumulator(part, largest_spike, options)
    dense = [
        {
            "weight_exp": e,
            "weight_bits": 8 if len(parts) > 1 else options["weight_bits"],
        }
        for e in exponents
    ]
    return arrays, dense, kept


def _fixed_program(
    spec: Spec,
    lowered: _Lowered,
    dt: float,
    shape: dict[str, Any],
    floating: Compiled,
    options: dict[str, Any],
) -> Compiled:
    from .emulator import emulate

    # ranges from a float dry run of the same program
    dry = emulate(floating)["history"]
    if lowered.family == "rate":
        return _fixed_rate(spec, lowered, dt, shape, dry, options)
    return _fixed_phase(spec, lowered, dt, shape, floating, options)


def _fractional_bits(largest: float, bits: int, margin: float) -> int:
    """Fractional bits that keep margin·largest inside a signed `bits`-bit word."""
    return bits - 1 - math.ceil(math.log2(max(margin * largest, 2.0**-20)))


def _fixed_rate(
    spec: Spec,
    lowered: _Lowered,
    dt: float,
    shape: dict[str, Any],
    dry: Array,
    options: dict[str, Any],
) -> Compiled:
    # state and activation scales from the dry run
    state_range = float(np.max(np.abs(dry)))
    frac = _fractional_bits(state_range, options["state_bits"], options["margin"])
    b, neuron = options["activation_bits"], dict(lowered.neuron)
    if neuron["act"] == "tanh":
        act_frac = b - 1
        table, shift, table_error = _tanh_table(
            neuron["gain"], state_range, frac, options
        )
        fixed = {"act": "table", "shift": shift}
    else:
        activation_range = max(state_range - neuron["threshold"], 2.0**-20)
        act_frac = min(frac, _fractional_bits(activation_range, b, options["margin"]))
        table, table_error = np.zeros(1, np.int64), 2.0**-act_frac
        fixed = {
            "act": neuron["act"],
            "shift": frac - act_frac,
            "threshold": round(neuron["threshold"] * 2**frac),
        }

    # weights, bias, decay and start
    real = dt * _loop_matrix(lowered) * 2.0 ** (frac - act_frac)
    arrays, dense, kept = _synapses(real, 2 ** (b - 1), options)
    fixed["dv"] = round(dt * (1 << fp.DECAY_BITS))
    arrays.update(
        {
            "table": table,
            "v0": np.round(lowered.x0 * 2**frac).astype(np.int64),
            "bias": np.round(
                np.tile(dt * lowered.bias, lowered.restarts) * 2**frac
            ).astype(np.int64),
        }
    )
    program = {**shape, "precision": "fixed", "neuron": fixed, "dense": dense}
    budget = _budget(
        real,
        kept,
        2.0 ** (act_frac - frac) / dt,
        2.0**-frac,
        table_error,
        dt,
        fixed["dv"],
    )
    log.info(
        "lava fixed point: %d fractional state bits, weight exponents %s, "
        "weight error %.2g",
        frac,
        [d["weight_exp"] for d in dense],
        budget["weights"],
    )
    return Compiled(spec.kind, program, arrays, 2.0**-frac, lowered.restarts, budget)


def _tanh_table(
    gain: float, state_range: float, frac: int, options: dict[str, Any]
) -> tuple[np.ndarray, int, float]:
    """tanh(gain·x) on 2^table_bits bins of v, their shift and the worst error."""
    k, b = options["table_bits"], options["activation_bits"]
    covered = min(options["margin"] * state_range, 6.0 / gain) * 2**frac
    shift = max(0, math.ceil(math.log2(max(covered, 1.0))) - (k - 1))
    centres = (np.arange(1 << k) - (1 << (k - 1)) + 0.5) * 2.0**shift / 2**frac
    top = (1 << (b - 1)) - 1
    table = np.clip(np.round(np.tanh(gain * centres) * 2 ** (b - 1)), -top, top)
    table = table.astype(np.int64)

    # worst error over a fine grid of the covered range (and the clamped ends)
    grid = np.linspace(-covered, covered, 20001).astype(np.int64)
    exact = np.tanh(gain * grid / 2**frac)
    looked_up = fp.table_lookup(grid, table, shift) / 2 ** (b - 1)
    return table, shift, float(np.max(np.abs(exact - looked_up)))


def _check_accumulator(
    weights: np.ndarray, largest_spike: int, options: dict[str, Any]
) -> None:
    """Refuse a program whose Dense sums could overflow Lava's int32 accumulator."""
    worst = float(np.max(np.sum(np.abs(weights), axis=1))) * largest_spike
    if worst >= ACCUMULATOR_LIMIT:
        raise ValidationError(
            "lava.activation_bits",
            "must keep |W|·|s|·fan-in below 2^31",
            options["activation_bits"],
            remedy="lower activation_bits or weight_bits",
        )


def _budget(
    real: Array,
    kept: Array,
    unit: float,
    state_lsb: float,
    table_error: float,
    dt: float,
    dv: int,
) -> dict[str, float]:
    """Quantisation errors in model units: weights, states, activations, time step.

    `unit` converts a Dense matrix entry back to a model weight.
    """
    return {
        "weights": float(np.max(np.abs(real - kept))) * unit,
        "weights_relative": float(
            np.max(np.abs(real - kept)) / max(np.max(np.abs(real)), 1e-300)
        ),
        "states": state_lsb,
        "activations": table_error,
        "dt": dt,
        "time_step": abs(dv / (1 << fp.DECAY_BITS) - dt) / dt if dv else 0.0,
    }


def _fixed_phase(
    spec: Spec,
    lowered: _Lowered,
    dt: float,
    shape: dict[str, Any],
    floating: Compiled,
    options: dict[str, Any],
) -> Compiled:
    # trigonometric tables and the Dense output in phase units
    b, k = options["activation_bits"], options["table_bits"]
    cos, sin = fp.phase_tables(k, b)
    real = dt * _loop_matrix(lowered) * PHASE_UNIT / 2 ** (b - 1)
    arrays, dense, kept = _synapses(real, 2 ** (b - 1), options)

    # drive, annealing and noise in phase units
    neuron = floating.program["neuron"]
    fixed = {
        "table_bits": k,
        "amplitude_bits": b,
        "shil": round(neuron["shil"] * PHASE_UNIT),
        "anneal_steps": neuron["anneal_steps"],
    }
    arrays.update(
        {
            "cos": cos,
            "sin": sin,
            "p0": np.round(lowered.x0 * PHASE_UNIT).astype(np.int64),
            "omega": np.round(floating.arrays["omega"] * PHASE_UNIT).astype(np.int64),
            "noise": np.round(lowered.noise * PHASE_UNIT).astype(np.int64),
        }
    )
    program = {**shape, "precision": "fixed", "neuron": fixed, "dense": dense}
    angles = 2 * np.pi * np.arange(1 << 16) / (1 << 16)
    row = fp.phase_index(np.round(angles * PHASE_UNIT).astype(np.int64), k)
    table_error = float(np.max(np.abs(cos[row] / 2 ** (b - 1) - np.cos(angles))))
    budget = _budget(
        real, kept, 2 ** (b - 1) / (dt * PHASE_UNIT), 1 / PHASE_UNIT, table_error, dt, 0
    )
    return Compiled(
        spec.kind, program, arrays, 1 / PHASE_UNIT, lowered.restarts, budget
    )
