import numpy as np
import pytest

from codesign.analysis import classify, ring_coupling, twisted_state
from codesign.backends.reference import run_model, simulate_ensemble
from codesign.models import KuramotoModel
from codesign.models.kuramoto import lorentzian_frequencies
from codesign.spec import RunConfig


@pytest.mark.parametrize("ratio", [3.0, 5.0])
def test_lorentzian_order_parameter_follows_sqrt_law(ratio):
    # R9: r = √(1 − 2γ/K) above K_c = 2γ (mean-field form, n = 4000)
    gamma = 0.5
    model = KuramotoModel(lorentzian_frequencies(4000, gamma), ratio * gamma)
    run = RunConfig(t_end=60.0, points=61, samples=1, burn_in=0, chains=1, restarts=1)
    start = np.random.default_rng(0).uniform(0, 2 * np.pi, 4000)
    r = run_model(
        model, start, run, {"method": "RK45", "rtol": 1e-6, "atol": 1e-8}
    ).extras["order_parameter"]
    expected = np.sqrt(1 - 2 * gamma / (ratio * gamma))
    assert np.mean(r[-20:]) == pytest.approx(expected, abs=0.02)


def test_below_critical_coupling_stays_incoherent():
    gamma = 0.5
    model = KuramotoModel(lorentzian_frequencies(4000, gamma), 0.5 * 2 * gamma)
    run = RunConfig(t_end=60.0, points=61, samples=1, burn_in=0, chains=1, restarts=1)
    start = np.random.default_rng(1).uniform(0, 2 * np.pi, 4000)
    r = run_model(
        model, start, run, {"method": "RK45", "rtol": 1e-6, "atol": 1e-8}
    ).extras["order_parameter"]
    assert np.mean(r[-20:]) < 0.1


def test_mean_field_form_equals_the_matrix_form(rng):
    omega = rng.normal(0, 1, 9)
    mean_field = KuramotoModel(omega, 2.5)
    matrix = KuramotoModel(omega, np.full((9, 9), 2.5 / 9))
    theta = rng.uniform(0, 2 * np.pi, (4, 9))
    assert np.allclose(mean_field.vector_field(0, theta), matrix.vector_field(0, theta))
    assert np.allclose(mean_field.energy(theta), matrix.energy(theta))


def test_flow_is_the_negative_gradient_of_the_energy(rng):
    k = rng.normal(0, 1, (6, 6))
    model = KuramotoModel(rng.normal(0, 1, 6), (k + k.T) / 2)
    theta = rng.uniform(0, 2 * np.pi, 6)
    eps = 1e-6
    gradient = np.array(
        [
            (model.energy(theta + eps * e) - model.energy(theta - eps * e)) / (2 * eps)
            for e in np.eye(6)
        ]
    )
    assert np.allclose(model.vector_field(0, theta), -gradient, atol=1e-7)


@pytest.mark.parametrize(("n", "expected"), [(8, 3), (10, 5), (12, 5)])
def test_ring_has_2_ceil_n_over_4_minus_1_stable_twisted_states(n, expected):
    # R9 / C8: q-twisted states are stable iff cos(2πq/n) > 0
    model = KuramotoModel(np.zeros(n), ring_coupling(n))
    stable = [
        q
        for q in range(-n // 2 + 1, n // 2 + 1)
        if classify(model, twisted_state(n, q)).stable
    ]
    assert len(stable) == expected == 2 * int(np.ceil(n / 4)) - 1
    assert all(np.cos(2 * np.pi * q / n) > 0 for q in stable)


def test_twisted_states_are_reached_and_kept(rng):
    # a stable twisted state perturbed slightly relaxes back (identical oscillators)
    n = 10
    model = KuramotoModel(np.zeros(n), ring_coupling(n))
    start = twisted_state(n, 2) + 0.05 * rng.normal(size=(3, n))
    ts = np.linspace(0, 40, 41)
    final = simulate_ensemble(model, start, ts)[-1]
    gaps = np.angle(np.exp(1j * (np.roll(final, -1, axis=1) - final)))
    assert np.allclose(gaps, 2 * np.pi * 2 / n, atol=1e-3)


def test_jacobian_matches_finite_differences(rng):
    k = rng.normal(0, 1, (5, 5))
    model = KuramotoModel(rng.normal(0, 1, 5), (k + k.T) / 2)
    theta = rng.uniform(0, 2 * np.pi, 5)
    numeric = super(KuramotoModel, model).jacobian(theta)
    assert np.allclose(model.jacobian(theta), numeric, atol=1e-6)
