"""The Boltzmann machine: clocked p-bits sampling P(s) ∝ exp(−E(s)/T).

Each unit is a p-bit: a comparator, a random threshold and a latch.

- The field I_i = Σ_j W_ij s_j + b_i is a passive average: conductances ∝ |W_ij|
  from spin node j (or its inverted copy), ∝ |b_i| from a ±α reference, and 1/R₀
  to ground, so the node sits at α·I_i/S_i with S_i = Σ_j|W_ij| + |b_i| + 1.
- The threshold θ_i = (T/2)·logit(u), u uniform, drawn once per sweep from the
  spec's seed (a `pwl(time, …)` table, α·θ/S_i volts): the comparator says +1
  when I_i > θ_i, which happens with probability σ(2I_i/T) — the heat-bath rule.
- A latch (a capacitor charged through a clocked conductance) copies the
  comparator's decision onto the spin node during unit i's slot of each sweep
  and holds it otherwise, so the units update one after another, like the
  reference's systematic Gibbs sweeps.

`chains` independent copies run side by side; after `burn_in` sweeps the spins
are read at the end of every sweep, chains interleaved as the reference does.
"""

from __future__ import annotations

import numpy as np
from scipy.special import logit

from ..._rng import derive_rng
from ..._types import Array
from ...models import BoltzmannModel
from ...spec import Spec
from .compiler import Circuit, register
from .netlist import GROUND, Netlist
from .network import Wiring
from .realise import Realiser

SLOT = 1e-6  # seconds per unit update
EDGE = 0.05  # rise of the thresholds at each sweep's start, in slots
CLOCK_FLOOR = 1e-4  # a latch's clock one slot away from its own
STEPS_PER_SLOT = 4  # largest transient step, per slot
LATCH_FRACTION = 0.5  # share of a slot the latch clock is above one half
LATCH_SPEED = 10.0  # latch time constants per conducting window
SHARPNESS = 1e3  # comparator slope, per volt of field
LATCH_CAPACITANCE = 1e-9  # F


@register(BoltzmannModel)
def build_boltzmann(model: BoltzmannModel, spec: Spec, realiser: Realiser) -> Circuit:
    """`chains` copies of the p-bit network, one sweep of slots per sample."""
    run, n = spec.run, model.n
    sweeps = run.burn_in + -(-run.samples // run.chains)
    sweep = n * SLOT
    wiring = Wiring(
        Netlist(f"codesign boltzmann p-bit circuit, n = {n}, {run.chains} chains"),
        spec.table("spice"),
        realiser,
    )
    _clocks(wiring.net, n, sweep)
    rng = derive_rng(spec.seed, "spice", "p-bits")
    starts = np.where(rng.random((run.chains, n)) < 0.5, -1.0, 1.0)
    starts[0] = np.where(spec.x0 >= 0, 1.0, -1.0)
    spins = []
    for c in range(run.chains):
        thresholds = (
            model.temperature / 2 * logit(rng.uniform(1e-12, 1 - 1e-12, (sweeps, n)))
        )
        spins.append(_chain(wiring, model, c, starts[c], thresholds, sweep))
    probes = [node for chain in spins for node in chain]
    wiring.finish(probes)
    wiring.net.tran = (SLOT / STEPS_PER_SLOT, SLOT / STEPS_PER_SLOT)
    wiring.net.options.update(method="gear", reltol="1e-3")

    def decode(waves, ts: Array) -> Array:
        # spins at the end of every sweep after burn-in; (sweep, chain, unit)
        ends = (np.arange(run.burn_in, sweeps) + 1) * sweep - SLOT / 10
        volts = np.stack(
            [np.interp(ends, waves.time, waves.volts[p]) for p in probes], axis=1
        )
        states = np.where(volts >= 0, 1.0, -1.0).reshape(len(ends), run.chains, n)
        return states.reshape(-1, n)[: run.samples]

    return Circuit(
        wiring.net,
        sweeps * sweep / run.t_end,
        decode,
        wiring.power,
        {"devices": len(wiring.net.elements), "sweeps": sweeps},
        samples=True,
    )


def _clocks(net: Netlist, n: int, sweep: float) -> None:
    # unit i's latch conducts around the middle of slot i of every sweep: a smooth
    # bump ((1 + cos ψ)/2)^m, ψ = 2π(t − t_i)/sweep, below 1e-4 one slot away, so
    # the clocks set no breakpoints for the simulator
    m = np.log(CLOCK_FLOOR) / np.log((1 + np.cos(2 * np.pi / max(n, 3))) / 2)
    for i in range(n):
        node = f"clk{i}"
        centre = (i + 0.5) * SLOT
        net.add_raw(
            f"bclk{i}",
            (node, GROUND),
            f"V = pwr((1 + cos({2 * np.pi / sweep:.9g}*(time - {centre:.9g})))"
            f"/2, {m:.6g})",
            links=((node, GROUND),),
        )


def _chain(
    wiring: Wiring,
    model: BoltzmannModel,
    c: int,
    start: Array,
    thresholds: Array,
    sweep: float,
) -> list[str]:
    """One chain: spin latches, field averages, comparators; its spin nodes."""
    net, n, alpha = wiring.net, model.n, wiring.alpha
    spins = [f"s{c}_{i}" for i in range(n)]
    fields = [f"f{c}_{i}" for i in range(n)]

    # fields: average of ±spins and ±1 (bias) through |W|, |b|, plus 1/R₀ to ground;
    # the ±α bias reference is placed only where some unit has a bias
    sources, coeffs = spins, model.weights
    if np.any(model.bias):
        ref = f"one{c}"
        net.add_raw(
            f"vone{c}", (ref, GROUND), f"DC {alpha:.9g}", links=((ref, GROUND),)
        )
        # a negligible load keeps the node connected when weight_bits rounds
        # every bias conductance to zero
        net.resistor(f"rone{c}", ref, GROUND, 1e12)
        sources = spins + [ref]
        coeffs = np.hstack([model.weights, model.bias[:, None]])
    wiring.couple(
        f"w{c}_", fields, sources, coeffs, np.ones(len(sources)), group="synapse"
    )
    spread = np.abs(coeffs).sum(axis=1) + 1.0
    for i in range(n):
        net.resistor(f"g{c}_{i}", fields[i], GROUND, wiring.r0)

    # latches with their random thresholds (held for a whole sweep)
    conductance = LATCH_SPEED * LATCH_CAPACITANCE / (LATCH_FRACTION * SLOT)
    for i in range(n):
        theta = f"t{c}_{i}"
        volts = alpha * thresholds[:, i] / spread[i]
        times = np.arange(len(volts)) * sweep
        # a B card's pwl(time, ...) table: looked up by bisection and setting no
        # breakpoints (a PWL source scans its points from the first at every
        # evaluation: run time grew with the square of the sweeps)
        points = [
            f"{t + EDGE * SLOT:.6g}, {v:.6g}, {t + sweep:.6g}, {v:.6g}"
            for t, v in zip(times, volts, strict=True)
        ]
        rows = [", ".join(points[k : k + 4]) for k in range(0, len(points), 4)]
        net.add_raw(
            f"bt{c}_{i}",
            (theta, GROUND),
            "V = pwl(time, 0, 0, " + ",\n+ ".join(rows) + ")",
            links=((theta, GROUND),),
        )
        net.capacitor(
            f"s{c}_{i}", spins[i], GROUND, LATCH_CAPACITANCE, alpha * start[i]
        )
        net.resistor(f"h{c}_{i}", spins[i], GROUND, 1e12)
        net.add_raw(
            f"bl{c}_{i}",
            (GROUND, spins[i]),
            f"I = {conductance:.9g}*v(clk{i})*({alpha:.9g}*tanh("
            f"{SHARPNESS:.9g}*(v({fields[i]})-v({theta})))-v({spins[i]}))",
            senses=(f"clk{i}", fields[i], theta),
        )
    return spins
