"""Boltzmann machines on ±1 units, and restricted Boltzmann machines trained by CD."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.special import expit, logsumexp

from .._errors import Described, ValidationError
from .._params import Param, Schema
from .._rng import derive_rng
from .._types import Array, State, Weights
from ._base import (
    AbstractModel,
    check_exactly_one,
    check_spins,
    check_square_symmetric,
    check_vector,
    register_model,
)

MAX_ENUMERATED_UNITS = 22


@register_model
class BoltzmannModel(AbstractModel):
    """Samples s ∈ {−1, +1}ⁿ with P(s) ∝ exp(−E(s)/T), E(s) = −½ sᵀWs − bᵀs.

    Glauber (heat-bath) dynamics update one unit at a time with
    P(s_i = +1 | rest) = σ(2 h_i / T), h_i = Σ_j W_ij s_j + b_i, whose stationary law
    is the Boltzmann–Gibbs distribution. The readout is the samples themselves.

    With ``data`` and ``hidden`` in the spec the weights come from a restricted
    Boltzmann machine trained by contrastive divergence (`RBM.fit`): the first
    n_visible units are the visible ones.
    """

    kind = "boltzmann"
    sampler = True
    schema = Schema(
        "model",
        (
            Param("weights", "array", None, "symmetric W (n×n), zero diagonal"),
            Param("bias", "scalar_or_array", 0.0, "bias b (scalar or n)"),
            Param("temperature", "float", 1.0, "temperature T", low=0, low_open=True),
            Param("data", "array", None, "±1 training data (S×n_visible) for an RBM"),
            Param(
                "hidden", "int", 0, "hidden units of the RBM trained on `data`", low=0
            ),
            Param("epochs", "int", 300, "RBM training epochs", low=1),
            Param(
                "learning_rate",
                "float",
                0.05,
                "RBM learning rate",
                low=0,
                low_open=True,
            ),
            Param("cd_steps", "int", 1, "Gibbs steps k of CD-k", low=1),
        ),
    )

    def __init__(
        self,
        weights: Weights,
        *,
        bias: float | Array = 0.0,
        temperature: float = 1.0,
        n_visible: int | None = None,
    ):
        self.weights = check_square_symmetric(
            "weights", np.asarray(weights, float), zero_diagonal=True
        )
        self.n = self.weights.shape[0]
        self.bias = check_vector("bias", bias, self.n)
        if temperature <= 0:
            raise ValidationError("temperature", "must be > 0", temperature)
        self.temperature = float(temperature)
        self.n_visible = self.n if n_visible is None else int(n_visible)

    @classmethod
    def from_params(cls, params: Mapping[str, Any], seed: int) -> BoltzmannModel:
        weights, data = params["weights"], params["data"]
        check_exactly_one(params, "weights", "data", " (with `hidden`)")
        if data is not None:
            if params["hidden"] < 1:
                raise ValidationError(
                    "hidden", "must be >= 1 when `data` is given", params["hidden"]
                )
            if data.ndim > 2:
                raise ValidationError(
                    "data",
                    "must be a (samples, n_visible) array",
                    Described(f"shape {data.shape}"),
                )
            rbm = RBM.fit(
                check_spins("data", np.atleast_2d(data)),
                params["hidden"],
                epochs=params["epochs"],
                learning_rate=params["learning_rate"],
                cd_steps=params["cd_steps"],
                rng=derive_rng(seed, "rbm"),
            )
            return rbm.to_boltzmann(params["temperature"])
        return cls(weights, bias=params["bias"], temperature=params["temperature"])

    def local_field(self, s: State) -> State:
        """h = W s + b."""
        return s @ self.weights + self.bias

    def vector_field(self, t, x):
        raise TypeError("a Boltzmann machine is sampled, not integrated")

    def energy(self, s: State) -> Array:
        s = np.asarray(s, float)
        return -0.5 * np.einsum("...i,ij,...j->...", s, self.weights, s) - s @ self.bias

    def readout(self, s: State) -> np.ndarray:
        return np.where(np.asarray(s) >= 0, 1, -1).astype(np.int8)

    def initial_state(self, rng: np.random.Generator) -> State:
        return rng.choice([-1.0, 1.0], size=self.n)

    def exact_distribution(self) -> tuple[np.ndarray, Array]:
        """All 2ⁿ states (rows, ±1) and their Boltzmann probabilities."""
        if self.n > MAX_ENUMERATED_UNITS:
            raise ValidationError(
                "weights",
                f"exact enumeration needs n <= {MAX_ENUMERATED_UNITS}",
                self.n,
            )
        states = all_spin_states(self.n)
        log_weight = -self.energy(states) / self.temperature
        return states, np.exp(log_weight - logsumexp(log_weight))


def all_spin_states(n: int) -> np.ndarray:
    """Every vector of {−1, +1}ⁿ as rows, in binary counting order."""
    bits = np.array(list(itertools.product((0, 1), repeat=n)), dtype=np.int8)
    return (2 * bits - 1).astype(float)


class RBM:
    """A restricted Boltzmann machine on ±1 units.

    E(v, h) = −aᵀv − bᵀh − vᵀWh; P(h_j = +1 | v) = σ(2(b_j + (Wᵀv)_j)); the free
    energy of the visible units is F(v) = −aᵀv − Σ_j log 2cosh(b_j + (Wᵀv)_j).
    """

    def __init__(self, weights: Array, visible_bias: Array, hidden_bias: Array):
        self.weights = np.asarray(weights, float)
        self.visible_bias = np.asarray(visible_bias, float)
        self.hidden_bias = np.asarray(hidden_bias, float)

    @property
    def n_visible(self) -> int:
        return self.weights.shape[0]

    @property
    def n_hidden(self) -> int:
        return self.weights.shape[1]

    def sample_hidden(self, v: State, rng: np.random.Generator) -> State:
        p_up = expit(2 * (v @ self.weights + self.hidden_bias))
        return np.where(rng.random(p_up.shape) < p_up, 1.0, -1.0)

    def sample_visible(self, h: State, rng: np.random.Generator) -> State:
        p_up = expit(2 * (h @ self.weights.T + self.visible_bias))
        return np.where(rng.random(p_up.shape) < p_up, 1.0, -1.0)

    def free_energy(self, v: State) -> Array:
        drive = v @ self.weights + self.hidden_bias
        return -v @ self.visible_bias - np.sum(np.logaddexp(drive, -drive), axis=-1)

    def visible_distribution(self) -> tuple[np.ndarray, Array]:
        """Exact P(v) over all visible states (small machines only)."""
        states = all_spin_states(self.n_visible)
        log_weight = -self.free_energy(states)
        return states, np.exp(log_weight - logsumexp(log_weight))

    @classmethod
    def fit(
        cls,
        data: Array,
        hidden: int,
        *,
        epochs: int = 300,
        learning_rate: float = 0.05,
        cd_steps: int = 1,
        batch_size: int = 16,
        rng: np.random.Generator,
    ) -> RBM:
        """Train by contrastive divergence CD-k on ±1 `data` (S × n_visible).

        ΔW = ε(⟨v E[h|v]ᵀ⟩_data − ⟨v E[h|v]ᵀ⟩_k), with E[h|v] = tanh(b + Wᵀv).
        """
        data = np.asarray(data, float)
        n_visible = data.shape[1]
        rbm = cls(
            0.01 * rng.standard_normal((n_visible, hidden)),
            np.arctanh(np.clip(data.mean(axis=0), -0.95, 0.95)),
            np.zeros(hidden),
        )
        for _ in range(epochs):
            for batch in np.array_split(
                rng.permutation(data), max(1, len(data) // batch_size)
            ):
                rbm._cd_update(batch, cd_steps, learning_rate, rng)
        return rbm

    def _cd_update(
        self, v_data: Array, steps: int, rate: float, rng: np.random.Generator
    ) -> None:
        # positive phase from the data, negative phase after k Gibbs steps
        h_data = np.tanh(v_data @ self.weights + self.hidden_bias)
        v_model = v_data
        for _ in range(steps):
            v_model = self.sample_visible(self.sample_hidden(v_model, rng), rng)
        h_model = np.tanh(v_model @ self.weights + self.hidden_bias)

        count = len(v_data)
        self.weights += rate * (v_data.T @ h_data - v_model.T @ h_model) / count
        self.visible_bias += rate * (v_data - v_model).mean(axis=0)
        self.hidden_bias += rate * (h_data - h_model).mean(axis=0)

    def to_boltzmann(self, temperature: float = 1.0) -> BoltzmannModel:
        """The same machine as a Boltzmann machine on n_visible + n_hidden units.

        The trained law is the one at temperature 1; another `temperature` samples
        the tempered law ∝ exp(−E/T).
        """
        nv, nh = self.n_visible, self.n_hidden
        weights = np.zeros((nv + nh, nv + nh))
        weights[:nv, nv:] = self.weights
        weights[nv:, :nv] = self.weights.T
        bias = np.concatenate([self.visible_bias, self.hidden_bias])
        return BoltzmannModel(weights, bias=bias, temperature=temperature, n_visible=nv)


def bars_and_stripes(side: int) -> np.ndarray:
    """The bars-and-stripes data set on a side × side grid, as ±1 rows."""
    rows = []
    for bits in itertools.product((-1.0, 1.0), repeat=side):
        column = np.array(bits)
        rows.append(np.repeat(column[:, None], side, axis=1).ravel())  # bars
        rows.append(np.repeat(column[None, :], side, axis=0).ravel())  # stripes
    return np.unique(np.array(rows), axis=0)
