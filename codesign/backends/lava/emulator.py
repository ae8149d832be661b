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
    """Run `compiled` like the worker does.

    Parameters
    ----------
    compiled : Compiled
        A program from `compile`; any of its arrays may carry leading ensemble axes.

    Returns
    -------
    dict
        ``history`` (..., rows, units): the recorded states (integers in fixed
        point, bit-identical to Lava's); ``counts`` (..., 2): the messages sent
        (non-zero graded spikes) and the synaptic operations they caused
        (messages × fan-out).
    """
    program, arrays = compiled.program, compiled.arrays
    fixed = program["precision"] == "fixed"
    neuron = NEURONS[program["family"]]
    synapses = [
        (_as_operator(arrays[f"weights_{k}"]), synapse["weight_exp"])
        for k, synapse in enumerate(program["dense"])
    ]
    state, spikes = neuron.start(program, arrays, fixed)
    first = neuron.recorded(state)
    rows, stride = program["rows"], program["stride"]
    skip = program["neuron"].get("skip", 0)
    history = np.empty(first.shape[:-1] + (rows, first.shape[-1]), first.dtype)
    if 0 <= fp.record_row(1, stride, skip) < rows:
        history[..., fp.record_row(1, stride, skip), :] = first
    active = (spikes != 0).astype(np.int64)

    # tick t integrates what Dense computed from the spikes of tick t − 1
    for tick in range(2, program["ticks"] + 1):
        a_in = sum(_dense(w, spikes, exponent, fixed) for w, exponent in synapses)
        state = neuron.step(state, a_in, tick - 2, program, arrays, fixed)
        spikes = neuron.spikes(state, program, arrays, fixed)
        active += spikes != 0
        row = fp.record_row(tick, stride, skip)
        if 0 <= row < rows:
            history[..., row, :] = neuron.recorded(state)

    # messages sent, and the synaptic operations they caused (each × its fan-out)
    counts = np.stack([active.sum(axis=-1), active @ arrays["fanout"]], axis=-1)
    return {"history": history, "counts": counts}


def _as_operator(weights: np.ndarray) -> np.ndarray:
    """Weights as float64, transposed for ``spikes @ W.T`` (batched: kept as is)."""
    weights = np.asarray(weights, np.float64)
    return weights if weights.ndim > 2 else np.ascontiguousarray(weights.T)


def _dense(operator, spikes, exponent, fixed):
    """Lava's Dense: W s, then the weight exponent's shift in fixed point.

    The integer sums stay below 2^31 (the compiler checks), so a float64 matrix
    product gives them exactly, at BLAS speed.
    """
    spikes = spikes.astype(np.float64)
    if operator.ndim > 2:
        product = np.einsum("...ij,...j->...i", operator, spikes)
    else:
        product = spikes @ operator
    if not fixed:
        return product
    accumulated = product.astype(np.int64)  # exact: integer sums below 2^31
    if exponent > 0:
        return np.left_shift(accumulated, exponent)
    return np.right_shift(accumulated, -exponent)


class _RATE:
    """`RateNeuron`: v ← v(1 − decay) + a_in + bias; s = g(v)."""

    @staticmethod
    def recorded(v):
        return v

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
    def recorded(p):
        return p

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


class _STOCHASTIC:
    """`StochasticNeuron`: state (s, u, s_out) stacked on axis −2; u += a_in, a
    heat-bath update of one colour class, and the change of s as the spike."""

    @staticmethod
    def recorded(state):
        return state[..., 0, :]

    @staticmethod
    def start(program, arrays, fixed):
        s = arrays["s0"].astype(np.int64 if fixed else np.float64)
        state = np.stack([s, np.zeros_like(s), s], axis=-2)
        return state, s

    @staticmethod
    def step(state, a_in, k, program, arrays, fixed):
        s, u = state[..., 0, :], state[..., 1, :] + a_in
        active = arrays["colors"] == k % program["neuron"]["n_colors"]
        uniform = arrays["uniforms"][..., k, :]
        field = u + arrays["bias"]
        if fixed:
            new = fp.heat_bath(
                s, field, active, uniform, arrays["table"], program["neuron"]["shift"]
            )
        else:
            new = fp.heat_bath_float(
                s, field, active, uniform, program["neuron"]["temperature"]
            )
        return np.stack([new, u, new - s], axis=-2)

    @staticmethod
    def spikes(state, program, arrays, fixed):
        return state[..., 2, :]


NEURONS = {"rate": _RATE, "phase": _PHASE, "stochastic": _STOCHASTIC}
