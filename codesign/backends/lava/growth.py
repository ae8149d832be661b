"""The time step of a deterministic network: short enough for its fastest growth.

Forward Euler turns a growth rate α into ln(1 + α·dt)/dt ≈ α − α²·dt/2 per unit of
time. Where modes compete from a small start (a dense memory with more memories
than features, a Hopfield network started near 0), the modes grow at rates of tens
per time unit, and an error of α·dt/2 in each of them can pick another winner. So
the step is shortened until dt·α ≤ `GROWTH_STEP` for the largest growth rate α met
along a float dry run, and until dt·σ ≤ `STABLE_STEP` for its fastest decay σ
(Euler rings above 1 and diverges above 2): the eigenvalues of the Jacobian

    J(x) = diag(1/τ) (−I + A g′(x)),

at samples of the run, with g′ the slopes of the activations (for the softmax,
the full block β(diag f − f fᵀ)); for phase oscillators, the Jacobian of the
coupling (`phase_jacobian`).
"""

from __future__ import annotations

import numpy as np

from ..._types import Array
from ._program import Lowered

GROWTH_STEP = 0.05  # largest dt·α: growth rates kept to 2.5 %
STABLE_STEP = 1.0  # largest dt·|λ| of a decaying mode: Euler decays it, no ringing
EXACT_UNITS = 128  # above this many units the step is left as given
SAMPLES = 24  # states of the dry run at which the Jacobian is taken


def step_rates(lowered: Lowered, states: Array) -> tuple[float, float]:
    """(α, σ) over samples of `states`: the largest real part of an eigenvalue of
    J (growth), and the largest |λ| of an eigenvalue with a negative real part
    (decay; forward Euler needs dt·σ < 2 to stay stable).

    Both come from the same eigenvalues; (−inf, 0) above `EXACT_UNITS` units.
    """
    if states.shape[-1] > EXACT_UNITS:
        return -np.inf, 0.0
    build = jacobian if lowered.family == "rate" else phase_jacobian
    eigenvalues = np.linalg.eigvals(build(lowered, states[sample_rows(states)]))
    decaying = np.abs(eigenvalues[eigenvalues.real < 0])
    return float(np.max(eigenvalues.real)), float(np.max(decaying, initial=0.0))


def growth_rate(lowered: Lowered, states: Array) -> float:
    """The largest real part of an eigenvalue of J over samples of `states`.

    Parameters
    ----------
    lowered : Lowered
        A rate or phase network (restarts side by side are independent blocks).
    states : array (rows, units)
        A float dry run's history, in model units.

    Returns
    -------
    float
        α in 1 / model time units; −inf for programs above `EXACT_UNITS` units,
        whose eigenvalues would cost more than the run.
    """
    return step_rates(lowered, states)[0]


def sample_rows(states: Array) -> np.ndarray:
    """Rows of the history at which to take the Jacobian: where the velocity grows
    the most from one sample to the next (growth is short-lived, between samples
    that are far apart), and a few spread over the whole run."""
    rows = len(states)
    spread = np.linspace(0, rows - 1, SAMPLES // 3).round().astype(int)
    speed = np.linalg.norm(np.diff(states, axis=0), axis=-1)
    if rows < 3:
        return np.unique(spread)
    growth = speed[1:] / np.maximum(speed[:-1], 1e-300)
    fastest = np.argsort(-growth, kind="stable")[: SAMPLES - len(spread)]
    return np.unique(np.concatenate([spread, fastest, fastest + 1]))


def jacobian(lowered: Lowered, states: Array) -> Array:
    """J(x) = diag(1/τ)(−I + A g′(x)) at each state (k, units) → (k, units, units)."""
    units = states.shape[-1]
    rates = np.ones(units) if lowered.rates is None else lowered.rates
    coupled = np.empty(states.shape + (units,))
    start = 0
    for segment in lowered.neuron["segments"]:
        part = slice(start, segment["stop"])
        start = segment["stop"]
        columns = loop(lowered)[:, part]
        slope = activation_slope(segment, states[:, part])
        if slope.ndim == states.ndim:  # elementwise: scale the columns
            coupled[..., part] = columns[None] * slope[:, None, :]
        else:  # a population-wide activation (softmax): its full block
            coupled[..., part] = columns[None] @ slope
    return rates[:, None] * (coupled - np.eye(units))


def phase_jacobian(lowered: Lowered, phases: Array) -> Array:
    """J of φ̇_i = ω_i + Σ_j A_ij sin(φ_j − φ_i) − K_s sin 2φ_i at each state:
    J_ij = A_ij cos(φ_j − φ_i) off the diagonal, and J_ii = −Σ_j that −
    2 K_s cos 2φ_i."""
    coupled = loop(lowered) * np.cos(phases[..., None, :] - phases[..., :, None])
    diagonal = np.sum(coupled, axis=-1) + 2 * lowered.neuron["shil"] * np.cos(
        2 * phases
    )
    return coupled - diagonal[..., :, None] * np.eye(phases.shape[-1])


def loop(lowered: Lowered) -> Array:
    """The loop matrix A over all units: one block per restart."""
    if lowered.restarts == 1:
        return lowered.weights
    return np.kron(np.eye(lowered.restarts), lowered.weights)


def activation_slope(segment: dict, x: Array) -> Array:
    """g′(x) of one segment: (k, m) elementwise, or (k, m, m) for the softmax."""
    act = segment["act"]
    if act == "tanh":
        return segment["gain"] * (1.0 - np.tanh(segment["gain"] * x) ** 2)
    if act == "polynomial":
        degree = segment["degree"]
        return degree * (degree - 1) * np.maximum(x, 0.0) ** (degree - 2) * (x > 0)
    if act == "softmax":
        beta = segment["beta"]
        scaled = beta * (x - np.max(x, axis=-1, keepdims=True))
        f = np.exp(scaled) / np.sum(np.exp(scaled), axis=-1, keepdims=True)
        return beta * (
            f[..., :, None] * np.eye(x.shape[-1]) - f[..., :, None] * f[..., None, :]
        )
    if act == "relu":
        return (x > segment["threshold"]).astype(float)
    return (np.abs(x) > segment["threshold"]).astype(float)
