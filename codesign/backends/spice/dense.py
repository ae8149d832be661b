"""The dense associative memory: feature and memory neurons joined by ±1 synapses.

τ_f ẋ = −x + ξᵀ f(h) and τ_h ḣ = −h + ξ g(x) are two relaxation layers of
`network` (time unit τ_f = R₀C₀; the memory capacitors are C₀·τ_h/τ_f):

- feature nodes x_i with tanh amplifiers u_i = α·g(x_i);
- memory nodes h_μ, each fed by n conductances from u_j or its inverted copy
  (sign ξ_μj). A memory node carries α_h = α(1 − leak_margin)/n volts per unit,
  so its n synapses fit inside 1/R₀ and h stays within ±α;
- a separation stage per memory, the voltage a·α·f_μ(h):
  - ``softmax``: f_μ = 1 / Σ_ν exp(β(h_ν − h_μ)), the law of a translinear
    (subthreshold differential-pair) normaliser whose tail current is shared by
    the p branches; a behavioural B card here;
  - ``polynomial``: f_μ = degree·relu(h_μ)^(degree−1), a rectifier followed by a
    power-law (translinear) stage; a behavioural B card here;
- the feature synapses, ±1/(a R₀) from f_μ (or its inverted copy) into x_i.

The state read back is (x, h) in model units, as the reference's.
"""

from __future__ import annotations

import numpy as np

from ..._types import Array
from ...models import DenseModel
from ...spec import Spec
from .compiler import Circuit, interpolate, register
from .netlist import GROUND, Netlist
from .network import Wiring
from .realise import Realiser


@register(DenseModel)
def build_dense(model: DenseModel, spec: Spec, realiser: Realiser) -> Circuit:
    """The two-layer circuit of `model`."""
    hw = spec.table("spice")
    n, p = model.n, model.p
    wiring = Wiring(
        Netlist(f"codesign dense memory circuit, n = {n}, p = {p}"), hw, realiser
    )
    features = [f"x{i}" for i in range(n)]
    x0, h0 = model.split(spec.x0)

    # memory layer: h_μ at α_h volts per unit, fed by the feature amplifiers
    memory_volts = wiring.alpha * (1 - hw["leak_margin"]) / n
    outputs = wiring.amplifiers(features, "neuron", 1.0, "neuron", gain=model.gain)
    memories = [f"h{k}" for k in range(p)]
    received = wiring.couple(
        "m", memories, outputs, model.xi, np.ones(n), scale=memory_volts / wiring.alpha
    )
    capacitance = hw["c_unit"] * model.tau_h / model.tau_f
    wiring.nodes(
        h0,
        received,
        np.zeros(p),
        "memory",
        prefix="h",
        volts=memory_volts,
        capacitance=capacitance,
    )

    # separation stage and feature layer
    amp = wiring.amplitude(np.full(n, float(p)))
    separated = _separation(
        wiring.net, model, memories, memory_volts, amp * wiring.alpha * wiring.loop_gain
    )
    received = wiring.couple("f", features, separated, model.xi.T, np.full(p, amp))
    wiring.nodes(x0, received, np.zeros(n), "neuron")

    wiring.finish(features + memories)
    scales = np.concatenate([np.full(n, wiring.alpha), np.full(p, memory_volts)])

    def decode(waves, ts: Array) -> Array:
        nodes = features + memories
        start = [wiring.initial[node] for node in nodes]
        return interpolate(waves, nodes, ts * wiring.seconds, start) / scales

    return Circuit(
        wiring.net,
        wiring.seconds,
        decode,
        wiring.power,
        {"devices": len(wiring.net.elements)},
    )


def _separation(
    net: Netlist,
    model: DenseModel,
    memories: list[str],
    memory_volts: float,
    out_volts: float,
) -> list[str]:
    # one behavioural stage per memory: V(f_μ) = out_volts · f_μ(h)
    outputs = [f"s{k}" for k in range(len(memories))]
    h = [f"v({node})/{memory_volts:.9g}" for node in memories]
    for k, out in enumerate(outputs):
        if model.separation == "softmax":
            terms = " + ".join(
                f"exp({model.beta:.9g}*({h[j]} - {h[k]}))"
                for j in range(len(memories))
                if j != k
            )
            law = f"1/(1 + {terms})" if terms else "1"
        else:
            law = f"{model.degree}*pwr(uramp({h[k]}), {model.degree - 1})"
        net.add_raw(
            f"bs{k}",
            (out, GROUND),
            f"V = {out_volts:.9g}*{law}",
            links=((out, GROUND),),
            senses=tuple(memories),
        )
    return outputs
