"""The arithmetic of the Loihi-style neurons, written once for two callers.

The Lava process models in the worker (Python 3.10, numpy 1.26) and the vectorised
emulator in the core (numpy 2) both call these functions, so the two cannot drift
apart: a bit-exact match is a matter of calling them with the same integers. This
module imports numpy only and is loaded by path in the worker, as a module in the
core. Every function works on arrays with any leading (ensemble) axes; the integer
ones on int64, and the ``*_float`` ones give the floating-point models the same
activations. `dense` states the semantics of Lava's bit-accurate Dense (the
emulator computes the same sums with BLAS; the worker runs Lava's own process).

Units
-----
- A rate state ``v`` holds x·2^F (F fractional bits, at most 24 bits with its sign).
- A graded spike carries an activation scaled by 2^(b−1) (tanh) or 2^Fa (codes).
- A phase ``p`` holds φ·2^24/(2π), unwrapped (the turns are the bits above 24).
- A decay ``dv`` is a 12-bit fraction: one step multiplies by 1 − dv/2^12.

Shifts are arithmetic (floor) where Lava's Dense shifts, and sign-magnitude
(towards zero) where Loihi's neurons decay, as in Lava's own LIF model.
"""

import numpy as np

DECAY_BITS = 12
PHASE_BITS = 24
PHASE_MASK = (1 << PHASE_BITS) - 1


def decay(v, dv):
    """v·(2^12 − dv)/2^12, truncated towards zero (Loihi's decay).

    Parameters
    ----------
    v : int64 array
        States.
    dv : int
        Decay constant, 0 ≤ dv ≤ 2^12.
    """
    product = np.asarray(v, np.int64) * ((1 << DECAY_BITS) - np.asarray(dv, np.int64))
    # adding 2^12 − 1 to a negative product makes the floor shift round towards zero
    return (product + ((product >> 63) & ((1 << DECAY_BITS) - 1))) >> DECAY_BITS


def dense(weights, s, weight_exp):
    """a = (W s)·2^weight_exp, shifted as Lava's bit-accurate Dense shifts.

    Lava's Dense accumulates int32 weights times int32 spikes; the compiler keeps
    |W|·|s|·fan-in below 2^31, so accumulating in int64 here gives the same sums.
    """
    accumulated = np.asarray(s, np.int64) @ np.asarray(weights, np.int64).T
    if weight_exp > 0:
        return np.left_shift(accumulated, weight_exp)
    return np.right_shift(accumulated, -weight_exp)


def table_lookup(v, table, shift):
    """table[clip((v >> shift) + len/2, 0, len − 1)]: an activation by look-up."""
    half = len(table) // 2
    index = np.minimum(np.maximum((v >> shift) + half, 0), len(table) - 1)
    return table[index]


def soft_threshold(v, threshold, shift, nonnegative):
    """sign(v)·max(|v| − λ, 0) >> shift (or relu(v − λ) >> shift), towards zero."""
    if nonnegative:
        return np.maximum(v - threshold, 0) >> shift
    return np.sign(v) * (np.maximum(np.abs(v) - threshold, 0) >> shift)


def activate(v, segments, tables):
    """The graded spikes of a rate population, one segment of units at a time.

    Each segment (a dict) covers units up to ``stop`` with one activation:
    ``table`` (look-up in ``tables[table]``), ``soft``/``relu`` (threshold), or
    ``softmax``: e = exp-table look-up of v − max v, then f = (e << bits) // Σ e,
    a maximum and an integer division computed across the segment's population.
    """
    parts, start = [], 0
    for segment in segments:
        part, start = v[..., start : segment["stop"]], segment["stop"]
        act, shift = segment["act"], segment.get("shift", 0)
        if act == "softmax":
            part = part - np.max(part, axis=-1, keepdims=True)
        if act in ("table", "softmax"):
            looked_up = table_lookup(part, tables[segment["table"]], shift)
            if act == "softmax":
                total = np.sum(looked_up, axis=-1, keepdims=True)
                looked_up = (looked_up << segment["bits"]) // total
            parts.append(looked_up)
        else:
            parts.append(
                soft_threshold(part, segment["threshold"], shift, act == "relu")
            )
    return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=-1)


def activate_float(v, segments):
    """The float activations of the same segments (tanh, soft, relu, polynomial,
    softmax), in model units."""
    parts, start = [], 0
    for segment in segments:
        part, start = v[..., start : segment["stop"]], segment["stop"]
        act = segment["act"]
        if act == "tanh":
            parts.append(np.tanh(segment["gain"] * part))
        elif act == "polynomial":
            degree = segment["degree"]
            parts.append(degree * np.maximum(part, 0.0) ** (degree - 1))
        elif act == "softmax":
            scaled = segment["beta"] * part
            e = np.exp(scaled - np.max(scaled, axis=-1, keepdims=True))
            parts.append(e / np.sum(e, axis=-1, keepdims=True))
        else:
            lam = segment["threshold"]
            if act == "relu":
                parts.append(np.maximum(part - lam, 0.0))
            else:
                parts.append(np.sign(part) * np.maximum(np.abs(part) - lam, 0.0))
    return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=-1)


def rate_step(v, a_in, bias, dv):
    """One Euler step of τ ẋ = −x + input: v ← decay(v) + a_in + bias."""
    return decay(v, dv) + a_in + bias


def heat_bath(s, field, active, uniform, table, shift):
    """Glauber update of the `active` units: s = +1 if u < P(+1 | field), else −1.

    P(+1) = σ(2h/T) is looked up in `table` (scaled by 2^16) at field >> shift;
    `uniform` holds 16-bit uniform integers. Inactive units keep their spin.
    """
    p_up = table_lookup(field, table, shift)
    return np.where(active, np.where(uniform < p_up, 1, -1), s)


def heat_bath_float(s, field, active, uniform, temperature):
    """The same update in float: P(+1) = 1/(1 + exp(−2h/T)), u = uniform/2^16."""
    p_up = 1.0 / (1.0 + np.exp(-2.0 * field / temperature))
    return np.where(active, np.where(uniform / 65536.0 < p_up, 1.0, -1.0), s)


def record_row(tick, stride, skip):
    """The history row of `tick`, or −1: one row every `stride` ticks after `skip`."""
    if (tick - 1) % stride:
        return -1
    return (tick - 1) // stride - skip


def phase_tables(table_bits, amplitude_bits):
    """cos and sin on 2^table_bits phases, scaled by 2^(b−1) and kept in b bits."""
    angles = 2 * np.pi * (np.arange(1 << table_bits) + 0.5) / (1 << table_bits)
    top = (1 << (amplitude_bits - 1)) - 1
    scale = 1 << (amplitude_bits - 1)
    cos = np.clip(np.round(np.cos(angles) * scale), -top, top).astype(np.int64)
    sin = np.clip(np.round(np.sin(angles) * scale), -top, top).astype(np.int64)
    return cos, sin


def phase_index(p, table_bits):
    """The table row of phase p (the top table_bits of its 24-bit fraction)."""
    return (p & PHASE_MASK) >> (PHASE_BITS - table_bits)


def ramp(value, k, steps):
    """value·k/steps (floor), or value once k ≥ steps: the annealing ramp."""
    if steps <= 0:
        return value
    return value * min(k, steps) // steps


def phase_step(p, y_cos, y_sin, cos, sin, sin2, omega, shil, kick, amplitude_bits):
    """One Euler–Maruyama step of a phase oscillator, in phase units (2π/2^24).

    φ ← φ + dt[ω + cos φ·(A sin φ) − sin φ·(A cos φ) − K_s sin 2φ] + σ√dt z,
    with y_cos = dt·A cos φ and y_sin = dt·A sin φ from the Dense process, the
    activations scaled by 2^(b−1), `shil` = dt·K_s and the noise `kick` = σ√dt z
    in phase units.
    """
    b = amplitude_bits - 1
    drift = (cos * y_sin - sin * y_cos) >> b
    pull = (shil * sin2) >> b
    return p + omega + drift - pull + kick
