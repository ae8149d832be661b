"""The oscillator Ising machine with second-harmonic injection (Wang & Roychowdhury)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._errors import ValidationError
from .._params import Param, Schema
from .._types import Array, Spins, State
from ._base import (
    AbstractModel,
    check_exactly_one,
    check_square_symmetric,
    register_model,
)
from .maxcut import Graph, read_rudy


@register_model
class OIMModel(AbstractModel):
    """φ̇_i = −K Σ_j J_ij sin(φ_i − φ_j) − K_s(t) sin(2φ_i) + σ(t) ξ_i(t).

    The noise-free flow at fixed K_s is φ̇ = −½∇E with

        E(φ) = −K Σ_{i≠j} J_ij cos(φ_i − φ_j) − K_s Σ_i cos 2φ_i,

    and at binary phases φ ∈ {0, π}ⁿ, E = 2K·H(s) − n·K_s with the Ising energy
    H(s) = −Σ_{i<j} J_ij s_i s_j and spins s = sign(cos φ). A Max-Cut graph with
    weights w gives J = −w, so the lowest H is the largest cut.

    Annealing (``anneal`` > 0, the default): over the first fraction ``anneal`` of
    the run K_s ramps up linearly from 0 and the noise σ ramps down to 0; for the
    rest of the run the dynamics are the autonomous, noise-free gradient flow at the
    nominal K_s, so the energy never rises there (`settle_time`).

    Defaults scale with the graph: K = 10/d̄, with d̄ the mean of Σ_j |J_ij|, so a
    node's coupling torque is at most about 10 per time unit whatever the graph, and
    the default run (20 time units, 16 restarts) anneals over ~160 relaxation times.
    K_s = 0.3 sits a little above the binarisation threshold of good cuts (C7), and
    the noise σ = 0.3 at the start of annealing lets phases cross barriers early.
    """

    kind = "oim"
    schema = Schema(
        "model",
        (
            Param("graph", "path", None, "Max-Cut instance in rudy format (J = −w)"),
            Param("couplings", "array", None, "symmetric Ising couplings J (n×n)"),
            Param(
                "coupling",
                "float",
                None,
                "coupling K [10/mean |J| degree]",
                low=0,
                low_open=True,
            ),
            Param("shil", "float", 0.3, "second-harmonic injection K_s", low=0),
            Param("noise", "float", 0.3, "noise σ at the start of annealing", low=0),
            Param(
                "anneal",
                "float",
                0.8,
                "fraction of the run spent annealing",
                low=0,
                high=1,
                high_open=True,
            ),
        ),
    )

    def __init__(
        self,
        couplings: Array | sp.sparray,
        *,
        coupling: float | None = None,
        shil: float = 0.3,
        noise: float = 0.3,
        anneal: float = 0.8,
        graph: Graph | None = None,
    ):
        if sp.issparse(couplings):
            self.couplings = sp.csr_array(couplings)
            dense_check = (
                abs(self.couplings - self.couplings.T).max()
                if self.couplings.nnz
                else 0.0
            )
            if dense_check > 1e-9:
                raise ValidationError("couplings", "must be symmetric", dense_check)
        else:
            dense = check_square_symmetric("couplings", np.asarray(couplings, float))
            np.fill_diagonal(dense, 0.0)
            self.couplings = sp.csr_array(dense)
        self.n = self.couplings.shape[0]
        self.graph = (
            graph
            if graph is not None
            else Graph.from_couplings(self.couplings.toarray())
        )
        degree = np.asarray(abs(self.couplings).sum(axis=1)).ravel()
        mean_degree = float(degree.mean()) if degree.size and degree.mean() > 0 else 1.0
        self.k = float(coupling) if coupling is not None else 10.0 / mean_degree
        if self.k <= 0:
            raise ValidationError("coupling", "must be > 0", self.k)
        self.shil, self.noise, self.anneal = float(shil), float(noise), float(anneal)
        self.anneal_time = 0.0

    @classmethod
    def from_params(cls, params: Mapping[str, Any], seed: int) -> OIMModel:
        path, couplings = params["graph"], params["couplings"]
        check_exactly_one(params, "graph", "couplings")
        graph = read_rudy(path) if path is not None else Graph.from_couplings(couplings)
        return cls(
            -graph.adjacency if path is not None else couplings,
            coupling=params["coupling"],
            shil=params["shil"],
            noise=params["noise"],
            anneal=params["anneal"],
            graph=graph,
        )

    def bind_run(self, t_end: float) -> OIMModel:
        """A copy whose annealing schedule spans the first `anneal`·t_end."""
        bound = copy.copy(self)
        bound.anneal_time = self.anneal * t_end
        return bound

    def _ramp(self, t: float) -> float:
        """Fraction of annealing done at time t (1 after the schedule ends)."""
        if self.anneal_time <= 0:
            return 1.0
        return float(np.clip(t / self.anneal_time, 0.0, 1.0))

    def shil_at(self, t: float) -> float:
        return self.shil * self._ramp(t)

    def noise_amplitude(self, t: float) -> float:
        return self.noise * (1.0 - self._ramp(t)) if self.anneal_time > 0 else 0.0

    def settle_time(self, t_end: float) -> float:
        return self.anneal_time

    def _couple(self, a: State) -> State:
        """Σ_j J_ij a_j for a batch of vectors a (..., n)."""
        flat = a.reshape(-1, self.n)
        return (self.couplings @ flat.T).T.reshape(a.shape)

    def vector_field(self, t, phi: State) -> State:
        cos, sin = np.cos(phi), np.sin(phi)
        # Σ_j J_ij sin(φ_i − φ_j) = sin φ_i (J cos φ)_i − cos φ_i (J sin φ)_i
        torque = sin * self._couple(cos) - cos * self._couple(sin)
        return -self.k * torque - self.shil_at(t) * np.sin(2 * phi)

    def energy(self, phi: State) -> Array:
        cos, sin = np.cos(phi), np.sin(phi)
        pair = np.sum(cos * self._couple(cos) + sin * self._couple(sin), axis=-1)
        return -self.k * pair - self.shil * np.sum(np.cos(2 * phi), axis=-1)

    def jacobian(self, phi: State) -> Array:
        dense = self.couplings.toarray()
        weights = self.k * dense * np.cos(phi[..., :, None] - phi[..., None, :])
        diagonal = -weights.sum(-1) - 2 * self.shil * np.cos(2 * phi)
        return weights + np.eye(self.n) * diagonal[..., :, None]

    def spins(self, phi: State) -> Spins:
        return np.where(np.cos(phi) >= 0, 1, -1).astype(np.int8)

    def readout(self, phi: State) -> np.ndarray:
        return self.spins(phi)

    def cut_value(self, phi: State) -> Array:
        """The cut of the graph given by the spins of `phi`."""
        return self.graph.cut_value(self.spins(phi))

    def ising_energy(self, spins: Spins) -> Array:
        """H(s) = −Σ_{i<j} J_ij s_i s_j."""
        s = np.asarray(spins, float)
        return -0.5 * np.sum(s * self._couple(s), axis=-1)

    def binary_threshold(self, spins: Spins) -> float:
        """K_s* above which the binary state `spins` is locally stable (MODELS C7).

        K_s* = (K/2) λ_max(M − diag(M𝟙)) with M = S J S.
        """
        s = np.asarray(spins, float)
        m = s[:, None] * self.couplings.toarray() * s[None, :]
        laplacian_like = m - np.diag(m.sum(axis=1))
        return 0.5 * self.k * float(np.linalg.eigvalsh(laplacian_like)[-1])

    def initial_state(self, rng: np.random.Generator) -> State:
        return rng.uniform(0.0, 2 * np.pi, self.n)
