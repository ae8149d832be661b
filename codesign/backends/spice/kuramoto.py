"""The Kuramoto circuit: LC oscillators detuned by ω_i and coupled by resistors.

θ̇_i = ω_i + Σ_j K_ij sin(θ_j − θ_i) becomes the tanks of `oscillators`, tank i
tuned to f₀ + ω_i/(2π T_m), with a resistor 2C|K_ij|/T_m between tanks (to the
inverted copy of tank j where K_ij < 0). A scalar coupling K is K/n between
every pair. Phases are read against f₀, so θ_i is the model's phase.
"""

from __future__ import annotations

import numpy as np

from ...models import KuramotoModel
from ...spec import Spec
from . import oscillators
from .compiler import Circuit, register
from .netlist import Netlist
from .network import Wiring
from .realise import Realiser


@register(KuramotoModel)
def build_kuramoto(model: KuramotoModel, spec: Spec, realiser: Realiser) -> Circuit:
    """The Kuramoto circuit of `model`."""
    hw = spec.table("spice")
    coupling = model.coupling_matrix().copy()
    np.fill_diagonal(coupling, 0.0)
    wiring = Wiring(Netlist(f"codesign kuramoto circuit, n = {model.n}"), hw,
                    realiser)
    tanks = oscillators.design(hw, np.abs(coupling).sum(axis=1))
    nodes = oscillators.place(wiring, tanks, spec.x0[None, :], model.omega, coupling)
    oscillators.finish(wiring, tanks, nodes[0], hw["steps_per_cycle"])

    def decode(waves, ts):
        phases = oscillators.demodulate(waves, nodes[0], tanks, ts)
        return oscillators.match_turns(phases, spec.x0)

    return Circuit(wiring.net, tanks.seconds, decode,
                   oscillators.power(wiring, tanks, nodes[0]),
                   {"devices": len(wiring.net.elements)})
