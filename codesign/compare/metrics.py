"""Metrics between a backend's trace and the reference's, in model units."""

from __future__ import annotations

import numpy as np

from .._types import Array
from ..models import AbstractModel
from ..trace import Trace

PHASE_KINDS = ("kuramoto", "oim")


def aligned_states(reference: Trace, other: Trace) -> Array:
    """`other`'s states interpolated onto the reference's times (T, d)."""
    if other.x.shape == reference.x.shape and np.allclose(other.t, reference.t):
        return other.x
    columns = [
        np.interp(reference.t, other.t, other.x[:, k]) for k in range(other.x.shape[1])
    ]
    return np.stack(columns, axis=1)


def nrmse(reference: Trace, other: Trace, kind: str = "") -> float:
    """RMS difference over aligned time, over the range of the reference's states.

    Phases (kuramoto, oim) are compared as angles: the difference is wrapped into
    (−π, π] and normalised by 2π.
    """
    x = aligned_states(reference, other)
    difference = x - reference.x
    if kind in PHASE_KINDS:
        difference = np.angle(np.exp(1j * difference))
        scale = 2 * np.pi
    else:
        scale = float(np.ptp(reference.x)) or 1.0
    return float(np.sqrt(np.mean(difference**2)) / scale)


def readout_match(
    model: AbstractModel,
    reference: Trace,
    other: Trace,
    *,
    rtol: float = 0.05,
    tv: float = 0.15,
) -> bool:
    """Whether two runs give the same answer, by the kind's own criterion.

    - hopfield, dense: the same sign pattern;
    - oim: the same cut value (spins may differ by a global flip or a tie);
    - lca: the same support, and values within `rtol` of the largest coefficient;
    - kuramoto: final phases within `rtol`·2π, up to a common rotation;
    - boltzmann: total-variation distance of the two sample laws at most `tv`.
    """
    a, b = np.asarray(reference.readout), np.asarray(other.readout)
    if model.kind in ("hopfield", "dense"):
        return bool(np.array_equal(a, b))
    if model.kind == "oim":
        return bool(np.isclose(model.graph.cut_value(a), model.graph.cut_value(b)))
    if model.kind == "lca":
        scale = max(float(np.max(np.abs(a))), 1e-12)
        same_support = np.array_equal(
            np.abs(a) > 1e-3 * scale, np.abs(b) > 1e-3 * scale
        )
        return bool(same_support and np.max(np.abs(a - b)) <= rtol * scale)
    if model.kind == "kuramoto":
        rotation = np.angle(np.mean(np.exp(1j * (b - a))))
        gap = np.angle(np.exp(1j * (b - a - rotation)))
        return bool(np.max(np.abs(gap)) <= rtol * 2 * np.pi)
    if model.kind == "boltzmann":
        return total_variation(a, b) <= tv
    raise ValueError(f"no readout criterion for kind {model.kind!r}")


def total_variation(samples_a: Array, samples_b: Array) -> float:
    """Total-variation distance between the empirical laws of two ±1 sample sets."""

    def law(samples):
        codes = (np.asarray(samples) > 0) @ (1 << np.arange(samples.shape[1]))
        values, counts = np.unique(codes, return_counts=True)
        return dict(zip(values.tolist(), (counts / counts.sum()).tolist(), strict=True))

    pa, pb = law(samples_a), law(samples_b)
    return 0.5 * sum(abs(pa.get(k, 0.0) - pb.get(k, 0.0)) for k in set(pa) | set(pb))


def kl_to_exact(samples: Array, states: Array, probabilities: Array) -> float:
    """KL(empirical ‖ exact) over enumerated `states`, with empirical zeros dropped."""
    n = states.shape[1]
    weights = 1 << np.arange(n)
    index = {int(c): k for k, c in enumerate((states > 0) @ weights)}
    counts = np.bincount(
        [index[int(c)] for c in (samples > 0) @ weights], minlength=len(states)
    )
    empirical = counts / counts.sum()
    seen = empirical > 0
    return float(
        np.sum(empirical[seen] * np.log(empirical[seen] / probabilities[seen]))
    )


def settling_time(t: Array, x: Array, fraction: float = 0.02) -> float:
    """The first time after which every state stays within `fraction` of the
    state range of its final value."""
    x = np.asarray(x, float)
    band = fraction * (float(np.ptp(x)) or 1.0)
    outside = np.any(np.abs(x - x[-1]) > band, axis=1)
    if not outside.any():
        return float(t[0])
    last = int(np.flatnonzero(outside)[-1])
    return float(t[min(last + 1, len(t) - 1)])
