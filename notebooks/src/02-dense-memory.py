# %% [markdown]
# # A dense associative memory beyond the Hopfield limit, as a two-layer circuit
#
# Krotov & Hopfield's two-layer network — feature neurons and memory neurons joined
# by the same synapses both ways — stores far more patterns than neurons. Here
# 16 feature neurons hold 24 patterns (p/n = 1.5). A Hopfield network of the same
# size fails; the dense memory retrieves, as the exact ODE and as a SPICE circuit
# of 2·n·p conductances.

# %%
import matplotlib.pyplot as plt
import numpy as np

from codesign import simulate, spec_from_mapping
from codesign.backends import unsupported
from codesign.compare import compare_backends

rng = np.random.default_rng(3)
patterns = rng.choice([-1, 1], (24, 16))
common = {"init": {"pattern": 5, "flip": 0.125}, "run": {"t_end": 10.0, "points": 101},
          "seed": 3}
dense = spec_from_mapping({"model": {"kind": "dense", "patterns": patterns.tolist(),
                                     "beta": 1.0}, **common})
hopfield = spec_from_mapping({"model": {"kind": "hopfield",
                                        "patterns": patterns.tolist(), "gain": 4.0},
                              **common})
print("hopfield retrieves:", np.array_equal(simulate(hopfield).readout, patterns[5]))
print("dense retrieves:   ", np.array_equal(simulate(dense).readout, patterns[5]))

# %%
backends = [b for b in ("spice",) if unsupported("dense", b) is None]
comparison = compare_backends(dense, backends)
print(comparison.table())

# %%
reference = comparison.reference
fig, (ax_f, ax_m) = plt.subplots(1, 2, figsize=(11, 4))
ax_f.plot(reference.t, reference.x[:, :16], "k", alpha=0.3)
ax_m.plot(reference.t, reference.x[:, 16:], "k", alpha=0.3)
for result in comparison.results:
    ax_f.plot(result.trace.t, result.trace.x[:, :16], "--", lw=0.8)
    ax_m.plot(result.trace.t, result.trace.x[:, 16:], "--", lw=0.8)
ax_f.set(xlabel="t / τ_f", ylabel="feature neurons x", title="features settle on ξ⁵")
ax_m.set(xlabel="t / τ_f", ylabel="memory neurons h", title="one memory neuron wins");

# %% [markdown]
# ## How many patterns?
#
# Retrieval from 2 flipped bits (of 16) as the load grows, for both networks.

# %%
loads = [4, 8, 16, 24, 32]
rates = {"hopfield": [], "dense": []}
for p in loads:
    stored = rng.choice([-1, 1], (p, 16))
    for kind, extra in (("hopfield", {"gain": 4.0}), ("dense", {"beta": 1.0})):
        ok = 0
        for k in range(4):
            spec = spec_from_mapping({
                "model": {"kind": kind, "patterns": stored.tolist(), **extra},
                "init": {"pattern": k, "flip": 0.125},
                "run": {"t_end": 10.0, "points": 11}, "seed": k})
            ok += np.array_equal(simulate(spec).readout, stored[k])
        rates[kind].append(ok / 4)
plt.figure(figsize=(6, 4))
for kind, rate in rates.items():
    plt.plot(np.array(loads) / 16, rate, "o-", label=kind)
plt.axvline(0.138, ls="--", color="grey")
plt.xlabel("p / n"); plt.ylabel("retrieved"); plt.legend();
