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
