"""Every part of the circuits library, run alone in plain ngspice."""

import numpy as np
import pytest

from codesign.backends.spice.netlist import library

from .conftest import printed_columns


def _bench(run_ngspice, parts, body, stop, step, probes):
    text = "\n".join(
        [
            "part bench",
            *(library()[p].text for p in parts),
            body,
            f".tran {step} {stop} 0 {step} UIC",
            ".print tran " + " ".join(f"v({p})" for p in probes),
            ".end",
            "",
        ]
    )
    return printed_columns(run_ngspice(text))


def test_neuron_follows_its_tanh_transfer_curve(run_ngspice):
    out = _bench(
        run_ngspice,
        ["neuron"],
        "vin a 0 PWL(0 -2 1m 2)\nxa a b neuron gain=3 scale=0.5 amp=2 "
        "offset=0.1\nrb b 0 1k",
        "1m",
        "10u",
        ["a", "b"],
    )
    expected = 2 * 0.5 * np.tanh(3 * (out["v(a)"] + 0.1) / 0.5)
    # ngspice's printed points carry the step's interpolation error on the knee
    assert np.allclose(out["v(b)"], expected, atol=2e-3)
    assert np.max(np.abs(out["v(b)"])) > 0.99


def test_inverter_and_buffer_scale_their_input(run_ngspice):
    out = _bench(
        run_ngspice,
        ["inverter", "buffer"],
        "vin a 0 SIN(0 1 1k)\nxi a b inverter gain=0.9\nxb a c buffer "
        "gain=2\nrb b 0 1k\nrc c 0 1k",
        "1m",
        "10u",
        ["a", "b", "c"],
    )
    assert np.allclose(out["v(b)"], -0.9 * out["v(a)"], atol=1e-9)
    assert np.allclose(out["v(c)"], 2 * out["v(a)"], atol=1e-9)


def test_synapse_obeys_ohms_law(run_ngspice):
    out = _bench(
        run_ngspice,
        ["synapse"],
        "vin a 0 DC 1\nxs a b synapse r=30k\nr2 b 0 10k",
        "10u",
        "1u",
        ["b"],
    )
    assert np.allclose(out["v(b)"], 0.25, atol=1e-9)


def test_noisy_synapse_adds_4ktr_noise(run_ngspice):
    # an open-circuited noisy resistor: v = r·i, i of rms na
    na = 1e-6
    out = _bench(
        run_ngspice,
        ["noisy_synapse"],
        f"xs a 0 noisy_synapse r=1k na={na} dt=1u",
        "2m",
        "1u",
        ["a"],
    )
    # TRNOISE draws one value per dt and interpolates linearly in between, so the
    # rms is that of the values on the dt grid
    grid = np.arange(1, 2000) * 1e-6
    samples = np.interp(grid, out["time"], out["v(a)"])
    assert np.std(samples) == pytest.approx(1e3 * na, rel=0.08)


@pytest.mark.parametrize(
    "part,expected",
    [
        ("soft_threshold", lambda v: 2 * np.sign(v) * np.maximum(np.abs(v) - 0.3, 0)),
        ("rectifier", lambda v: 2 * np.maximum(v - 0.3, 0)),
    ],
)
def test_threshold_stages(run_ngspice, part, expected):
    out = _bench(
        run_ngspice,
        [part],
        f"vin a 0 PWL(0 -1 1m 1)\nxt a b {part} lam=0.3 scale=1 amp=2\nrb b 0 1k",
        "1m",
        "10u",
        ["a", "b"],
    )
    assert np.allclose(out["v(b)"], expected(out["v(a)"]), atol=1e-6)


@pytest.mark.parametrize("rp", [1e3, 600.0])
def test_oscillator_cell_holds_its_amplitude_whatever_the_load(run_ngspice, rp):
    # f0 = 1 MHz, target 0.8 V; g = 1 mS matches the 1 kΩ loss, the 600 Ω load is
    # two thirds heavier: the integral control must still reach 0.8 V
    out = _bench(
        run_ngspice,
        ["osc_cell"],
        f"xt o q osc_cell c=1n l=25.3303u rp={rp} g=1m k=5 a=0.8 tf=0.5u ti=1u v0=0.1",
        "40u",
        "10n",
        ["o", "q"],
    )
    v, t = out["v(o)"], out["time"]
    late = t > 30e-6
    rising = np.nonzero((v[:-1] < 0) & (v[1:] >= 0) & late[1:])[0]
    period = np.mean(np.diff(t[rising]))
    assert period == pytest.approx(1e-6, rel=0.01)
    amplitude = np.max(np.abs(v[late]))
    assert amplitude == pytest.approx(0.8, rel=0.01)
    # the gyrator node carries the inductor current times √(L/C): the quadrature,
    # of the same amplitude
    assert np.max(np.abs(out["v(q)"][late])) == pytest.approx(amplitude, rel=0.02)


def test_shil_current_is_the_reference_squared(run_ngspice):
    out = _bench(
        run_ngspice,
        ["shil"],
        "vr r 0 SIN(0 1 1meg)\nrn n 0 1k\nxs n r shil g=1m a=1\nvb b 0 DC 1\nrb b n 1k",
        "4u",
        "5n",
        ["n", "r"],
    )
    # node n: (1 − v_n)/1k − v_n/1k + g·v_n·(2v_r² − 1) = 0, to ngspice's RELTOL
    # (1e-3) of the mA currents
    v_n, v_r = out["v(n)"], out["v(r)"]
    residual = (1 - v_n) / 1e3 - v_n / 1e3 + 1e-3 * v_n * (2 * v_r**2 - 1)
    assert np.max(np.abs(residual)) < 2e-6
    assert np.ptp(v_n) > 0.1  # the pump does modulate the node


def test_phase_noise_injects_current_in_quadrature(run_ngspice):
    out = _bench(
        run_ngspice,
        ["phase_noise"],
        "vq q 0 SIN(0 1m 1meg)\nvz z 0 DC 1000\nrn n 0 1k\n"
        "xn n q z phase_noise w=6.283185e6 gm=2m",
        "3u",
        "5n",
        ["n", "q"],
    )
    expected = 1e3 * (-2 * 2e-3 / 6.283185e6) * 1000 * out["v(q)"]
    assert np.allclose(out["v(n)"][1:], expected[1:], rtol=1e-4, atol=1e-9)


def test_pbit_fires_with_the_noise_law(run_ngspice):
    out = _bench(
        run_ngspice,
        ["pbit"],
        "vin a 0 DC 0.25\nxp a b pbit scale=1 sigma=0.5 dt=1u\nrb b 0 1k",
        "4m",
        "1u",
        ["b"],
    )
    # P(out > 0) = Φ(0.25/0.5) = 0.69
    assert np.mean(out["v(b)"] > 0) == pytest.approx(0.69, abs=0.05)
