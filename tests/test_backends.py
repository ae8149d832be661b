"""One suite, every backend: each kind runs on each backend that builds it and must
agree with the reference; every other pair must be refused with a clear message.

A backend whose environment is missing fails here loudly (CI builds every
environment). On a machine knowingly without one, set CODESIGN_MISSING_BACKENDS
(e.g. ``lava``) and the suite checks the refusal instead: nothing is skipped.
"""

import os

import pytest

from codesign import BackendUnavailable
from codesign.backends import BACKENDS, get_backend, simulate, support_matrix
from codesign.backends.reference import run_model
from codesign.compare import judge
from tests.cases import KINDS

# noisy (oim) and sampled (boltzmann) runs agree in law, not path by path
TRAJECTORY_KINDS = ("hopfield", "dense", "kuramoto", "lca")
MISSING = set(filter(None, os.environ.get("CODESIGN_MISSING_BACKENDS", "").split(",")))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", KINDS)
def test_backend_agrees_with_reference_or_refuses(make_spec, kind, backend):
    spec = make_spec(kind)
    module = get_backend(backend)
    if kind not in module.KINDS:
        with pytest.raises(BackendUnavailable, match=f"does not build kind '{kind}'"):
            simulate(spec, backend)
        return
    if backend in MISSING:
        with pytest.raises(BackendUnavailable, match=f"cannot run on {backend}"):
            simulate(spec, backend)
        return
    assert module.unavailable() is None, module.unavailable()

    reference = simulate(spec, "reference")
    if backend == "reference":
        # the reference itself, against an independent tight Radau solve
        if kind in ("boltzmann", "oim"):
            trace = simulate(spec.varied("seed", spec.seed + 1), "reference")
        else:
            trace = run_model(
                spec.model,
                spec.x0,
                spec.run,
                {"method": "Radau", "rtol": 1e-10, "atol": 1e-12},
            )
    else:
        trace = simulate(spec, backend)
    result = judge(spec, reference, backend, trace)
    assert result.readout_match, f"{backend} readout differs for {kind}"
    assert result.descent.passed, result.descent.describe()
    if kind in TRAJECTORY_KINDS:
        assert result.nrmse <= result.tolerances["nrmse"], result.nrmse


def test_matrix_has_every_pair():
    matrix = support_matrix()
    assert set(matrix) == set(KINDS)
    assert all(set(row) == set(BACKENDS) for row in matrix.values())


def unstable_lca():
    # shorting a fifth of the lateral synapses makes this LCA expansive: it grows
    # without bound on every backend (the model has no rails), slowest in the
    # circuit, whose shorted synapses also load their nodes
    from codesign.spec import spec_from_mapping
    from tests.cases import spec_mapping

    raw = spec_mapping("lca")
    raw["run"]["t_end"] = 80.0
    raw["noise"] = {"stuck_short": 0.2}
    raw["lava"] = {"engine": "emulator"}
    return spec_from_mapping(raw)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_run_that_runs_away_is_a_numerical_failure(backend):
    from codesign import NumericalError

    if backend in MISSING:
        pytest.fail(f"{backend} is needed for this check")  # pragma: no cover
    with pytest.raises(NumericalError, match="unstable; check its parameters"):
        simulate(unstable_lca(), backend)
