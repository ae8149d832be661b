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


# a unit the reference leaves within this share of its largest |x| of zero has
# no sign to agree on (a network whose origin is stable decays to round-off)
UNDECIDED = 1e-3


def undecided_units(model: AbstractModel, reference: Trace) -> Array | None:
    """hopfield, dense: units whose final reference state is too near 0 to have a
    sign; None for other kinds."""
    if model.kind not in ("hopfield", "dense"):
        return None
    # the signs read out are those of the first units (a dense memory's features)
    x = reference.x[:, : np.size(reference.readout)]
    return np.abs(x[-1]) <= UNDECIDED * float(np.max(np.abs(x)))


def readout_match(
    model: AbstractModel,
    reference: Trace,
    other: Trace,
    *,
    rtol: float = 0.05,
    tv: float = 0.15,
    undecided: Array | None = None,
) -> bool:
    """Whether two runs give the same answer, by the kind's own criterion.

    - hopfield, dense: the same sign pattern, over the units not `undecided`
      (by default `undecided_units` of the reference);
    - oim: a cut at least as large as the reference's (spins may differ by a
      global flip or a tie);
    - lca: the same support, and values within `rtol` of the largest coefficient;
    - kuramoto: final phases within `rtol`·2π, up to a common rotation;
    - boltzmann: `pairwise_distance` of the two sample sets at most `tv`.
    """
    a, b = np.asarray(reference.readout), np.asarray(other.readout)
    if model.kind in ("hopfield", "dense"):
        if undecided is None:
            undecided = undecided_units(model, reference)
        decided = ~np.asarray(undecided, bool)
        return bool(np.array_equal(a[decided], b[decided]))
    if model.kind == "oim":
        best, found = model.graph.cut_value(a), model.graph.cut_value(b)
        return bool(found >= best or np.isclose(found, best))
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
        return pairwise_distance(a, b) <= tv
    raise ValueError(f"no readout criterion for kind {model.kind!r}")


def total_variation(samples_a: Array, samples_b: Array) -> float:
    """Total-variation distance between the empirical joint laws of two ±1 sample
    sets (any number of units).

    Over 2ⁿ states the empirical law of a few thousand samples is far from its
    own law once n exceeds ~6 (two exact samplers of 8 units differ by ~0.17 with
    2000 samples each), so this is reported, and `pairwise_distance` is judged.
    """
    a, b = np.asarray(samples_a) > 0, np.asarray(samples_b) > 0
    states, index = np.unique(np.vstack([a, b]), axis=0, return_inverse=True)
    index = np.ravel(index)
    pa = np.bincount(index[: len(a)], minlength=len(states)) / len(a)
    pb = np.bincount(index[len(a) :], minlength=len(states)) / len(b)
    return float(0.5 * np.abs(pa - pb).sum())


def pairwise_distance(samples_a: Array, samples_b: Array) -> float:
    """The largest total-variation distance between the laws of any two units
    (of the one unit, when there is one) in two ±1 sample sets.

    A Boltzmann machine's law is the one of largest entropy with its first and
    second moments, so two machines sample the same law exactly when every
    two-unit marginal agrees; unlike the joint law over 2ⁿ states, these four-state
    laws are well estimated from a few thousand samples whatever n is.
    """
    cells_a, cells_b = _pair_laws(samples_a), _pair_laws(samples_b)
    distance = 0.5 * sum(np.abs(p - q) for p, q in zip(cells_a, cells_b, strict=True))
    return float(np.max(distance))


def _pair_laws(samples: Array) -> tuple[Array, ...]:
    """P(s_i, s_j) for the four sign pairs, each an (n, n) array."""
    up = (np.asarray(samples) > 0).astype(float)
    mean = up.mean(axis=0)
    both = up.T @ up / len(up)
    return (
        both,
        mean[:, None] - both,
        mean[None, :] - both,
        1.0 - mean[:, None] - mean[None, :] + both,
    )


def moment_nrmse(reference: Array, other: Array) -> float:
    """RMS difference of the samples' moments ⟨s_i⟩ and ⟨s_i s_j⟩ (i < j), over
    their range 2: the sampler's counterpart of a trajectory NRMSE."""

    def moments(samples):
        s = np.where(np.asarray(samples) > 0, 1.0, -1.0)
        pairs = s.T @ s / len(s)
        upper = np.triu_indices(s.shape[1], k=1)
        return np.concatenate([s.mean(axis=0), pairs[upper]])

    difference = moments(reference) - moments(other)
    return float(np.sqrt(np.mean(difference**2)) / 2.0)


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
