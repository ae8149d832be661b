"""Kuramoto oscillators on Lava: phases follow the exact ODE in both precisions."""

import pytest

from codesign.compare import judge


@pytest.mark.parametrize("precision", ["float", "fixed"])
def test_phases_within_3_percent_of_exact_ode(lava_runs, precision):
    spec = lava_runs.spec("kuramoto", precision)
    result = judge(
        spec,
        lava_runs.reference("kuramoto"),
        "lava",
        lava_runs.trace("kuramoto", precision),
    )
    assert result.nrmse <= 0.03, result.nrmse
    assert result.readout_match


def test_phases_are_unwrapped(lava_runs):
    # ω spans ±0.5 and the oscillators lock, so the common phase drifts smoothly:
    # no sample-to-sample jump near 2π
    import numpy as np

    x = lava_runs.trace("kuramoto", "fixed").x
    assert np.max(np.abs(np.diff(x, axis=0))) < 1.0


def test_fast_phase_slips_shorten_the_float_step():
    # 20 strongly coupled oscillators from random phases: the coupling's Jacobian
    # has growth rates near 15 while they lock, and at dt = 0.01 forward Euler
    # leaves the exact path (NRMSE 0.05); with dt·rate <= 0.05 it stays on it
    import numpy as np

    from codesign._rng import derive_rng
    from codesign.backends import lava, reference
    from codesign.compare import nrmse
    from codesign.spec import spec_from_mapping

    rng = derive_rng(8, "tests", "lava", "kuramoto-growth")
    a = rng.uniform(0, 1, (20, 20)) * (rng.random((20, 20)) < 0.6)
    coupling = (a + a.T) / 2 * 2.5
    np.fill_diagonal(coupling, 0.0)
    model = {
        "kind": "kuramoto",
        "frequencies": rng.normal(0, 0.5, 20).tolist(),
        "coupling": coupling.tolist(),
    }
    spec = spec_from_mapping(
        {
            "seed": 8,
            "model": model,
            "run": {"t_end": 10.0, "points": 101},
            "lava": {"engine": "emulator"},
        }
    )
    trace = lava.simulate(spec)
    assert float(trace.extras["quantisation_dt"]) < 0.005
    assert nrmse(reference.simulate(spec), trace, "kuramoto") <= 0.03


DRIFTING = [1.6176, -0.9623, 0.6172, -0.0503, -0.7855, 0.1346, -0.5914, -0.452]
DRIFTING += [0.2911, -0.6389, -0.4409, 0.7253, 0.2096, -0.5739, 0.3831, -0.1574]
DRIFTING += [-0.974, 1.2486, 1.0871, 0.7484]


@pytest.mark.parametrize("precision", ["float", "fixed"])
def test_drifting_phases_stay_on_the_exact_path(precision):
    # 20 oscillators that only partly lock (order parameter 0.7-0.9) for 24 time
    # units: forward Euler's error grows along the whole run (at dt = 0.01 NRMSE
    # 0.057, and 0.064 with 8-bit couplings); dt halves until a run at half the
    # step agrees, and the couplings get 14 bits where 8 move the path
    from codesign.backends import lava, reference
    from codesign.compare import nrmse
    from codesign.spec import spec_from_mapping

    spec = spec_from_mapping(
        {
            "seed": 206,
            "model": {"kind": "kuramoto", "frequencies": DRIFTING, "coupling": 1.7675},
            "run": {"t_end": 23.79, "points": 50},
            "lava": {"engine": "emulator", "precision": precision},
        }
    )
    trace = lava.simulate(spec)
    assert float(trace.extras["quantisation_dt"]) < 0.005
    assert nrmse(reference.simulate(spec), trace, "kuramoto") <= 0.03
