import numpy as np
import pytest

from codesign.analysis import classify
from codesign.backends.reference import run_model
from codesign.models import OIMModel
from codesign.models.maxcut import (
    complete_graph,
    cycle_graph,
    grid_graph,
    petersen_graph,
    random_graph,
)
from codesign.spec import RunConfig

RUN = RunConfig(t_end=20.0, points=101, samples=1, burn_in=0, chains=1, restarts=16)


def oim_for(graph, **kwargs):
    return OIMModel(-graph.adjacency, graph=graph, **kwargs)


def test_flow_is_minus_half_the_energy_gradient(rng):
    # R11: φ̇ = −½∇E exactly (noise-free, after annealing)
    graph = random_graph(7, 0.6, rng, weights=(1.0, -1.0, 2.0))
    model = oim_for(graph, shil=0.7)
    phi = rng.uniform(0, 2 * np.pi, 7)
    eps = 1e-6
    gradient = np.array(
        [
            (model.energy(phi + eps * e) - model.energy(phi - eps * e)) / (2 * eps)
            for e in np.eye(7)
        ]
    )
    assert np.allclose(model.vector_field(100.0, phi), -0.5 * gradient, atol=1e-7)


def test_energy_at_binary_phases_is_twice_k_times_ising_energy(rng):
    # R11: E = 2K·H(s) − n·K_s at φ ∈ {0, π}ⁿ
    graph = random_graph(8, 0.5, rng)
    model = oim_for(graph, shil=0.4)
    for _ in range(5):
        spins = rng.choice([-1, 1], 8)
        phi = np.where(spins > 0, 0.0, np.pi)
        expected = 2 * model.k * model.ising_energy(spins) - 8 * model.shil
        assert model.energy(phi) == pytest.approx(expected)
        assert np.allclose(model.vector_field(100.0, phi), 0.0, atol=1e-12)


def test_binary_threshold_matches_the_jacobian(rng):
    # C7: a binary state is stable iff K_s > K_s*; check on both sides of K_s*
    graph = random_graph(6, 0.6, rng)
    spins = rng.choice([-1, 1], 6)
    phi = np.where(spins > 0, 0.0, np.pi)
    threshold = oim_for(graph).binary_threshold(spins)
    assert threshold > 0  # a random spin vector is not a local minimum of H here
    for factor, stable in ((0.9, False), (1.1, True)):
        model = oim_for(graph, shil=factor * threshold, anneal=0.0)
        assert classify(model, phi).stable is stable


@pytest.mark.parametrize(
    ("graph", "best"),
    [
        (complete_graph(4), 4),
        (complete_graph(5), 6),
        (cycle_graph(5), 4),
        (petersen_graph(), 12),
        (grid_graph(2, 3), 7),
    ],
)
def test_solves_known_maxcut_instances(graph, best):
    # R11: exact Max-Cut values, also confirmed by brute force
    assert graph.brute_force()[0] == best
    model = oim_for(graph).bind_run(RUN.t_end)
    start = np.random.default_rng(0).uniform(0, 2 * np.pi, graph.n)
    trace = run_model(model, start, RUN, seed=1)
    assert trace.extras["cut"] == best
    assert graph.cut_value(trace.readout) == best


def test_random_10_node_graphs_reach_the_optimum():
    ratios = []
    for seed in range(8):
        graph = random_graph(
            10, 0.5, np.random.default_rng(seed), weights=(1.0, 2.0, 3.0)
        )
        model = oim_for(graph).bind_run(RUN.t_end)
        trace = run_model(
            model, model.initial_state(np.random.default_rng(seed)), RUN, seed=seed
        )
        ratios.append(trace.extras["cut"] / graph.brute_force()[0])
    assert np.mean(ratios) >= 0.99


def test_energy_never_rises_after_annealing(rng):
    graph = petersen_graph()
    model = oim_for(graph).bind_run(RUN.t_end)
    trace = run_model(model, model.initial_state(rng), RUN)
    settled = trace.t >= trace.extras["settle_time"]
    assert np.diff(trace.energy[settled]).max() <= 1e-9


def test_noise_free_unannealed_run_descends_throughout(rng):
    graph = random_graph(9, 0.5, rng)
    model = oim_for(graph, anneal=0.0, noise=0.0).bind_run(RUN.t_end)
    trace = run_model(model, model.initial_state(rng), RUN)
    assert np.diff(trace.energy).max() <= 1e-9


def test_jacobian_matches_finite_differences(rng):
    graph = random_graph(5, 0.7, rng)
    model = oim_for(graph, shil=0.5, anneal=0.0)
    phi = rng.uniform(0, 2 * np.pi, 5)
    numeric = super(OIMModel, model).jacobian(phi)
    assert np.allclose(model.jacobian(phi), numeric, atol=1e-6)
