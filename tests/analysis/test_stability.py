import numpy as np

from codesign.analysis import find_equilibrium
from codesign.backends.reference import run_model
from codesign.models import HopfieldModel


def test_stored_pattern_is_a_stable_equilibrium(make_spec):
    spec = make_spec("hopfield")
    final = run_model(spec.model, spec.x0, spec.run).x[-1]
    equilibrium = find_equilibrium(spec.model, final)
    assert equilibrium.stable and equilibrium.residual < 1e-9
    assert equilibrium.decay_rate > 0


def test_origin_of_a_high_gain_memory_is_unstable():
    patterns = np.array([[1.0, -1.0, 1.0, 1.0]])
    model = HopfieldModel(patterns.T @ patterns / 4 - np.eye(4) / 4, gain=4.0)
    equilibrium = find_equilibrium(model, np.zeros(4))
    assert not equilibrium.stable
    assert np.allclose(equilibrium.x, 0)
