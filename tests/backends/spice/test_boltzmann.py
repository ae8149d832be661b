"""The p-bit circuit samples the Boltzmann law."""

import numpy as np
import pytest
from scipy.special import expit

from codesign.backends import spice
from codesign.backends.reference import simulate as reference_simulate
from codesign.compare import kl_to_exact, total_variation
from codesign.spec import spec_from_mapping

from .conftest import printed_columns


def test_samples_follow_the_exact_law(make_spec):
    spec = make_spec("boltzmann", run={"samples": 1600, "burn_in": 10, "chains": 16})
    trace = spice.simulate(spec)
    states, probabilities = spec.model.exact_distribution()
    assert trace.x.shape == (1600, 6) and trace.readout.shape == (1600, 6)
    assert np.array_equal(trace.t, np.arange(1600))
    assert kl_to_exact(trace.x, states, probabilities) < 0.05
    reference = reference_simulate(spec)
    assert total_variation(reference.readout, trace.readout) < 0.2


def test_a_lone_p_bit_fires_with_the_heat_bath_probability():
    spec = spec_from_mapping(
        {
            "model": {
                "kind": "boltzmann",
                "weights": [[0.0, 0.0], [0.0, 0.0]],
                "bias": [0.4, -0.8],
                "temperature": 1.0,
            },
            "run": {"samples": 1200, "burn_in": 2, "chains": 24},
        }
    )
    samples = spice.simulate(spec).x
    expected = expit(2 * np.array([0.4, -0.8]))
    assert np.mean(samples > 0, axis=0) == pytest.approx(expected, abs=0.04)


def test_netlist_runs_in_plain_ngspice(run_ngspice, make_spec):
    spec = make_spec("boltzmann", run={"samples": 20, "burn_in": 2, "chains": 1})
    columns = printed_columns(run_ngspice(spice.compile(spec).text))
    spins = np.array([columns[f"v(s0_{i})"] for i in range(6)])
    assert np.all(np.abs(spins[:, -1]) > 0.9)


def test_unbiased_machine_samples_its_symmetric_law():
    # no bias: no ±1 reference is placed (it would float), and the law is symmetric
    w = np.array([[0.0, 0.6, -0.4], [0.6, 0.0, 0.3], [-0.4, 0.3, 0.0]])
    spec = spec_from_mapping(
        {
            "model": {"kind": "boltzmann", "weights": w.tolist()},
            "run": {"samples": 1200, "burn_in": 4, "chains": 24},
        }
    )
    assert "vone" not in spice.compile(spec).text
    trace = spice.simulate(spec)
    states, probabilities = spec.model.exact_distribution()
    assert kl_to_exact(trace.x, states, probabilities) < 0.05
