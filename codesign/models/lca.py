"""The locally competitive algorithm (Rozell et al. 2008) for sparse coding."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .._errors import Described, ValidationError
from .._params import Param, Schema
from .._types import Array, State
from ._base import AbstractModel, register_model


@register_model
class LCAModel(AbstractModel):
    """τ u̇ = Φᵀy − u − (ΦᵀΦ − I) a,  a = T_λ(u).

    T_λ is the soft threshold sign(u)·max(|u| − λ, 0), or relu(u − λ) when
    `nonnegative`. The equilibrium code a* minimises the LASSO objective, which is
    also the energy the dynamics descend:

        E(a) = ½‖y − Φa‖² + λ‖a‖₁   (with a ≥ 0 when non-negative).

    dE/dt = −τ Σ_{active i} u̇_i² ≤ 0. With 0 < λ(ΦᵀΦ) < 2 the flow is contracting
    (MODELS §4 C6) with rate 1 − max(|1 − λ_min|, |1 − λ_max|).
    """

    kind = "lca"
    schema = Schema(
        "model",
        (
            Param("dictionary", "array", doc="dictionary Φ (m×n), atoms as columns"),
            Param("signal", "array", doc="signal y (m)"),
            Param("lam", "float", doc="sparsity penalty λ", low=0),
            Param("nonnegative", "bool", False, "use relu(u − λ) for a ≥ 0"),
            Param("tau", "float", 1.0, "time constant τ", "s", low=0, low_open=True),
        ),
    )

    def __init__(
        self,
        dictionary: Array,
        signal: Array,
        *,
        lam: float,
        nonnegative: bool = False,
        tau: float = 1.0,
    ):
        self.dictionary = np.asarray(dictionary, float)
        if self.dictionary.ndim != 2 or 0 in self.dictionary.shape:
            raise ValidationError(
                "dictionary",
                "must be a non-empty (m, n) matrix",
                Described(f"shape {self.dictionary.shape}"),
            )
        m, self.n = self.dictionary.shape
        self.signal = np.asarray(signal, float)
        if self.signal.shape != (m,):
            raise ValidationError(
                "signal",
                f"must have shape ({m},) to match the dictionary's rows",
                Described(f"shape {self.signal.shape}"),
            )
        if lam < 0:
            raise ValidationError("lam", "must be >= 0", lam)
        if tau <= 0:
            raise ValidationError("tau", "must be > 0", tau)
        self.lam, self.nonnegative, self.tau = float(lam), bool(nonnegative), float(tau)
        self.gram = self.dictionary.T @ self.dictionary
        self.drive = self.dictionary.T @ self.signal

    @classmethod
    def from_params(cls, params: Mapping[str, Any], seed: int) -> LCAModel:
        return cls(
            params["dictionary"],
            params["signal"],
            lam=params["lam"],
            nonnegative=params["nonnegative"],
            tau=params["tau"],
        )

    @property
    def time_unit(self) -> float:
        return self.tau

    def threshold(self, u: State) -> State:
        """a = T_λ(u): soft threshold, or relu(u − λ) when non-negative."""
        if self.nonnegative:
            return np.maximum(u - self.lam, 0.0)
        return np.sign(u) * np.maximum(np.abs(u) - self.lam, 0.0)

    def vector_field(self, t, u: State) -> State:
        a = self.threshold(u)
        return self.drive - u - a @ self.gram + a

    def objective(self, a: State) -> Array:
        """The LASSO objective ½‖y − Φa‖² + λ‖a‖₁ of a code `a`."""
        residual = self.signal - a @ self.dictionary.T
        return 0.5 * np.sum(residual**2, axis=-1) + self.lam * np.sum(np.abs(a), -1)

    def energy(self, u: State) -> Array:
        return self.objective(self.threshold(u))

    def jacobian(self, u: State) -> Array:
        active = (np.abs(u) > self.lam) if not self.nonnegative else (u > self.lam)
        coupling = (np.eye(self.n) - self.gram) * active[..., None, :].astype(float)
        return coupling - np.eye(self.n)

    def readout(self, u: State) -> np.ndarray:
        return self.threshold(u)

    def initial_state(self, rng: np.random.Generator) -> State:
        return 0.01 * rng.standard_normal(self.n)
