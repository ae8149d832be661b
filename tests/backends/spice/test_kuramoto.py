"""The Kuramoto circuit against the exact ODE."""

import numpy as np
import pytest

from codesign.backends import spice
from codesign.backends.reference import run_model
from codesign.backends.spice import oscillators
from codesign.backends.spice.runner import Waveforms
from codesign.compare import judge, nrmse
from codesign.spec import spec_from_mapping

from .conftest import printed_columns


def test_ideal_circuit_matches_the_exact_ode(make_spec):
    spec = make_spec("kuramoto")
    trace = spice.simulate(spec)
    reference = run_model(spec.model, spec.x0, spec.run)
    result = judge(spec, reference, "spice", trace)
    assert result.nrmse < 0.03
    assert result.readout_match and result.descent.passed


def test_negative_and_positive_couplings_pull_the_right_way():
    k = [[0.0, 0.4, -0.4], [0.4, 0.0, 0.0], [-0.4, 0.0, 0.0]]
    spec = spec_from_mapping(
        {
            "model": {"kind": "kuramoto", "frequencies": [0, 0, 0], "coupling": k},
            "init": {"x0": [0.0, 1.0, 2.0]},
            "run": {"t_end": 10.0, "points": 51},
        }
    )
    trace = spice.simulate(spec)
    reference = run_model(spec.model, spec.x0, spec.run)
    final = np.angle(np.exp(1j * (trace.x[-1] - trace.x[-1][0])))
    assert abs(final[1]) < 0.1 and abs(abs(final[2]) - np.pi) < 0.1
    assert np.max(np.abs(trace.x[-1] - reference.x[-1])) < 0.1


def test_demodulation_recovers_a_known_phase():
    tanks = oscillators.Tanks(1e6, 1e-9, 20e-6, 1.0, 1e-4)
    t = np.linspace(0, 10 * tanks.seconds, 20001)
    phase = 0.3 + 0.2 * t / tanks.seconds  # 0.2 rad per model unit
    volts = {
        "oref": np.cos(tanks.omega * t + 1.0),
        "o0_0": 1.7 * np.cos(tanks.omega * t + 1.0 + phase),
    }
    ts = np.linspace(0, 10, 11)
    read = oscillators.demodulate(Waveforms(t, volts, 0.0), ["o0_0"], tanks, ts)
    assert np.allclose(read[1:-1, 0], 0.3 + 0.2 * ts[1:-1], atol=2e-3)


def test_netlist_runs_in_plain_ngspice(run_ngspice, make_spec):
    spec = make_spec("kuramoto", run={"t_end": 2.0})
    columns = printed_columns(run_ngspice(spice.compile(spec).text))
    assert columns["time"][-1] == pytest.approx(2.0 * 20 / 1e6, rel=1e-6)
    assert len(columns["v(o0_7)"]) == len(columns["time"])


def test_frequency_spread_and_mismatch_are_seeded_device_deviations(make_spec):
    ideal = spice.compile(make_spec("kuramoto")).text
    noise = {"frequency_spread": 0.001, "mismatch": 0.05, "thermal": 300.0}
    spread = spice.compile(make_spec("kuramoto", noise=noise)).text
    again = spice.compile(make_spec("kuramoto", noise=noise)).text
    assert spread == again and spread != ideal
    assert "noisy_synapse" in spread
    # a tank's inductance moves by the spread: l ∝ 1/f²
    ideal_l = [line for line in ideal.splitlines() if line.startswith("xt0_0 ")]
    spread_l = [line for line in spread.splitlines() if line.startswith("xt0_0 ")]
    assert ideal_l != spread_l
    trace = spice.simulate(make_spec("kuramoto", noise=noise))
    assert np.all(np.isfinite(trace.x))


@pytest.mark.parametrize("coupling", [0.0, 1.0])
def test_drifting_oscillators_keep_their_own_frequencies(coupling):
    # Lorentzian frequencies up to ±1.5 rad per unit: unlocked oscillators drift
    # apart, so any error in a tank's frequency accumulates over the run
    from codesign.models.kuramoto import lorentzian_frequencies

    omega = lorentzian_frequencies(12, 0.2)
    spec = spec_from_mapping(
        {
            "seed": 2,
            "model": {
                "kind": "kuramoto",
                "frequencies": omega.tolist(),
                "coupling": coupling,
            },
            "run": {"t_end": 20.0, "points": 101},
        }
    )
    trace = spice.simulate(spec)
    reference = run_model(spec.model, spec.x0, spec.run)
    gap = np.angle(np.exp(1j * (trace.x[-1] - reference.x[-1])))
    assert np.max(np.abs(gap)) < 0.1
    assert judge(spec, reference, "spice", trace).nrmse < 0.01


def _tank_waves(tanks, units, phase, points_per_period=40):
    t = np.linspace(0, units * tanks.seconds, int(units * 20 * points_per_period) + 1)
    volts = {
        "oref": np.cos(tanks.omega * t),
        "o0_0": np.cos(tanks.omega * t + phase(t / tanks.seconds)),
    }
    return Waveforms(t, volts, 0.0)


def test_demodulation_keeps_whole_turns_between_coarse_samples():
    # π rad per model unit (a tank 2.5 % off f0) read every 3 units: 1.5 turns
    tanks = oscillators.Tanks(1e6, 1e-9, 20e-6, 1.0, 1e-4)
    ts = np.linspace(0, 12, 5)
    waves = _tank_waves(tanks, 12, lambda u: 0.3 + np.pi * u)
    read = oscillators.demodulate(waves, ["o0_0"], tanks, ts)
    assert np.allclose(read[:, 0], 0.3 + np.pi * ts, atol=1e-3)


def test_demodulation_of_a_detuned_tank_reads_its_phase_at_every_sample():
    # a tank 2.5 % off f0 (the largest detuning the circuit allows), read
    # through to the run's last instant
    tanks = oscillators.Tanks(1e6, 1e-9, 20e-6, 1.0, 1e-4)
    rate = 0.025 * tanks.omega * tanks.seconds  # rad per model unit
    ts = np.linspace(0, 3, 61)
    waves = _tank_waves(tanks, 3, lambda u: 1.0 + rate * u)
    read = oscillators.demodulate(waves, ["o0_0"], tanks, ts)
    assert np.max(np.abs(read[:, 0] - (1.0 + rate * ts))) < 1e-3


def test_tiny_tank_capacitance_keeps_the_phase_dynamics():
    # at 1e-20 F the tank's impedance 1/(ωC) is 1.6e13 Ω: a fixed 1 TΩ DC path
    # on the gyrator's node would load it to Q ≈ 0.06
    spec = spec_from_mapping(
        {
            "seed": 1,
            "model": {
                "kind": "kuramoto",
                "frequencies": [-0.4, 0.1, 0.3, 0.0],
                "coupling": 2.0,
            },
            "run": {"t_end": 5.0, "points": 51},
            "spice": {"osc_capacitance": 1e-20},
        }
    )
    trace = spice.simulate(spec)
    reference = run_model(spec.model, spec.x0, spec.run)
    assert nrmse(reference, trace, "kuramoto") < 0.005
