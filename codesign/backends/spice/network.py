"""The relaxation network shared by the Hopfield and LCA circuits.

Each state variable x_i is the voltage of a node with a capacitor C₀ to ground, a
leak resistor, a bias current and synapses from amplifier outputs. A signal s_j
(an amplifier's output, in model units) is carried as the voltage a_j·α·s_j, with
α = `volts_per_unit` and a_j the driver's amplitude; a negative coefficient takes
the signal from the driver's inverted copy. By Kirchhoff's current law

    C₀ dv_i/dt = Σ_j G_ij (±a_j α s_j − v_i) − G_leak,i v_i + I_i,

so with G_ij = |c_ij| / (a_j R₀), G_leak,i = 1/R₀ − Σ_j G_ij and I_i = α b_i / R₀,

    R₀C₀ dx_i/dt = −x_i + Σ_j c_ij s_j + b_i,   x_i = v_i / α:

the synapses' own leak is taken out of each node's leak resistor. Amplitudes are
raised (`amplitude`) until every leak keeps at least `leak_margin` of 1/R₀.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np

from ..._types import Array
from . import runner
from .compiler import interpolate
from .netlist import GROUND, Netlist
from .realise import Realiser

log = logging.getLogger(__name__)


@dataclass
class Wiring:
    """A netlist under construction with the scales of a relaxation network.

    Keeps the synapses it places ((driver, node, siemens) triples) so that the
    drivers' output currents, and hence the supply power, follow from the
    simulated node voltages.
    """

    net: Netlist
    hw: dict
    realiser: Realiser
    synapses: list[tuple[str, str, float]] = field(default_factory=list)
    inverted: dict[str, str] = field(default_factory=dict)
    noise_step: float | None = None  # s between thermal-noise samples
    initial: dict[str, float] = field(default_factory=dict)  # V at t = 0, by node

    @property
    def noise_dt(self) -> float:
        """Sample interval of thermal noise: the largest transient step."""
        if self.noise_step is not None:
            return self.noise_step
        return self.hw["max_step"] * self.seconds

    @property
    def r0(self) -> float:
        return self.hw["r_unit"]

    @property
    def alpha(self) -> float:
        return self.hw["volts_per_unit"]

    @property
    def seconds(self) -> float:
        return self.hw["r_unit"] * self.hw["c_unit"]

    @property
    def loop_gain(self) -> float:
        """A₀/(1 + A₀) of a finite open-loop gain, 1 for an ideal amplifier."""
        a0 = self.hw["open_loop_gain"]
        return a0 / (1 + a0) if a0 else 1.0

    def negative(self, node: str) -> str:
        """The inverted copy of driver output `node`, placed on first use."""
        if node not in self.inverted:
            out = f"{node}n"
            self.net.instance(f"i{node}", "inverter", (node, out), gain=self.loop_gain)
            self.inverted[node] = out
        return self.inverted[node]

    def couple(
        self,
        layer: str,
        targets: list[str],
        sources: list[str],
        coeffs: Array,
        amps: Array,
        *,
        scale: float = 1.0,
        group: str | None = None,
    ) -> Array:
        """Place synapses c_ij/(a_j R₀)·`scale` from `sources` into `targets`.

        Returns the nominal conductance each target receives, in units of 1/R₀.
        Mismatch draws from `group` (default: the layer's name).
        """
        rows, cols = np.nonzero(coeffs)
        values = coeffs[rows, cols]
        conductance = np.abs(coeffs) / amps[None, :] * (scale / self.r0)
        nominal = conductance[rows, cols]
        real = self.realiser.couplings(conductance, group or layer)[rows, cols]
        for i, j, value, g in zip(rows, cols, values, real, strict=True):
            if g <= 0:
                continue
            source = sources[j] if value > 0 else self.negative(sources[j])
            self.synapse(f"{layer}{i}_{j}", targets[i], source, 1.0 / g, self.noise_dt)
            self.synapses.append((source, targets[i], g))
        received = np.zeros(len(targets))
        np.add.at(received, rows, nominal * self.r0)
        return received

    def synapse(self, name: str, a: str, b: str, ohms: float, dt: float) -> None:
        """One synapse part, with its thermal noise source when [noise] has one."""
        na = self.realiser.thermal_current(ohms, dt)
        if na:
            self.net.instance(name, "noisy_synapse", (a, b), r=ohms, na=na, dt=dt)
        else:
            self.net.instance(name, "synapse", (a, b), r=ohms)

    def nodes(
        self,
        x0: Array,
        received: Array,
        bias: Array,
        group: str,
        *,
        prefix: str = "x",
        volts: float | None = None,
        capacitance: float | None = None,
    ) -> list[str]:
        """State nodes ``<prefix><i>``: capacitor (initial state), leak and bias.

        `volts` per model unit (default α) and `capacitance` (default C₀) serve a
        layer with its own scale or time constant.
        """
        n = len(x0)
        volts = self.alpha if volts is None else volts
        nominal = self.hw["c_unit"] if capacitance is None else capacitance
        caps = self.realiser.capacitors(np.full(n, nominal), group)
        names = [f"{prefix}{i}" for i in range(n)]
        for i, node in enumerate(names):
            self.net.capacitor(f"{prefix}{i}", node, GROUND, caps[i], x0[i] * volts)
            self.initial[node] = float(x0[i] * volts)
            leak = 1.0 - received[i]
            self.synapse(f"l{prefix}{i}", node, GROUND, self.r0 / leak, self.noise_dt)
            if bias[i]:
                self.net.current(
                    f"b{prefix}{i}", GROUND, node, f"DC {volts * bias[i] / self.r0:.9g}"
                )
        return names

    def amplifiers(
        self, inputs: list[str], part: str, amp: float, group: str, **params: float
    ) -> list[str]:
        """One amplifier per input node; returns the output nodes ``u<i>``."""
        n = len(inputs)
        gains = self.realiser.amplitudes(group, n) * amp * self.loop_gain
        offsets = self.realiser.offsets(group, n) * self.alpha
        outputs = [f"u{i}" for i in range(n)]
        for i in range(n):
            self.net.instance(
                f"a{i}",
                part,
                (inputs[i], outputs[i]),
                scale=self.alpha,
                amp=gains[i],
                offset=offsets[i],
                **params,
            )
        return outputs

    def amplitude(self, row_sums: Array) -> float:
        """The driver amplitude that leaves each leak `leak_margin` of 1/R₀."""
        need = float(np.max(row_sums, initial=0.0)) / (1 - self.hw["leak_margin"])
        if need > 1.0:
            log.info(
                "driver amplitude raised to %.3g so that every leak keeps %g of 1/R0",
                need,
                self.hw["leak_margin"],
                extra={"codesign_key": "spice.amplitude"},
            )
        return max(1.0, need)

    def finish(self, probes: list[str]) -> None:
        """Probe the state nodes, save every synapse terminal, set the solver."""
        self.net.probes = probes
        self.net.saves = sorted({n for s in self.synapses for n in s[:2]} - {GROUND})
        step = self.hw["max_step"] * self.seconds
        self.net.tran = (step, step)
        self.net.options = {
            "reltol": f"{self.hw['reltol']:g}",
            "method": self.hw["method"],
        }

    def power(self, waves: runner.Waveforms) -> Array:
        """Supply power (W): each driver draws |its output current| from the rail."""
        current: dict[str, Array] = {}
        for driver, node, g in self.synapses:
            flow = g * (waves.volts[driver] - waves.volts[node])
            current[driver] = current.get(driver, 0.0) + flow
        total = sum((np.abs(c) for c in current.values()), np.zeros_like(waves.time))
        return self.hw["supply"] * total

    def decode(self, nodes: list[str]) -> callable:
        """The read-back: state voltages at model times, divided by α."""

        def read(waves: runner.Waveforms, ts: Array) -> Array:
            start = [self.initial[node] for node in nodes]
            return interpolate(waves, nodes, ts * self.seconds, start) / self.alpha

        return read
