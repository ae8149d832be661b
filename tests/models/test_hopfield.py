import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from codesign import ValidationError
from codesign.backends.reference import run_model
from codesign.models import HopfieldModel, learning
from codesign.spec import RunConfig

RUN = RunConfig(t_end=15.0, points=151, samples=1, burn_in=0, chains=1, restarts=1)


def random_symmetric(rng, n, scale=1.0):
    w = rng.normal(0, scale / np.sqrt(n), (n, n))
    w = (w + w.T) / 2
    np.fill_diagonal(w, 0)
    return w


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    n=st.integers(2, 12),
    gain=st.floats(0.5, 8.0),
    scale=st.floats(0.1, 3.0),
)
def test_energy_never_rises_on_random_symmetric_networks(seed, n, gain, scale):
    rng = np.random.default_rng(seed)
    model = HopfieldModel(
        random_symmetric(rng, n, scale), bias=rng.normal(0, 0.3, n), gain=gain
    )
    trace = run_model(model, rng.normal(0, 1, n), RUN)
    rises = np.diff(trace.energy)
    assert rises.max() <= 1e-9 * max(1.0, np.ptp(trace.energy))


def test_energy_rate_equals_minus_weighted_speed_squared(rng):
    # dE/dt = −τ Σ g′(x) ẋ² (Hopfield 1984), checked by the chain rule numerically
    model = HopfieldModel(random_symmetric(rng, 6, 2.0), gain=3.0, tau=2.0)
    x = rng.normal(0, 1, 6)
    velocity = model.vector_field(0, x) / model.tau  # dx/dt in the model's seconds
    h = 1e-6
    rate = (model.energy(x + h * velocity) - model.energy(x - h * velocity)) / (2 * h)
    slope = model.gain / np.cosh(model.gain * x) ** 2
    assert rate == pytest.approx(-model.tau * np.sum(slope * velocity**2), rel=1e-6)


def test_leak_term_is_the_integral_of_the_inverse_activation(rng):
    gain = 2.5
    model = HopfieldModel(np.zeros((1, 1)), gain=gain)
    for x in (-1.3, 0.2, 0.9):
        v = np.tanh(gain * x)
        integral, _ = quad(lambda s: np.arctanh(s) / gain, 0, v)
        assert model.energy(np.array([x])) == pytest.approx(integral, rel=1e-9)


def test_jacobian_matches_finite_differences(rng):
    model = HopfieldModel(random_symmetric(rng, 5), gain=2.0)
    x = rng.normal(0, 1, 5)
    numeric = super(HopfieldModel, model).jacobian(x)
    assert np.allclose(model.jacobian(x), numeric, atol=1e-6)


def test_batched_vector_field_equals_looped(rng):
    model = HopfieldModel(random_symmetric(rng, 7), gain=1.5, bias=0.1)
    xs = rng.normal(0, 1, (3, 4, 7))
    looped = np.array([[model.vector_field(0, x) for x in row] for row in xs])
    assert np.allclose(model.vector_field(0, xs), looped)
    assert model.energy(xs).shape == (3, 4)


@pytest.mark.parametrize("rule", ["hebbian", "projection", "storkey"])
def test_stored_memories_couple_through_their_factors_exactly(rule, rng):
    patterns = rng.choice([-1.0, 1.0], (6, 120))
    weights = learning.RULES[rule](patterns)
    model = HopfieldModel(weights, gain=3.0, bias=0.05, patterns=patterns)
    # the low-rank rules factor (2·n·r products); Storkey's W is full rank
    assert (model._factors is not None) == (rule != "storkey")
    xs = rng.normal(0, 1, (2, 5, 120))
    dense = -xs + np.tanh(3.0 * xs) @ weights + 0.05
    assert np.max(np.abs(model.vector_field(0, xs) - dense)) < 1e-13
    model.weights = weights.copy()  # new weights: the old factors no longer apply
    assert model._factors is None


def test_high_gain_minima_match_binary_attractors(rng):
    # R3: as gain → ∞ the stable states approach corners that are fixed points of
    # the binary network s ← sign(W s)
    patterns = np.where(rng.random((2, 20)) < 0.5, -1.0, 1.0)
    weights = learning.hebbian(patterns)
    model = HopfieldModel(weights, gain=50.0)
    for start in rng.normal(0, 0.5, (5, 20)):
        final = run_model(model, start, RUN).x[-1]
        corner = np.sign(final)
        assert np.array_equal(np.sign(weights @ corner), corner)
        assert np.max(np.abs(np.abs(np.tanh(50 * final)) - 1)) < 0.05


@pytest.mark.parametrize("rule", ["hebbian", "projection", "storkey"])
def test_learning_rules_give_symmetric_zero_diagonal_weights(rule, rng):
    patterns = np.where(rng.random((5, 30)) < 0.5, -1.0, 1.0)
    weights = learning.RULES[rule](patterns)
    assert np.allclose(weights, weights.T)
    assert np.all(np.diag(weights) == 0)


def test_projection_rule_stores_patterns_beyond_hebbian_capacity(rng):
    # p/n = 0.4 is far above 0.138 n: Hebbian fails, the projection rule does not
    patterns = np.where(rng.random((20, 50)) < 0.5, -1.0, 1.0)
    hebbian = learning.hebbian(patterns)
    projection = learning.projection(patterns)
    stable = lambda w: np.mean(np.all(np.sign(patterns @ w) == patterns, axis=1))  # noqa: E731
    assert stable(projection) == 1.0
    assert stable(hebbian) < 0.5


def test_storkey_stores_more_than_hebbian(rng):
    patterns = np.where(rng.random((14, 64)) < 0.5, -1.0, 1.0)
    bits_stable = lambda w: np.mean(np.sign(patterns @ w) == patterns)  # noqa: E731
    assert bits_stable(learning.storkey(patterns)) > bits_stable(
        learning.hebbian(patterns)
    )


def test_storkey_matches_its_definition_elementwise(rng):
    patterns = np.where(rng.random((3, 6)) < 0.5, -1.0, 1.0)
    n = 6
    w = np.zeros((n, n))
    for xi in patterns:
        new = w.copy()
        for i in range(n):
            for j in range(n):
                if i == j:
                    continue
                h_ij = sum(w[i, k] * xi[k] for k in range(n) if k not in (i, j))
                h_ji = sum(w[j, k] * xi[k] for k in range(n) if k not in (i, j))
                new[i, j] = w[i, j] + (xi[i] * xi[j] - xi[i] * h_ji - h_ij * xi[j]) / n
        w = new
    assert np.allclose(learning.storkey(patterns), w)


def test_binary_capacity_collapses_near_0_138(rng):
    # R1, in the binary limit: the fraction of bits that stay put after one
    # synchronous update falls sharply between α = 0.05 and α = 0.25 (n = 400)
    n = 400

    def stable_fraction(p):
        patterns = np.where(rng.random((p, n)) < 0.5, -1.0, 1.0)
        w = learning.hebbian(patterns)
        state = patterns[0].copy()
        for _ in range(20):
            state = np.where(w @ state >= 0, 1.0, -1.0)
        return np.mean(state == patterns[0])

    assert stable_fraction(20) > 0.99  # α = 0.05
    assert stable_fraction(100) < 0.9  # α = 0.25


def test_asymmetric_weights_are_refused():
    with pytest.raises(ValidationError, match=r"`weights`: must be symmetric"):
        HopfieldModel(np.array([[0.0, 1.0], [0.0, 0.0]]))
