"""Gold standards for the shared integer arithmetic, worked out by hand.

Each expected number below is derived in the comment beside it; the same tiny
programs then run on Lava and on the emulator and must give exactly those integers.
"""

import numpy as np
import pytest

from codesign.backends import lava
from codesign.backends.lava import Compiled, emulate
from codesign.backends.lava.worker import fixed_point as fp


def test_decay_truncates_towards_zero():
    # 1000·(4096 − 410)/4096 = 899.90 → 899; the negative state mirrors it (−899,
    # not the floor −900), as Loihi's sign-magnitude decay does
    assert fp.decay(np.array([1000, -1000]), 410).tolist() == [899, -899]


def test_dense_shift_floors_like_lava():
    weights = np.array([[3, -5]])
    # 3·7 − 5·2 = 11, and 11 >> 2 = 2;  3·1 − 5·2 = −7, and −7 >> 2 = floor(−1.75) = −2
    assert fp.dense(weights, np.array([7, 2]), -2).tolist() == [2]
    assert fp.dense(weights, np.array([1, 2]), -2).tolist() == [-2]


def test_table_lookup_clamps_at_both_ends():
    table = np.array([-3, -1, 1, 3])
    # v >> 4 then + 2: −100 → −7+2 clamps to row 0; −1 → −1+2 = 1; 17 → 1+2 = 3
    assert fp.table_lookup(np.array([-100, -1, 17, 10**6]), table, 4).tolist() == [
        -3,
        -1,
        3,
        3,
    ]


def test_soft_threshold_and_relu():
    v = np.array([-37, -5, 5, 37])
    # |v| − 8 then >> 2: 29 >> 2 = 7 with v's sign; |v| ≤ 8 gives 0
    assert fp.soft_threshold(v, 8, 2, False).tolist() == [-7, 0, 0, 7]
    assert fp.soft_threshold(v, 8, 2, True).tolist() == [0, 0, 0, 7]


def rate_program() -> Compiled:
    """One rate neuron with a self-weight: W = 2 stored, weight_exp = −3."""
    program = {
        "protocol": 1,
        "family": "rate",
        "precision": "fixed",
        "ticks": 3,
        "stride": 1,
        "rows": 3,
        "neuron": {
            "segments": [{"stop": 1, "act": "soft", "threshold": 0, "shift": 0}]
        },
        "dense": [{"weight_exp": -3, "weight_bits": 8}],
    }
    arrays = {
        "weights_0": np.array([[2]]),
        "fanout": np.array([1]),
        "v0": np.array([1000]),
        "bias": np.array([50]),
        "decay": np.array([410]),
        "tables": np.zeros((1, 1), np.int64),
    }
    return Compiled("hopfield", program, arrays)


def phase_program() -> Compiled:
    """One phase neuron, no coupling, ω = 1000 and K_s = 16 on 4-row tables."""
    cos, sin = fp.phase_tables(2, 4)
    program = {
        "protocol": 1,
        "family": "phase",
        "precision": "fixed",
        "ticks": 3,
        "stride": 1,
        "rows": 3,
        "neuron": {"table_bits": 2, "amplitude_bits": 4, "shil": 16, "anneal_steps": 0},
        "dense": [{"weight_exp": 0, "weight_bits": 8}],
    }
    arrays = {
        "weights_0": np.zeros((2, 2), np.int64),
        "fanout": np.zeros(2, np.int64),
        "p0": np.array([0]),
        "omega": np.array([1000]),
        "cos": cos,
        "sin": sin,
        "noise": np.zeros((1, 1), np.int64),
    }
    return Compiled("kuramoto", program, arrays)


# tick 1 presents v0 = 1000 (spike s = 1000);
# tick 2: decay 1000 → 899, a_in = (2·1000) >> 3 = 250, bias 50: v = 1199;
# tick 3: decay 1199 → 1199·3686/4096 = 1078.99 → 1078, a_in = 2398 >> 3 = 299
#         (299.75 floored), bias 50: v = 1427.
RATE_HISTORY = [[1000], [1199], [1427]]
# the tables at (j + ½)·90° with amplitude 8 (kept in 4 bits): sin = [6, 6, −6, −6];
# tick 2: 2φ = 0 is row 0, pull = (16·6) >> 3 = 12: p = 0 + 1000 − 12 = 988;
# tick 3: 2·988 = 1976 is still row 0: p = 988 + 1000 − 12 = 1976.
PHASE_HISTORY = [[0], [988], [1976]]


@pytest.mark.parametrize(
    ("program", "expected"),
    [(rate_program, RATE_HISTORY), (phase_program, PHASE_HISTORY)],
)
def test_hand_worked_program_on_emulator_and_lava(program, expected):
    compiled = program()
    assert emulate(compiled)["history"].tolist() == expected
    raw = lava.run_worker(compiled, timeout=300)
    assert np.rint(raw["history"]).astype(int).tolist() == expected
    # one graded spike per tick (none is zero) for the rate neuron, each to 1 synapse
    if compiled.program["family"] == "rate":
        assert raw["counts"].tolist() == [3, 3]


def test_phase_tables_by_hand():
    cos, sin = fp.phase_tables(2, 4)
    # cos 45° · 8 = 5.66 → 6 (within the 4-bit limit 7)
    assert cos.tolist() == [6, -6, -6, 6]
    assert sin.tolist() == [6, 6, -6, -6]


def test_ramp_reaches_the_full_value():
    assert [fp.ramp(100, k, 3) for k in range(5)] == [0, 33, 66, 100, 100]
    assert fp.ramp(100, 0, 0) == 100
