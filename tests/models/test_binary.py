"""The binary (discrete-time) networks: M1, M5a and M5b of MODELS.md."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codesign.models import learning
from codesign.models.dense import attention_update, discrete_energy, discrete_sweep
from codesign.models.hopfield import (
    asynchronous_sweep,
    binary_energy,
    synchronous_step,
)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31), n=st.integers(2, 15))
def test_asynchronous_updates_never_raise_the_energy(seed, n):
    # R2: every flip lowers E or leaves it, so a fixed point comes in finite time
    rng = np.random.default_rng(seed)
    w = rng.normal(0, 1, (n, n))
    w = (w + w.T) / 2
    np.fill_diagonal(w, 0)
    s = rng.choice([-1.0, 1.0], n)
    energies = [binary_energy(w, s)]
    for _ in range(3 * n):
        s = asynchronous_sweep(w, s, rng)
        energies.append(binary_energy(w, s))
    assert np.all(np.diff(energies) <= 1e-12)
    assert np.array_equal(asynchronous_sweep(w, s, rng), s)  # a fixed point


def test_synchronous_updates_can_end_in_a_two_cycle():
    w = np.array([[0.0, -1.0], [-1.0, 0.0]])
    s = np.array([1.0, 1.0])
    assert np.array_equal(synchronous_step(w, synchronous_step(w, s)), s)
    assert not np.array_equal(synchronous_step(w, s), s)


def test_polynomial_dense_memory_stores_far_beyond_hopfield():
    # R4: n = 3 at N = 40 stores K = 40 = N patterns error-free (the estimate
    # N²/(2·3·ln N) ≈ 72); the Hopfield network (n = 2) of the same size fails
    rng = np.random.default_rng(0)
    patterns = rng.choice([-1.0, 1.0], (40, 40))
    for k in range(40):
        assert np.array_equal(discrete_sweep(patterns, patterns[k], rng), patterns[k])
    hebbian = learning.hebbian(patterns)
    fixed = [np.array_equal(np.sign(hebbian @ p), p) for p in patterns]
    assert np.mean(fixed) < 0.2


def test_dense_energy_difference_rule_descends():
    rng = np.random.default_rng(1)
    patterns = rng.choice([-1.0, 1.0], (30, 20))
    s = rng.choice([-1.0, 1.0], 20)
    for kind in ("power", "rectified", "exp"):
        before = discrete_energy(patterns, s, kind)
        after = discrete_energy(patterns, discrete_sweep(patterns, s, rng, kind), kind)
        assert after <= before + 1e-9


def test_exponential_dense_memory_retrieves_from_a_corrupted_probe():
    # R5: exponential capacity; 200 patterns in N = 32 (200 > e^{0.1·32}·5)
    rng = np.random.default_rng(2)
    patterns = rng.choice([-1.0, 1.0], (200, 32))
    probe = patterns[7].copy()
    probe[rng.choice(32, 3, replace=False)] *= -1
    assert np.array_equal(discrete_sweep(patterns, probe, rng, "exp"), patterns[7])


def test_modern_hopfield_retrieves_in_one_update_at_large_beta():
    # R6: well separated patterns, large β: one update lands exponentially close
    rng = np.random.default_rng(3)
    stored = rng.normal(0, 1, (20, 64))
    query = stored[4] + 0.3 * rng.normal(0, 1, 64)
    retrieved = attention_update(stored, query, beta=1.0)
    assert np.max(np.abs(retrieved - stored[4])) < 1e-6
    # small β: a metastable average of the patterns, far from any one of them
    average = attention_update(stored, query, beta=1e-4)
    assert np.allclose(average, stored.mean(axis=0), atol=0.05)
    assert np.min(np.linalg.norm(stored - average, axis=1)) > 5


@pytest.mark.parametrize("kind", ["power", "rectified", "exp"])
def test_two_state_rule_agrees_with_the_energy(kind):
    # sweeps end at a state no single flip can lower (checked by enumeration)
    rng = np.random.default_rng(4)
    patterns = rng.choice([-1.0, 1.0], (6, 8))
    out = rng.choice([-1.0, 1.0], 8)
    for _ in range(50):
        out, previous = discrete_sweep(patterns, out, rng, kind), out
        if np.array_equal(out, previous):
            break
    assert np.array_equal(out, previous)
    for i in range(8):
        flipped = out.copy()
        flipped[i] *= -1
        assert (
            discrete_energy(patterns, out, kind)
            <= discrete_energy(patterns, flipped, kind) + 1e-9
        )
