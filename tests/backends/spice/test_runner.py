"""ngspice in shared mode: availability, failures, and reuse of one instance."""

import signal
import threading
import time

import numpy as np
import pytest

from codesign._errors import NumericalError
from codesign.backends import check_supported, spice, support_matrix
from codesign.backends.spice import runner

DIVIDER = """divider
vin a 0 DC 2
r1 a b 1k
r2 b 0 3k
.tran 1u 10u
.end
"""


def test_ngspice_is_available_here():
    assert spice.unavailable() is None


def test_one_instance_runs_many_circuits_in_turn():
    first = runner.run(DIVIDER, ["b"])
    second = runner.run(DIVIDER.replace("3k", "1k"), ["b"])
    assert np.allclose(first.volts["b"], 1.5)
    assert np.allclose(second.volts["b"], 1.0)
    assert runner.simulator() is runner.simulator()


def test_a_broken_circuit_reports_what_to_change():
    # two sources fighting over one node: no operating point
    broken = DIVIDER.replace("r2 b 0 3k", "r2 b 0 3k\nv2 a 0 DC 1")
    with pytest.raises(
        NumericalError,
        match=r"ngspice did not finish the transient "
        r"run .*; set a smaller \[spice\] max_step",
    ):
        runner.run(broken, ["b"])
    # the instance is clean afterwards
    assert np.allclose(runner.run(DIVIDER, ["b"]).volts["b"], 1.5)


# an RC decay at a nanosecond step for a whole second: minutes of work
SLOW = DIVIDER.replace(".tran 1u 10u", "c1 b 0 1u\n.tran 1n 1 uic")


def test_a_run_past_its_timeout_is_halted_and_reported():
    start = time.perf_counter()
    with pytest.raises(
        NumericalError,
        match=r"had not finished the transient run "
        r"after 0.5 s; set a larger \[spice\] timeout",
    ):
        runner.run(SLOW, ["b"], timeout=0.5)
    assert time.perf_counter() - start < 5
    # the halted run leaves the instance clean
    assert np.allclose(runner.run(DIVIDER, ["b"]).volts["b"], 1.5)


def test_an_interrupt_halts_the_run_and_propagates():
    # Ctrl-C arrives while the run waits: ngspice stops before it propagates
    def interrupt():
        time.sleep(0.5)
        signal.raise_signal(signal.SIGINT)

    threading.Thread(target=interrupt).start()
    start = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        runner.run(SLOW, ["b"])
    assert time.perf_counter() - start < 5
    assert np.allclose(runner.run(DIVIDER, ["b"]).volts["b"], 1.5)


def test_a_missing_waveform_is_reported():
    with pytest.raises(
        NumericalError,
        match=r"ngspice returned no waveform for node "
        r"nowhere; regenerate",
    ):
        runner.run(DIVIDER, ["nowhere"])


def test_every_kind_is_built_and_runs_here():
    assert set(spice.KINDS) == {
        "hopfield",
        "lca",
        "oim",
        "kuramoto",
        "dense",
        "boltzmann",
    }
    for kind in spice.KINDS:
        check_supported(kind, "spice")
    assert all(row["spice"] is None for row in support_matrix().values())


def test_spice_table_is_checked_by_its_schema(make_spec):
    from codesign._errors import ValidationError

    with pytest.raises(
        ValidationError,
        match=r"`spice.r_unit`: must be > 0 \(got "
        r"-5",
    ):
        make_spec("hopfield", spice={"r_unit": -5.0})
    with pytest.raises(
        ValidationError,
        match=r"`spice.topology`: must be one of "
        r"auto, all_to_all, factored",
    ):
        make_spec("hopfield", spice={"topology": "star"})
    assert make_spec("hopfield").table("spice")["r_unit"] == 100e3


def test_a_run_that_stops_early_is_reported():
    from codesign.backends.spice.compiler import _check_finished

    waves = runner.Waveforms(np.linspace(0, 0.5e-3, 11), {}, 0.0)
    with pytest.raises(
        NumericalError,
        match=r"stopped the transient run at 0.0005 s "
        r"of 0.001 s; set a smaller \[spice\] max_step",
    ):
        _check_finished(waves, 1e-3)
    _check_finished(runner.Waveforms(np.linspace(0, 1e-3, 11), {}, 0.0), 1e-3)
