"""The compiled-model form shared by every kind: the program, the lowering registry
and the helpers that turn a real-valued loop into Dense matrices.

A kind's module (`hopfield.py`, `lca.py`, …, named after the model it builds)
registers a lowering ``spec, dt → Lowered``: the loop matrix A, the start, the bias
and the neuron's constants, before any rounding. `compile.py` turns a `Lowered`
into a float program, and `scaling.py` into a fixed-point one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..._errors import ValidationError
from ..._types import Array
from ...noise import Devices, noise_seed
from ...spec import Spec
from .worker import fixed_point as fp

PROTOCOL = 1
PHASE_UNIT = (1 << fp.PHASE_BITS) / (2 * np.pi)  # phase LSBs per radian
SPARSE_BELOW = 0.25  # density under which `synapses = "auto"` picks Sparse
MAX_UNITS = 4096  # units side by side (restarts × n, ×2 for cos and sin)
# [noise] fields the mapping does not realise (weights, stuck faults, weight levels
# and time-constant mismatch are realised, with the reference's own draws)


@dataclass
class Compiled:
    """A model lowered for the worker (or the emulator).

    `program` is JSON-able (the worker's ``model.json``), `arrays` are numpy arrays
    (``arrays.npz``); `scale` turns a recorded state into model units (x = h·scale;
    one per unit where segments of a population have scales of their own),
    `restarts` counts independent copies side by side, and `budget` holds the
    quantisation errors (fixed point) in model units. `emulated` keeps the
    emulator's result when the compiler already ran this very program (to check
    its readout), so that the emulator engine need not run it twice.
    """

    kind: str
    program: dict[str, Any]
    arrays: dict[str, np.ndarray]
    scale: float | Array = 1.0
    restarts: int = 1
    budget: dict[str, float] = field(default_factory=dict)
    emulated: dict[str, np.ndarray] | None = field(default=None, repr=False)

    @property
    def precision(self) -> str:
        return self.program["precision"]

    @property
    def ticks(self) -> int:
        return self.program["ticks"]


@dataclass(frozen=True)
class Lowered:
    """The real-valued program before any rounding.

    One step of a rate unit is x ← x + (dt/τ_i)(−x + Σ_j A_ij s_j + b_i); one step of
    a phase unit is φ ← φ + dt(ω_i + cos φ (A sin φ)_i − sin φ (A cos φ)_i + …).
    """

    family: str
    weights: Array  # the loop matrix A, before dt and 1/τ
    x0: Array  # (restarts·n,)
    bias: Array  # b (rate) or ω (phase), per unit, before dt
    neuron: dict[str, Any]
    restarts: int = 1
    noise: Array | None = None  # (steps, restarts·n) kicks σ(t)√dt z, in radians
    rates: Array | None = None  # 1/τ of each unit in model time units (rate only)

    def decay(self, dt: float) -> Array:
        """dt/τ of every unit."""
        units = len(self.x0)
        return dt * (np.ones(units) if self.rates is None else self.rates)


LOWERINGS: dict[str, Callable[[Spec, float], Lowered]] = {}


def register(kind: str) -> Callable:
    """Decorator: make the function the lowering of model kind `kind`."""

    def decorate(lower: Callable[[Spec, float], Lowered]) -> Callable:
        LOWERINGS[kind] = lower
        return lower

    return decorate


def time_grid(spec: Spec, dt_max: float) -> tuple[float, int]:
    """(dt, stride): the largest dt ≤ dt_max that puts every sample on a step."""
    interval = spec.run.t_end / (spec.run.points - 1)
    stride = max(1, math.ceil(interval / dt_max - 1e-9))
    return interval / stride, stride


def realised_devices(spec: Spec) -> Devices:
    """The seeded devices of the spec's ``[noise]`` realisation, as the reference
    draws them (`codesign.noise.REALISED` says which fields Lava realises)."""
    return Devices(spec.table("noise"), noise_seed(spec))


def check_units(units: int, field: str, value: int) -> None:
    """Refuse a program whose weight matrix over `units` would not fit in memory.

    The compiled model carries each weight matrix as a dense array; side-by-side
    restarts or chains multiply the units.
    """
    if units > MAX_UNITS:
        raise ValidationError(
            field,
            f"puts {units} units side by side on Lava, above {MAX_UNITS} "
            "(a dense weight matrix of that size would not fit in memory)",
            value,
            remedy="use fewer restarts (or chains) for a graph this large",
        )


def loop_matrix(lowered: Lowered) -> Array:
    """The Dense matrix over all units (block-diagonal over restarts and cos/sin)."""
    units = len(lowered.x0) * (2 if lowered.family == "phase" else 1)
    check_units(units, "run.restarts", lowered.restarts)
    blocks = np.kron(np.eye(lowered.restarts), lowered.weights)
    if lowered.family == "phase":
        blocks = np.kron(np.eye(2), blocks)
    return blocks


def step_matrix(lowered: Lowered, dt: float) -> Array:
    """The Dense matrix of one step: dt/τ_i times row i of the loop."""
    if lowered.rates is None:
        return dt * loop_matrix(lowered)
    return lowered.decay(dt)[:, None] * loop_matrix(lowered)


def step_bias(lowered: Lowered, dt: float) -> Array:
    """The bias of one step, dt/τ_i·b_i, for every unit (restarts tiled)."""
    if lowered.rates is None:
        return np.tile(dt * lowered.bias, lowered.restarts)
    return lowered.decay(dt) * lowered.bias


def fanout_counts(weights: Array) -> np.ndarray:
    return np.count_nonzero(weights, axis=0).astype(np.int64)
