"""Coupled LC oscillators, shared by the Kuramoto and OIM circuits.

Each oscillator is an ``osc_cell``: a parallel LC tank at f₀ with a loss
resistor and a linear negative conductance trimmed by an energy detector, which
holds the amplitude at α (`volts_per_unit`) whatever the coupling load and
without harmonics. For a tank voltage v_i = A cos(ω₀t + φ_i), a current i(t)
injected into the tank turns its phase, averaged over a cycle, at

    dφ_i/dt = −⟨i(t) sin(ω₀t + φ_i)⟩ / (C A)   (rad/s),

so a resistor G_ij from tank j (or its inverted copy −v_j) gives
dφ_i/dt = ±(G_ij / 2C) sin(φ_j − φ_i), and the ``shil`` pump, a conductance
g_s cos(2ω₀t), gives dφ_i/dt = −(g_s / 4C) sin 2φ_i. One model time unit is
T_m = `cycles_per_unit`/f₀ seconds, so a model rate k (per unit) becomes the
conductance G = 2C|k|/T_m, and K_s becomes g_s = 4C·K_s/T_m. Each tank's loss
resistor gives up half of what its coupling resistors take (on average they
carry about half their conductance's worth of in-phase current), and the
amplitude control absorbs the rest.

An uncoupled reference tank at f₀ keeps the circuit's own time: the pumps square
its voltage to get their 2f₀ drive, and phases are read against it, so a common
frequency shift (the integrator's phase error) cancels. Read-back is by
demodulation (`demodulate`): the reference tank's actual frequency ω is measured
first; each tank's phase, the angle of Σ w(t) v(t) e^(−iωt) over a two-period
Hann window, is tracked every eighth of a period, taken relative to the
reference tank's, unwrapped on that fine track and read at the sample times.

Phase noise (OIM annealing) enters through a ``phase_noise`` part per tank: a
current in quadrature with the tank voltage, scaled by a piecewise-linear source
ζ(t), turns the phase at dφ/dt = ζ without touching the amplitude.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.interpolate import CubicSpline

from ..._types import Array
from . import runner
from .netlist import Netlist
from .network import Wiring

DEMODULATION_POINTS = 32  # samples per oscillator period in the read-back
WINDOW_PERIODS = 2  # length of the read-back's Hann window, in periods
TRACK_PER_PERIOD = 8  # window centres per period in the read-back's phase track
TRACK_CHUNK = 32  # tanks demodulated at once (bounds the read-back's memory)
NOISE_STEP = 0.05  # model time units between samples of the phase noise
LOOP_GAIN = 5.0  # amplitude control: relative conductance per relative energy error
LOOP_Q = 5.0  # tank Q below which the loop gain is reduced in proportion
DETECTOR_PERIODS = 0.5  # low-pass of the amplitude detector, in oscillator periods
INTEGRAL_PERIODS = 1.0  # integral time of the amplitude control, in periods
MAX_TURN = 0.5  # largest phase turn per oscillator period (rad) from couplings
COMPENSATE = 0.5  # share of the coupling conductance taken out of each tank's loss
REFERENCE = "oref"  # the uncoupled reference tank at f₀

log = logging.getLogger(__name__)


@dataclass
class Tanks:
    """The electrical design shared by every tank of one circuit."""

    f0: float
    c: float
    seconds: float  # one model time unit, s
    amplitude: float  # V
    g_total: float  # S, every tank's total loss at rest, and its negative conductance

    @property
    def omega(self) -> float:
        return 2 * np.pi * self.f0

    @property
    def q(self) -> float:
        """The tanks' quality factor at rest, ω₀C/g_total."""
        return self.omega * self.c / self.g_total

    @property
    def loop_gain(self) -> float:
        """Amplitude-control gain: `LOOP_GAIN`, less for tanks of Q below
        `LOOP_Q`, so that the amplitude settles over the same number of periods
        (a low-Q tank answers its negative conductance within a cycle, and a
        full gain would make the loop ring and distort the waveform)."""
        return LOOP_GAIN * min(1.0, self.q / LOOP_Q)

    def rate_conductance(self, rate: Array) -> Array:
        """Conductance (S) that turns a phase at `rate` per model time unit."""
        return 2 * self.c * np.abs(rate) / self.seconds


def design(hw: dict, coupling_rows: Array, pump: float = 0.0) -> Tanks:
    """Tank values for couplings whose rows sum to `coupling_rows` (model rates).

    The model time unit is lengthened (more cycles per unit) until no tank's
    phase turns by more than `MAX_TURN` per period under its couplings and the
    pump (rate `pump`): beyond that the coupling resistors load the tanks to a
    Q below 5, the amplitude control rings and distorts them, and the phase
    dynamics no longer average over a cycle.
    """
    f0, c = hw["osc_frequency"], hw["osc_capacitance"]
    fastest = float(np.max(coupling_rows, initial=0.0)) + pump
    cycles = max(hw["cycles_per_unit"], fastest / MAX_TURN)
    if cycles > hw["cycles_per_unit"]:
        log.info(
            "oscillators: %.3g cycles per model unit (not %g) for phase rates "
            "up to %.3g per unit",
            cycles,
            hw["cycles_per_unit"],
            fastest,
            extra={"codesign_key": "spice.cycles_per_unit"},
        )
    seconds = cycles / f0
    g_total = 2 * np.pi * f0 * c / hw["tank_q"]
    received = 2 * c * float(np.max(coupling_rows, initial=0.0)) / seconds
    g_total = max(g_total, received / 0.8)  # keep a fifth of the loss in the tank
    return Tanks(f0, c, seconds, hw["volts_per_unit"], g_total)


def place(
    wiring: Wiring,
    tanks: Tanks,
    phases0: Array,
    rates: Array,
    coupling: Array,
    *,
    shil: float = 0.0,
    ramp: float = 0.0,
    kicks: Array | None = None,
) -> list[list[str]]:
    """Place R copies (rows of `phases0`) of n coupled tanks; return their nodes.

    `rates` (n) are natural frequencies in rad per model unit relative to f₀;
    `coupling` (n×n) the model rates k_ij of dφ_i/dt = Σ_j k_ij sin(φ_j − φ_i);
    `kicks` (R, bins, n), if given, the phase noise: radians added to each phase
    over each `NOISE_STEP` of model time.
    """
    copies, n = phases0.shape
    net, realiser = wiring.net, wiring.realiser
    wiring.noise_step = 1 / (tanks.f0 * wiring.hw["steps_per_cycle"])
    spread = realiser.frequencies("tank", n)
    step = 1 / (tanks.f0 * wiring.hw["steps_per_cycle"])
    omegas = prewarp((tanks.omega + rates / tanks.seconds) * spread, step)
    received = tanks.rate_conductance(coupling).sum(axis=1)
    _tank(net, tanks, "ref", float(prewarp(tanks.omega, step)), 0.0, 1 / tanks.g_total)
    nodes = []
    for r in range(copies):
        names = [f"o{r}_{i}" for i in range(n)]
        nodes.append(names)
        for i in range(n):
            _tank(
                net,
                tanks,
                f"{r}_{i}",
                omegas[i],
                phases0[r, i],
                1 / (tanks.g_total - COMPENSATE * received[i]),
            )

        # a resistor between two tanks couples both ways: one per pair for k > 0
        scale = 2 * tanks.c * wiring.r0 / tanks.seconds
        direct = np.triu(np.where(coupling > 0, coupling, 0.0), 1)
        crossed = np.where(coupling < 0, coupling, 0.0)
        wiring.couple(
            f"c{r}_",
            names,
            names,
            direct,
            np.ones(n),
            scale=scale,
            group="coupling_direct",
        )
        wiring.couple(
            f"c{r}_",
            names,
            names,
            crossed,
            np.ones(n),
            scale=scale,
            group="coupling_crossed",
        )

        # second-harmonic injection and phase noise
        if shil > 0:
            for i, node in enumerate(names):
                net.instance(
                    f"s{r}_{i}",
                    "shil",
                    (node, REFERENCE),
                    g=4 * tanks.c * shil / tanks.seconds,
                    a=tanks.amplitude,
                    ramp=ramp * tanks.seconds,
                )
        if kicks is not None:
            _phase_noise(net, tanks, names, r, kicks[r])
    return nodes


def prewarp(omega: Array | float, step: float) -> Array:
    """The tank frequency that the trapezoidal rule at `step` turns into `omega`.

    A harmonic oscillator integrated by the trapezoidal rule turns at
    (2/h)·atan(ω h/2) instead of ω, which shrinks the differences between tanks
    by (ωh)²/4 (2.5 % at 20 steps a period); tuning each tank to
    (2/h)·tan(ω h/2) undoes it when ngspice steps at the largest step `h`.
    """
    return 2 / step * np.tan(np.asarray(omega) * step / 2)


def _tank(
    net: Netlist, tanks: Tanks, index: str, omega: float, phase: float, rp: float
) -> None:
    # one osc_cell, started on its limit cycle at `phase`
    inductance = 1 / (omega**2 * tanks.c)
    v0 = tanks.amplitude * np.cos(phase)
    i0 = tanks.amplitude * np.sin(phase) / (omega * inductance)
    net.instance(
        f"t{index}",
        "osc_cell",
        (f"o{index}", f"q{index}"),
        c=tanks.c,
        l=inductance,
        rp=rp,
        g=tanks.g_total,
        k=tanks.loop_gain,
        a=tanks.amplitude,
        tf=DETECTOR_PERIODS / tanks.f0,
        ti=INTEGRAL_PERIODS / tanks.f0,
        v0=v0,
        i0=i0,
    )


def _phase_noise(
    net: Netlist, tanks: Tanks, names: list[str], r: int, kicks: Array
) -> None:
    # ζ = kick / NOISE_STEP at each bin's midpoint, linear in between, 0 after
    bins = len(kicks)
    ts = np.concatenate(
        [[0.0], (np.arange(bins) + 0.5) * NOISE_STEP, [bins * NOISE_STEP]]
    )
    for i, node in enumerate(names):
        zeta = np.concatenate([[0.0], kicks[:, i] / NOISE_STEP, [0.0]])
        points = [
            f"{t * tanks.seconds:.6g}, {z / tanks.seconds:.6g}"
            for t, z in zip(ts, zeta, strict=True)
        ]
        rows = [", ".join(points[k : k + 6]) for k in range(0, len(points), 6)]
        # a B card's pwl(time, ...) table sets no breakpoints, unlike a PWL source
        net.add_raw(
            f"bz{r}_{i}",
            (f"z{r}_{i}", "0"),
            "V = pwl(time, " + ",\n+ ".join(rows) + ")",
            links=((f"z{r}_{i}", "0"),),
        )
        net.instance(
            f"n{r}_{i}",
            "phase_noise",
            (node, f"q{r}_{i}", f"z{r}_{i}"),
            w=tanks.omega,
            gm=tanks.omega * tanks.c,
        )


def finish(wiring: Wiring, tanks: Tanks, probes: list[str], steps: int) -> None:
    """Probe the tanks; step at most 1/`steps` of a period."""
    wiring.net.probes = [REFERENCE, *probes]
    wiring.net.saves = sorted({s[0] for s in wiring.synapses} - set(probes))
    step = 1 / (tanks.f0 * steps)
    wiring.net.tran = (step, step)
    # trtol: let ngspice take the largest step, which `prewarp` corrects for
    wiring.net.options = {
        "reltol": f"{wiring.hw['reltol']:g}",
        "method": wiring.hw["method"],
        "trtol": "40",
    }


def demodulate(
    waves: runner.Waveforms,
    nodes: list[str],
    tanks: Tanks,
    ts: Array,
    start: Array | None = None,
) -> Array:
    """Phases (T, len(nodes)) at model times `ts` against the reference tank.

    The reference tank's own frequency (f₀ up to the integrator's phase error) is
    measured first. Each tank is then demodulated at that frequency through a
    Hann window `WINDOW_PERIODS` long, centred every 1/`TRACK_PER_PERIOD` of a
    period; the phase track is unwrapped on that fine grid, where a phase turns
    by far less than π between centres (so coarse sample times keep their whole
    turns), and read at `ts` by linear interpolation, extrapolated over the last
    window's half, which no whole window is centred on. `start`, the phases the
    tanks were started at (the reference tank starts at 0), is the track's point
    at t = 0 and sets its whole turns; without it the track is extrapolated
    back to t = 0 too.
    """
    centres, reference = _iq_track(waves, [REFERENCE], tanks.omega)
    drift = np.unwrap(reference[:, 0])
    slope = np.polyfit(centres, drift, 1)[0] if len(centres) > 1 else 0.0
    centres, track = _iq_track(waves, [REFERENCE, *nodes], tanks.omega + slope)
    relative = np.unwrap(track[:, 1:] - track[:, :1], axis=0)
    if start is not None:
        first = _read_track(centres, relative, np.zeros(1))[0]
        relative = relative + 2 * np.pi * np.round((start - first) / (2 * np.pi))
        centres = np.concatenate([[0.0], centres])
        relative = np.vstack([start, relative])
    return _read_track(centres, relative, ts * tanks.seconds)


def _iq_track(
    waves: runner.Waveforms, nodes: list[str], omega: float
) -> tuple[Array, Array]:
    # Σ w_k v(t_k) e^(−iω t_k) over a periodic Hann window w: its spectrum is zero
    # at every whole number of cycles per window but one, so neither the second
    # harmonic nor, for a tank detuned from ω, the image at ω + ω' leaks in; the
    # window is symmetric about its centre, so a steadily turning phase is read
    # at the centre itself. Returns the centre times (s) and phases (C, nodes).
    period = 2 * np.pi / omega
    h = period / DEMODULATION_POINTS
    grid = np.arange(0.0, float(waves.time[-1]) + h / 2, h)
    fits = max((len(grid) - 1) // DEMODULATION_POINTS, 1)
    width = DEMODULATION_POINTS * min(WINDOW_PERIODS, fits)
    stride = DEMODULATION_POINTS // TRACK_PER_PERIOD
    window = np.sin(np.pi * np.arange(width) / width) ** 2
    starts = np.arange(0, max(len(grid) - width, 0) + 1, stride)
    centres = grid[starts] + width // 2 * h
    phases = np.empty((len(starts), len(nodes)))
    carrier = np.exp(-1j * omega * grid)
    for first in range(0, len(nodes), TRACK_CHUNK):
        chunk = nodes[first : first + TRACK_CHUNK]
        mixed = _resample(waves, chunk, grid) * carrier[:, None]
        for k in range(len(chunk)):
            summed = np.convolve(mixed[:, k], window[::-1], mode="valid")
            phases[:, first + k] = np.angle(summed[starts])
    return centres, phases


def _read_track(centres: Array, track: Array, seconds: Array) -> Array:
    # linear between centres; before the first and after the last, along the
    # track's slope over the period next to it
    if len(centres) < 2:
        return np.repeat(track[:1], len(seconds), axis=0)
    out = np.stack([np.interp(seconds, centres, column) for column in track.T], axis=1)
    span = min(TRACK_PER_PERIOD, len(centres) - 1)
    for edge, inner, outside in (
        (0, span, seconds < centres[0]),
        (-1, -1 - span, seconds > centres[-1]),
    ):
        rate = (track[inner] - track[edge]) / (centres[inner] - centres[edge])
        out[outside] = track[edge] + (seconds[outside, None] - centres[edge]) * rate
    return out


def _resample(waves: runner.Waveforms, nodes: list[str], grid: Array) -> Array:
    # cubic through ngspice's own time points: a straight line between samples
    # ~20 per period would bend the sine by about 1 % and jitter the phases
    time, keep = np.unique(waves.time, return_index=True)
    values = np.stack([waves.volts[n][keep] for n in nodes], 1)
    return CubicSpline(time, values, axis=0)(np.clip(grid, time[0], time[-1]))


def power(wiring: Wiring, tanks: Tanks, nodes: list[str]) -> Callable:
    """Supply power (W): negative-conductance cells and inverting buffers."""

    def supply(waves: runner.Waveforms) -> Array:
        total = np.zeros_like(waves.time)
        for node in nodes:
            v = waves.volts[node]
            total += np.abs(tanks.g_total * v)
        for driver, node, g in wiring.synapses:
            if driver in wiring.inverted.values():
                total += np.abs(g * (waves.volts[driver] - waves.volts[node]))
        return wiring.hw["supply"] * total

    return supply
