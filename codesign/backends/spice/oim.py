"""The oscillator Ising machine: coupled LC tanks locked by second-harmonic injection.

φ̇_i = −K Σ_j J_ij sin(φ_i − φ_j) − K_s(t) sin 2φ_i + σ(t)ξ_i becomes the tanks of
`oscillators`: a resistor 2C·K|J_ij|/T_m between tanks i and j (to the inverted
copy of tank j for J_ij < 0, the Max-Cut case), a ``shil`` pump of conductance
4C·K_s/T_m at 2f₀ ramped up over the annealing time as the reference ramps K_s,
and seeded quadrature phase noise that ramps down to zero over the same time.

The reference keeps the best of `restarts` annealed runs; the circuit does the
same in hardware: `restarts` independent copies of the network in one netlist,
started from the reference's own starting phases, and the copy with the largest
cut is read out (extras ``cut`` and ``restart_cuts``).
"""

from __future__ import annotations

import numpy as np

from ..._rng import derive_rng
from ...models import OIMModel
from ...spec import Spec
from . import oscillators
from .compiler import Circuit, register
from .netlist import Netlist
from .network import Wiring
from .realise import Realiser


@register(OIMModel)
def build_oim(model: OIMModel, spec: Spec, realiser: Realiser) -> Circuit:
    """The OIM circuit of `model`, `restarts` copies side by side."""
    hw = spec.table("spice")
    coupling = model.k * model.couplings.toarray()
    np.fill_diagonal(coupling, 0.0)
    starts = restart_phases(model, spec)
    n, copies = model.n, len(starts)
    wiring = Wiring(
        Netlist(f"codesign oim circuit, n = {n}, {copies} copies"), hw, realiser
    )
    tanks = oscillators.design(hw, np.abs(coupling).sum(axis=1), model.shil)
    noisy = model.noise > 0 and model.anneal_time > 0
    nodes = oscillators.place(
        wiring,
        tanks,
        starts,
        np.zeros(n),
        coupling,
        shil=model.shil,
        ramp=model.anneal_time,
        kicks=reference_kicks(model, spec) if noisy else None,
    )
    probes = [node for copy in nodes for node in copy]
    oscillators.finish(wiring, tanks, probes, hw["steps_per_cycle"])
    extras = {"devices": len(wiring.net.elements), "restarts": copies}

    def decode(waves, ts):
        phases = oscillators.demodulate(waves, probes, tanks, ts, starts.ravel())
        phases = phases.reshape(len(ts), copies, n)
        cuts = model.cut_value(phases[-1])
        best = int(np.argmax(cuts))
        extras.update(cut=float(cuts[best]), restart_cuts=cuts, best_restart=best)
        return phases[:, best]

    return Circuit(
        wiring.net,
        tanks.seconds,
        decode,
        oscillators.power(wiring, tanks, probes),
        extras,
    )


def reference_kicks(model: OIMModel, spec: Spec) -> np.ndarray:
    """The reference's own Brownian increments, summed per `NOISE_STEP` bin.

    The phase noise is drawn from the same seeded stream, in the same order, as
    the reference's fixed-step integrator draws it (``derive_rng(seed,
    "reference", "noise")``, one (restarts, n) draw per step where σ > 0), so the
    circuit and the reference anneal through the same noise path: common random
    numbers, which make their trajectories comparable. Shape (restarts, bins, n).
    """
    ts = spec.run.times
    dt = spec.table("reference")["dt"]
    rng = derive_rng(spec.seed, "reference", "noise")
    bins = int(np.ceil(model.anneal_time / oscillators.NOISE_STEP)) + 1
    kicks = np.zeros((bins, spec.run.restarts, model.n))
    for t0, t1 in zip(ts[:-1], ts[1:], strict=True):
        steps = max(1, int(np.ceil((t1 - t0) / dt - 1e-9)))
        h = (t1 - t0) / steps
        for step in range(steps):
            t = t0 + step * h
            sigma = model.noise_amplitude(t)
            if sigma > 0:
                k = min(int((t + h / 2) / oscillators.NOISE_STEP), bins - 1)
                kicks[k] += sigma * np.sqrt(h) * rng.standard_normal(kicks.shape[1:])
    return kicks.transpose(1, 0, 2)


def restart_phases(model: OIMModel, spec: Spec) -> np.ndarray:
    """The starting phases of every restart: x0, then the reference's draws."""
    rng = derive_rng(spec.seed, "reference", "restarts")
    rows = [spec.x0] + [model.initial_state(rng) for _ in range(spec.run.restarts - 1)]
    return np.vstack(rows)
