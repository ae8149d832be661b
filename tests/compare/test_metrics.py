import numpy as np
import pytest

from codesign.compare import (
    moment_nrmse,
    pairwise_distance,
    readout_match,
    total_variation,
)
from codesign.models import BoltzmannModel
from codesign.trace import Trace


def independent_samples(rng, up, count):
    """±1 samples of independent units with P(s_i = +1) = up_i."""
    return np.where(rng.random((count, len(up))) < up, 1.0, -1.0)


def sampled(samples):
    return Trace(np.arange(len(samples)), samples, np.zeros(len(samples)), samples, "")


def test_two_exact_samplers_of_20_units_agree_by_the_readout_criterion(rng):
    # the same law twice: 2000 samples over 2**20 states barely repeat a state
    up = rng.uniform(0.2, 0.8, 20)
    a, b = (independent_samples(rng, up, 2000) for _ in range(2))
    model = BoltzmannModel(np.zeros((20, 20)))
    assert total_variation(a, b) > 0.5
    assert pairwise_distance(a, b) < 0.1
    assert readout_match(model, sampled(a), sampled(b))


def test_pairwise_distance_sees_one_changed_coupling(rng):
    a = independent_samples(rng, np.full(10, 0.5), 4000)
    b = a.copy()
    b[:, 7] = b[:, 3]  # units 3 and 7 now always agree: P(+,+) = P(−,−) = 1/2
    assert pairwise_distance(a, b) > 0.15
    assert pairwise_distance(a, a) == 0.0 and moment_nrmse(a, a) == 0.0
    assert moment_nrmse(a, b) > 0.0


def test_total_variation_counts_states_of_more_than_63_units(rng):
    a = independent_samples(rng, np.full(70, 0.5), 50)
    b = a.copy()
    b[:, 66] *= -1  # every state differs, only in a unit past bit 63
    assert total_variation(a, a) == 0.0
    assert total_variation(a, b) == pytest.approx(1.0)
