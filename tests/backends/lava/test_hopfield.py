"""Hopfield on Lava: float follows the exact ODE, fixed point keeps the readout."""

import numpy as np
import pytest

from codesign.compare import judge, nrmse


def test_float_within_3_percent_of_exact_ode(lava_runs):
    error = nrmse(lava_runs.reference("hopfield"), lava_runs.trace("hopfield", "float"))
    assert error <= 0.03, error


def test_fixed_point_keeps_readout_and_descends(lava_runs):
    spec = lava_runs.spec("hopfield", "fixed")
    reference, trace = (
        lava_runs.reference("hopfield"),
        lava_runs.trace("hopfield", "fixed"),
    )
    result = judge(spec, reference, "lava", trace)
    assert result.readout_match
    assert result.descent.passed, result.descent.describe()
    assert result.nrmse <= 0.03
    # the stored pattern is retrieved from a 20 % corrupted start
    assert np.array_equal(trace.readout, spec.model.patterns[1].astype(np.int8))


@pytest.mark.parametrize("precision", ["float", "fixed"])
def test_message_counts_match_dense_traffic(lava_runs, precision):
    # every neuron sends a non-zero graded spike on every tick (tanh ≠ 0 here), and
    # each spike fans out to the 23 non-zero weights of its column
    trace = lava_runs.trace("hopfield", precision)
    ticks = int(trace.extras["steps"]) + 1
    assert int(trace.extras["spikes"]) == 24 * ticks
    assert int(trace.extras["synaptic_ops"]) == 24 * 23 * ticks


def test_fixed_point_keeps_readout_of_a_unit_settling_near_zero():
    # low gain, random symmetric weights: a graded equilibrium whose smallest unit
    # sits at 0.35 % of the state range, within reach of 8-bit weight errors (with
    # 8-bit weights one sign flips); automatic weight bits keep every sign
    from codesign._rng import derive_rng
    from codesign.backends import lava, reference
    from codesign.spec import spec_from_mapping

    rng = derive_rng(35, "tests", "lava", "hopfield-graded")
    a = rng.normal(size=(40, 40))
    model = {
        "kind": "hopfield",
        "weights": ((a + a.T) / 2 * 1.5 / np.sqrt(40)).tolist(),
        "bias": rng.normal(0, 0.3, 40).tolist(),
        "gain": 0.75,
    }
    spec = spec_from_mapping(
        {
            "seed": 35,
            "model": model,
            "run": {"t_end": 20.0, "points": 101},
            "lava": {"precision": "fixed", "engine": "emulator"},
        }
    )
    exact = reference.simulate(spec)
    assert np.min(np.abs(exact.x[-1])) < 0.005 * np.ptp(exact.x)
    trace = lava.simulate(spec)
    assert np.array_equal(trace.readout, exact.readout)


def test_fixed_point_step_follows_growth_down_to_its_decay_floor():
    # all-to-all excitation from a small random start grows at up to
    # α = gain·w·(n − 1) − 1 = 11: float takes dt·α <= 0.05 (dt < 0.006);
    # fixed point stops where 2^12·dt/τ = 24 (dt ≥ 0.0059), since shorter
    # steps would round its 12-bit decay by more than 2 %
    from codesign.backends import lava, reference
    from codesign.compare import nrmse
    from codesign.spec import spec_from_mapping

    n = 16
    weights = (np.ones((n, n)) - np.eye(n)) * 3.0 / (n - 1)
    steps = {}
    for precision in ("float", "fixed"):
        spec = spec_from_mapping(
            {
                "seed": 4,
                "model": {"kind": "hopfield", "weights": weights.tolist(), "gain": 4.0},
                "run": {"t_end": 10.0, "points": 101},
                "lava": {"precision": precision, "engine": "emulator"},
            }
        )
        trace = lava.simulate(spec)
        steps[precision] = float(trace.extras["quantisation_dt"])
        assert nrmse(reference.simulate(spec), trace) <= 0.03
    assert steps["float"] < 24 / 4096 <= steps["fixed"] < 0.0065
