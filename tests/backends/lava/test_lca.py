"""LCA on Lava against scikit-learn's LASSO (an independent solver)."""

import numpy as np
import pytest
from sklearn.linear_model import Lasso

from codesign.compare import nrmse


def lasso_code(model) -> np.ndarray:
    """argmin ½‖y − Φa‖² + λ‖a‖₁ by coordinate descent (sklearn's α = λ/m)."""
    m = model.dictionary.shape[0]
    solver = Lasso(
        alpha=model.lam / m, fit_intercept=False, tol=1e-12, max_iter=100_000
    )
    return solver.fit(model.dictionary, model.signal).coef_


@pytest.mark.parametrize("precision", ["float", "fixed"])
def test_code_within_5_percent_of_lasso_with_same_support(lava_runs, precision):
    spec = lava_runs.spec("lca", precision)
    code, exact = lava_runs.trace("lca", precision).readout, lasso_code(spec.model)
    scale = np.max(np.abs(exact))
    assert np.array_equal(np.abs(code) > 1e-3 * scale, np.abs(exact) > 1e-3 * scale)
    assert np.max(np.abs(code - exact)) <= 0.05 * scale


def test_float_within_3_percent_of_exact_ode(lava_runs):
    error = nrmse(lava_runs.reference("lca"), lava_runs.trace("lca", "float"))
    assert error <= 0.03, error


def test_fixed_point_objective_close_to_lasso_minimum(lava_runs):
    spec = lava_runs.spec("lca", "fixed")
    model = spec.model
    reached = model.objective(lava_runs.trace("lca", "fixed").readout)
    assert reached <= model.objective(lasso_code(model)) * 1.01


def test_fixed_point_keeps_support_of_entries_near_the_threshold():
    # a noisy signal: the LASSO code has an entry at 0.25 % of the largest and an
    # inactive atom whose correlation is within 2 % of λ; 8-bit weights and 12-bit
    # spikes lose 4 entries of the support, the automatic widths none
    from codesign._rng import derive_rng
    from codesign.backends import lava
    from codesign.spec import spec_from_mapping

    rng = derive_rng(8, "tests", "lava", "lca-threshold")
    phi = rng.normal(0, 1, (16, 24))
    phi /= np.linalg.norm(phi, axis=0)
    code = np.zeros(24)
    code[[2, 7, 15]] = [1.5, -1.0, 0.8]
    signal = phi @ code + rng.normal(0, 0.05, 16)
    model = {"kind": "lca", "dictionary": phi.tolist(), "signal": signal.tolist()}
    spec = spec_from_mapping(
        {
            "model": {**model, "lam": 0.05},
            "run": {"t_end": 80.0, "points": 101},
            "lava": {"dt": 0.1, "precision": "fixed", "engine": "emulator"},
        }
    )
    exact = lasso_code(spec.model)
    correlation = np.abs(phi.T @ (signal - phi @ exact)) / 0.05
    assert np.max(correlation[exact == 0]) > 0.98
    assert np.min(np.abs(exact[exact != 0])) < 0.003 * np.max(np.abs(exact))
    reached = lava.simulate(spec).readout
    assert np.array_equal(reached != 0, exact != 0)
    assert np.linalg.norm(reached - exact) <= 0.01 * np.linalg.norm(exact)


@pytest.mark.parametrize("precision", ["float", "fixed"])
def test_stiff_dictionary_at_a_long_step_stays_stable(precision):
    # unnormalised atoms (norms near 3.4): λ_max(ΦᵀΦ) ≈ 54, so forward Euler at the
    # requested dt = 0.1 diverges (the fixed-point scaling met NaN ranges); the
    # step is shortened until dt·|λ| <= 1 for every decaying mode
    from codesign._rng import derive_rng
    from codesign.backends import lava
    from codesign.spec import spec_from_mapping

    rng = derive_rng(3, "tests", "lava", "lca-stiff")
    phi = rng.normal(0, 0.6, (33, 49))
    code = np.zeros(49)
    code[[4, 11, 30]] = [1.2, -0.8, 0.6]
    model = {"kind": "lca", "dictionary": phi.tolist(), "lam": 0.2}
    spec = spec_from_mapping(
        {
            "model": {**model, "signal": (phi @ code).tolist()},
            "run": {"t_end": 40.0, "points": 101},
            "lava": {"dt": 0.1, "precision": precision, "engine": "emulator"},
        }
    )
    assert np.linalg.eigvalsh(spec.model.gram)[-1] > 40
    trace = lava.simulate(spec)
    assert float(trace.extras["quantisation_dt"]) < 0.03
    exact = lasso_code(spec.model)
    assert np.array_equal(trace.readout != 0, exact != 0)
    assert np.linalg.norm(trace.readout - exact) <= 0.01 * np.linalg.norm(exact)
