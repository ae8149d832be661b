import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codesign.backends.reference import run_model
from codesign.models import DenseModel, HopfieldModel
from codesign.spec import RunConfig

RUN = RunConfig(t_end=20.0, points=201, samples=1, burn_in=0, chains=1, restarts=1)


def random_patterns(rng, p, n):
    return np.where(rng.random((p, n)) < 0.5, -1.0, 1.0)


def corrupted(rng, pattern, flips):
    probe = pattern.copy()
    probe[rng.choice(pattern.size, flips, replace=False)] *= -1
    return probe


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    separation=st.sampled_from(["softmax", "polynomial"]),
    tau_h=st.floats(0.05, 3.0),
    beta=st.floats(0.2, 4.0),
)
def test_energy_never_rises(seed, separation, tau_h, beta):
    rng = np.random.default_rng(seed)
    model = DenseModel(
        random_patterns(rng, 5, 8),
        separation=separation,
        beta=beta,
        degree=3,
        tau_h=tau_h,
    )
    x0 = np.concatenate([rng.normal(0, 0.5, 8), rng.normal(0, 0.1, 5)])
    run = RunConfig(t_end=5.0, points=101, samples=1, burn_in=0, chains=1, restarts=1)
    trace = run_model(model, x0, run)
    assert np.diff(trace.energy).max() <= 1e-8 * max(1.0, np.ptp(trace.energy))


def test_energy_gradient_matches_the_dynamics(rng):
    # ∂E/∂x = −g′(x) ẋ τ_f-scaled and ∂E/∂h = −∇²L_h ḣ τ_h: check dE/dt ≤ 0 exactly
    model = DenseModel(random_patterns(rng, 4, 6), separation="softmax", beta=2.0)
    z = rng.normal(0, 0.5, 10)
    velocity = model.vector_field(0, z)
    h = 1e-6
    rate = (model.energy(z + h * velocity) - model.energy(z - h * velocity)) / (2 * h)
    x, hidden = model.split(z)
    dx, dh = model.split(velocity)
    slope = model.gain / np.cosh(model.gain * x) ** 2
    f = model.separation_function(hidden)
    hessian = model.beta * (np.diag(f) - np.outer(f, f))
    expected = -np.sum(slope * dx**2) - model.tau_h / model.tau_f * dh @ hessian @ dh
    assert rate == pytest.approx(expected, rel=1e-5)


def test_retrieves_beyond_hopfield_capacity(rng):
    # p/n = 1.5: the dense memory retrieves, a Hopfield network of the same size fails
    n, p = 32, 48
    patterns = random_patterns(rng, p, n)
    dense = DenseModel(patterns, beta=1.0)
    hopfield = HopfieldModel.from_params(
        {
            "weights": None,
            "patterns": patterns,
            "rule": "hebbian",
            "bias": 0.0,
            "gain": 4.0,
            "tau": 1.0,
        },
        seed=0,
    )
    dense_ok = hopfield_ok = 0
    for k in range(10):
        probe = corrupted(rng, patterns[k], 3)
        dense_ok += np.array_equal(
            run_model(dense, dense.pattern_state(probe, 0.5), RUN).readout, patterns[k]
        )
        hopfield_ok += np.array_equal(
            run_model(hopfield, 0.5 * probe, RUN).readout, patterns[k]
        )
    assert dense_ok == 10
    assert hopfield_ok <= 2


def test_fast_memory_neurons_follow_the_effective_energy(rng):
    # R7: as τ_h/τ_f → 0, x follows ẋ = −x + ξᵀ softmax(β ξ g(x)), the gradient-like
    # flow of the effective dense energy; compare with the two-layer trajectory
    patterns = random_patterns(rng, 5, 10)
    model = DenseModel(patterns, beta=0.5, tau_h=1e-3)
    x0 = 0.3 * corrupted(rng, patterns[0], 3)
    run = RunConfig(t_end=3.0, points=61, samples=1, burn_in=0, chains=1, restarts=1)
    h0 = np.tanh(x0) @ patterns.T
    two_layer = run_model(
        model,
        np.concatenate([x0, h0]),
        run,
        {"method": "Radau", "rtol": 1e-9, "atol": 1e-11},
    )

    from scipy.integrate import solve_ivp
    from scipy.special import softmax

    def effective(t, x):
        return -x + softmax(0.5 * patterns @ np.tanh(x)) @ patterns

    one_layer = solve_ivp(
        effective, (0, 3), x0, t_eval=run.times, rtol=1e-10, atol=1e-12
    ).y.T
    assert np.max(np.abs(two_layer.x[:, :10] - one_layer)) < 5e-3


def test_lagrangians_are_convex(rng):
    # C9: the Hessian of L_h is positive semidefinite for both separations
    for separation in ("softmax", "polynomial"):
        model = DenseModel(random_patterns(rng, 4, 6), separation=separation)
        for _ in range(5):
            h = rng.normal(0, 2, 4)
            eps = 1e-5
            hessian = np.array(
                [
                    (
                        model.separation_function(h + eps * e)
                        - model.separation_function(h - eps * e)
                    )
                    / (2 * eps)
                    for e in np.eye(4)
                ]
            )
            assert np.linalg.eigvalsh((hessian + hessian.T) / 2).min() > -1e-6
