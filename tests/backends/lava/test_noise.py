"""Device noise on Lava: the reference's own device draws, realised in the weights."""

import pytest

from codesign.backends import lava, reference
from codesign.compare import nrmse
from codesign.spec import spec_from_mapping

from .conftest import CASES

NOISE = {"mismatch": 0.1, "stuck_open": 0.05, "capacitor_mismatch": 0.1}


def noisy_spec(case: str, noise: dict, **lava_options):
    raw = CASES[case]()
    raw["noise"] = noise
    raw["lava"] = {**raw.get("lava", {}), "engine": "emulator", **lava_options}
    return spec_from_mapping(raw)


@pytest.mark.parametrize("case", ["hopfield", "lca", "dense"])
def test_realisation_matches_the_reference_realisation(case):
    spec = noisy_spec(case, NOISE)
    ideal = spec_from_mapping(CASES[case]())
    trace = lava.simulate(spec)
    # the same devices as the reference's realisation, not the ideal hardware
    assert nrmse(reference.simulate(spec), trace) < 0.01
    assert nrmse(reference.simulate(ideal), trace) > 0.01


def test_kuramoto_couplings_take_mismatch():
    spec = noisy_spec("kuramoto", {"mismatch": 0.1})
    assert nrmse(reference.simulate(spec), lava.simulate(spec), spec.kind) < 0.01


def test_oim_with_mismatch_reaches_the_realised_reference_cut():
    # restarts that tie on the best cut may be chosen differently, so compare cuts
    spec = noisy_spec("oim", {"mismatch": 0.1})
    assert lava.simulate(spec).extras["cut"] == reference.simulate(spec).extras["cut"]


def test_fixed_point_with_noise_keeps_the_realised_readout():
    spec = noisy_spec("hopfield", NOISE, precision="fixed")
    realised = reference.simulate(spec)
    assert (lava.simulate(spec).readout == realised.readout).all()
