import numpy as np
import pytest

from codesign import NumericalError, ValidationError
from codesign.backends.reference.integrate import (
    EULER,
    HEUN,
    RK4,
    solve_adaptive,
    solve_fixed,
)


# a reference problem as a fun/sol pair: ẏ = −y + sin t, exact solution below
def fun_forced(t, y):
    return -y + np.sin(t)


def sol_forced(t, y0):
    return (y0 + 0.5) * np.exp(-t) + 0.5 * (np.sin(t) - np.cos(t))


@pytest.mark.parametrize("tableau", [EULER, HEUN, RK4])
def test_fixed_step_schemes_converge_at_their_declared_order(tableau):
    ts = np.array([0.0, 2.0])
    y0 = np.array([[1.0]])
    errors = []
    steps = np.array([0.04, 0.02, 0.01])
    for dt in steps:
        y = solve_fixed(fun_forced, ts, y0, dt=dt, tableau=tableau)[-1, 0, 0]
        errors.append(abs(y - sol_forced(2.0, 1.0)))
    order = np.polyfit(np.log(steps), np.log(errors), 1)[0]
    assert order == pytest.approx(tableau.order, abs=0.2)


def test_adaptive_solver_meets_its_tolerance():
    ts = np.linspace(0, 5, 11)
    ys = solve_adaptive(fun_forced, ts, np.array([1.0]), rtol=1e-10, atol=1e-12)
    assert np.max(np.abs(ys[:, 0] - sol_forced(ts, 1.0))) < 1e-9


def test_euler_maruyama_gives_the_ornstein_uhlenbeck_variance():
    # dx = −x dt + σ dW has stationary variance σ²/2
    sigma = 0.8
    ts = np.linspace(0, 10, 3)
    xs = solve_fixed(
        lambda t, x: -x,
        ts,
        np.zeros((20000, 1)),
        dt=0.01,
        tableau=EULER,
        noise=lambda t: sigma,
        rng=np.random.default_rng(0),
    )
    assert np.var(xs[-1]) == pytest.approx(sigma**2 / 2, rel=0.05)


def test_divergence_is_reported_with_a_remedy():
    with pytest.raises(NumericalError, match=r"smaller \[reference\] dt"):
        solve_fixed(lambda t, x: x**2, np.array([0.0, 5.0]), np.ones((1, 1)), dt=0.1)


def fun_overflowing(t, y):
    # a Hopfield unit with a weight of 1e300: its slope overflows at once
    return -y + 1e300 * np.tanh(2 * y) * np.array([1e300, 1e300])


@pytest.mark.parametrize(
    ("method", "message"),
    [
        ("DOP853", r"the DOP853 solver stopped at t = 0"),
        ("Radau", r"the Radau solver failed .* scale the model's weights"),
        ("BDF", r"the BDF solver failed"),
    ],
)
def test_adaptive_failure_at_the_first_step_is_numerical(method, message):
    ts = np.linspace(0.0, 1.0, 5)
    with pytest.raises(NumericalError, match=message):
        solve_adaptive(fun_overflowing, ts, np.array([0.5, -0.5]), method=method)


def fun_stiff(t, y):
    # relaxes onto cos t at rate 1e9: explicit methods need ~1e9 steps per unit
    return -1e9 * (y - np.cos(t))


def test_endless_adaptive_solve_stops_with_a_remedy(monkeypatch):
    from codesign.backends.reference import integrate

    monkeypatch.setattr(integrate, "MAX_EVALUATIONS", 2000)
    ts = np.linspace(0.0, 1.0, 3)
    with pytest.raises(NumericalError, match=r"more than 2000 evaluations .*Radau"):
        solve_adaptive(fun_stiff, ts, np.zeros(1))
    stiff_solver = solve_adaptive(fun_stiff, ts, np.zeros(1), method="Radau")
    assert stiff_solver[-1, 0] == pytest.approx(np.cos(1.0), abs=1e-6)


def test_fixed_step_run_that_cannot_end_is_refused_at_once():
    with pytest.raises(NumericalError, match=r"would take 1e\+302 steps"):
        solve_fixed(fun_forced, np.array([0.0, 1e300]), np.ones((1, 1)), dt=0.01)


def test_unknown_method_is_refused():
    with pytest.raises(ValidationError, match="`reference.method`: must be one of"):
        solve_adaptive(fun_forced, np.array([0.0, 1.0]), np.ones(1), method="Magic")


def test_batched_adaptive_solver_meets_its_tolerance_for_every_member():
    from codesign.backends.reference.integrate import solve_batched_adaptive

    ts = np.linspace(0, 5, 6)
    starts = np.linspace(-3, 3, 7)[:, None]
    ys = solve_batched_adaptive(fun_forced, ts, starts, rtol=1e-9, atol=1e-12)
    exact = np.stack([sol_forced(ts, y0) for y0 in starts[:, 0]], axis=1)
    assert np.max(np.abs(ys[:, :, 0] - exact)) < 1e-8


def test_batched_adaptive_solver_reports_divergence():
    from codesign.backends.reference.integrate import solve_batched_adaptive

    with pytest.raises(NumericalError, match="batched solver"):
        solve_batched_adaptive(
            lambda t, x: x**2, np.array([0.0, 5.0]), np.ones((2, 1)), max_steps=2000
        )
