"""The Hopfield circuit: RC neurons, tanh amplifiers and weight conductances.

τ dx/dt = −x + W tanh(gain·x) + b is built as the relaxation network of
`network` (time unit τ = R₀C₀), with one of two wirings:

- all-to-all: a conductance |W_ij|/(a R₀) from amplifier j (or its inverted copy,
  for W_ij < 0) into neuron i, n² devices;
- factored, for low-rank weights W = Fᵀ diag(s) F + diag(d) (Hebbian memories:
  F = Ξ, s = 1/n, d = −p/n): r memory nodes each average the amplifier outputs
  through conductances ∝ |F_kj|, a buffer restores h_k = Σ_j F_kj tanh(gain·x_j),
  and conductances ∝ |s_k F_ki| feed h_k back into neuron i; the diagonal d_i is
  a synapse from the neuron's own (inverted) output. 2·n·r + n devices, and a
  sparse matrix for the simulator instead of a dense one.

``[spice] topology = "auto"`` takes the factored wiring whenever it needs fewer
than a quarter of the all-to-all devices.
"""

from __future__ import annotations

import logging

import numpy as np

from ..._errors import ValidationError
from ..._types import Array
from ...models import HopfieldModel
from ...models.hopfield import low_rank
from ...spec import Spec
from .compiler import Circuit, register
from .netlist import Netlist
from .network import Wiring
from .realise import Realiser

log = logging.getLogger(__name__)


@register(HopfieldModel)
def build_hopfield(model: HopfieldModel, spec: Spec, realiser: Realiser) -> Circuit:
    """The Hopfield circuit of `model`, all-to-all or factored."""
    hw = spec.table("spice")
    factors = low_rank(model.weights, model.patterns)
    topology = choose_topology(hw["topology"], factors, model.n)
    wiring = Wiring(Netlist(f"codesign hopfield circuit, n = {model.n}"), hw, realiser)
    if topology == "factored":
        _factored(wiring, model, spec.x0, factors)
    else:
        _all_to_all(wiring, model, spec.x0)
    wiring.net.header.append(f"topology: {topology}")
    log.info(
        "hopfield: %s wiring for n = %d (%d elements)",
        topology,
        model.n,
        len(wiring.net.elements),
        extra={"codesign_key": "spice.topology"},
    )
    states = [f"x{i}" for i in range(model.n)]
    wiring.finish(states)
    return Circuit(
        wiring.net,
        wiring.seconds,
        wiring.decode(states),
        wiring.power,
        {"topology": topology, "devices": len(wiring.net.elements)},
    )


def choose_topology(requested: str, factors: tuple | None, n: int) -> str:
    """The wiring to build: the requested one, or the cheaper one for ``auto``."""
    if requested == "factored" and factors is None:
        raise ValidationError(
            "spice.topology",
            'can be "factored" only for low-rank weights '
            "W = Fᵀ diag(s) F + diag(d) with rank r <= n/4",
            "factored",
            remedy='use topology = "auto" or "all_to_all"',
        )
    if requested != "auto":
        return requested
    if factors is not None and 2 * n * len(factors[1]) + n < n * n / 4:
        return "factored"
    return "all_to_all"


def _all_to_all(wiring: Wiring, model: HopfieldModel, x0: Array) -> None:
    n = model.n
    states = [f"x{i}" for i in range(n)]
    amp = wiring.amplitude(np.abs(model.weights).sum(axis=1))
    outputs = wiring.amplifiers(states, "neuron", amp, "neuron", gain=model.gain)
    # the reference's own synapse devices, entry by entry
    received = wiring.couple(
        "w", states, outputs, model.weights, np.full(n, amp), group="synapse"
    )
    wiring.nodes(x0, received, model.bias, "neuron")


def _factored(wiring: Wiring, model: HopfieldModel, x0: Array, factors) -> None:
    f, s, d = factors
    r, n = f.shape
    states = [f"x{i}" for i in range(n)]
    spread = np.abs(f).sum(axis=1)  # S_k: h_k swings within ±S_k

    # amplitudes: h_k is carried at (amp/S_k)·α·h_k, so within ±amp·α like u
    rows = (np.abs(f.T * s) * spread).sum(axis=1) + np.abs(d)
    amp = wiring.amplitude(rows)
    outputs = wiring.amplifiers(states, "neuron", amp, "neuron", gain=model.gain)

    # memory layer: passive averages of the outputs, then unit buffers
    sums = [f"m{k}" for k in range(r)]
    wiring.couple("m", sums, outputs, f, np.ones(n))
    memories = [f"h{k}" for k in range(r)]
    for k in range(r):
        wiring.net.instance(
            f"h{k}", "buffer", (sums[k], memories[k]), gain=wiring.loop_gain
        )

    # feature layer: memories back into the neurons, plus the diagonal self-term
    coeffs = np.hstack([f.T * s, np.diag(d)])
    amps = np.concatenate([amp / spread, np.full(n, amp)])
    received = wiring.couple("f", states, memories + outputs, coeffs, amps)
    wiring.nodes(x0, received, model.bias, "neuron")
