"""The Kuramoto network of phase oscillators."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .._errors import Described, ValidationError
from .._params import Param, Schema
from .._types import Array, State
from ._base import AbstractModel, check_square_symmetric, register_model


@register_model
class KuramotoModel(AbstractModel):
    """θ̇_i = ω_i + Σ_j K_ij sin(θ_j − θ_i).

    A scalar `coupling` K means all-to-all K_ij = K/n, integrated in the mean-field
    form θ̇_i = ω_i + K r sin(ψ − θ_i) with r e^{iψ} = (1/n) Σ_j e^{iθ_j}, which costs
    O(n) instead of O(n²). The flow is the gradient θ̇ = −∇E of

        E(θ) = −ωᵀθ − ½ Σ_ij K_ij cos(θ_i − θ_j)

    on unwrapped phases (symmetric K), so E never rises. States are unwrapped
    phases; the readout wraps them into [0, 2π). For a Lorentzian g(ω) of half-width
    γ, the stationary order parameter is r = √(1 − 2γ/K) above K_c = 2γ.
    """

    kind = "kuramoto"
    schema = Schema(
        "model",
        (
            Param("frequencies", "array", doc="natural frequencies ω (n)"),
            Param(
                "coupling",
                "scalar_or_array",
                1.0,
                "scalar K (all-to-all K/n) or a symmetric n×n matrix K_ij",
            ),
        ),
    )

    def __init__(self, frequencies: Array, coupling: float | Array = 1.0):
        self.omega = np.asarray(frequencies, float)
        if self.omega.ndim != 1 or self.omega.size == 0:
            raise ValidationError(
                "frequencies",
                "must be a non-empty vector",
                Described(f"shape {self.omega.shape}"),
            )
        self.n = self.omega.size
        if np.ndim(coupling) == 0:
            self.coupling = float(coupling)
            self.matrix = None
        else:
            self.matrix = check_square_symmetric(
                "coupling", np.asarray(coupling, float), size=self.n
            )
            self.coupling = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any], seed: int) -> KuramotoModel:
        return cls(params["frequencies"], params["coupling"])

    @property
    def mean_field(self) -> bool:
        """True when the coupling is all-to-all and the O(n) form is used."""
        return self.matrix is None

    def coupling_matrix(self) -> Array:
        """K_ij as an (n, n) matrix (K/n everywhere for a scalar coupling)."""
        if self.mean_field:
            return np.full((self.n, self.n), self.coupling / self.n)
        return self.matrix

    def order_parameter(self, theta: State) -> tuple[Array, Array]:
        """(r, ψ) with r e^{iψ} = (1/n) Σ_j e^{iθ_j}."""
        z = np.mean(np.exp(1j * np.asarray(theta)), axis=-1)
        return np.abs(z), np.angle(z)

    def vector_field(self, t, theta: State) -> State:
        cos, sin = np.cos(theta), np.sin(theta)
        if self.mean_field:
            k = self.coupling / self.n
            pull_sin = k * np.sum(sin, axis=-1, keepdims=True)
            pull_cos = k * np.sum(cos, axis=-1, keepdims=True)
        else:
            pull_sin, pull_cos = sin @ self.matrix, cos @ self.matrix
        # Σ_j K_ij sin(θ_j − θ_i) = cos θ_i (K sin θ)_i − sin θ_i (K cos θ)_i
        return self.omega + cos * pull_sin - sin * pull_cos

    def energy(self, theta: State) -> Array:
        cos, sin = np.cos(theta), np.sin(theta)
        if self.mean_field:
            k = self.coupling / self.n
            coupling = k * (np.sum(cos, -1) ** 2 + np.sum(sin, -1) ** 2)
        else:
            coupling = np.einsum(
                "...i,ij,...j->...", cos, self.matrix, cos
            ) + np.einsum("...i,ij,...j->...", sin, self.matrix, sin)
        return -theta @ self.omega - 0.5 * coupling

    def jacobian(self, theta: State) -> Array:
        weights = self.coupling_matrix() * np.cos(
            theta[..., None, :] - theta[..., :, None]
        )
        np.einsum("...ii->...i", weights)[...] = 0.0
        return weights - np.eye(self.n) * weights.sum(-1)[..., :, None]

    def readout(self, theta: State) -> np.ndarray:
        return np.mod(theta, 2 * np.pi)

    def initial_state(self, rng: np.random.Generator) -> State:
        return rng.uniform(0.0, 2 * np.pi, self.n)


def lorentzian_frequencies(n: int, half_width: float, centre: float = 0.0) -> Array:
    """n frequencies at the quantiles of a Lorentzian (deterministic sampling)."""
    quantiles = (np.arange(n) + 0.5) / n
    return centre + half_width * np.tan(np.pi * (quantiles - 0.5))
