"""Equilibria and their stability from the Jacobian."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import root

from .._errors import NumericalError
from .._types import Array, State
from ..models import AbstractModel, KuramotoModel


@dataclass(frozen=True)
class Equilibrium:
    """A point where the vector field vanishes, with its Jacobian spectrum.

    `stable` means every eigenvalue has real part below ``-tolerance``, except the
    ones the model's symmetry forces to zero (`neutral`, e.g. the common rotation of
    identical Kuramoto oscillators).
    """

    x: State
    eigenvalues: Array
    residual: float
    neutral: int
    stable: bool

    @property
    def decay_rate(self) -> float:
        """−max Re λ over the non-neutral modes (the local convergence rate)."""
        real = np.sort(self.eigenvalues.real)[::-1][self.neutral :]
        return float(-real[0]) if real.size else float("inf")


def find_equilibrium(
    model: AbstractModel, x0: State, *, tol: float = 1e-10
) -> Equilibrium:
    """Polish `x0` (e.g. a settled trace's last state) into an equilibrium."""
    solution = root(
        lambda x: model.vector_field(0.0, x),
        np.asarray(x0, float),
        jac=model.jacobian,
        method="hybr",
        tol=tol,
    )
    residual = float(np.max(np.abs(model.vector_field(0.0, solution.x))))
    if residual > 1e3 * tol + 1e-8:
        raise NumericalError(
            f"no equilibrium near the given state (residual {residual:.2e}); "
            "settle the trace longer before polishing"
        )
    return classify(model, solution.x)


def classify(model: AbstractModel, x: State, *, tolerance: float = 1e-9) -> Equilibrium:
    """Eigenvalues of the Jacobian at `x` and the verdict on stability."""
    eigenvalues = np.linalg.eigvals(model.jacobian(x))
    neutral = 1 if isinstance(model, KuramotoModel) else 0
    real = np.sort(eigenvalues.real)[::-1][neutral:]
    residual = float(np.max(np.abs(model.vector_field(0.0, x))))
    stable = bool(real.size == 0 or real[0] < -tolerance)
    return Equilibrium(np.asarray(x), eigenvalues, residual, neutral, stable)


def twisted_state(n: int, q: int) -> State:
    """The q-twisted state θ_k = 2πqk/n of a ring of n oscillators."""
    return 2 * np.pi * q * np.arange(n) / n


def ring_coupling(n: int, strength: float = 1.0) -> Array:
    """Nearest-neighbour coupling matrix of a ring of n oscillators."""
    k = np.zeros((n, n))
    i = np.arange(n)
    k[i, (i + 1) % n] = k[(i + 1) % n, i] = strength
    return k
