"""The LCA circuit against the LASSO solution and the exact ODE."""

import numpy as np
from sklearn.linear_model import Lasso

from codesign.backends import spice
from codesign.backends.reference import run_model
from codesign.compare import judge

from .conftest import printed_columns


def _lasso(spec, positive=False):
    model = spec.model
    m = model.dictionary.shape[0]
    # sklearn minimises ‖y − Φa‖²/(2m) + α‖a‖₁, so α = λ/m
    fit = Lasso(
        alpha=model.lam / m,
        fit_intercept=False,
        positive=positive,
        tol=1e-12,
        max_iter=100000,
    ).fit(model.dictionary, model.signal)
    return fit.coef_


def test_ideal_circuit_matches_the_exact_ode(make_spec):
    spec = make_spec("lca")
    trace = spice.simulate(spec)
    reference = run_model(spec.model, spec.x0, spec.run)
    result = judge(spec, reference, "spice", trace)
    assert result.nrmse < 0.02
    assert result.readout_match and result.descent.passed


def test_code_is_the_lasso_solution(make_spec):
    spec = make_spec("lca", run={"t_end": 80.0})
    code = spice.simulate(spec).readout
    expected = _lasso(spec)
    assert np.array_equal(np.abs(code) > 1e-3, np.abs(expected) > 1e-3)
    assert np.max(np.abs(code - expected)) < 0.01


def test_nonnegative_code_uses_the_rectifier(make_spec):
    spec = make_spec("lca", model={"nonnegative": True}, run={"t_end": 80.0})
    netlist = spice.compile(spec).text
    assert "rectifier" in netlist and "soft_threshold" not in netlist
    code = spice.simulate(spec).readout
    assert np.all(code >= 0)
    assert np.max(np.abs(code - _lasso(spec, positive=True))) < 0.01


def test_netlist_runs_in_plain_ngspice(run_ngspice, make_spec):
    spec = make_spec("lca", run={"t_end": 20.0})
    trace = spice.simulate(spec)
    columns = printed_columns(run_ngspice(spice.compile(spec).text))
    final = np.array([columns[f"v(x{i})"][-1] for i in range(spec.model.n)])
    assert np.allclose(final, trace.x[-1], atol=1e-3)
