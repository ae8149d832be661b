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
# guards against runs that would never end (a stiff model on an explicit method,
# t_end = 1e300): far above what any run of the models here needs
MAX_EVALUATIONS = 2_000_000
MAX_FIXED_STEPS = 10**8


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

# Dormand–Prince 5(4): b is the 5th-order solution, b_low the embedded 4th order
DOPRI5 = Tableau(
    "dopri5",
    5,
    (0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0),
    (
        (),
        (1 / 5,),
        (3 / 40, 9 / 40),
        (44 / 45, -56 / 15, 32 / 9),
        (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
        (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656),
        (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84),
    ),
    (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0.0),
)
DOPRI5_LOW = (
    5179 / 57600,
    0.0,
    7571 / 16695,
    393 / 640,
    -92097 / 339200,
    187 / 2100,
    1 / 40,
)
SAFETY, MIN_FACTOR, MAX_FACTOR = 0.9, 0.2, 5.0


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
    total = float(ts[-1] - ts[0]) / dt + len(ts)
    if total > MAX_FIXED_STEPS:
        raise NumericalError(
            f"the fixed-step integrator would take {total:.3g} steps (more than "
            f"{MAX_FIXED_STEPS:.0e}); set a larger [reference] dt (now {dt:g}) or "
            "shorten run.t_end"
        )
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


def solve_batched_adaptive(
    f: VectorField,
    ts: Times,
    x0: State,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    max_steps: int = 1_000_000,
) -> Array:
    """Integrate a batch (B, d) with Dormand–Prince 5(4) and one shared step size.

    The step is accepted when the worst member's scaled error norm is at most 1,
    so every member meets (rtol, atol) while the batch moves as one array: the
    cost per step grows far slower than B, unlike looping a solver over members.
    The stages live in one (7, B·d) array, so each stage's combination is one
    matrix product; a step shortened to land on a sample time leaves the step
    size for the next one as it was. Returns states at `ts`, (len(ts), B, d).
    """
    x = np.array(x0, dtype=float)
    out = np.empty((len(ts),) + x.shape)
    out[0] = x
    a = np.zeros((len(DOPRI5.c), len(DOPRI5.c)))
    for i, row in enumerate(DOPRI5.a):
        a[i, : len(row)] = row
    b = np.array(DOPRI5.b)
    b_error = b - np.array(DOPRI5_LOW)
    stages = np.empty((len(DOPRI5.c), x.size))

    t, steps = float(ts[0]), 0
    stages[0] = f(t, x).ravel()
    h = _initial_step(f, t, x, stages[0].reshape(x.shape), float(ts[-1]), rtol, atol)
    for k in range(1, len(ts)):
        target = float(ts[k])
        while t < target - 1e-12 * max(1.0, abs(target)):
            steps += 1
            if steps > max_steps:
                raise NumericalError(
                    f"the batched solver needed more than {max_steps} steps before "
                    f"t = {target:.4g}; loosen [reference] rtol or use method Radau"
                )
            step = min(h, target - t)
            x_flat = x.ravel()
            for i in range(1, len(DOPRI5.c)):
                y = x_flat + step * (a[i, :i] @ stages[:i])
                stages[i] = f(t + DOPRI5.c[i] * step, y.reshape(x.shape)).ravel()
            high = (x_flat + step * (b @ stages)).reshape(x.shape)
            difference = (step * (b_error @ stages)).reshape(x.shape)
            scale = atol + rtol * np.maximum(np.abs(x), np.abs(high))
            error = float(np.max(np.sqrt(np.mean((difference / scale) ** 2, axis=-1))))
            if not np.isfinite(error):
                raise NumericalError(
                    f"the batched solver diverged near t = {t:.4g}; check the "
                    "model's parameters or use a smaller rtol"
                )
            factor = SAFETY * error**-0.2 if error > 0 else MAX_FACTOR
            proposed = step * min(MAX_FACTOR, max(MIN_FACTOR, factor))
            if error <= 1.0:
                # the last stage is f at the new point (first same as last)
                t, x = t + step, high
                stages[0] = stages[-1]
                h = max(h, proposed) if step < h else proposed
            else:
                h = proposed
        out[k] = x
    log.debug("batched dopri5: %d steps for %d members", steps, x.shape[0])
    return out


def _initial_step(
    f: VectorField,
    t: float,
    x: State,
    slope: State,
    t_end: float,
    rtol: float,
    atol: float,
) -> float:
    """A first step for the worst member (Hairer, Nørsett & Wanner, II.4)."""
    span = abs(t_end - t) or 1.0
    scale = atol + rtol * np.abs(x)
    d0 = float(np.max(np.sqrt(np.mean((x / scale) ** 2, axis=-1))))
    d1 = float(np.max(np.sqrt(np.mean((slope / scale) ** 2, axis=-1))))
    h0 = 1e-6 if d0 < 1e-5 or d1 < 1e-5 else 0.01 * d0 / d1
    h0 = min(h0, span)
    curvature = (f(t + h0, x + h0 * slope) - slope) / scale / h0
    d2 = float(np.max(np.sqrt(np.mean(curvature**2, axis=-1))))
    if max(d1, d2) <= 1e-15:
        h1 = max(1e-6, h0 * 1e-3)
    else:
        h1 = (0.01 / max(d1, d2)) ** (1 / DOPRI5.order)
    return min(100 * h0, h1, span)


class _TooManyEvaluations(Exception):
    """Raised inside a solve that has used up `MAX_EVALUATIONS` (carries t)."""


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
    evaluations = 0

    def counted(t, x):
        nonlocal evaluations
        evaluations += 1
        if evaluations > MAX_EVALUATIONS:
            raise _TooManyEvaluations(t)
        return f(t, x)

    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            solution = solve_ivp(
                counted,
                (float(ts[0]), float(ts[-1])),
                np.asarray(x0, float),
                method=method,
                t_eval=ts,
                rtol=rtol,
                atol=atol,
                vectorized=False,
            )
    except _TooManyEvaluations as stop:
        raise NumericalError(
            f"the {method} solver needed more than {MAX_EVALUATIONS} evaluations "
            f"of the vector field by t = {stop.args[0]:.4g} of {float(ts[-1]):.4g} "
            '(a stiff model or a very long run); set [reference] method = "Radau" '
            "or shorten run.t_end"
        ) from None
    except (ValueError, np.linalg.LinAlgError) as error:
        # implicit methods refuse a Jacobian that has overflowed
        raise NumericalError(
            f"the {method} solver failed ({error}); scale the model's weights, "
            'inputs or couplings down, or try method = "DOP853"'
        ) from None
    # a solver may stop before the first sample time, or run on through overflow
    times = np.asarray(solution.t, float)
    reached = float(times[-1]) if times.size else float(ts[0])
    if not solution.success:
        raise NumericalError(
            f"the {method} solver stopped at t = {reached:.4g}: "
            f'{solution.message}; try method = "Radau" (stiff) or a looser rtol'
        )
    if not np.all(np.isfinite(solution.y)):
        first = int(np.argmax(~np.all(np.isfinite(solution.y), axis=0)))
        raise NumericalError(
            f"the {method} solution overflowed near t = {times[first]:.4g}; "
            "scale the model's weights, inputs or couplings down"
        )
    log.debug("%s took %d evaluations", method, solution.nfev)
    return solution.y.T
