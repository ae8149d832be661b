"""The numpy emulator equals Lava's fixed-point run bit for bit, on every kind."""

import numpy as np
import pytest

from codesign.backends import lava
from codesign.backends.lava import emulate

from .conftest import CASES, case_spec


@pytest.mark.parametrize("case", sorted(CASES))
def test_emulator_equals_lava_bit_for_bit(lava_runs, case):
    compiled, raw, _ = lava_runs.run(case, "fixed")
    emulated = emulate(compiled)
    history = np.asarray(raw["history"])
    assert np.array_equal(history, np.rint(history))  # Lava returned integers
    assert np.array_equal(emulated["history"], history.astype(np.int64))
    assert np.array_equal(emulated["counts"], raw["counts"].astype(np.int64))


def test_every_kind_is_covered():
    assert {case.split("-")[0] for case in CASES} == set(lava.KINDS)


@pytest.mark.parametrize("case", ["hopfield", "kuramoto"])
def test_float_emulator_close_to_lava_float(lava_runs, case):
    compiled, raw, _ = lava_runs.run(case, "float")
    assert np.allclose(emulate(compiled)["history"], raw["history"], atol=1e-9)


def test_engine_emulator_gives_the_lava_trace(lava_runs):
    trace = lava.simulate(case_spec("lca", precision="fixed", engine="emulator"))
    assert np.array_equal(trace.x, lava_runs.trace("lca", "fixed").x)


def test_ensemble_axis_runs_many_starts_at_once():
    compiled = lava.compile(case_spec("hopfield", precision="fixed"))
    single = emulate(compiled)["history"]
    batch = dict(
        compiled.arrays, v0=np.stack([compiled.arrays["v0"], -compiled.arrays["v0"]])
    )
    both = emulate(
        type(compiled)(compiled.kind, compiled.program, batch, compiled.scale)
    )["history"]
    assert both.shape == (2,) + single.shape
    assert np.array_equal(both[0], single)
    # tanh is odd and the bias is zero: the mirrored start mirrors the path exactly
    # up to the table's floor indexing, which rounds both towards −∞
    assert np.max(np.abs(both[1] + single)) < 2**16
