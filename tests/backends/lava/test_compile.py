"""Lowering to Lava: time grid, automatic scaling, the error budget, refusals."""

import numpy as np
import pytest

from codesign import ValidationError
from codesign.backends import lava
from codesign.backends.lava._program import time_grid
from codesign.backends.lava.scaling import quantise_weights
from codesign.spec import spec_from_mapping

from .conftest import CASES, case_spec


def test_time_grid_puts_every_sample_on_a_step():
    spec = case_spec("hopfield")
    # samples every 0.1; a 0.03 bound needs 4 steps per sample, of 0.025
    dt, stride = time_grid(spec, 0.03)
    assert stride == 4 and dt == pytest.approx(0.025)
    compiled = lava.compile(case_spec("hopfield", dt=0.03))
    assert compiled.ticks == 1 + 4 * 100


@pytest.mark.parametrize("bits", [4, 8, 11, 14])
def test_weights_keep_half_a_mantissa_step(bits):
    real = np.random.default_rng(0).normal(size=(6, 6))
    parts, exponents, kept = quantise_weights(real, bits)
    step = np.max(np.abs(real)) / (2 ** (bits - 1) - 1)
    assert np.max(np.abs(real - kept)) <= step
    # what Lava's Dense computes from the stored parts equals the kept values
    stored = sum(part * 2.0**e for part, e in zip(parts, exponents, strict=True))
    assert np.allclose(stored, kept)
    assert all(np.max(np.abs(p)) <= 254 for p in parts)
    assert len(parts) == (1 if bits <= 8 else 2)


def test_fixed_point_budget_is_reported_and_shrinks_with_bits():
    coarse = lava.compile(case_spec("hopfield", precision="fixed", weight_bits=4))
    fine = lava.compile(case_spec("hopfield", precision="fixed", weight_bits=12))
    for key in ("weights", "states", "activations", "time_step"):
        assert key in coarse.budget
    assert fine.budget["weights"] < coarse.budget["weights"] / 50
    trace = lava.simulate(case_spec("hopfield", precision="fixed", engine="emulator"))
    assert float(trace.extras["quantisation_weights"]) > 0


def test_state_bits_override_sets_the_scale():
    narrow = lava.compile(case_spec("hopfield", precision="fixed", state_bits=16))
    wide = lava.compile(case_spec("hopfield", precision="fixed", state_bits=24))
    assert narrow.scale == wide.scale * 2**8


def test_accumulator_overflow_is_refused():
    with pytest.raises(
        ValidationError,
        match=r"`lava.activation_bits`: must keep "
        r"\|W\|·\|s\|·fan-in below 2\^31 \(got 24\); lower",
    ):
        lava.compile(case_spec("hopfield", precision="fixed", activation_bits=24))


def test_bad_lava_table_is_refused():
    raw = CASES["hopfield"]()
    raw["lava"] = {"precision": "double"}
    with pytest.raises(
        ValidationError,
        match=r"`lava.precision`: must be one of "
        r"float, fixed \(got 'double'\)",
    ):
        spec_from_mapping(raw)


def test_every_kind_runs_on_lava_here():
    from codesign.backends import KINDS, unsupported

    assert {kind: unsupported(kind, "lava") for kind in KINDS} == dict.fromkeys(KINDS)


def test_float_program_carries_no_quantisation():
    compiled = lava.compile(case_spec("oim"))
    assert set(compiled.budget) == {"dt"}
    assert compiled.arrays["weights_0"].dtype == np.float64


@pytest.mark.parametrize(
    ("case", "options", "sparse"),
    [
        ("hopfield", {}, False),
        ("oim", {}, True),  # 16 restarts side by side: block-diagonal
        ("boltzmann", {}, True),  # 32 chains
        ("oim", {"synapses": "dense"}, False),
        ("hopfield", {"synapses": "sparse"}, True),
    ],
)
def test_sparse_synapses_for_block_diagonal_weights(case, options, sparse):
    compiled = lava.compile(case_spec(case, precision="fixed", **options))
    assert all(s["sparse"] is sparse for s in compiled.program["dense"])


def test_sparse_and_dense_give_the_same_bits(lava_runs):
    # the same oim program on Lava's Dense equals its run on Lava's Sparse
    _, sparse_raw, _ = lava_runs.run("oim", "fixed")
    dense = lava.compile(case_spec("oim", precision="fixed", synapses="dense"))
    dense_raw = lava.run_worker(dense, timeout=300)
    assert np.array_equal(dense_raw["history"], sparse_raw["history"])
    assert np.array_equal(dense_raw["counts"], sparse_raw["counts"])


def test_too_many_units_side_by_side_are_refused():
    raw = CASES["oim"]()
    raw["run"]["restarts"] = 200  # 2 · 200 · 12 = 4800 units
    with pytest.raises(
        ValidationError,
        match=r"`run.restarts`: puts 4800 units side "
        r"by side on Lava, above 4096 .* \(got 200\); use fewer",
    ):
        lava.compile(spec_from_mapping(raw))


def test_equilibrium_stays_exact_when_the_decay_rounds():
    # dt = 1/162 gives 2^12·dt = 25.28, kept as dv = 25 (1.1 % off): the loop and
    # the bias must take the same kept decay, so x* = W tanh(x*) + b still holds
    # and only the time constant moves
    weights, bias = np.array([[0.0, 0.5], [0.5, 0.0]]), np.array([0.5, -0.2])
    spec = spec_from_mapping(
        {
            "model": {
                "kind": "hopfield",
                "weights": weights.tolist(),
                "bias": bias.tolist(),
            },
            "init": {"x0": [0.0, 0.0]},
            "run": {"t_end": 30.0, "points": 31},
            "lava": {
                "precision": "fixed",
                "engine": "emulator",
                "dt": 0.0062,
                "weight_bits": 14,
            },
        }
    )
    trace = lava.simulate(spec)
    assert float(trace.extras["quantisation_time_step"]) > 0.01
    x = np.zeros(2)
    for _ in range(200):  # a contraction: |W|·gain = 0.5
        x = weights @ np.tanh(x) + bias
    assert np.max(np.abs(trace.x[-1] - x)) < 2e-4


@pytest.mark.parametrize(
    ("field", "highest"), [("weight_bits", 14), ("activation_bits", 24)]
)
def test_one_bit_widths_are_refused(field, highest):
    with pytest.raises(
        ValidationError,
        match=rf"`lava.{field}`: must be 0 \(automatic\) or 2 to {highest}: a "
        r"signed value needs 2 bits \(got 1\)",
    ):
        lava.compile(case_spec("hopfield", precision="fixed", **{field: 1}))


def test_automatic_widths_are_reported():
    compiled = lava.compile(case_spec("hopfield", precision="fixed"))
    # 24 units: 16-bit spikes fit the accumulator; 8-bit weights keep the readout
    assert compiled.budget["activation_bits"] == 16
    assert compiled.budget["weight_bits"] == 8
    assert len(compiled.program["dense"]) == 1


@pytest.mark.parametrize(
    "case", ["hopfield", "dense", "dense-polynomial", "lca", "kuramoto"]
)
def test_growth_jacobian_matches_the_vector_field(case):
    # J = diag(1/τ)(−I + A g′(x)), or the phase coupling's, against central
    # differences of the model's own flow
    from codesign.backends.lava._program import LOWERINGS
    from codesign.backends.lava.growth import jacobian, phase_jacobian

    spec = case_spec(case)
    lowered = LOWERINGS[spec.kind](spec, 0.01)
    jacobian = jacobian if lowered.family == "rate" else phase_jacobian
    rng = np.random.default_rng(0)
    x = spec.x0 + rng.normal(0, 0.3, spec.x0.shape)
    step, columns = 1e-6, []
    for k in range(len(x)):
        e = np.zeros(len(x))
        e[k] = step
        flow = spec.model.vector_field
        columns.append((flow(0.0, x + e) - flow(0.0, x - e)) / (2 * step))
    assert np.allclose(jacobian(lowered, x[None])[0], np.stack(columns, 1), atol=1e-6)
