"""The Kuramoto circuit: LC oscillators detuned by ω_i and coupled by resistors.

θ̇_i = ω_i + Σ_j K_ij sin(θ_j − θ_i) becomes the tanks of `oscillators`, tank i
tuned to f₀ + ω_i/(2π T_m), with a resistor 2C|K_ij|/T_m between tanks (to the
inverted copy of tank j where K_ij < 0). A scalar coupling K is K/n between
every pair. Phases are read against f₀, so θ_i is the model's phase. A tank far
off f₀ would filter the coupling currents it receives, so the model time unit is
lengthened (more cycles per unit) until every |ω_i| is within 2.5 % of f₀.
"""

from __future__ import annotations

import logging

import numpy as np

from ...models import KuramotoModel
from ...spec import Spec
from . import oscillators
from .compiler import Circuit, register
from .netlist import Netlist
from .network import Wiring
from .realise import Realiser

log = logging.getLogger(__name__)


MAX_DETUNING = 0.025  # largest |ω_i|/(2π f₀ T_m): a tank's offset from f₀


def detuned_design(hw: dict, omega: np.ndarray) -> dict:
    """`hw` with enough cycles per model unit that no tank is detuned by more
    than `MAX_DETUNING` of f₀ (a tank far off resonance filters the coupling
    currents it receives, which the phase model does not)."""
    need = float(np.max(np.abs(omega), initial=0.0)) / (2 * np.pi * MAX_DETUNING)
    if need <= hw["cycles_per_unit"]:
        return hw
    log.info(
        "kuramoto: %.3g cycles per model unit (not %g) for |ω| up to %.3g",
        need,
        hw["cycles_per_unit"],
        float(np.max(np.abs(omega))),
        extra={"codesign_key": "spice.cycles_per_unit"},
    )
    return {**hw, "cycles_per_unit": need}


@register(KuramotoModel)
def build_kuramoto(model: KuramotoModel, spec: Spec, realiser: Realiser) -> Circuit:
    """The Kuramoto circuit of `model`."""
    hw = detuned_design(spec.table("spice"), model.omega)
    coupling = model.coupling_matrix().copy()
    np.fill_diagonal(coupling, 0.0)
    wiring = Wiring(Netlist(f"codesign kuramoto circuit, n = {model.n}"), hw, realiser)
    tanks = oscillators.design(hw, np.abs(coupling).sum(axis=1))
    nodes = oscillators.place(wiring, tanks, spec.x0[None, :], model.omega, coupling)
    oscillators.finish(wiring, tanks, nodes[0], hw["steps_per_cycle"])

    def decode(waves, ts):
        return oscillators.demodulate(waves, nodes[0], tanks, ts, spec.x0)

    return Circuit(
        wiring.net,
        tanks.seconds,
        decode,
        oscillators.power(wiring, tanks, nodes[0]),
        {"devices": len(wiring.net.elements)},
    )
