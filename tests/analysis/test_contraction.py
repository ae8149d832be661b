import numpy as np
import pytest

from codesign.analysis import (
    contraction_margin,
    log_norm,
    measured_log_norm,
    weighted_log_norm,
)
from codesign.backends.reference import simulate_ensemble
from codesign.models import HopfieldModel, LCAModel, OIMModel


def test_log_norm_formulas_and_properties(rng):
    a = rng.normal(0, 1, (5, 5))
    b = rng.normal(0, 1, (5, 5))
    h = 1e-7
    for norm, order in (("1", 1), ("2", 2), ("inf", np.inf)):
        # the definition: lim (‖I + hA‖ − 1)/h
        definition = (np.linalg.norm(np.eye(5) + h * a, order) - 1) / h
        assert log_norm(a, norm) == pytest.approx(definition, abs=1e-5)
        assert log_norm(a + b, norm) <= log_norm(a, norm) + log_norm(b, norm) + 1e-12
        assert max(np.linalg.eigvals(a).real) <= log_norm(a, norm) + 1e-12
    weights = rng.uniform(0.5, 2, 5)
    assert weighted_log_norm(a, np.ones(5)) == pytest.approx(log_norm(a))
    assert weighted_log_norm(a, weights, "1") == pytest.approx(
        log_norm(np.diag(weights) @ a @ np.diag(1 / weights), "1")
    )


def small_weights(rng, n, size):
    w = rng.normal(0, 1, (n, n))
    w = (w + w.T) / 2
    np.fill_diagonal(w, 0)
    return size * w / np.linalg.norm(w, 2)


@pytest.mark.parametrize("norm", ["1", "2"])
def test_hopfield_trajectories_contract_at_the_predicted_rate(rng, norm):
    # C2 (i) / C4: ‖x(t) − y(t)‖ ≤ e^{−ct} ‖x(0) − y(0)‖
    model = HopfieldModel(
        small_weights(rng, 8, 0.3), gain=1.5, bias=rng.normal(0, 0.5, 8)
    )
    margin = contraction_margin(model, norm)
    assert margin.contracting
    ts = np.linspace(0, 5, 51)
    xs = simulate_ensemble(model, rng.normal(0, 2, (2, 8)), ts, {"dt": 0.005})
    order = {"1": 1, "2": 2}[norm]
    distance = np.linalg.norm(xs[:, 0] - xs[:, 1], ord=order, axis=1)
    assert np.all(distance <= margin.distance_bound(distance[0], ts) * (1 + 1e-6))
    # and the bound is not vacuous: the Jacobian's log norm stays below −c
    assert measured_log_norm(model, xs[:, 0], norm) <= -margin.rate + 1e-9


def test_lca_rate_is_the_proximal_gradient_rate(rng):
    # C6 with γ = 1: c = 1 − max(|1 − λ_min|, |1 − λ_max|) of ΦᵀΦ
    phi = rng.normal(0, 1, (12, 6))
    phi /= np.linalg.norm(phi, axis=0)
    model = LCAModel(phi, rng.normal(0, 1, 12), lam=0.2)
    eig = np.linalg.eigvalsh(phi.T @ phi)
    expected = 1 - max(abs(1 - eig[0]), abs(1 - eig[-1]))
    margin = contraction_margin(model, "2")
    assert margin.rate == pytest.approx(expected)
    assert margin.contracting
    ts = np.linspace(0, 8, 81)
    xs = simulate_ensemble(model, rng.normal(0, 2, (2, 6)), ts, {"dt": 0.005})
    distance = np.linalg.norm(xs[:, 0] - xs[:, 1], axis=1)
    assert np.all(distance <= margin.distance_bound(distance[0], ts) * (1 + 1e-6))


def test_equilibrium_shift_is_within_the_bound(rng):
    # C2 (iv): changing the drive Φᵀy moves the equilibrium by at most Δ/c
    phi = rng.normal(0, 1, (12, 6))
    phi /= np.linalg.norm(phi, axis=0)
    y = rng.normal(0, 1, 12)
    dy = 0.05 * rng.normal(0, 1, 12)
    ts = np.linspace(0, 60, 3)

    def settle(model):
        return simulate_ensemble(model, np.zeros((1, 6)), ts, {"dt": 0.01})[-1, 0]

    base, moved = LCAModel(phi, y, lam=0.2), LCAModel(phi, y + dy, lam=0.2)
    shift = np.linalg.norm(settle(base) - settle(moved))
    bound = contraction_margin(base).equilibrium_shift_bound(np.linalg.norm(phi.T @ dy))
    assert 0 < shift <= bound


def test_memory_networks_are_not_contracting(rng):
    # C5: a Hopfield memory has many stable equilibria, so no contraction margin
    patterns = np.where(rng.random((3, 20)) < 0.5, -1.0, 1.0)
    model = HopfieldModel(patterns.T @ patterns / 20 - 3 / 20 * np.eye(20), gain=4.0)
    assert not contraction_margin(model, "1").contracting
    assert not contraction_margin(model, "2").contracting


def test_unsupported_models_are_refused(rng):
    from codesign import ValidationError

    with pytest.raises(ValidationError, match="contraction margins cover"):
        contraction_margin(OIMModel(np.zeros((2, 2))))
