"""Boltzmann sampling with stochastic neurons on Lava, against exact enumeration."""

import numpy as np
import pytest

from codesign.backends.lava.boltzmann import colouring
from codesign.compare import judge, kl_to_exact
from codesign.models.boltzmann import RBM


@pytest.mark.parametrize("precision", ["float", "fixed"])
def test_samples_follow_the_boltzmann_law(lava_runs, precision):
    spec = lava_runs.spec("boltzmann", precision)
    trace = lava_runs.trace("boltzmann", precision)
    states, probabilities = spec.model.exact_distribution()
    assert trace.x.shape == (4000, 6)
    assert set(np.unique(trace.x)) <= {-1.0, 1.0}
    # 64 states, 4000 correlated samples: the reference's own KL here is ≈ 0.01
    assert kl_to_exact(trace.x, states, probabilities) < 0.03


@pytest.mark.parametrize("precision", ["float", "fixed"])
def test_same_sample_law_as_the_reference(lava_runs, precision):
    spec = lava_runs.spec("boltzmann", precision)
    result = judge(
        spec,
        lava_runs.reference("boltzmann"),
        "lava",
        lava_runs.trace("boltzmann", precision),
    )
    assert result.readout_match


def test_messages_are_spin_flips(lava_runs):
    # a neuron sends only when its spin changes (and once at the start), each
    # message reaching the 5 other units of its chain
    trace = lava_runs.trace("boltzmann", "fixed")
    spikes, ops = int(trace.extras["spikes"]), int(trace.extras["synaptic_ops"])
    assert ops == 5 * spikes
    assert 32 * 6 < spikes < 32 * 6 * int(trace.extras["steps"])


def test_colouring_of_an_rbm_is_two_colours():
    rbm = RBM(np.ones((4, 3)), np.zeros(4), np.zeros(3))
    colours = colouring(rbm.to_boltzmann().weights)
    assert colours.tolist() == [1, 1, 1, 1, 0, 0, 0]


def test_colouring_never_pairs_coupled_units():
    rng = np.random.default_rng(0)
    w = np.triu(rng.random((9, 9)) < 0.4, 1).astype(float)
    w = w + w.T
    colours = colouring(w)
    i, j = np.nonzero(w)
    assert np.all(colours[i] != colours[j])
