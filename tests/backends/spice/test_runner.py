"""ngspice in shared mode: availability, failures, and reuse of one instance."""

import numpy as np
import pytest

from codesign._errors import NumericalError
from codesign.backends import check_supported, spice
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
    with pytest.raises(NumericalError, match=r"ngspice did not finish the transient "
                       r"run .*; set a smaller \[spice\] max_step"):
        runner.run(broken, ["b"])
    # the instance is clean afterwards
    assert np.allclose(runner.run(DIVIDER, ["b"]).volts["b"], 1.5)


def test_a_missing_waveform_is_reported():
    with pytest.raises(NumericalError, match=r"ngspice returned no waveform for node "
                       r"nowhere; regenerate"):
        runner.run(DIVIDER, ["nowhere"])


def test_unsupported_kinds_are_refused_with_the_alternative(make_spec):
    from codesign._errors import BackendUnavailable
    with pytest.raises(BackendUnavailable, match=r"kind 'boltzmann' cannot run on "
                       r"spice: the spice backend does not build kind 'boltzmann'; "
                       r"use --backend reference"):
        check_supported("boltzmann", "spice")
    assert set(spice.KINDS) == {"hopfield", "lca", "oim", "kuramoto", "dense"}


def test_spice_table_is_checked_by_its_schema(make_spec):
    from codesign._errors import ValidationError
    with pytest.raises(ValidationError, match=r"`spice.r_unit`: must be > 0 \(got "
                       r"-5"):
        make_spec("hopfield", spice={"r_unit": -5.0})
    with pytest.raises(ValidationError, match=r"`spice.topology`: must be one of "
                       r"auto, all_to_all, factored"):
        make_spec("hopfield", spice={"topology": "star"})
    assert make_spec("hopfield").table("spice")["r_unit"] == 100e3
