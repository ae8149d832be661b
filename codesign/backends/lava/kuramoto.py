"""Kuramoto oscillators on Lava: `PhaseNeuron`s coupled through a Dense of dt·K."""

from __future__ import annotations

import numpy as np

from ...models import KuramotoModel
from ...spec import Spec
from ._program import Lowered, realised_devices, register


@register("kuramoto")
def lower_kuramoto(spec: Spec, dt: float) -> Lowered:
    """θ̇_i = ω_i + Σ_j K_ij sin(θ_j − θ_i) as `PhaseNeuron`s and one Dense.

    Written as ω_i + cos θ_i (K sin θ)_i − sin θ_i (K cos θ)_i; a scalar coupling is
    the full matrix K/n.
    """
    model: KuramotoModel = spec.model
    return Lowered(
        "phase",
        realised_devices(spec).couplings(model.coupling_matrix(), "coupler"),
        spec.x0,
        model.omega,
        {"shil": 0.0, "anneal_time": 0.0},
        1,
        np.zeros((1, model.n)),
    )
