"""The interface every energy model implements, and the registry of kinds."""

from __future__ import annotations

import abc
import warnings
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from .._errors import CodesignWarning, Described, ValidationError
from .._params import Schema
from .._types import Array, State

MODELS: dict[str, type[AbstractModel]] = {}


def register_model(cls: type[AbstractModel]) -> type[AbstractModel]:
    """Class decorator: make `cls` the model for ``kind = cls.kind``."""
    if cls.kind in MODELS:
        warnings.warn(
            f"model kind {cls.kind!r} registered again by {cls.__name__}",
            CodesignWarning,
            stacklevel=2,
        )
    MODELS[cls.kind] = cls
    return cls


class AbstractModel(abc.ABC):
    """An energy-based dynamical system in model units.

    Time is measured in units of the model's time constant (`time_unit`, in the
    model's own seconds), so ``vector_field`` is dx/ds with s = t / time_unit. All
    methods accept a state with any number of leading batch axes: shape ``(..., d)``
    where ``d = state_size``.

    Abstract attributes: `kind`, `schema`, `n`, `state_size`.
    """

    kind: ClassVar[str]
    schema: ClassVar[Schema]
    n: int
    """Number of units (neurons, oscillators, dictionary atoms)."""

    @property
    def state_size(self) -> int:
        return self.n

    @property
    def time_unit(self) -> float:
        """The model's time constant; traces count time in these units."""
        return 1.0

    @property
    def patterns(self) -> Array | None:
        """Stored ±1 patterns (p, n) for memory models, else None."""
        return None

    @abc.abstractmethod
    def vector_field(self, t: float | Array, x: State) -> State:
        """dx/dt in model time units, batched over leading axes of `x`."""

    @abc.abstractmethod
    def energy(self, x: State) -> Array:
        """The Lyapunov function the noise-free dynamics descend, ``x.shape[:-1]``."""

    @abc.abstractmethod
    def readout(self, x: State) -> np.ndarray:
        """What the user wants from a final state (pattern, spins, phases, code)."""

    def bind_run(self, t_end: float) -> AbstractModel:
        """The model as it runs for `t_end` (schedules that span the run bind here)."""
        return self

    def noise_amplitude(self, t: float) -> float:
        """σ(t) of additive white noise, dx = f dt + σ dW (0 when deterministic)."""
        return 0.0

    def settle_time(self, t_end: float) -> float:
        """Time after which the dynamics are autonomous and noise-free (0 if always)."""
        return 0.0

    def jacobian(self, x: State) -> Array:
        """∂f/∂x at `x`, shape ``(..., d, d)``; central differences by default."""
        x = np.asarray(x, dtype=float)
        d = self.state_size
        step = 1e-6 * np.maximum(1.0, np.abs(x))
        columns = []
        for k in range(d):
            dx = np.zeros_like(x)
            dx[..., k] = step[..., k]
            forward = self.vector_field(0.0, x + dx)
            backward = self.vector_field(0.0, x - dx)
            columns.append((forward - backward) / (2 * step[..., k : k + 1]))
        return np.stack(columns, axis=-1)

    def initial_state(self, rng: np.random.Generator) -> State:
        """The default start: a small random state drawn from `rng`."""
        return 0.1 * rng.standard_normal(self.state_size)

    def pattern_state(self, pattern: np.ndarray, scale: float) -> State:
        """The state that presents a ±1 `pattern` (for memory models)."""
        raise ValidationError(
            "init.pattern", f"applies only to memory models, not kind {self.kind!r}"
        )

    @classmethod
    @abc.abstractmethod
    def from_params(cls, params: Mapping[str, Any], seed: int) -> AbstractModel:
        """Build the model from parsed ``[model]`` values (see `schema`)."""


def check_square_symmetric(
    name: str, matrix: Array, *, zero_diagonal: bool = False, size: int | None = None
) -> Array:
    """Return `matrix` if it is a symmetric (n, n) array, else raise."""
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.size == 0:
        raise ValidationError(
            name,
            "must be a non-empty square matrix",
            Described(f"shape {matrix.shape}"),
        )
    if size is not None and matrix.shape[0] != size:
        raise ValidationError(
            name,
            f"must have shape ({size}, {size})",
            Described(f"shape {matrix.shape}"),
        )
    asymmetry = float(np.max(np.abs(matrix - matrix.T))) if matrix.size else 0.0
    scale = max(1.0, float(np.max(np.abs(matrix)))) if matrix.size else 1.0
    if asymmetry > 1e-9 * scale:
        raise ValidationError(
            name,
            "must be symmetric",
            Described(f"max |W - Wᵀ| = {asymmetry:.3g}"),
            remedy="use (W + W.T) / 2 if the asymmetry is a rounding error",
        )
    if zero_diagonal and np.any(np.diag(matrix) != 0):
        raise ValidationError(
            name,
            "must have a zero diagonal",
            Described(f"max |diag| = {np.max(np.abs(np.diag(matrix))):.3g}"),
        )
    return matrix


def check_exactly_one(
    params: Mapping[str, Any], first: str, second: str, also: str = ""
) -> None:
    """Raise unless exactly one of the alternative fields `first`, `second` is set."""
    given = [params[first] is not None, params[second] is not None]
    if sum(given) != 1:
        raise ValidationError(
            first,
            f"give exactly one of `{first}` and `{second}`{also}",
            Described("both" if all(given) else "neither"),
        )


def check_spins(name: str, array: Array) -> Array:
    """Return `array` if every entry is -1 or +1, else raise."""
    if array.size and not np.all(np.abs(array) == 1):
        bad = array[np.abs(array) != 1].flat[0]
        raise ValidationError(name, "must hold only -1 and +1", bad)
    return array


def check_vector(name: str, value: float | Array, size: int) -> Array:
    """Broadcast a scalar or check a length-`size` vector."""
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return np.full(size, float(array))
    if array.shape != (size,):
        raise ValidationError(
            name,
            f"must be a scalar or have shape ({size},)",
            Described(f"shape {array.shape}"),
        )
    return array


def log_cosh(z: Array) -> Array:
    """log(cosh(z)) without overflow."""
    z = np.abs(z)
    return z + np.log1p(np.exp(-2.0 * z)) - np.log(2.0)
