"""The LCA circuit: threshold amplifiers and lateral-inhibition conductances.

τ du/dt = Φᵀy − u − (ΦᵀΦ − I) a with a = T_λ(u) is the relaxation network of
`network` with coupling c = I − ΦᵀΦ (off-diagonal inhibition through inverted
copies, the diagonal 1 − ‖φ_i‖² as a self-synapse), the drive Φᵀy as a bias
current, and the threshold as the amplifier's transfer curve: the
``soft_threshold`` part, or the ``rectifier`` when the code is non-negative.
"""

from __future__ import annotations

import numpy as np

from ...models import LCAModel
from ...spec import Spec
from .compiler import Circuit, register
from .netlist import Netlist
from .network import Wiring
from .realise import Realiser


@register(LCAModel)
def build_lca(model: LCAModel, spec: Spec, realiser: Realiser) -> Circuit:
    """The LCA circuit of `model`."""
    n = model.n
    wiring = Wiring(
        Netlist(f"codesign lca circuit, n = {n}"), spec.table("spice"), realiser
    )
    states = [f"x{i}" for i in range(n)]
    coupling = np.eye(n) - model.gram
    amp = wiring.amplitude(np.abs(coupling).sum(axis=1))
    part = "rectifier" if model.nonnegative else "soft_threshold"
    outputs = wiring.amplifiers(states, part, amp, "neuron", lam=model.lam)
    # the reference's own devices: lateral synapses entry by entry, input drives
    received = wiring.couple(
        "w", states, outputs, coupling, np.full(n, amp), group="synapse"
    )
    drive = model.drive * realiser.relative("mismatch", "input", n)
    wiring.nodes(spec.x0, received, drive, "neuron")
    wiring.finish(states)
    return Circuit(
        wiring.net,
        wiring.seconds,
        wiring.decode(states),
        wiring.power,
        {"devices": len(wiring.net.elements)},
    )
