"""The two-layer dense associative memory circuit against the exact ODE."""

import numpy as np
import pytest

from codesign.backends import spice
from codesign.backends.reference import run_model
from codesign.compare import judge

from .conftest import printed_columns


@pytest.mark.parametrize("separation", ["softmax", "polynomial"])
def test_ideal_circuit_matches_the_exact_ode(make_spec, separation):
    spec = make_spec("dense", model={"separation": separation})
    trace = spice.simulate(spec)
    reference = run_model(spec.model, spec.x0, spec.run)
    result = judge(spec, reference, "spice", trace)
    assert trace.x.shape == (len(spec.run.times), spec.model.n + spec.model.p)
    assert result.nrmse < 0.01
    assert result.readout_match and result.descent.passed
    assert np.array_equal(trace.readout, spec.model.patterns[2])


def test_memory_layer_has_n_p_synapses_each_way(make_spec):
    spec = make_spec("dense")
    lines = spice.compile(spec).text.splitlines()
    n, p = spec.model.n, spec.model.p
    assert sum(line.startswith("xm") for line in lines) == n * p
    assert sum(line.startswith("xf") for line in lines) == n * p
    assert sum(line.startswith("bs") for line in lines) == p


def test_netlist_runs_in_plain_ngspice(run_ngspice, make_spec):
    spec = make_spec("dense", run={"t_end": 3.0})
    trace = spice.simulate(spec)
    columns = printed_columns(run_ngspice(spice.compile(spec).text))
    final = np.array([columns[f"v(x{i})"][-1] for i in range(spec.model.n)])
    assert np.allclose(final, trace.x[-1, : spec.model.n], atol=1e-3)


def test_trace_starts_at_the_initial_state_of_both_layers(make_spec):
    spec = make_spec("dense", run={"t_end": 1.0, "points": 11})
    trace = spice.simulate(spec)
    assert np.allclose(trace.x[0], spec.x0, rtol=0, atol=1e-9)
