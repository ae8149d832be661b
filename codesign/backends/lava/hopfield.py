"""Hopfield on Lava: `RateNeuron`s with a tanh table, weights dt·W in a Dense."""

from __future__ import annotations

from ...models import HopfieldModel
from ...spec import Spec
from ._program import Lowered, realised_devices, register


@register("hopfield")
def lower_hopfield(spec: Spec, dt: float) -> Lowered:
    """τ ẋ = −x + W tanh(gain·x) + b as one `RateNeuron` population and a Dense.

    Step: x ← x + (dt/τ_i)(−x + Σ_j W_ij s_j + b_i), s = tanh(gain·x). ``[noise]``
    mismatch and faults act on W (the reference's "synapse" draws), capacitor
    mismatch on each 1/τ_i.
    """
    model: HopfieldModel = spec.model
    devices = realised_devices(spec)
    segments = [{"stop": model.n, "act": "tanh", "gain": model.gain}]
    rates = devices.rates("neuron", model.n)
    return Lowered(
        "rate",
        devices.couplings(model.weights, "synapse"),
        spec.x0,
        model.bias,
        {"segments": segments},
        rates=rates,
    )
