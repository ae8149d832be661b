"""LCA on Lava: `RateNeuron`s with an exact soft threshold, weights dt·(I − ΦᵀΦ)."""

from __future__ import annotations

import numpy as np

from ...models import LCAModel
from ...spec import Spec
from ._program import Lowered, realised_devices, register


@register("lca")
def lower_lca(spec: Spec, dt: float) -> Lowered:
    """τ u̇ = Φᵀy − u − (ΦᵀΦ − I) a as one `RateNeuron` population and a Dense.

    Step: u ← u + (dt/τ_i)(−u + Σ_j (I − ΦᵀΦ)_ij a_j + (Φᵀy)_i), a = T_λ(u) computed
    exactly (sign-magnitude subtraction and shift in fixed point).
    """
    model: LCAModel = spec.model
    devices = realised_devices(spec)
    act = "relu" if model.nonnegative else "soft"
    segments = [{"stop": model.n, "act": act, "threshold": model.lam}]
    lateral = devices.couplings(model.gram - np.eye(model.n), "synapse")
    drive = model.drive * devices.relative("mismatch", "input", model.n)
    rates = devices.rates("neuron", model.n)
    return Lowered(
        "rate", -lateral, spec.x0, drive, {"segments": segments}, rates=rates
    )
