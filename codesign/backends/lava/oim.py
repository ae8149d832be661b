"""The oscillator Ising machine on Lava: `PhaseNeuron`s, restarts side by side,
annealed like the reference and kicked by the reference's own noise draws."""

from __future__ import annotations

import numpy as np

from ..._rng import derive_rng
from ..._types import Array
from ...models import OIMModel
from ...spec import Spec
from ._program import Lowered, realised_devices, register


@register("oim")
def lower_oim(spec: Spec, dt: float) -> Lowered:
    """φ̇ = −K Σ_j J_ij sin(φ_i − φ_j) − K_s(t) sin 2φ_i + σ(t)ξ as `PhaseNeuron`s.

    Written as cos φ_i (A sin φ)_i − sin φ_i (A cos φ)_i with A = K·J, so one Dense
    (block-diagonal over the restarts, for cos and sin) carries the coupling.
    """
    # the same restarts and noise realisation as the reference, so that paths compare
    model: OIMModel = spec.model
    rng = derive_rng(spec.seed, "reference", "restarts")
    starts = np.vstack(
        [spec.x0[None, :]]
        + [model.initial_state(rng)[None, :] for _ in range(spec.run.restarts - 1)]
    )
    couplings = realised_devices(spec).couplings(model.couplings.toarray(), "coupler")
    return Lowered(
        "phase",
        model.k * couplings,
        starts.ravel(),
        np.zeros(model.n),
        {"shil": model.shil, "anneal_time": model.anneal_time},
        spec.run.restarts,
        noise_kicks(spec, starts.shape, dt),
    )


def noise_kicks(spec: Spec, shape: tuple[int, int], dt: float) -> Array:
    """σ(t)√h z for every step with σ > 0, drawn as the reference draws them.

    The reference's fixed-step integrator draws one standard normal per unit at
    each step whose σ(t) > 0, from the stream ("reference", "noise"); with the same
    step grid, the kicks here are the same numbers.
    """
    model, ts = spec.model, spec.run.times
    stride = round((ts[1] - ts[0]) / dt)
    rng = derive_rng(spec.seed, "reference", "noise")
    kicks = []
    for k in range(1, len(ts)):
        t0, t1 = float(ts[k - 1]), float(ts[k])
        h = (t1 - t0) / stride
        for step in range(stride):
            sigma = model.noise_amplitude(t0 + step * h)
            if sigma <= 0:
                return _rows(kicks, shape)
            kicks.append(sigma * np.sqrt(h) * rng.standard_normal(shape).ravel())
    return _rows(kicks, shape)


def _rows(kicks: list[Array], shape: tuple[int, int]) -> Array:
    return np.array(kicks) if kicks else np.zeros((1, shape[0] * shape[1]))
