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
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..._errors import ValidationError
from ..._rng import derive_rng
from ..._types import Array
from ...models import (
    BoltzmannModel,
    DenseModel,
    HopfieldModel,
    KuramotoModel,
    LCAModel,
    OIMModel,
)
from ...noise import Devices, noise_seed, realise
from ...spec import Spec
from .worker import fixed_point as fp

log = logging.getLogger(__name__)

PROTOCOL = 1
FAMILIES = {
    "hopfield": "rate",
    "lca": "rate",
    "dense": "rate",
    "oim": "phase",
    "kuramoto": "phase",
    "boltzmann": "stochastic",
}
PHASE_UNIT = (1 << fp.PHASE_BITS) / (2 * np.pi)  # phase LSBs per radian
ACCUMULATOR_LIMIT = 2**31  # Lava's Dense sums int32 products
SPARSE_BELOW = 0.25  # density under which `synapses = "auto"` picks Sparse
RANGE_FLOOR = 2.0**-10  # smallest range the fixed-point scaling plans for
MAX_UNITS = 4096  # units side by side (restarts × n, ×2 for cos and sin)
# [noise] fields the mapping does not realise (weights, stuck faults, weight levels
# and time-constant mismatch are realised, with the reference's own draws)
UNREALISED = ("offset", "gain_error", "drift", "thermal", "frequency_spread")


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
    """The real-valued program before any rounding.

    One step of a rate unit is x ← x + (dt/τ_i)(−x + Σ_j A_ij s_j + b_i); one step of
    a phase unit is φ ← φ + dt(ω_i + cos φ (A sin φ)_i − sin φ (A cos φ)_i + …).
    """

    family: str
    weights: Array  # the loop matrix A, before dt and 1/τ
    x0: Array  # (restarts·n,)
    bias: Array  # b (rate) or ω (phase), per unit, before dt
    neuron: dict[str, Any]
    restarts: int = 1
    noise: Array | None = None  # (steps, restarts·n) kicks σ(t)√dt z, in radians
    rates: Array | None = None  # 1/τ of each unit in model time units (rate only)

    def decay(self, dt: float) -> Array:
        """dt/τ of every unit."""
        units = len(self.x0)
        return dt * (np.ones(units) if self.rates is None else self.rates)


def time_grid(spec: Spec, dt_max: float) -> tuple[float, int]:
    """(dt, stride): the largest dt ≤ dt_max that puts every sample on a step."""
    interval = spec.run.t_end / (spec.run.points - 1)
    stride = max(1, math.ceil(interval / dt_max - 1e-9))
    return interval / stride, stride


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
    if spec.kind not in FAMILIES:
        raise ValidationError(
            "model.kind",
            f"must be one of {', '.join(FAMILIES)} on the lava backend",
            spec.kind,
        )
    if spec.kind == "boltzmann":
        return _choose_synapses(_compile_boltzmann(spec, options), options)
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
        return _choose_synapses(floating, options)
    compiled = _fixed_program(spec, lowered, dt, shape, floating, options)
    return _choose_synapses(compiled, options)


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


# --- lowering of each kind to a real-valued loop ----------------------------------
def _lower_hopfield(spec: Spec, dt: float) -> _Lowered:
    model: HopfieldModel = spec.model
    devices = _devices(spec)
    segments = [{"stop": model.n, "act": "tanh", "gain": model.gain}]
    rates = 1.0 / devices.relative("capacitor_mismatch", "neuron", model.n)
    return _Lowered(
        "rate",
        devices.couplings(model.weights, "synapse"),
        spec.x0,
        model.bias,
        {"segments": segments},
        rates=rates,
    )


def _lower_lca(spec: Spec, dt: float) -> _Lowered:
    model: LCAModel = spec.model
    devices = _devices(spec)
    act = "relu" if model.nonnegative else "soft"
    segments = [{"stop": model.n, "act": act, "threshold": model.lam}]
    lateral = devices.couplings(model.gram - np.eye(model.n), "synapse")
    drive = model.drive * devices.relative("mismatch", "input", model.n)
    rates = 1.0 / devices.relative("capacitor_mismatch", "neuron", model.n)
    return _Lowered(
        "rate", -lateral, spec.x0, drive, {"segments": segments}, rates=rates
    )


def _lower_dense(spec: Spec, dt: float) -> _Lowered:
    # feature neurons x (n) and memory neurons h (p), h faster by r = τ_f/τ_h:
    # the loop [[0, ξᵀ], [ξ, 0]] acts on (g(x), f(h)), rows scaled by 1/τ
    model: DenseModel = spec.model
    n, p, r = model.n, model.p, model.tau_f / model.tau_h
    devices = _devices(spec)
    loop = np.zeros((n + p, n + p))
    loop[:n, n:] = devices.couplings(model.xi, "feature_synapse").T
    loop[n:, :n] = devices.couplings(model.xi, "memory_synapse")
    memory = (
        {"act": "softmax", "beta": model.beta}
        if model.separation == "softmax"
        else {"act": "polynomial", "degree": model.degree}
    )
    segments = [
        {"stop": n, "act": "tanh", "gain": model.gain},
        {"stop": n + p, **memory},
    ]
    rates = np.concatenate([np.ones(n), np.full(p, r)]) / devices.relative(
        "capacitor_mismatch", "neuron", n + p
    )
    return _Lowered(
        "rate", loop, spec.x0, np.zeros(n + p), {"segments": segments}, rates=rates
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
        model.k * _devices(spec).couplings(model.couplings.toarray(), "coupler"),
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
        _devices(spec).couplings(model.coupling_matrix(), "coupler"),
        spec.x0,
        model.omega,
        {"shil": 0.0, "anneal_time": 0.0},
        1,
        np.zeros((1, model.n)),
    )


LOWERINGS = {
    "hopfield": _lower_hopfield,
    "dense": _lower_dense,
    "lca": _lower_lca,
    "oim": _lower_oim,
    "kuramoto": _lower_kuramoto,
}


def _devices(spec: Spec) -> Devices:
    """The seeded devices of the spec's ``[noise]`` realisation, as the reference
    draws them; refuses the fields the Lava mapping does not realise."""
    noise = spec.table("noise")
    for name in UNREALISED:
        if noise.get(name):
            raise ValidationError(
                f"noise.{name}",
                "is not realised on the lava backend",
                noise[name],
                remedy="set it to 0, or run the reference or spice backend",
            )
    return Devices(noise, noise_seed(spec))


def check_units(units: int, field: str, value: int) -> None:
    """Refuse a program whose weight matrix over `units` would not fit in memory.

    The compiled model carries each weight matrix as a dense array; side-by-side
    restarts or chains multiply the units.
    """
    if units > MAX_UNITS:
        raise ValidationError(
            field,
            f"puts {units} units side by side on Lava, above {MAX_UNITS} "
            "(a dense weight matrix of that size would not fit in memory)",
            value,
            remedy="use fewer restarts (or chains) for a graph this large",
        )


def _loop_matrix(lowered: _Lowered) -> Array:
    """The Dense matrix over all units (block-diagonal over restarts and cos/sin)."""
    units = len(lowered.x0) * (2 if lowered.family == "phase" else 1)
    check_units(units, "run.restarts", lowered.restarts)
    blocks = np.kron(np.eye(lowered.restarts), lowered.weights)
    if lowered.family == "phase":
        blocks = np.kron(np.eye(2), blocks)
    return blocks


def _step_matrix(lowered: _Lowered, dt: float) -> Array:
    """The Dense matrix of one step: dt/τ_i times row i of the loop."""
    if lowered.rates is None:
        return dt * _loop_matrix(lowered)
    return lowered.decay(dt)[:, None] * _loop_matrix(lowered)


def _step_bias(lowered: _Lowered, dt: float) -> Array:
    """The bias of one step, dt/τ_i·b_i, for every unit (restarts tiled)."""
    if lowered.rates is None:
        return np.tile(dt * lowered.bias, lowered.restarts)
    return lowered.decay(dt) * lowered.bias


def _fanout(weights: Array) -> np.ndarray:
    return np.count_nonzero(weights, axis=0).astype(np.int64)


# --- floating point -----------------------------------------------------------------
def _float_program(
    spec: Spec, lowered: _Lowered, dt: float, shape: dict[str, Any]
) -> Compiled:
    weights, bias = _step_matrix(lowered, dt), _step_bias(lowered, dt)
    arrays = {"weights_0": weights, "fanout": _fanout(weights)}
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
    real: Array,
    largest_spike: int,
    options: dict[str, Any],
    groups: list[slice] | None = None,
) -> tuple[dict[str, np.ndarray], list[dict[str, int]], Array]:
    """Arrays, Dense parameters and kept real values of a fixed-point weight matrix.

    Columns in different `groups` (sources whose spikes have different scales) get
    Dense processes of their own, so that each has an exponent that fits it.
    """
    groups = groups or [slice(0, real.shape[1])]
    arrays, dense, kept = {}, [], np.zeros_like(real)
    for group in groups:
        block = np.zeros_like(real)
        block[:, group] = real[:, group]
        parts, exponents, kept_block = quantise_weights(block, options["weight_bits"])
        kept += kept_block
        bits = 8 if len(parts) > 1 else options["weight_bits"]
        for part, exponent in zip(parts, exponents, strict=True):
            _check_accumulator(part, exponent, largest_spike, options)
            arrays[f"weights_{len(dense)}"] = part
            dense.append({"weight_exp": exponent, "weight_bits": bits})
    parts = [arrays[f"weights_{k}"] for k in range(len(dense))]
    arrays["fanout"] = sum(_fanout(part) for part in parts)
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
    """Fractional bits that keep margin·largest inside a signed `bits`-bit word.

    Ranges below RANGE_FLOOR count as RANGE_FLOOR (a state that stays at 0 still
    gets a finite scale).
    """
    return bits - 1 - math.ceil(math.log2(margin * max(largest, RANGE_FLOOR)))


def _fixed_rate(
    spec: Spec,
    lowered: _Lowered,
    dt: float,
    shape: dict[str, Any],
    dry: Array,
    options: dict[str, Any],
) -> Compiled:
    # state scale from the dry run; each segment's activation scale and table
    frac = _fractional_bits(
        float(np.max(np.abs(dry))), options["state_bits"], options["margin"]
    )
    activations = fp.activate_float(dry, lowered.neuron["segments"])
    act_frac, segments, tables, errors = np.zeros(len(lowered.x0)), [], [], []
    start = 0
    for segment in lowered.neuron["segments"]:
        units = slice(start, segment["stop"])
        fixed, bits, error = _fixed_segment(
            segment,
            float(np.max(np.abs(dry[:, units]))),
            float(np.max(np.abs(activations[:, units]))),
            frac,
            options,
            tables,
        )
        act_frac[units], start = bits, segment["stop"]
        segments.append(fixed)
        errors.append(error)

    # weights (columns scaled by their activation's bits), bias, decay and start
    real = _step_matrix(lowered, dt) * 2.0 ** (frac - act_frac)[None, :]
    largest_spike = 2 ** (options["activation_bits"] - 1)
    groups, start = [], 0
    for segment in lowered.neuron["segments"]:
        groups.append(slice(start, segment["stop"]))
        start = segment["stop"]
    arrays, dense, kept = _synapses(real, largest_spike, options, groups)
    decay, bias = lowered.decay(dt), _step_bias(lowered, dt)
    arrays.update(
        v0=np.round(lowered.x0 * 2**frac).astype(np.int64),
        bias=np.round(bias * 2**frac).astype(np.int64),
        decay=np.round(decay * (1 << fp.DECAY_BITS)).astype(np.int64),
        tables=np.array(tables, np.int64) if tables else np.zeros((1, 1), np.int64),
    )
    program = {
        **shape,
        "precision": "fixed",
        "neuron": {"segments": segments},
        "dense": dense,
    }
    unit = 2.0 ** (act_frac - frac)[None, :] / dt
    decay_kept = arrays["decay"] / (1 << fp.DECAY_BITS)
    budget = _budget(real, kept, unit, 2.0**-frac, max(errors), dt, decay_kept, decay)
    log.info(
        "lava fixed point: %d fractional state bits, weight exponents %s, "
        "weight error %.2g",
        frac,
        [d["weight_exp"] for d in dense],
        budget["weights"],
    )
    return Compiled(spec.kind, program, arrays, 2.0**-frac, lowered.restarts, budget)


def _fixed_segment(
    segment: dict[str, Any],
    state_range: float,
    act_range: float,
    frac: int,
    options: dict[str, Any],
    tables: list[np.ndarray],
) -> tuple[dict[str, Any], int, float]:
    """One segment's fixed-point activation, its fractional bits and worst error.

    A table-based activation appends its table to `tables`.
    """
    b, margin, act = options["activation_bits"], options["margin"], segment["act"]
    stop = segment["stop"]
    if act in ("soft", "relu"):
        bits = min(frac, _fractional_bits(act_range, b, margin))
        threshold = round(segment["threshold"] * 2**frac)
        fixed = {"stop": stop, "act": act, "shift": frac - bits, "threshold": threshold}
        return fixed, bits, 2.0**-bits

    # look-up tables: tanh and softmax keep b − 1 fractional bits, the polynomial
    # as many as its range allows
    if act == "tanh":
        bits, covered = b - 1, min(margin * state_range, 6.0 / segment["gain"])

        def function(x):
            return np.tanh(segment["gain"] * x)
    elif act == "polynomial":
        bits, covered = _fractional_bits(act_range, b, margin), margin * state_range

        def function(x):
            return segment["degree"] * np.maximum(x, 0.0) ** (segment["degree"] - 1)
    else:
        # softmax: exp(β(h − max h)) on differences down to −2·margin·range
        bits, covered = b - 1, 2 * margin * state_range

        def function(x):
            return np.exp(segment["beta"] * np.minimum(x, 0.0))

    table, shift, error = _table(function, covered, frac, bits, options)
    if act == "softmax":
        # no memory is ever silent, so the population sum is never 0
        table = np.maximum(table, 1)
    tables.append(table)
    fixed = {
        "stop": stop,
        "act": "softmax" if act == "softmax" else "table",
        "table": len(tables) - 1,
        "shift": shift,
        "bits": b - 1,
    }
    return fixed, bits, error


def _table(
    function, covered: float, frac: int, bits: int, options: dict[str, Any]
) -> tuple[np.ndarray, int, float]:
    """`function` on 2^table_bits bins of v over ±covered, scaled by 2^bits.

    Returns the table, the shift that indexes it (v >> shift) and the worst error
    over a fine grid of the covered range, in activation units.
    """
    k, top = options["table_bits"], (1 << (options["activation_bits"] - 1)) - 1
    reach = max(covered * 2**frac, 1.0)
    shift = max(0, math.ceil(math.log2(reach)) - (k - 1))
    centres = (np.arange(1 << k) - (1 << (k - 1)) + 0.5) * 2.0**shift / 2**frac
    table = np.clip(np.round(function(centres) * 2**bits), -top, top)

    # worst error over the covered range (beyond it the table holds its end value)
    grid = np.linspace(-reach, reach, 20001).astype(np.int64)
    exact = np.clip(function(grid / 2**frac), -top / 2**bits, top / 2**bits)
    looked_up = fp.table_lookup(grid, table, shift) / 2**bits
    return table.astype(np.int64), shift, float(np.max(np.abs(exact - looked_up)))


def _check_accumulator(
    weights: np.ndarray, exponent: int, largest_spike: int, options: dict[str, Any]
) -> None:
    """Refuse a program whose Dense sums could overflow Lava's int32 accumulator,
    before or after the weight exponent's shift."""
    worst = float(np.max(np.sum(np.abs(weights), axis=1))) * largest_spike
    if worst * 2.0 ** max(exponent, 0) >= ACCUMULATOR_LIMIT:
        raise ValidationError(
            "lava.activation_bits",
            "must keep |W|·|s|·fan-in below 2^31",
            options["activation_bits"],
            remedy="lower activation_bits or weight_bits",
        )


def _budget(
    real: Array,
    kept: Array,
    unit: Array | float,
    state_lsb: float,
    table_error: float,
    dt: float,
    decay_kept: Array | None = None,
    decay: Array | None = None,
) -> dict[str, float]:
    """Quantisation errors in model units: weights, states, activations, time step.

    `unit` converts a Dense matrix entry back to a model weight (per column); the
    time-step error is the worst relative error of the 12-bit decays.
    """
    largest = max(float(np.max(np.abs(real))), 1e-300)
    budget = {
        "weights": float(np.max(np.abs(real - kept) * unit)),
        "weights_relative": float(np.max(np.abs(real - kept))) / largest,
        "states": state_lsb,
        "activations": table_error,
        "dt": dt,
        "time_step": 0.0,
    }
    if decay is not None:
        budget["time_step"] = float(np.max(np.abs(decay_kept - decay) / decay))
    return budget


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
    real = _step_matrix(lowered, dt) * PHASE_UNIT / 2 ** (b - 1)
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
        real, kept, 2 ** (b - 1) / (dt * PHASE_UNIT), 1 / PHASE_UNIT, table_error, dt
    )
    return Compiled(
        spec.kind, program, arrays, 1 / PHASE_UNIT, lowered.restarts, budget
    )


# --- boltzmann: stochastic neurons, one colour class per step ------------------------
def colouring(weights: Array) -> np.ndarray:
    """A greedy proper colouring of the coupling graph (W_ij ≠ 0), largest degree
    first: units of one colour are never coupled, so they update together."""
    coupled = weights != 0
    colours = np.full(len(weights), -1)
    for unit in np.argsort(-coupled.sum(axis=1), kind="stable"):
        taken = set(colours[coupled[unit]].tolist())
        colours[unit] = next(c for c in range(len(weights)) if c not in taken)
    return colours


def _compile_boltzmann(spec: Spec, options: dict[str, Any]) -> Compiled:
    # chains side by side; one sweep is one step per colour class
    _devices(spec)
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
            fanout=_fanout(weights),
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
    return _fixed_boltzmann(
        model, spec, weights, starts, shape, neuron, arrays, options
    )


def _fixed_boltzmann(
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
    frac = _fractional_bits(field_range, options["state_bits"], options["margin"])
    real = weights * 2.0**frac
    synapses, dense, kept = _synapses(real, 2, options)

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
    budget = _budget(real, kept, 2.0**-frac, 2.0**-frac, table_error, 0.0)
    return Compiled(spec.kind, program, arrays, 1.0, spec.run.chains, budget)
