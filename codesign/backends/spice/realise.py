"""Device realism from ``[noise]``: each circuit device's own seeded deviation.

The draws are `codesign.noise.Devices`', the reference's own: GROUP names the
device family (``synapse``, ``neuron``, ``tank``), a family draws per entry of its
coupling matrix, and a family the circuit shares with the reference gets the
same deviations (an all-to-all Hopfield or an LCA circuit realises the very
devices the reference integrates). With every level at 0 (the default) each
method returns its input unchanged.

| field | device effect in the circuit |
| --- | --- |
| `weight_bits` | synapse conductances rounded to 2^(bits−1) − 1 levels of the largest |
| `stuck_open`, `stuck_short` | a fraction of synapses removed, or set to the largest |
| `mismatch` | every synapse conductance × max(1 + σ·N(0,1), 0) |
| `capacitor_mismatch` | every capacitor × max(1 + σ·N(0,1), 0.01) |
| `offset` | amplifier input offset σ·N(0,1) model units |
| `gain_error` | amplifier output amplitude × max(1 + σ·N(0,1), 0) |
| `frequency_spread` | oscillator inductance, so f₀ × max(1 + σ·N(0,1), 0.1) |
| `thermal` | a 4kT/R white current source across every resistor |

`drift` (conductance decay over time) is not realised in a transient netlist
(`codesign.noise.check_realised` refuses it).
"""

from __future__ import annotations

import numpy as np

from ..._types import Array
from ...noise import Devices

BOLTZMANN = 1.380649e-23  # J/K


class Realiser(Devices):
    """Seeded deviations of one realisation of a circuit, in circuit units."""

    def capacitors(self, c: Array, group: str) -> Array:
        """Capacitances after mismatch (F)."""
        c = np.asarray(c, dtype=float)
        return c * self.relative("capacitor_mismatch", group, c.shape)

    def thermal_current(self, ohms: float, dt: float) -> float:
        """RMS of a resistor's thermal noise current sampled every `dt` seconds (A).

        A one-sided density 4kT/R up to the Nyquist frequency 1/(2dt) has variance
        2kT/(R·dt).
        """
        kelvin = self.noise.get("thermal", 0.0)
        if not kelvin or not np.isfinite(ohms) or ohms <= 0:
            return 0.0
        return float(np.sqrt(2 * BOLTZMANN * kelvin / (ohms * dt)))
