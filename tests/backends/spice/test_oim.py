"""The oscillator Ising machine circuit: Max-Cut against brute force."""

import numpy as np
import pytest

from codesign._rng import derive_rng
from codesign.backends import spice
from codesign.backends.reference import run_model
from codesign.backends.spice.oim import reference_kicks, restart_phases
from codesign.compare import nrmse
from codesign.models.maxcut import petersen_graph, random_graph
from codesign.spec import spec_from_mapping

from .conftest import printed_columns


def _maxcut_spec(graph, seed, **run):
    return spec_from_mapping(
        {
            "seed": seed,
            "model": {
                "kind": "oim",
                "couplings": (-graph.adjacency.toarray()).tolist(),
            },
            "run": {"t_end": 10.0, "points": 51, "restarts": 2, **run},
        }
    )


def test_ten_node_graphs_are_cut_near_the_optimum():
    ratios = []
    for k in range(8):
        graph = random_graph(
            10, 0.5, derive_rng(200 + k, "tests", "graph"), weights=(1.0, 2.0)
        )
        best, _ = graph.brute_force()
        trace = spice.simulate(_maxcut_spec(graph, k))
        assert trace.extras["cut"] == graph.cut_value(trace.readout)
        ratios.append(float(trace.extras["cut"]) / best)
    assert np.mean(ratios) >= 0.93


def test_annealed_run_follows_the_reference_with_common_noise(make_spec):
    spec = make_spec("oim", run={"t_end": 10.0, "restarts": 2})
    trace = spice.simulate(spec)
    reference = run_model(
        spec.model, spec.x0, spec.run, spec.table("reference"), spec.seed
    )
    assert nrmse(reference, trace, "oim") < 0.05
    assert trace.extras["cut"] == reference.extras["cut"]
    assert trace.x.shape == reference.x.shape


def test_restarts_start_where_the_reference_starts(make_spec):
    spec = make_spec("oim", run={"restarts": 3})
    starts = restart_phases(spec.model, spec)
    rng = derive_rng(spec.seed, "reference", "restarts")
    assert np.array_equal(starts[0], spec.x0)
    assert np.array_equal(starts[1], spec.model.initial_state(rng))


def test_phase_kicks_have_the_annealed_variance(make_spec):
    spec = make_spec("oim", run={"t_end": 40.0, "restarts": 64})
    kicks = reference_kicks(spec.model, spec)
    model = spec.model
    # ∫σ(t)² dt with σ ramping linearly from σ₀ to 0 over the anneal time
    expected = model.noise**2 * model.anneal_time / 3
    total = np.var(kicks.sum(axis=1))
    assert total == pytest.approx(expected, rel=0.1)


def test_netlist_runs_in_plain_ngspice(run_ngspice, make_spec):
    spec = make_spec("oim", run={"t_end": 4.0, "restarts": 1})
    stdout = run_ngspice(spice.compile(spec).text)
    columns = printed_columns(stdout)
    assert {"v(oref)", "v(o0_0)", "v(o0_9)"} <= set(columns)
    amplitude = np.max(np.abs(columns["v(o0_3)"][len(columns["v(o0_3)"]) // 2 :]))
    assert 0.5 < amplitude < 3.0


def test_phases_follow_the_reference_on_a_star_graph():
    # a hub of degree 9 among leaves of degree 1: its coupling rate is 5× the mean,
    # so at 20 cycles per unit the couplings would load its tank to Q ≈ 1
    n = 10
    couplings = np.zeros((n, n))
    couplings[0, 1:] = couplings[1:, 0] = -1.0
    spec = spec_from_mapping(
        {
            "seed": 2,
            "model": {"kind": "oim", "couplings": couplings.tolist(), "noise": 0.0},
            "run": {"t_end": 4.0, "points": 41, "restarts": 1},
        }
    )
    trace = spice.simulate(spec)
    reference = run_model(
        spec.model, spec.x0, spec.run, spec.table("reference"), spec.seed
    )
    assert nrmse(reference, trace, "oim") < 0.01


@pytest.mark.parametrize("tank_q", [1.0, 2.0])
def test_phases_follow_the_reference_with_low_q_tanks(tank_q):
    # a tank of Q 1-2 answers its negative conductance within a cycle: a full
    # amplitude-loop gain would ring and distort it
    spec = spec_from_mapping(
        {
            "seed": 2,
            "model": {
                "kind": "oim",
                "couplings": (-petersen_graph().adjacency.toarray()).tolist(),
                "noise": 0.0,
            },
            "run": {"t_end": 6.0, "points": 61, "restarts": 1},
            "spice": {"tank_q": tank_q},
        }
    )
    trace = spice.simulate(spec)
    reference = run_model(
        spec.model, spec.x0, spec.run, spec.table("reference"), spec.seed
    )
    assert nrmse(reference, trace, "oim") < 0.01
