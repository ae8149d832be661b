"""Device realism from ``[noise]``: each device's own seeded deviation.

Every draw comes from ``derive_rng(spec.seed, "noise", FIELD, GROUP)``, where GROUP
names the device family (``synapse``, ``neuron``, ``tank``), so a family's devices
draw in index order and adding a family never shifts another's numbers. With every
level at 0 (the default) each method returns its input unchanged.

| field | device effect in the circuit |
| --- | --- |
| `weight_bits` | synapse conductances rounded to 2^(bits−1) − 1 levels of the largest |
| `stuck_open`, `stuck_short` | a fraction of synapses removed, or set to the largest |
| `mismatch` | every synapse conductance × (1 + σ·N(0,1)) |
| `capacitor_mismatch` | every capacitor × (1 + σ·N(0,1)) |
| `offset` | amplifier input offset σ·N(0,1) model units |
| `gain_error` | amplifier output amplitude × (1 + σ·N(0,1)) |
| `frequency_spread` | oscillator inductance, so f₀ × (1 + σ·N(0,1)) |
| `thermal` | a 4kT/R white current source across every resistor |

`drift` (conductance decay over time) is not realised in a transient netlist.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..._rng import derive_rng
from ..._types import Array

BOLTZMANN = 1.380649e-23  # J/K


class Realiser:
    """Seeded deviations of one realisation of a circuit."""

    def __init__(self, noise: Mapping[str, Any], seed: int):
        self.noise = dict(noise)
        self.seed = seed

    @property
    def ideal(self) -> bool:
        return not any(self.noise.get(k) for k in self.noise)

    def _normal(self, field: str, group: str, size: int) -> Array:
        return derive_rng(self.seed, "noise", field, group).standard_normal(size)

    def conductances(self, g: Array, group: str) -> Array:
        """Synapse conductances after quantisation, faults and mismatch (S)."""
        g = np.array(g, dtype=float)
        if g.size == 0:
            return g
        largest = float(np.max(g))
        bits = self.noise.get("weight_bits", 0)
        if bits:
            levels = max(2 ** (bits - 1) - 1, 1)
            g = np.round(g / largest * levels) / levels * largest
        open_, short = (
            self.noise.get("stuck_open", 0.0),
            self.noise.get("stuck_short", 0.0),
        )
        if open_ or short:
            u = derive_rng(self.seed, "noise", "faults", group).random(g.size)
            g = np.where(u < open_, 0.0, np.where(u > 1 - short, largest, g))
        sigma = self.noise.get("mismatch", 0.0)
        if sigma:
            g = g * np.maximum(1 + sigma * self._normal("mismatch", group, g.size), 0)
        return g

    def capacitors(self, c: Array, group: str) -> Array:
        """Capacitances after mismatch (F), never below 1 % of nominal."""
        sigma = self.noise.get("capacitor_mismatch", 0.0)
        c = np.array(c, dtype=float)
        if sigma:
            c = c * np.maximum(
                1 + sigma * self._normal("capacitor", group, c.size), 0.01
            )
        return c

    def offsets(self, n: int, group: str) -> Array:
        """Amplifier input offsets, in model units of state."""
        sigma = self.noise.get("offset", 0.0)
        return sigma * self._normal("offset", group, n) if sigma else np.zeros(n)

    def gains(self, n: int, group: str) -> Array:
        """Relative amplifier amplitudes, 1 when ideal."""
        return 1 + self.noise.get("gain_error", 0.0) * self._normal("gain", group, n)

    def frequencies(self, n: int, group: str) -> Array:
        """Relative oscillator frequencies, 1 when ideal."""
        spread = self.noise.get("frequency_spread", 0.0)
        return np.maximum(1 + spread * self._normal("frequency", group, n), 0.1)

    def thermal_current(self, ohms: float, dt: float) -> float:
        """RMS of a resistor's thermal noise current sampled every `dt` seconds (A).

        A one-sided density 4kT/R up to the Nyquist frequency 1/(2dt) has variance
        2kT/(R·dt).
        """
        kelvin = self.noise.get("thermal", 0.0)
        if not kelvin or not np.isfinite(ohms) or ohms <= 0:
            return 0.0
        return float(np.sqrt(2 * BOLTZMANN * kelvin / (ohms * dt)))
