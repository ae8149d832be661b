"""The Hopfield circuit against the exact ODE, in both wirings."""

import time

import numpy as np
import pytest

from codesign._errors import ValidationError
from codesign.backends import spice
from codesign.backends.reference import run_model
from codesign.backends.spice.hopfield import choose_topology
from codesign.compare import judge, nrmse
from codesign.models import learning
from codesign.models.hopfield import low_rank
from codesign.spec import spec_from_mapping

from .conftest import printed_columns


def _memory_spec(n, p, *, seed=1, flip=0.2, spice_table=None, noise=None, t_end=10.0):
    rng = np.random.default_rng(seed)
    patterns = np.where(rng.random((p, n)) < 0.5, -1.0, 1.0)
    raw = {
        "seed": seed,
        "model": {"kind": "hopfield", "patterns": patterns.tolist(), "gain": 4.0},
        "init": {"pattern": 0, "flip": flip},
        "run": {"t_end": t_end, "points": 101},
        "spice": spice_table or {},
    }
    if noise:
        raw["noise"] = noise
    return spec_from_mapping(raw), patterns


@pytest.mark.parametrize("topology", ["all_to_all", "factored"])
def test_ideal_circuit_matches_the_exact_ode(topology):
    spec, _ = _memory_spec(32, 3, spice_table={"topology": topology})
    trace = spice.simulate(spec)
    reference = run_model(spec.model, spec.x0, spec.run)
    result = judge(spec, reference, "spice", trace)
    assert trace.extras["topology"] == topology
    assert result.nrmse < 0.02
    assert result.readout_match and result.descent.passed
    assert trace.t.shape == reference.t.shape and trace.x.shape == reference.x.shape


def test_random_symmetric_weights_with_bias(rng):
    w = rng.normal(0, 0.4, (12, 12))
    w = (w + w.T) / 2
    raw = {
        "model": {
            "kind": "hopfield",
            "weights": w.tolist(),
            "gain": 2.0,
            "bias": rng.normal(0, 0.3, 12).tolist(),
        },
        "run": {"t_end": 10.0, "points": 101},
    }
    spec = spec_from_mapping(raw)
    trace = spice.simulate(spec)
    reference = run_model(spec.model, spec.x0, spec.run)
    assert trace.extras["topology"] == "all_to_all"
    assert nrmse(reference, trace) < 0.02
    assert np.array_equal(trace.readout, reference.readout)


def test_low_rank_recovers_the_hebbian_factors():
    patterns = np.where(np.random.default_rng(3).random((4, 40)) < 0.5, -1.0, 1.0)
    weights = learning.hebbian(patterns)
    f, s, d = low_rank(weights, patterns)
    assert np.allclose(f.T @ np.diag(s) @ f + np.diag(d), weights)
    assert np.allclose(d, -4 / 40)
    # without the patterns, the spectrum finds a factorisation of the same rank
    f, s, d = low_rank(weights, None)
    assert f.shape == (4, 40)
    assert np.allclose(f.T @ np.diag(s) @ f + np.diag(d), weights)


def test_full_rank_weights_have_no_factors(rng):
    w = rng.normal(size=(12, 12))
    assert low_rank((w + w.T) / 2, None) is None


def test_topology_is_chosen_by_device_count():
    factors = (np.ones((2, 100)), np.ones(2), np.zeros(100))
    assert choose_topology("auto", factors, 100) == "factored"
    assert choose_topology("auto", None, 100) == "all_to_all"
    assert choose_topology("all_to_all", factors, 100) == "all_to_all"


def test_factored_wiring_is_refused_for_full_rank_weights():
    with pytest.raises(
        ValidationError,
        match=r"`spice.topology`: can be \"factored\" "
        r"only for low-rank weights.*\(got 'factored'\); use topology",
    ):
        choose_topology("factored", None, 10)


def test_factored_circuit_has_2np_synapses():
    spec, _ = _memory_spec(40, 3, spice_table={"topology": "factored"})
    text = spice.compile(spec).text
    synapses = [line for line in text.splitlines() if line.startswith(("xm", "xf"))]
    # memory layer n·p, feature layer n·p, and one self-synapse per neuron
    assert len(synapses) == 2 * 40 * 3 + 40


def test_400_neuron_memory_retrieves_its_pattern_quickly():
    spec, patterns = _memory_spec(400, 8, flip=0.2)
    start = time.perf_counter()
    trace = spice.simulate(spec)
    elapsed = time.perf_counter() - start
    assert trace.extras["topology"] == "factored"
    assert np.array_equal(trace.readout, patterns[0])
    assert elapsed < 30


def test_netlist_runs_in_plain_ngspice(run_ngspice):
    spec, _ = _memory_spec(12, 2, t_end=5.0)
    trace = spice.simulate(spec)
    columns = printed_columns(run_ngspice(spice.compile(spec).text))
    seconds = spec.run.t_end * 1e-3  # R0·C0 = 100 kΩ · 10 nF
    assert columns["time"][-1] == pytest.approx(seconds, rel=1e-6)
    final = np.array([columns[f"v(x{i})"][-1] for i in range(12)])
    assert np.allclose(final, trace.x[-1], atol=1e-3)


def test_supply_power_and_energy_to_settle_are_reported(make_spec):
    trace = spice.simulate(make_spec("hopfield"))
    assert trace.extras["supply_power"] > 0
    assert 0 < trace.extras["time_to_settle"] <= trace.t[-1]
    assert (
        0
        < trace.extras["energy_to_settle"]
        < trace.extras["peak_power"] * (trace.extras["time_to_settle_s"])
    )
    assert trace.extras["wall_time"] >= trace.extras["ngspice_time"] > 0


def test_mismatch_is_seeded_and_moves_the_trajectory():
    noise = {
        "mismatch": 0.1,
        "capacitor_mismatch": 0.05,
        "offset": 0.02,
        "gain_error": 0.05,
    }
    ideal, _ = _memory_spec(24, 2)
    noisy, _ = _memory_spec(24, 2, noise=noise)
    again, _ = _memory_spec(24, 2, noise=noise)
    a, b, c = (spice.simulate(s) for s in (ideal, noisy, again))
    assert np.array_equal(b.x, c.x)
    assert 1e-4 < nrmse(a, b) < 0.2
    assert np.array_equal(a.readout, b.readout)


def test_quantised_and_faulty_conductances_change_the_netlist():
    ideal, _ = _memory_spec(24, 2, spice_table={"topology": "all_to_all"})
    faulty, _ = _memory_spec(
        24,
        2,
        spice_table={"topology": "all_to_all"},
        noise={"stuck_open": 0.5, "weight_bits": 2},
    )
    count = [
        sum(line.startswith("xw") for line in spice.compile(s).text.splitlines())
        for s in (ideal, faulty)
    ]
    assert count[1] < 0.7 * count[0]


def test_thermal_noise_places_trnoise_sources():
    spec, _ = _memory_spec(
        8, 1, noise={"thermal": 300.0}, spice_table={"topology": "all_to_all"}
    )
    text = spice.compile(spec).text
    assert "TRNOISE" in text and "noisy_synapse" in text
    trace = spice.simulate(spec)
    assert np.all(np.isfinite(trace.x))


def test_trace_starts_at_the_initial_state_when_the_flow_is_fast(rng):
    # ngspice records no t = 0 point in a UIC run: its first point, a hundredth
    # of a step in, has already moved by |dx/dt|·5e-4 time units
    w = rng.normal(0, 3.0, (6, 6))
    x0 = rng.normal(0, 1.0, 6)
    raw = {
        "model": {"kind": "hopfield", "weights": ((w + w.T) / 2).tolist(), "gain": 4},
        "init": {"x0": x0.tolist()},
        "run": {"t_end": 2.0, "points": 21},
    }
    trace = spice.simulate(spec_from_mapping(raw))
    assert np.allclose(trace.x[0], x0, rtol=0, atol=1e-9)


def test_low_rank_recovers_the_projection_rule_factors():
    # W = P − diag(P) with P the projector on the patterns' span: rank p plus a
    # diagonal that is not constant, which neither Ξ nor the spectrum factors
    patterns = np.where(np.random.default_rng(4).random((5, 60)) < 0.5, -1.0, 1.0)
    weights = learning.projection(patterns)
    f, s, d = low_rank(weights, patterns)
    assert f.shape == (5, 60)
    assert np.allclose(f.T @ np.diag(s) @ f + np.diag(d), weights, atol=1e-12)
    assert low_rank(learning.storkey(patterns), patterns) is None


def test_projection_memory_is_factored_and_matches_the_exact_ode():
    rng = np.random.default_rng(7)
    patterns = np.where(rng.random((3, 64)) < 0.5, -1.0, 1.0)
    raw = {
        "seed": 1,
        "model": {
            "kind": "hopfield",
            "patterns": patterns.tolist(),
            "rule": "projection",
            "gain": 4.0,
        },
        "init": {"pattern": 0, "flip": 0.2},
        "run": {"t_end": 10.0, "points": 101},
    }
    spec = spec_from_mapping(raw)
    trace = spice.simulate(spec)
    reference = run_model(spec.model, spec.x0, spec.run)
    assert trace.extras["topology"] == "factored"
    assert nrmse(reference, trace) < 0.02
    assert np.array_equal(trace.readout, patterns[0])
