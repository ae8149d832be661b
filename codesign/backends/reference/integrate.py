"""Integrators of the ideal dynamics: adaptive for single runs, fixed-step batched.

The fixed-step integrators are explicit Runge–Kutta tableaux applied to a whole
ensemble at once (state shape ``(B, d)``); additive noise σ(t) dW is added after each
drift step (Euler–Maruyama in the noise, which is exact in law for additive noise to
first order in dt).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from ..._errors import NumericalError, ValidationError
from ..._types import Array, State, Times

log = logging.getLogger(__name__)

VectorField = Callable[[float, State], State]
ADAPTIVE_METHODS = ("RK45", "DOP853", "Radau", "BDF", "LSODA")


@dataclass(frozen=True)
class Tableau:
    """An explicit Runge–Kutta method: c, A (lower triangular) and b."""

    name: str
    order: int
    c: tuple[float, ...]
    a: tuple[tuple[float, ...], ...]
    b: tuple[float, ...]


EULER = Tableau("euler", 1, (0.0,), ((),), (1.0,))
HEUN = Tableau("heun", 2, (0.0, 1.0), ((), (1.0,)), (0.5, 0.5))
RK4 = Tableau(
    "rk4",
    4,
    (0.0, 0.5, 0.5, 1.0),
    ((), (0.5,), (0.0, 0.5), (0.0, 0.0, 1.0)),
    (1 / 6, 1 / 3, 1 / 3, 1 / 6),
)
TABLEAUX = {t.name: t for t in (EULER, HEUN, RK4)}


def rk_step(f: VectorField, tableau: Tableau, t: float, x: State, h: float) -> State:
    """One explicit Runge–Kutta step of size h from (t, x)."""
    stages = []
    for c, row in zip(tableau.c, tableau.a, strict=True):
        y = x
        for a, k in zip(row, stages, strict=False):
            if a:
                y = y + h * a * k
        stages.append(f(t + c * h, y))
    return x + h * sum(b * k for b, k in zip(tableau.b, stages, strict=True))


def solve_fixed(
    f: VectorField,
    ts: Times,
    x0: State,
    *,
    dt: float,
    tableau: Tableau = RK4,
    noise: Callable[[float], float] | None = None,
    rng: np.random.Generator | None = None,
) -> Array:
    """Integrate a batch of states on a fixed grid; return states at `ts`.

    `x0` has shape ``(B, d)``; the result has shape ``(len(ts), B, d)``. Between two
    sample times the step is shortened so that samples fall on the grid exactly.
    """
    x = np.array(x0, dtype=float)
    out = np.empty((len(ts),) + x.shape)
    out[0] = x
    for k in range(1, len(ts)):
        t0, t1 = float(ts[k - 1]), float(ts[k])
        steps = max(1, int(np.ceil((t1 - t0) / dt - 1e-9)))
        h = (t1 - t0) / steps
        with np.errstate(over="ignore", invalid="ignore"):
            for step in range(steps):
                t = t0 + step * h
                x = rk_step(f, tableau, t, x, h)
                sigma = noise(t) if noise is not None else 0.0
                if sigma > 0:
                    x = x + sigma * np.sqrt(h) * rng.standard_normal(x.shape)
        if not np.all(np.isfinite(x)):
            raise NumericalError(
                f"the fixed-step integration diverged near t = {t1:.4g}; "
                f"set a smaller [reference] dt (now {dt:g})"
            )
        out[k] = x
    return out


def solve_adaptive(
    f: VectorField,
    ts: Times,
    x0: State,
    *,
    method: str = "DOP853",
    rtol: float = 1e-8,
    atol: float = 1e-10,
) -> Array:
    """Integrate one state with scipy's adaptive solvers; return states at `ts`."""
    if method not in ADAPTIVE_METHODS:
        raise ValidationError(
            "reference.method", f"must be one of {', '.join(ADAPTIVE_METHODS)}", method
        )
    solution = solve_ivp(
        f,
        (float(ts[0]), float(ts[-1])),
        np.asarray(x0, float),
        method=method,
        t_eval=ts,
        rtol=rtol,
        atol=atol,
        vectorized=False,
    )
    if not solution.success:
        raise NumericalError(
            f"the {method} solver stopped at t = {solution.t[-1]:.4g}: "
            f'{solution.message}; try method = "Radau" (stiff) or a looser rtol'
        )
    log.debug("%s took %d evaluations", method, solution.nfev)
    return solution.y.T
