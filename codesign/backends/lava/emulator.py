"""A vectorised numpy emulator of the worker's Lava programs, bit-exact in fixed point.

It steps the same loop as Lava's simulator — neuron update, graded spikes, a
`Dense` that answers one step later — with the integer arithmetic of
`worker/fixed_point.py`, which the Lava process models also call. So a fixed-point
run here equals the Lava run bit for bit (tests/backends/lava/test_emulator.py),
at numpy speed, and sweeps over quantisation and device noise need not pay Lava's
simulator cost. Float programs are emulated too (not bit-exact: the summation order
of a float dot product may differ).

Every array of a compiled model may carry leading ensemble axes (a batch of weights,
starts or biases); the results then carry the same axes.
"""

from __future__ import annotations

import numpy as np

from .compile import Compiled
from .worker import fixed_point as fp


def emulate(compiled: Compiled) -> dict[str, np.ndarray]:
    """Run `compiled` like the worker does; return ``history`` and ``counts``.

    ``history`` has shape (..., rows, units) and ``counts`` (..., 2) holds the spikes
    (non-zero graded messages) and synaptic operations (messages × fan-out).
    """
    program, arrays = compiled.program, compiled.arrays
    family, fixed = program["family"], program["precision"] == "fixed"
    neuron = _RATE if family == "rate" else _PHASE
    state, spikes = neuron.start(program, arrays, fixed)
    history = np.empty(
        spikes.shape[:-1] + (program["rows"], state.shape[-1]), state.dtype
    )
    counts = np.zeros(spikes.shape[:-1] + (2,), np.int64)
    _record(history, counts, 1, program["stride"], state, spikes, arrays["fanout"])

    # tick t integrates what Dense computed from the spikes of tick t − 1
    for tick in range(2, program["ticks"] + 1):
        a_in = sum(
            _dense(arrays[f"weights_{k}"], spikes, synapse["weight_exp"], fixed)
            for k, synapse in enumerate(program["dense"])
        )
        state = neuron.step(state, a_in, tick - 2, program, arrays, fixed)
        spikes = neuron.spikes(state, program, arrays, fixed)
        _record(
            history, counts, tick, program["stride"], state, spikes, arrays["fanout"]
        )
    return {"history": history, "counts": counts}


def _record(history, counts, tick, stride, state, spikes, fanout):
    if (tick - 1) % stride == 0:
        history[..., (tick - 1) // stride, :] = state
    active = spikes != 0
    counts[..., 0] += np.count_nonzero(active, axis=-1)
    counts[..., 1] += np.sum(np.where(active, fanout, 0), axis=-1)


def _dense(weights, spikes, exponent, fixed):
    """Lava's Dense: W s, then the weight exponent's shift in fixed point.

    The integer sums stay below 2^31 (the compiler checks), so a float64 matrix
    product gives them exactly, at BLAS speed.
    """
    product = (
        np.einsum(
            "...ij,...j->...i", weights.astype(np.float64), spikes.astype(np.float64)
        )
        if weights.ndim > 2
        else spikes.astype(np.float64) @ weights.astype(np.float64).T
    )
    if not fixed:
        return product
    accumulated = np.rint(product).astype(np.int64)
    if exponent > 0:
        return np.left_shift(accumulated, exponent)
    return np.right_shift(accumulated, -exponent)


class _RATE:
    """`RateNeuron`: v ← v(1 − decay) + a_in + bias; s = g(v)."""

    @staticmethod
    def start(program, arrays, fixed):
        v = arrays["v0"].astype(np.int64 if fixed else np.float64)
        return v, _RATE.spikes(v, program, arrays, fixed)

    @staticmethod
    def step(v, a_in, k, program, arrays, fixed):
        if fixed:
            return fp.rate_step(v, a_in, arrays["bias"], arrays["decay"])
        return v * (1.0 - arrays["decay"]) + a_in + arrays["bias"]

    @staticmethod
    def spikes(v, program, arrays, fixed):
        segments = program["neuron"]["segments"]
        if fixed:
            return fp.activate(v, segments, arrays["tables"])
        return fp.activate_float(v, segments)


class _PHASE:
    """`PhaseNeuron`: φ ← φ + dt·ω + cos φ·y_sin − sin φ·y_cos − dt·K_s sin 2φ + ξ."""

    @staticmethod
    def start(program, arrays, fixed):
        p = arrays["p0"].astype(np.int64 if fixed else np.float64)
        return p, _PHASE.spikes(p, program, arrays, fixed)

    @staticmethod
    def step(p, a_in, k, program, arrays, fixed):
        neuron, n = program["neuron"], p.shape[-1]
        y_cos, y_sin = a_in[..., :n], a_in[..., n:]
        steps, noise = neuron["anneal_steps"], arrays["noise"]
        kick = noise[..., k, :] if k < noise.shape[-2] else 0
        if not fixed:
            done = min(k / steps, 1.0) if steps > 0 else 1.0
            return (
                p
                + arrays["omega"]
                + np.cos(p) * y_sin
                - np.sin(p) * y_cos
                - neuron["shil"] * done * np.sin(2 * p)
                + kick
            )
        bits = neuron["table_bits"]
        row, row2 = fp.phase_index(p, bits), fp.phase_index(2 * p, bits)
        shil = fp.ramp(neuron["shil"], k, steps)
        return fp.phase_step(
            p,
            y_cos,
            y_sin,
            arrays["cos"][row],
            arrays["sin"][row],
            arrays["sin"][row2],
            arrays["omega"],
            shil,
            kick,
            neuron["amplitude_bits"],
        )

    @staticmethod
    def spikes(p, program, arrays, fixed):
        if not fixed:
            return np.concatenate([np.cos(p), np.sin(p)], axis=-1)
        row = fp.phase_index(p, program["neuron"]["table_bits"])
        return np.concatenate([arrays["cos"][row], arrays["sin"][row]], axis=-1)
