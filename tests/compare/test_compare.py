import json
import subprocess
import sys

import numpy as np
import pytest

from codesign.compare import compare_backends, settling_time, write_report
from codesign.spec import spec_from_mapping
from tests.cases import spec_mapping
from tests.test_cli import write_spec


def noisy(kind, **noise):
    raw = spec_mapping(kind)
    raw["noise"] = noise
    return spec_from_mapping(raw)


def test_settling_time_of_an_exponential():
    # e^{−t} on [0, 10] stays within 2 % of its range of the final value after
    # e^{−t} = 0.02 (1 − e^{−10}) + e^{−10}, i.e. t ≈ ln 50
    t = np.linspace(0, 10, 10001)
    x = np.exp(-t)[:, None]
    exact = -np.log(0.02 * (1 - np.exp(-10)) + np.exp(-10))
    assert settling_time(t, x) == pytest.approx(exact, abs=1.5e-3)


@pytest.mark.parametrize("kind", ["hopfield", "lca", "kuramoto", "dense"])
def test_ideal_hardware_passes_and_heavy_mismatch_fails(kind):
    assert compare_backends(noisy(kind), ["reference"]).passed
    broken = compare_backends(noisy(kind, mismatch=1.5), ["reference"])
    assert not broken.passed
    assert broken.explain()  # says which metric failed, with the numbers


def test_a_backend_that_runs_away_fails_and_the_others_are_still_judged():
    from tests.test_backends import unstable_lca

    comparison = compare_backends(unstable_lca(), ["spice", "lava"])
    assert not comparison.passed
    (circuit,) = comparison.results  # the circuit ran, and ran away
    assert circuit.verdicts["bounded"] is False
    assert "lava" in comparison.errors  # its dry run diverged: no program was run
    explained = comparison.explain()
    assert "spice: the state passed 1e+12" in explained
    assert "lava: the lca network diverges" in explained
    assert "| lava | — |" in comparison.table()


def test_asymmetric_mismatch_is_seen_by_the_energy_audit():
    # independent deviations of W_ij and W_ji break the Lyapunov function
    comparison = compare_backends(noisy("oim", mismatch=0.3), ["reference"])
    result = comparison.results[0]
    assert not result.descent.passed
    assert "energy rises" in result.descent.describe()


def test_sampler_is_judged_by_distribution_distance():
    clean = compare_backends(noisy("boltzmann"), ["reference"]).results[0]
    assert clean.metrics["distribution_distance"] < 0.1 and clean.passed
    broken = compare_backends(noisy("boltzmann", mismatch=2.0), ["reference"])
    assert broken.results[0].metrics["distribution_distance"] > 0.15


def test_lca_shift_under_mismatch_is_within_the_contraction_bound():
    # MODELS.md §4 C2: ‖y − x*‖ ≤ ‖f(y)‖/c; measured shift against the bound
    rng = np.random.default_rng(8)
    phi = rng.normal(0, 1, (40, 8))
    phi /= np.linalg.norm(phi, axis=0)  # undercomplete: 0 < λ(ΦᵀΦ) < 2
    raw = {
        "model": {
            "kind": "lca",
            "dictionary": phi.tolist(),
            "signal": rng.normal(0, 1, 40).tolist(),
            "lam": 0.2,
        },
        "run": {"t_end": 60.0, "points": 61},
    }
    for level in (0.02, 0.1):
        raw["noise"] = {"mismatch": level}
        result = compare_backends(spec_from_mapping(raw), ["reference"]).results[0]
        assert result.metrics["contraction_rate"] > 0
        assert 0 < result.metrics["equilibrium_shift"] <= result.metrics["shift_bound"]


def test_report_has_a_table_and_a_figure(tmp_path):
    comparison = compare_backends(noisy("hopfield", mismatch=0.1), ["reference"])
    path = write_report(comparison, tmp_path)
    text = path.read_text()
    assert "| reference |" in text and "comparison.png" in text
    assert (tmp_path / "comparison.png").stat().st_size > 10_000


def run_compare(spec, *args):
    return subprocess.run(
        [sys.executable, "-m", "codesign.cli", "compare", str(spec), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_json_follows_the_contract_and_exit_1_on_failure(tmp_path):
    spec = write_spec(tmp_path, "hopfield")
    result = run_compare(spec, "--backends", "reference", "--json")
    assert result.returncode == 0
    document = json.loads(result.stdout)
    assert document["pass"] is True
    entry = document["backends"]["reference"]
    assert {"pass", "nrmse", "readout_match"} <= set(entry)

    spec.write_text(spec.read_text() + "[noise]\nmismatch = 1.5\n")
    failed = run_compare(spec, "--backends", "reference", "--json")
    assert failed.returncode == 1
    assert json.loads(failed.stdout)["pass"] is False


@pytest.mark.parametrize("kind", ["boltzmann", "oim"])
def test_cli_json_has_the_contract_keys_for_every_kind(tmp_path, kind):
    result = run_compare(
        write_spec(tmp_path, kind), "--backends", "reference", "--json"
    )
    entry = json.loads(result.stdout)["backends"]["reference"]
    assert isinstance(entry["pass"], bool) and isinstance(entry["readout_match"], bool)
    assert isinstance(entry["nrmse"], float) and np.isfinite(entry["nrmse"])


def test_tolerances_can_be_overridden(tmp_path):
    spec = write_spec(tmp_path, "hopfield")
    spec.write_text(spec.read_text() + "[noise]\nmismatch = 0.05\n")
    strict = run_compare(
        spec,
        "--backends",
        "reference",
        "--tolerance",
        "nrmse=1e-9",
        "--tolerance",
        "final_error=1e-9",
    )
    assert strict.returncode == 1 and "nrmse" in strict.stderr
    spec.write_text(spec.read_text() + "[compare]\nnrmse = 1e-9\n")
    assert run_compare(spec, "--backends", "reference").returncode == 1
    bad = run_compare(spec, "--backends", "reference", "--tolerance", "nrmse=-1")
    assert bad.returncode == 2 and "must be >= 0" in bad.stderr


@pytest.mark.parametrize("backend", ["spice", "lava"])
def test_hardware_backends_pass_ideal_and_fail_at_150_percent_mismatch(
    tmp_path, backend
):
    spec = write_spec(tmp_path, "hopfield")
    ideal = run_compare(spec, "--backends", backend, "--json")
    assert ideal.returncode == 0, ideal.stderr
    assert json.loads(ideal.stdout)["backends"][backend]["pass"] is True
    spec.write_text(spec.read_text() + "[noise]\nmismatch = 1.5\n")
    broken = run_compare(spec, "--backends", backend, "--json")
    assert broken.returncode == 1, broken.stderr
    assert json.loads(broken.stdout)["backends"][backend]["pass"] is False


def test_units_left_at_zero_have_no_sign_to_agree_on():
    from codesign.compare import readout_match
    from codesign.trace import Trace

    model = spec_from_mapping(spec_mapping("hopfield")).model
    n = model.n
    start = np.full(n, 0.5)
    final = np.full(n, 1e-12)  # every unit decays to round-off ...
    final[0] = 0.9  # ... but unit 0, which keeps a sign
    x, t, energy = np.stack([start, final]), np.arange(2.0), np.zeros(2)
    signs = np.where(final >= 0, 1, -1)
    reference = Trace(t, x, energy, signs, "reference")
    flipped = signs.copy()
    flipped[1:] *= -1
    assert readout_match(model, reference, Trace(t, -x, energy, flipped, "spice"))
    flipped[0] *= -1
    assert not readout_match(model, reference, Trace(t, -x, energy, flipped, "spice"))


def test_a_larger_cut_than_the_reference_counts_as_success():
    from codesign.compare import readout_match
    from codesign.trace import Trace

    model = spec_from_mapping(spec_mapping("oim")).model
    best = model.graph.brute_force()[1]
    spins = np.ones(model.n)
    t, x, energy = np.zeros(1), np.zeros((1, model.n)), np.zeros(1)
    worse = Trace(t, x, energy, spins, "reference")
    better = Trace(t, x, energy, best, "spice")
    assert readout_match(model, worse, better)
    assert not readout_match(model, better, worse)
