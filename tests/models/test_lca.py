import numpy as np
import pytest
from sklearn.linear_model import Lasso

from codesign.backends.reference import run_model
from codesign.models import LCAModel
from codesign.spec import RunConfig

RUN = RunConfig(t_end=200.0, points=201, samples=1, burn_in=0, chains=1, restarts=1)
TIGHT = {"method": "DOP853", "rtol": 1e-11, "atol": 1e-13}


def sparse_problem(rng, m=15, n=30, active=4):
    phi = rng.normal(0, 1, (m, n))
    phi /= np.linalg.norm(phi, axis=0)
    code = np.zeros(n)
    code[rng.choice(n, active, replace=False)] = rng.normal(0, 1.5, active)
    return phi, phi @ code + 0.01 * rng.normal(size=m)


def lasso(phi, y, lam, positive=False):
    # sklearn minimises (1/2m)‖y − Φa‖² + α‖a‖₁, so α = λ/m
    solver = Lasso(
        alpha=lam / len(y),
        fit_intercept=False,
        tol=1e-14,
        max_iter=1_000_000,
        positive=positive,
    )
    return solver.fit(phi, y).coef_


@pytest.mark.parametrize("nonnegative", [False, True])
def test_equilibrium_is_the_lasso_solution(rng, nonnegative):
    # R12 / R13: the settled code equals coordinate-descent LASSO to ~1e-6
    phi, y = sparse_problem(rng)
    model = LCAModel(phi, y, lam=0.05, nonnegative=nonnegative)
    # overcomplete, so only weakly contracting: convergence is linear-exponential
    long_run = RunConfig(
        t_end=5000.0, points=3, samples=1, burn_in=0, chains=1, restarts=1
    )
    code = run_model(model, np.zeros(30), long_run, TIGHT).readout
    expected = lasso(phi, y, 0.05, positive=nonnegative)
    assert np.max(np.abs(code - expected)) < 1e-6
    assert model.objective(code) <= model.objective(expected) + 1e-10


def test_scalar_case_is_the_soft_threshold():
    for y in (-2.0, -0.3, 0.1, 1.7):
        model = LCAModel(np.ones((1, 1)), np.array([y]), lam=0.5)
        code = run_model(model, np.zeros(1), RUN, TIGHT).readout[0]
        assert code == pytest.approx(np.sign(y) * max(abs(y) - 0.5, 0.0), abs=1e-9)


def test_nonnegative_code_stays_nonnegative(rng):
    # R13: a(t) ≥ 0 along the whole trajectory
    phi, y = sparse_problem(rng)
    model = LCAModel(phi, y, lam=0.05, nonnegative=True)
    trace = run_model(model, np.zeros(30), RUN)
    assert np.all(model.threshold(trace.x) >= 0)


def test_energy_is_the_objective_and_never_rises(rng):
    phi, y = sparse_problem(rng)
    model = LCAModel(phi, y, lam=0.1)
    trace = run_model(model, rng.normal(0, 0.5, 30), RUN)
    assert np.diff(trace.energy).max() <= 1e-9
    assert np.allclose(trace.energy, model.objective(model.threshold(trace.x)))
