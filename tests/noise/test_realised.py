"""Every ``[noise]`` level either acts on the run or is refused: on every kind and
every backend, as `codesign.noise.REALISED` documents. And a device family two
backends share gets the same draws in both."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from codesign import NumericalError, ValidationError
from codesign.backends import BACKENDS, simulate
from codesign.noise import REALISED, Devices, noise_seed
from codesign.noise.support import realised_on
from codesign.spec import spec_from_mapping
from tests.cases import KINDS, spec_mapping

# a level of each field that visibly moves these small cases
LEVELS = {
    "mismatch": 0.3,
    "capacitor_mismatch": 0.3,
    "weight_bits": 2,
    "stuck_open": 0.2,
    "stuck_short": 0.2,
    "drift": 0.2,
    "offset": 0.2,
    "gain_error": 0.3,
    "frequency_spread": 0.2,
    "thermal": 1e9,  # kelvin: far hotter than a chip, so that it shows
}
# rounding ±1 couplings (memories, graphs, a uniform all-to-all coupling) to
# levels of the largest, or shorting them to ± the largest, leaves them as they are
EXACT = {("weight_bits", k) for k in ("dense", "kuramoto", "oim")} | {
    ("stuck_short", k) for k in ("dense", "kuramoto", "oim")
}


def small(kind: str, backend: str) -> dict:
    raw = spec_mapping(kind)
    if kind == "oim":
        raw["run"].update(restarts=2, t_end=10.0)
    if kind == "kuramoto":
        raw["run"]["t_end"] = 5.0
    if kind == "boltzmann":
        raw["run"].update(samples=400, chains=4)
    if backend == "lava":
        raw["lava"] = {"engine": "emulator"}  # the realisation is compiled alike
    return raw


def run(raw: dict, backend: str) -> np.ndarray:
    return simulate(spec_from_mapping(raw), backend, bounded=False).x


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_noise_level_acts_or_is_refused(kind, backend):
    ideal = run(small(kind, backend), backend)
    ignored = []
    for field in REALISED:
        raw = small(kind, backend)
        raw["noise"] = {field: LEVELS[field]}
        if backend not in realised_on(field, kind):
            with pytest.raises(ValidationError, match=rf"`noise\.{field}`: .*\(got"):
                simulate(spec_from_mapping(raw), backend)
            continue
        if (field, kind) in EXACT:
            continue
        try:
            x = run(raw, backend)
        except NumericalError:  # the level made the network unstable: it acted
            continue
        if x.shape == ideal.shape and np.array_equal(x, ideal):
            ignored.append(field)
    assert not ignored, f"{kind} on {backend} ignores {ignored}"


def test_refusals_say_what_would_realise_the_field():
    raw = small("hopfield", "lava")
    raw["noise"] = {"drift": 0.1}
    with pytest.raises(
        ValidationError,
        match=r"`noise.drift`: is not realised on the lava backend for kind hopfield "
        r"\(got 0.1\); set it to 0, or run the reference backend",
    ):
        simulate(spec_from_mapping(raw), "lava")
    raw["noise"] = {"frequency_spread": 0.1}
    with pytest.raises(
        ValidationError,
        match=r"`noise.frequency_spread`: acts only on kinds kuramoto, oim; a "
        r"hopfield model has no such device \(got 0.1\); set it to 0",
    ):
        simulate(spec_from_mapping(raw), "reference")


@pytest.mark.parametrize("kind", ["hopfield", "lca"])
def test_circuit_realises_the_reference_devices_and_their_loading(kind):
    # the circuit draws the reference's own devices; a synapse conductance off by
    # ΔG also loads its node, so neuron i's leak becomes 1 + Σ_j ΔG_ij R₀: the
    # physics ODE below, built from those draws, must match the netlist's run
    raw = spec_mapping(kind)
    raw["spice"] = {"topology": "all_to_all"} if kind == "hopfield" else {}
    raw["noise"] = {
        "mismatch": 0.2,
        "stuck_open": 0.05,
        "stuck_short": 0.05,
        "capacitor_mismatch": 0.2,
        "offset": 0.05,
        "gain_error": 0.1,
    }
    spec = spec_from_mapping(raw)
    model, devices = spec.model, Devices(spec.table("noise"), noise_seed(spec))
    if kind == "hopfield":
        nominal, bias = model.weights, model.bias

        def activation(x):
            return np.tanh(model.gain * x)

    else:
        nominal = np.eye(model.n) - model.gram
        bias = model.drive * devices.relative("mismatch", "input", model.n)
        activation = model.threshold
    weights = devices.couplings(nominal, "synapse")
    rows = np.abs(nominal).sum(axis=1)
    amplitude = max(1.0, rows.max() / (1 - spec.table("spice")["leak_margin"]))
    leak = 1 + (np.abs(weights).sum(axis=1) - rows) / amplitude
    rates = devices.rates("neuron", model.n)
    outputs = devices.amplitudes("neuron", model.n)
    offsets = devices.offsets("neuron", model.n)

    def field(t, x):
        v = outputs * activation(x + offsets)
        return rates * (-leak * x + weights @ v + bias)

    physics = solve_ivp(
        field,
        (0, spec.run.t_end),
        spec.x0,
        t_eval=spec.run.times,
        rtol=1e-10,
        atol=1e-12,
        method="DOP853",
    ).y.T
    circuit = simulate(spec, "spice").x
    assert np.sqrt(np.mean((circuit - physics) ** 2)) / np.ptp(physics) < 1e-4
    # and it is the noise that moved it
    ideal = simulate(spec_from_mapping({**raw, "noise": {}}), "spice").x
    assert np.sqrt(np.mean((circuit - ideal) ** 2)) / np.ptp(physics) > 1e-2
