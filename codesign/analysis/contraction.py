"""Logarithmic norms and contraction margins (MODELS.md §4, C1–C6).

Hopfield-form networks τẋ = −x + W φ(x) + u with activation slopes in [0, s] have
Jacobians −I + W D, D = diag(d), d ∈ [0, s]ⁿ. Two bounds follow:

- ℓ1 (C4): μ₁(W D) ≤ s·max(μ₁(W), 0), so the rate is c = 1 − s·max(μ₁(W), 0);
- ℓ2: μ₂(W D) ≤ s‖W‖₂, so c = 1 − s‖W‖₂.

The LCA is of this form with W = I − ΦᵀΦ and s = 1, which gives the proximal
gradient rate of C6: c = 1 − max(|1 − λ_min(ΦᵀΦ)|, |1 − λ_max(ΦᵀΦ)|).
Rates are per unit of model time (per τ). A positive rate means the network is
contracting: one globally attracting equilibrium, robust to input changes (C2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._errors import ValidationError
from .._types import Array
from ..models import AbstractModel, HopfieldModel, LCAModel


def log_norm(a: Array, norm: str = "2") -> float:
    """The logarithmic norm μ(A) for ``norm`` in ``1``, ``2``, ``inf``."""
    a = np.asarray(a, float)
    diagonal = np.diag(a)
    off = np.abs(a - np.diag(diagonal))
    if norm == "1":
        return float(np.max(diagonal + off.sum(axis=0)))
    if norm == "inf":
        return float(np.max(diagonal + off.sum(axis=1)))
    if norm == "2":
        return float(np.linalg.eigvalsh((a + a.T) / 2)[-1])
    raise ValidationError("norm", "must be one of 1, 2, inf", norm)


def weighted_log_norm(a: Array, weights: Array, norm: str = "2") -> float:
    """μ_{p,R}(A) = μ_p(R A R⁻¹) for the diagonal weighting R = diag(weights)."""
    r = np.asarray(weights, float)
    return log_norm(r[:, None] * a / r[None, :], norm)


@dataclass(frozen=True)
class ContractionMargin:
    """A contraction rate bound `rate` in `norm`; `contracting` when rate > 0."""

    norm: str
    rate: float
    reason: str

    @property
    def contracting(self) -> bool:
        return self.rate > 0

    def distance_bound(self, initial_distance: float, t: Array) -> Array:
        """‖x(t) − y(t)‖ ≤ e^{−ct} ‖x(0) − y(0)‖ (C2 i)."""
        return initial_distance * np.exp(-self.rate * np.asarray(t))

    def equilibrium_shift_bound(self, input_change: float) -> float:
        """‖x*(u) − x*(v)‖ ≤ ‖u − v‖ / c for a unit-Lipschitz input (C2 iv)."""
        if not self.contracting:
            return float("inf")
        return input_change / self.rate


def hopfield_form(model: AbstractModel) -> tuple[Array, float]:
    """(W, s) of a model written as τẋ = −x + W φ(x) + u with slopes in [0, s]."""
    if isinstance(model, HopfieldModel):
        return model.weights, model.gain
    if isinstance(model, LCAModel):
        return np.eye(model.n) - model.gram, 1.0
    raise ValidationError(
        "model", "contraction margins cover hopfield and lca", model.kind
    )


def contraction_margin(model: AbstractModel, norm: str = "2") -> ContractionMargin:
    """The rate bound of MODELS.md §4 for `model` in the ℓ1 or ℓ2 norm."""
    weights, slope = hopfield_form(model)
    if norm == "1":
        mu = max(log_norm(weights, "1"), 0.0)
        return ContractionMargin(
            "1", 1.0 - slope * mu, f"1 − s·max(μ₁(W), 0), s = {slope:g}"
        )
    if norm == "2":
        return ContractionMargin(
            "2",
            1.0 - slope * float(np.linalg.norm(weights, 2)),
            f"1 − s‖W‖₂, s = {slope:g}",
        )
    raise ValidationError("norm", "must be 1 or 2", norm)


def measured_log_norm(model: AbstractModel, states: Array, norm: str = "2") -> float:
    """The largest μ(Df(x)) over sampled `states` (an empirical −rate)."""
    jacobians = model.jacobian(np.atleast_2d(states))
    return max(log_norm(j, norm) for j in jacobians)
