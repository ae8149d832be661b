import numpy as np
import pytest

from codesign import ValidationError
from codesign.backends.reference import gibbs_sample
from codesign.compare import kl_to_exact
from codesign.models import RBM, BoltzmannModel
from codesign.models.boltzmann import all_spin_states, bars_and_stripes


def random_machine(rng, n, scale=0.3):
    w = np.triu(rng.normal(0, scale, (n, n)), 1)
    return BoltzmannModel(w + w.T, bias=rng.normal(0, 0.3, n))


@pytest.mark.parametrize("temperature", [0.7, 1.0, 2.0])
def test_gibbs_sampling_converges_to_the_boltzmann_law(temperature):
    # R8: KL(empirical ‖ exp(−E/T)/Z) → 0, against exact enumeration of 2^8 states
    rng = np.random.default_rng(0)
    base = random_machine(rng, 8)
    model = BoltzmannModel(base.weights, bias=base.bias, temperature=temperature)
    states, probabilities = model.exact_distribution()
    samples = gibbs_sample(
        model,
        np.ones(8),
        samples=40000,
        burn_in=100,
        chains=64,
        rng=np.random.default_rng(1),
    )
    assert kl_to_exact(samples, states, probabilities) < 0.01
    # the mean of each spin as well, to a few standard errors
    exact_mean = probabilities @ states
    assert np.allclose(samples.mean(axis=0), exact_mean, atol=0.03)


def test_learning_gradient_equals_difference_of_correlations():
    # R8: ∂KL(P⁺‖P⁻)/∂w_ij = −(1/T)(⟨s_i s_j⟩⁺ − ⟨s_i s_j⟩⁻), all units visible
    rng = np.random.default_rng(2)
    n, temperature = 5, 1.5
    data = all_spin_states(n)
    target = rng.dirichlet(np.ones(len(data)))

    def kl(weights):
        model = BoltzmannModel(weights, temperature=temperature)
        _, p_model = model.exact_distribution()
        return float(np.sum(target * np.log(target / p_model)))

    w = np.triu(rng.normal(0, 0.5, (n, n)), 1)
    w = w + w.T
    _, p_model = BoltzmannModel(w, temperature=temperature).exact_distribution()
    clamped = np.einsum("s,si,sj->ij", target, data, data)
    free = np.einsum("s,si,sj->ij", p_model, data, data)
    i, j, eps = 1, 3, 1e-6
    bump = np.zeros((n, n))
    bump[i, j] = bump[j, i] = eps
    # a symmetric bump moves w_ij and w_ji together; E has ½ Σ_ij, so one w_ij
    numeric = (kl(w + bump) - kl(w - bump)) / (2 * eps)
    assert numeric == pytest.approx(
        -(clamped[i, j] - free[i, j]) / temperature, rel=1e-5
    )


def test_rbm_trained_by_cd1_learns_bars_and_stripes():
    data = bars_and_stripes(3)
    assert len(data) == 14
    rbm = RBM.fit(
        data,
        12,
        epochs=600,
        learning_rate=0.05,
        cd_steps=1,
        rng=np.random.default_rng(3),
    )
    states, probabilities = rbm.visible_distribution()
    on_data = np.isin(states @ (1 << np.arange(9)) * 0 + _codes(states), _codes(data))
    # untrained mass on the data is 14/512 ≈ 2.7 %; CD-1 lifts it far above
    assert probabilities[on_data].sum() > 0.5


def _codes(states):
    return ((np.asarray(states) > 0) @ (1 << np.arange(states.shape[1]))).astype(int)


def test_rbm_as_boltzmann_machine_has_the_same_visible_law():
    rng = np.random.default_rng(4)
    rbm = RBM(rng.normal(0, 0.7, (4, 3)), rng.normal(0, 0.3, 4), rng.normal(0, 0.3, 3))
    machine = rbm.to_boltzmann()
    states, joint = machine.exact_distribution()
    visible_codes = _codes(states[:, :4])
    marginal = np.bincount(visible_codes, weights=joint, minlength=16)
    rbm_states, rbm_p = rbm.visible_distribution()
    assert np.allclose(marginal[_codes(rbm_states)], rbm_p)


def test_nonzero_diagonal_is_refused():
    with pytest.raises(ValidationError, match="must have a zero diagonal"):
        BoltzmannModel(np.eye(3))
