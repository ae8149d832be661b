"""Automatic fixed-point scaling: from a float dry run to Loihi-style integers.

A float dry run of the same program (the emulator, in the core) gives the ranges of
states and activations. The state keeps ``state_bits`` with ``margin`` headroom;
each weight is an 8-bit-style mantissa m·2^(9 − weight_bits) with one exponent per
Dense (split over two Dense above 8 bits); activations are tables or exact
thresholds; and the quantisation error of weights, states, activation tables and
time step is reported as the budget (docs/fixed-point.md).
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..._errors import ValidationError
from ..._types import Array
from ...spec import Spec
from ._program import (
    PHASE_UNIT,
    Compiled,
    Lowered,
    fanout_counts,
    step_bias,
    step_matrix,
)
from .worker import fixed_point as fp

log = logging.getLogger(__name__)

ACCUMULATOR_LIMIT = 2**31  # Lava's Dense sums int32 products
RANGE_FLOOR = 2.0**-10  # smallest range the fixed-point scaling plans for
LOIHI_WEIGHT_BITS = 8  # one Dense synapse per weight
FINE_WEIGHT_BITS = 14  # two 8-bit Dense synapses per weight
WIDEST_SPIKE_BITS = 16  # automatic activation bits: at most these
CODE_RTOL = 0.01  # a real-valued readout (a sparse code) kept to 1 % of its largest
PATH_RTOL = 0.005  # a phase path kept to this NRMSE (over 2π) of the float dry run


def fixed_program(
    spec: Spec,
    lowered: Lowered,
    dt: float,
    shape: dict[str, Any],
    floating: Compiled,
    options: dict[str, Any],
) -> Compiled:
    from .emulator import emulate

    # ranges from a float dry run of the same program
    dry = (floating.emulated or emulate(floating))["history"]
    if lowered.family == "phase":
        build = functools.partial(fixed_phase, spec, lowered, dt, shape, floating)
        if options["weight_bits"] or np.any(lowered.noise):
            # an annealed, noisy OIM answers with its cut, which 8 bits keep
            return widest_spikes(
                build, {**options, "weight_bits": weight_bits(options)}
            )
        compiled = widest_spikes(build, {**options, "weight_bits": LOIHI_WEIGHT_BITS})
        if keeps_path(compiled, dry):
            return compiled
        log.info(
            "lava fixed point: %d-bit couplings move the float dry run's phases by "
            "more than %g; using %d-bit couplings on two Dense",
            LOIHI_WEIGHT_BITS,
            PATH_RTOL,
            FINE_WEIGHT_BITS,
        )
        return widest_spikes(build, {**options, "weight_bits": FINE_WEIGHT_BITS})
    build = functools.partial(fixed_rate, spec, lowered, dt, shape, dry)
    if options["weight_bits"]:
        return widest_spikes(build, options)

    # automatic: Loihi's 8-bit weights, unless they change the dry run's readout
    compiled = widest_spikes(build, {**options, "weight_bits": LOIHI_WEIGHT_BITS})
    if keeps_readout(spec, compiled, dry[-1]):
        return compiled
    log.info(
        "lava fixed point: %d-bit weights change the float dry run's readout; "
        "using %d-bit weights on two Dense",
        LOIHI_WEIGHT_BITS,
        FINE_WEIGHT_BITS,
    )
    return widest_spikes(build, {**options, "weight_bits": FINE_WEIGHT_BITS})


def widest_spikes(
    build: Callable[[dict[str, Any]], Compiled], options: dict[str, Any]
) -> Compiled:
    """`build(options)`; with automatic ``activation_bits`` (0), the most bits up
    to `WIDEST_SPIKE_BITS` whose Dense sums stay below 2^31."""
    if options["activation_bits"]:
        return build(options)
    for bits in range(WIDEST_SPIKE_BITS, 1, -1):
        try:
            return build({**options, "activation_bits": bits})
        except AccumulatorOverflow as error:
            overflow = error
    raise overflow


def weight_bits(options: dict[str, Any]) -> int:
    """``[lava] weight_bits``, with 0 (automatic) standing for Loihi's 8 bits."""
    return options["weight_bits"] or LOIHI_WEIGHT_BITS


def keeps_path(compiled: Compiled, dry: Array) -> bool:
    """Whether the fixed-point phases stay within `PATH_RTOL` (NRMSE over 2π) of
    the float dry run's: a Kuramoto network answers with its whole path."""
    from .emulator import emulate

    compiled.emulated = emulate(compiled)
    phases = compiled.emulated["history"] * compiled.scale
    wrapped = np.angle(np.exp(1j * (phases - dry)))
    return float(np.sqrt(np.mean(wrapped**2)) / (2 * np.pi)) <= PATH_RTOL


def keeps_readout(spec: Spec, compiled: Compiled, final: Array) -> bool:
    """Whether the fixed-point program ends with the readout of the float dry run.

    Signs (hopfield, dense) must be equal; a real-valued code (lca) must have the
    same support and stay within `CODE_RTOL` of its largest entry.
    """
    from .emulator import emulate

    model = spec.model
    compiled.emulated = emulate(compiled)
    fixed = compiled.emulated["history"][-1] * compiled.scale
    expected, reached = model.readout(final), model.readout(fixed)
    if not np.issubdtype(expected.dtype, np.floating):
        return bool(np.array_equal(expected, reached))
    largest = max(float(np.max(np.abs(expected))), 1e-300)
    return bool(
        np.array_equal(expected != 0, reached != 0)
        and np.max(np.abs(expected - reached)) <= CODE_RTOL * largest
    )


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


def quantised_synapses(
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
            check_accumulator(part, exponent, largest_spike, options)
            arrays[f"weights_{len(dense)}"] = part
            dense.append({"weight_exp": exponent, "weight_bits": bits})
    parts = [arrays[f"weights_{k}"] for k in range(len(dense))]
    arrays["fanout"] = sum(fanout_counts(part) for part in parts)
    return arrays, dense, kept


def fractional_bits(largest: float, bits: int, margin: float) -> int:
    """Fractional bits that keep margin·largest inside a signed `bits`-bit word.

    Ranges below RANGE_FLOOR count as RANGE_FLOOR (a state that stays at 0 still
    gets a finite scale).
    """
    return bits - 1 - math.ceil(math.log2(margin * max(largest, RANGE_FLOOR)))


def fixed_rate(
    spec: Spec,
    lowered: Lowered,
    dt: float,
    shape: dict[str, Any],
    dry: Array,
    options: dict[str, Any],
) -> Compiled:
    # each segment's state scale (from its own range in the dry run), activation
    # scale and table: feature and memory units of a dense memory differ by 10^4
    activations = fp.activate_float(dry, lowered.neuron["segments"])
    units = len(lowered.x0)
    frac, act_frac = np.zeros(units, np.int64), np.zeros(units)
    segments, tables, errors, start = [], [], [], 0
    for segment in lowered.neuron["segments"]:
        part = slice(start, segment["stop"])
        state_range = float(np.max(np.abs(dry[:, part])))
        frac[part] = fractional_bits(
            state_range, options["state_bits"], options["margin"]
        )
        fixed, bits, error = fixed_segment(
            segment,
            state_range,
            float(np.max(np.abs(activations[:, part]))),
            int(frac[start]),
            options,
            tables,
        )
        act_frac[part], start = bits, segment["stop"]
        segments.append(fixed)
        errors.append(error)

    # weights (rows scaled by their state's bits, columns by their activation's),
    # bias, decay and start; the loop and the bias of each row take the row's kept
    # decay dv/2^12
    dv, kept_rate = kept_decays(lowered, dt)
    real = kept_rate[:, None] * step_matrix(lowered, dt)
    real *= 2.0 ** (frac[:, None] - act_frac[None, :])
    largest_spike = 2 ** (options["activation_bits"] - 1)
    groups, start = [], 0
    for segment in lowered.neuron["segments"]:
        groups.append(slice(start, segment["stop"]))
        start = segment["stop"]
    arrays, dense, kept = quantised_synapses(real, largest_spike, options, groups)
    bias = kept_rate * step_bias(lowered, dt)
    arrays.update(
        v0=np.round(lowered.x0 * 2.0**frac).astype(np.int64),
        bias=np.round(bias * 2.0**frac).astype(np.int64),
        decay=dv,
        tables=np.array(tables, np.int64) if tables else np.zeros((1, 1), np.int64),
    )
    program = {
        **shape,
        "precision": "fixed",
        "neuron": {"segments": segments},
        "dense": dense,
    }
    decay_kept = dv / (1 << fp.DECAY_BITS)
    unit = 2.0 ** (act_frac[None, :] - frac[:, None]) / decay_kept[:, None]
    lsb = 2.0 ** -float(np.min(frac))
    budget = quantisation_budget(
        real, kept, unit, lsb, max(errors), dt, decay_kept, lowered.decay(dt)
    )
    budget.update(
        weight_bits=options["weight_bits"], activation_bits=options["activation_bits"]
    )
    log.info(
        "lava fixed point: %s fractional state bits, weight exponents %s, "
        "weight error %.2g",
        sorted(set(frac.tolist())),
        [d["weight_exp"] for d in dense],
        budget["weights"],
    )
    scale = 2.0 ** -frac.astype(float)
    if np.all(frac == frac[0]):
        scale = float(scale[0])
    return Compiled(spec.kind, program, arrays, scale, lowered.restarts, budget)


def kept_decays(lowered: Lowered, dt: float) -> tuple[np.ndarray, Array]:
    """The 12-bit decays dv ≈ 2^12·dt/τ_i, and kept/true decay for every unit.

    One step is v ← v + (dv/2^12)(−v + Σ_j A_ij s_j + b_i) only when the loop and
    the bias of row i are scaled by the kept decay too: each equilibrium is then
    exact, and the rounding of dv moves only the unit's time constant (by the
    budget's `time_step`), instead of scaling its drive against its leak. A decay
    below half a step of 2^−12 is kept as one step, so that no unit freezes.
    """
    decay = lowered.decay(dt)
    dv = np.maximum(np.round(decay * (1 << fp.DECAY_BITS)), 1).astype(np.int64)
    return dv, dv / (1 << fp.DECAY_BITS) / decay


def fixed_segment(
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
        bits = min(frac, fractional_bits(act_range, b, margin))
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
        bits, covered = fractional_bits(act_range, b, margin), margin * state_range

        def function(x):
            return segment["degree"] * np.maximum(x, 0.0) ** (segment["degree"] - 1)
    else:
        # softmax: exp(β(h − max h)) on differences down to −2·margin·range
        bits, covered = b - 1, 2 * margin * state_range

        def function(x):
            return np.exp(segment["beta"] * np.minimum(x, 0.0))

    table, shift, error = table_of(function, covered, frac, bits, options)
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


def table_of(
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


class AccumulatorOverflow(ValidationError):
    """Weights and spikes whose Dense sums could leave Lava's int32 accumulator."""


def check_accumulator(
    weights: np.ndarray, exponent: int, largest_spike: int, options: dict[str, Any]
) -> None:
    """Refuse a program whose Dense sums could overflow Lava's int32 accumulator,
    before or after the weight exponent's shift."""
    worst = float(np.max(np.sum(np.abs(weights), axis=1))) * largest_spike
    if worst * 2.0 ** max(exponent, 0) >= ACCUMULATOR_LIMIT:
        raise AccumulatorOverflow(
            "lava.activation_bits",
            "must keep |W|·|s|·fan-in below 2^31",
            options["activation_bits"],
            remedy="lower activation_bits or weight_bits",
        )


def quantisation_budget(
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


def fixed_phase(
    spec: Spec,
    lowered: Lowered,
    dt: float,
    shape: dict[str, Any],
    floating: Compiled,
    options: dict[str, Any],
) -> Compiled:
    # trigonometric tables and the Dense output in phase units
    b, k = options["activation_bits"], options["table_bits"]
    cos, sin = fp.phase_tables(k, b)
    real = step_matrix(lowered, dt) * PHASE_UNIT / 2 ** (b - 1)
    arrays, dense, kept = quantised_synapses(real, 2 ** (b - 1), options)

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
    budget = quantisation_budget(
        real, kept, 2 ** (b - 1) / (dt * PHASE_UNIT), 1 / PHASE_UNIT, table_error, dt
    )
    budget.update(
        weight_bits=options["weight_bits"], activation_bits=options["activation_bits"]
    )
    return Compiled(
        spec.kind, program, arrays, 1 / PHASE_UNIT, lowered.restarts, budget
    )
