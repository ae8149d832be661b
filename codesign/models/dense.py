"""Dense associative memory as a two-layer network of feature and memory neurons.

Krotov & Hopfield (2021): feature neurons x (n) and memory neurons h (p) joined by
the same synapses ξ in both directions, so only two-body couplings are needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.special import logsumexp, softmax

from .._errors import ValidationError
from .._params import Param, Schema
from .._types import Array, State
from ._base import AbstractModel, log_cosh, register_model
from .hopfield import check_patterns


@register_model
class DenseModel(AbstractModel):
    """τ_f ẋ = −x + ξᵀ f(h),  τ_h ḣ = −h + ξ g(x),  g(x) = tanh(gain·x).

    The separation function is f = ∂L_h/∂h for a convex Lagrangian L_h:

    - ``softmax``: L_h = β⁻¹ log Σ_μ exp(β h_μ), f = softmax(β h);
    - ``polynomial``: L_h = Σ_μ relu(h_μ)^degree, f = degree · relu(h)^(degree−1).

    With L_x = Σ_i log cosh(gain·x_i)/gain (so g = ∂L_x/∂x) the energy is

        E = [xᵀg − L_x] + [hᵀf − L_h] − fᵀ ξ g,

    and dE/dt = −τ_f ẋᵀ∇²L_x ẋ − τ_h ḣᵀ∇²L_h ḣ ≤ 0. The state is (x, h), of size
    n + p; time counts in units of τ_f; the readout is sign(x). As τ_h/τ_f → 0, x
    follows the gradient flow of the effective energy ½‖x‖² − Σ_μ F(ξ_μ·g(x))-type
    dense memory (M5a/M5b), whose capacity grows beyond n.
    """

    kind = "dense"
    schema = Schema(
        "model",
        (
            Param("patterns", "array", doc="±1 memories ξ (p×n)"),
            Param(
                "separation",
                "choice",
                "softmax",
                "separation function f",
                choices=("softmax", "polynomial"),
            ),
            Param(
                "beta",
                "float",
                1.0,
                "inverse temperature of softmax",
                low=0,
                low_open=True,
            ),
            Param("degree", "int", 3, "degree of the rectified polynomial F", low=2),
            Param("gain", "float", 1.0, "slope of tanh at 0", low=0, low_open=True),
            Param(
                "tau_f",
                "float",
                1.0,
                "feature time constant τ_f",
                "s",
                low=0,
                low_open=True,
            ),
            Param(
                "tau_h",
                "float",
                0.1,
                "memory time constant τ_h",
                "s",
                low=0,
                low_open=True,
            ),
        ),
    )

    def __init__(
        self,
        patterns: Array,
        *,
        separation: str = "softmax",
        beta: float = 1.0,
        degree: int = 3,
        gain: float = 1.0,
        tau_f: float = 1.0,
        tau_h: float = 0.1,
    ):
        self.xi = check_patterns("patterns", np.asarray(patterns, float))
        self.p, self.n = self.xi.shape
        if separation not in ("softmax", "polynomial"):
            raise ValidationError(
                "separation", "must be softmax or polynomial", separation
            )
        self.separation = separation
        self.beta, self.degree, self.gain = float(beta), int(degree), float(gain)
        self.tau_f, self.tau_h = float(tau_f), float(tau_h)

    @classmethod
    def from_params(cls, params: Mapping[str, Any], seed: int) -> DenseModel:
        return cls(
            params["patterns"],
            separation=params["separation"],
            beta=params["beta"],
            degree=params["degree"],
            gain=params["gain"],
            tau_f=params["tau_f"],
            tau_h=params["tau_h"],
        )

    @property
    def state_size(self) -> int:
        return self.n + self.p

    @property
    def time_unit(self) -> float:
        return self.tau_f

    @property
    def patterns(self) -> Array:
        return self.xi

    def split(self, z: State) -> tuple[State, State]:
        """Feature and memory parts of a state (x, h)."""
        return z[..., : self.n], z[..., self.n :]

    def activation(self, x: State) -> State:
        """g(x) = tanh(gain·x)."""
        return np.tanh(self.gain * x)

    def separation_function(self, h: State) -> State:
        """f(h) = ∂L_h/∂h."""
        if self.separation == "softmax":
            return softmax(self.beta * h, axis=-1)
        return self.degree * np.maximum(h, 0.0) ** (self.degree - 1)

    def _lagrangian_h(self, h: State) -> Array:
        if self.separation == "softmax":
            return logsumexp(self.beta * h, axis=-1) / self.beta
        return np.sum(np.maximum(h, 0.0) ** self.degree, axis=-1)

    def vector_field(self, t, z: State) -> State:
        x, h = self.split(z)
        dx = -x + self.separation_function(h) @ self.xi
        dh = (self.tau_f / self.tau_h) * (-h + self.activation(x) @ self.xi.T)
        return np.concatenate([dx, dh], axis=-1)

    def energy(self, z: State) -> Array:
        x, h = self.split(z)
        g, f = self.activation(x), self.separation_function(h)
        feature = np.sum(x * g - log_cosh(self.gain * x) / self.gain, axis=-1)
        memory = np.sum(h * f, axis=-1) - self._lagrangian_h(h)
        coupling = np.einsum("...m,mi,...i->...", f, self.xi, g)
        return feature + memory - coupling

    def readout(self, z: State) -> np.ndarray:
        x, _ = self.split(z)
        return np.where(x >= 0, 1, -1).astype(np.int8)

    def pattern_state(self, pattern: np.ndarray, scale: float) -> State:
        return np.concatenate([scale * pattern.astype(float), np.zeros(self.p)])

    def initial_state(self, rng: np.random.Generator) -> State:
        x = 0.1 * rng.standard_normal(self.n)
        return np.concatenate([x, np.zeros(self.p)])


def separation_energy(overlap: Array, kind: str, degree: int = 3) -> Array:
    """F(x) of the discrete dense memory: ``power`` xⁿ, ``rectified`` relu(x)ⁿ,
    ``exp`` eˣ (Krotov & Hopfield 2016; Demircigil et al. 2017)."""
    if kind == "power":
        return overlap**degree
    if kind == "rectified":
        return np.maximum(overlap, 0.0) ** degree
    if kind == "exp":
        return np.exp(overlap)
    raise ValidationError("separation", "must be power, rectified or exp", kind)


def discrete_energy(
    patterns: Array, spins: Array, kind: str = "power", degree: int = 3
) -> Array:
    """E(σ) = −Σ_μ F(ξ^μ·σ) (M5a), batched over rows of `spins`."""
    overlaps = np.asarray(spins, float) @ patterns.T
    return -np.sum(separation_energy(overlaps, kind, degree), axis=-1)


def discrete_sweep(
    patterns: Array,
    spins: Array,
    rng: np.random.Generator,
    kind: str = "power",
    degree: int = 3,
) -> Array:
    """One asynchronous pass of the exact energy-difference rule (M5a):

    σ_i ← sign Σ_μ [F(ξ_i^μ + r_i^μ) − F(−ξ_i^μ + r_i^μ)], r_i^μ = Σ_{j≠i} ξ_j^μ σ_j,

    so E never rises.
    """
    s = np.array(spins, float)
    overlaps = patterns @ s
    for i in rng.permutation(s.size):
        rest = overlaps - patterns[:, i] * s[i]
        gain = np.sum(
            separation_energy(rest + patterns[:, i], kind, degree)
            - separation_energy(rest - patterns[:, i], kind, degree)
        )
        if gain != 0:
            new = np.sign(gain)
            overlaps += patterns[:, i] * (new - s[i])
            s[i] = new
    return s


def attention_update(stored: Array, query: Array, beta: float) -> Array:
    """ξ ← X softmax(β Xᵀξ), the modern Hopfield (M5b) update; X = `stored` (K×d)."""
    return softmax(beta * np.asarray(query) @ stored.T, axis=-1) @ stored
