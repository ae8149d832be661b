"""Dense associative memory on Lava: feature and memory neurons in one loop."""

import numpy as np
import pytest

from codesign.compare import judge
from codesign.spec import spec_from_mapping

from .conftest import CASES


@pytest.mark.parametrize("case", ["dense", "dense-polynomial"])
@pytest.mark.parametrize("precision", ["float", "fixed"])
def test_within_3_percent_of_exact_ode_and_same_pattern(lava_runs, case, precision):
    spec = lava_runs.spec(case, precision)
    trace = lava_runs.trace(case, precision)
    result = judge(spec, lava_runs.reference(case), "lava", trace)
    assert result.nrmse <= 0.03, result.nrmse
    assert result.readout_match
    assert result.descent.passed, result.descent.describe()
    assert np.array_equal(trace.readout, spec.model.patterns[2].astype(np.int8))


def test_softmax_is_normalised_across_the_memory_population():
    # the stated approximation: f = (e << b) // Σ e, so Σ f ≤ 2^b and within one
    # LSB per memory neuron of it
    from codesign.backends import lava
    from codesign.backends.lava.worker import fixed_point as fp

    spec = spec_from_mapping({**CASES["dense"](), "lava": {"precision": "fixed"}})
    compiled = lava.compile(spec)
    segments = compiled.program["neuron"]["segments"]
    v = np.random.default_rng(0).integers(-(2**20), 2**20, (50, 22))
    f = fp.activate(v, segments, compiled.arrays["tables"])[:, 16:]
    bits = segments[1]["bits"]
    assert np.all(f.sum(axis=1) <= 2**bits)
    assert np.all(f.sum(axis=1) >= 2**bits - 6)


def test_fast_growth_shortens_the_float_step():
    # 40 memories on 16 features from the default small random start: the modes
    # grow at about 50 per time unit, and at dt = 0.01 forward Euler picks another
    # memory; the step is shortened until dt·rate <= 0.05
    from codesign._rng import derive_rng
    from codesign.backends import lava, reference
    from codesign.compare import nrmse

    rng = derive_rng(1, "tests", "lava", "dense-growth")
    patterns = np.where(rng.random((40, 16)) < 0.5, -1.0, 1.0)
    spec = spec_from_mapping(
        {
            "seed": 1,
            "model": {
                "kind": "dense",
                "patterns": patterns.tolist(),
                "separation": "polynomial",
            },
            "run": {"t_end": 10.0, "points": 101},
            "lava": {"engine": "emulator"},
        }
    )
    exact, trace = reference.simulate(spec), lava.simulate(spec)
    assert float(trace.extras["quantisation_dt"]) < 0.002
    assert nrmse(exact, trace) <= 0.03
    assert np.array_equal(trace.readout, exact.readout)


def test_memory_units_keep_their_own_state_scale():
    # a degree-4 memory of 27 patterns on 32 features: features reach 1.5e5, the
    # memory units only 32; one scale for both left them 4 fractional bits and
    # NRMSE 0.056, a scale per segment keeps it under 1 %
    from codesign._rng import derive_rng
    from codesign.backends import lava, reference
    from codesign.compare import nrmse

    rng = derive_rng(0, "tests", "lava", "dense-scales")
    patterns = np.where(rng.random((27, 32)) < 0.5, -1.0, 1.0)
    model = {"kind": "dense", "patterns": patterns.tolist(), "gain": 1.6}
    spec = spec_from_mapping(
        {
            "model": {**model, "separation": "polynomial", "degree": 4, "tau_h": 0.2},
            "init": {"pattern": 0, "flip": 0.1},
            "run": {"t_end": 10.0, "points": 101},
            "lava": {"engine": "emulator", "precision": "fixed"},
        }
    )
    compiled = lava.compile(spec)
    assert np.max(compiled.scale[32:]) < np.min(compiled.scale[:32]) / 2**10
    assert nrmse(reference.simulate(spec), lava.simulate(spec)) <= 0.01
