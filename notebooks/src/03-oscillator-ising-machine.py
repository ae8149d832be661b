# %% [markdown]
# # An oscillator Ising machine for Max-Cut
#
# Coupled oscillators with second-harmonic injection settle into phases 0 or π: a
# spin assignment. With couplings J = −w the lowest Ising energy is the largest cut.
# We run the ideal oscillator model on a G-set benchmark graph (800 nodes), an
# ngspice circuit of LC tanks on a 10-node graph, and a Loihi-style fixed-point
# program on a 12-node graph, each checked against an exact answer.

# %%
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import codesign
from codesign import simulate, spec_from_mapping
from codesign.backends import unsupported
from codesign.models.maxcut import random_graph

GSET = Path(codesign.__file__).resolve().parents[1] / "benchmarks" / "gset"
BEST_KNOWN = {"G11": 564, "G14": 3064}

# %% [markdown]
# ## The reference on G14 (800 nodes, 4694 edges)
#
# Defaults anneal the injection up and the noise down over 80 % of the run, keep
# the best of 16 restarts, then let the phases settle noise-free.

# %%
start = time.perf_counter()
spec = spec_from_mapping({"seed": 1, "model": {"kind": "oim",
                                               "graph": str(GSET / "G14.txt")},
                          "run": {"t_end": 20.0, "points": 201, "restarts": 8}})
trace = simulate(spec)
print(f"cut {trace.extras['cut']:.0f} of best-known {BEST_KNOWN['G14']} "
      f"({trace.extras['cut'] / BEST_KNOWN['G14']:.3f}) in "
      f"{time.perf_counter() - start:.1f} s")

fig, (ax_p, ax_e) = plt.subplots(1, 2, figsize=(11, 4))
ax_p.plot(trace.t, np.cos(trace.x[:, :30]), lw=0.6)
ax_p.axvline(trace.extras["settle_time"], ls="--", color="grey")
ax_p.set(xlabel="t", ylabel="cos φ", title="phases binarise (30 of 800)")
ax_e.plot(trace.t, trace.energy)
ax_e.axvline(trace.extras["settle_time"], ls="--", color="grey",
             label="annealing ends")
ax_e.set(xlabel="t", ylabel="energy", title="energy (noise-free after the line)")
ax_e.legend();

# %% [markdown]
# ## The circuit and the chip on small graphs, against brute force

# %%
rows = []
for backend, nodes, extra in (("spice", 10, {}),
                              ("lava", 12, {"lava": {"precision": "fixed"}})):
    if unsupported("oim", backend) is not None:
        print(f"{backend}: {unsupported('oim', backend)}")
        continue
    graph = random_graph(nodes, 0.5, np.random.default_rng(nodes))
    best, _ = graph.brute_force()
    spec = spec_from_mapping({"seed": 2, "model": {
        "kind": "oim", "couplings": (-graph.adjacency.toarray()).tolist()}, **extra})
    result = simulate(spec, backend)
    rows.append((backend, nodes, result.extras["cut"], best))
    print(f"{backend:6s} n={nodes}: cut {result.extras['cut']:.0f}, optimum {best:.0f}")
