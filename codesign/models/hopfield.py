"""The continuous-time (graded-response) Hopfield network, Hopfield 1984."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .._errors import Described, ValidationError
from .._params import Param, Schema
from .._types import Array, State, Weights
from . import learning
from ._base import (
    AbstractModel,
    check_exactly_one,
    check_spins,
    check_square_symmetric,
    check_vector,
    log_cosh,
    register_model,
)

RANK_TOL = 1e-9  # relative to max |W|: a factorisation must reproduce W this well
FACTORED_FROM = 64  # units from which a low-rank W couples through its factors


@register_model
class HopfieldModel(AbstractModel):
    """τ dx/dt = −x + W g(x) + b, with g(x) = tanh(gain·x).

    In the outputs V = g(x) the energy is Hopfield's

        E = −½ VᵀWV − bᵀV + Σ_i ∫₀^{V_i} g⁻¹(v) dv,

    and the leak integral in the state coordinates is x·V − log cosh(gain·x)/gain.
    Along any trajectory dE/dt = −τ Σ_i g′(x_i) ẋ_i² ≤ 0 for symmetric W.
    The readout is sign(x); as gain → ∞ the minima approach the corners of the
    hypercube and match the binary network's attractors.
    """

    kind = "hopfield"
    schema = Schema(
        "model",
        (
            Param("weights", "array", None, "symmetric coupling matrix W (n×n)"),
            Param(
                "patterns", "array", None, "±1 patterns to store (p×n), instead of W"
            ),
            Param(
                "rule",
                "choice",
                "hebbian",
                "learning rule for `patterns`",
                choices=tuple(learning.RULES),
            ),
            Param("bias", "scalar_or_array", 0.0, "bias b (scalar or n)"),
            Param("gain", "float", 1.0, "slope of tanh at 0", low=0, low_open=True),
            Param("tau", "float", 1.0, "time constant τ", "s", low=0, low_open=True),
        ),
    )

    def __init__(
        self,
        weights: Weights,
        *,
        bias: float | Array = 0.0,
        gain: float = 1.0,
        tau: float = 1.0,
        patterns: Array | None = None,
    ):
        self.weights = check_square_symmetric("weights", np.asarray(weights, float))
        self.n = self.weights.shape[0]
        self.bias = check_vector("bias", bias, self.n)
        if gain <= 0:
            raise ValidationError("gain", "must be > 0", gain)
        if tau <= 0:
            raise ValidationError("tau", "must be > 0", tau)
        self.gain = float(gain)
        self.tau = float(tau)
        self._patterns = patterns
        # a memory stored by a rule is low-rank (W = Fᵀ diag(s) F + diag(d)); the
        # vector field then couples through F in 2·n·r operations instead of n²
        # (4-8x faster at n = 400-1000, p = 8; below n = 64 the dense product wins)
        factors = low_rank(self.weights, patterns, spectrum=False)
        if factors is None or self.n < FACTORED_FROM or 8 * len(factors[1]) > self.n:
            factors = None
        self._factors = factors

    @property
    def weights(self) -> Weights:
        return self._weights

    @weights.setter
    def weights(self, value: Weights) -> None:
        self._weights = value
        self._factors = None  # new weights: couple through them as they are

    @classmethod
    def from_params(cls, params: Mapping[str, Any], seed: int) -> HopfieldModel:
        weights, patterns = params["weights"], params["patterns"]
        check_exactly_one(params, "weights", "patterns")
        if patterns is not None:
            patterns = check_patterns("patterns", patterns)
            weights = learning.RULES[params["rule"]](patterns)
        return cls(
            weights,
            bias=params["bias"],
            gain=params["gain"],
            tau=params["tau"],
            patterns=patterns,
        )

    @property
    def time_unit(self) -> float:
        return self.tau

    @property
    def patterns(self) -> Array | None:
        return self._patterns

    def activation(self, x: State) -> State:
        """g(x) = tanh(gain·x), the amplifier's transfer curve."""
        return np.tanh(self.gain * x)

    def vector_field(self, t, x: State) -> State:
        v = np.multiply(x, self.gain)
        np.tanh(v, out=v)
        dx = self._couple(v)  # a new array, updated in place: no temporaries
        dx -= x
        dx += self.bias
        return dx

    def _couple(self, v: State) -> State:
        """v W (W is symmetric), through the low-rank factors where W has them;
        may overwrite `v`."""
        if self._factors is None:
            return v @ self.weights
        f, s, d = self._factors
        memories = v @ f.T
        memories *= s
        coupled = memories @ f
        v *= d
        coupled += v
        return coupled

    def energy(self, x: State) -> Array:
        v = self.activation(x)
        coupling = -0.5 * np.einsum("...i,ij,...j->...", v, self.weights, v)
        leak = np.sum(x * v - log_cosh(self.gain * x) / self.gain, axis=-1)
        return coupling - v @ self.bias + leak

    def jacobian(self, x: State) -> Array:
        slope = self.gain / np.cosh(self.gain * x) ** 2
        return self.weights * slope[..., None, :] - np.eye(self.n)

    def readout(self, x: State) -> np.ndarray:
        return np.where(x >= 0, 1, -1).astype(np.int8)

    def pattern_state(self, pattern: np.ndarray, scale: float) -> State:
        return scale * pattern.astype(float)


def check_patterns(name: str, patterns: Array) -> Array:
    """Return `patterns` if it is a (p, n) array of ±1 with p, n ≥ 1."""
    if patterns.ndim != 2 or 0 in patterns.shape:
        raise ValidationError(
            name,
            "must be a non-empty (p, n) array",
            Described(f"shape {patterns.shape}"),
        )
    return check_spins(name, patterns)


def binary_energy(weights: Weights, spins: Array, bias: float | Array = 0.0) -> Array:
    """E(s) = −½ sᵀWs − bᵀs of the binary network (M1), batched over rows."""
    s = np.asarray(spins, float)
    return -0.5 * np.einsum("...i,ij,...j->...", s, weights, s) - s @ np.broadcast_to(
        np.asarray(bias, float), s.shape[-1:]
    )


def asynchronous_sweep(
    weights: Weights, spins: Array, rng: np.random.Generator, bias: float | Array = 0.0
) -> Array:
    """One pass of s_i ← sign(Σ_j W_ij s_j + b_i) over the units in random order.

    Each flip changes the energy by −Δs_i h_i ≤ 0, so E never rises (M1, R2).
    """
    s = np.array(spins, float)
    b = np.broadcast_to(np.asarray(bias, float), s.shape)
    for i in rng.permutation(s.size):
        field = weights[i] @ s + b[i]
        if field != 0:
            s[i] = np.sign(field)
    return s


def synchronous_step(
    weights: Weights, spins: Array, bias: float | Array = 0.0
) -> Array:
    """All units at once, s ← sign(W s + b); may end in 2-cycles (R2)."""
    field = np.asarray(spins, float) @ weights + bias
    return np.where(field >= 0, 1.0, -1.0)


def low_rank(
    weights: Array, patterns: Array | None, *, spectrum: bool = True
) -> tuple | None:
    """(F, s, d) with W = Fᵀ diag(s) F + diag(d) and at most n/4 rows in F, or None.

    Tried in turn:

    - the stored patterns as they are (F = Ξ, s = 1/n: the Hebbian rule);
    - the patterns' span (`_pattern_span`): W = Q M Qᵀ + diag(d) for an
      orthonormal basis Q of the patterns, as the projection rule is;
    - W's spectrum (an O(n³) eigendecomposition, left out with
      ``spectrum=False``): all but r eigenvalues equal to one value c gives F =
      the other r eigenvectors, s = λ_k − c, d = c.
    """
    n = weights.shape[0]
    off = ~np.eye(n, dtype=bool)
    scale = max(1.0, float(np.max(np.abs(weights))))
    if patterns is not None and len(patterns) <= n / 4:
        gram = patterns.T @ patterns / n
        if np.max(np.abs((weights - gram)[off]), initial=0.0) < RANK_TOL * scale:
            return (
                patterns.astype(float),
                np.full(len(patterns), 1.0 / n),
                np.diag(weights) - np.diag(gram),
            )
        factors = _pattern_span(weights, patterns, RANK_TOL * scale)
        if factors is not None:
            return factors
    if not spectrum:
        return None
    values, vectors = np.linalg.eigh(weights)
    c = float(np.median(values))
    keep = np.abs(values - c) > 1e-7 * scale
    if keep.sum() > n / 4:
        return None
    return vectors[:, keep].T, values[keep] - c, np.full(n, c)


def _pattern_span(weights: Array, patterns: Array, tol: float) -> tuple | None:
    # with P = Q Qᵀ the projector on the patterns' span, W − diag(d) lies in that
    # span on both sides iff (I − P)(W − diag(d)) = 0, which fixes each d_j as
    # e_jᵀ(I − P)W e_j / (1 − P_jj); then M = Qᵀ(W − diag(d))Q = U diag(s) Uᵀ
    # gives F = (QU)ᵀ
    q, _ = np.linalg.qr(patterns.T)
    outside = weights - q @ (q.T @ weights)  # (I − P) W
    leak = 1.0 - np.sum(q**2, axis=1)  # 1 − P_jj
    if np.min(leak) < 1e-6:
        return None
    d = np.diag(outside) / leak
    inside = weights - np.diag(d)
    residual = inside - q @ (q.T @ inside @ q) @ q.T
    if np.max(np.abs(residual)) > tol:
        return None
    s, u = np.linalg.eigh(q.T @ inside @ q)
    keep = np.abs(s) > tol
    return (q @ u[:, keep]).T, s[keep], d
