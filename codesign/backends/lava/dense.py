"""Dense associative memory on Lava: feature and memory `RateNeuron`s in one loop."""

from __future__ import annotations

import numpy as np

from ...models import DenseModel
from ...spec import Spec
from ._program import Lowered, realised_devices, register


@register("dense")
def lower_dense(spec: Spec, dt: float) -> Lowered:
    """The two-layer dense memory as n feature and p memory `RateNeuron`s.

    Loop [[0, ξᵀ], [ξ, 0]] on the spikes (g(x), f(h)); the memory rows decay
    τ_f/τ_h times faster. f is the softmax (population-level, see
    docs/fixed-point.md) or the rectified polynomial F′, both by table in fixed
    point.
    """
    # feature neurons x (n) and memory neurons h (p), h faster by r = τ_f/τ_h:
    # the loop [[0, ξᵀ], [ξ, 0]] acts on (g(x), f(h)), rows scaled by 1/τ
    model: DenseModel = spec.model
    n, p, r = model.n, model.p, model.tau_f / model.tau_h
    devices = realised_devices(spec)
    loop = np.zeros((n + p, n + p))
    loop[:n, n:] = devices.couplings(model.xi, "feature_synapse").T
    loop[n:, :n] = devices.couplings(model.xi, "memory_synapse")
    memory = (
        {"act": "softmax", "beta": model.beta}
        if model.separation == "softmax"
        else {"act": "polynomial", "degree": model.degree}
    )
    segments = [
        {"stop": n, "act": "tanh", "gain": model.gain},
        {"stop": n + p, **memory},
    ]
    rates = np.concatenate([np.ones(n), np.full(p, r)]) * devices.rates("neuron", n + p)
    return Lowered(
        "rate", loop, spec.x0, np.zeros(n + p), {"segments": segments}, rates=rates
    )
