# %% [markdown]
# # A Hopfield memory, three ways
#
# One abstract model — a continuous-time Hopfield network storing three patterns —
# runs as the exact ODE, as an ngspice circuit (resistors, capacitors, saturating
# amplifiers) and as a Lava program of Loihi-style neurons. Every trace comes back
# in model units, so they can be laid on top of each other. Then, with the exact
# model only, we watch the memory fail as patterns are added: near p ≈ 0.138 n.

# %%
import matplotlib.pyplot as plt
import numpy as np

from codesign import spec_from_mapping
from codesign.backends import unsupported
from codesign.compare import compare_backends

rng = np.random.default_rng(7)
patterns = rng.choice([-1, 1], (3, 32))
spec = spec_from_mapping({
    "name": "three ways", "seed": 7,
    "model": {"kind": "hopfield", "patterns": patterns.tolist(), "gain": 4.0},
    "init": {"pattern": 0, "flip": 0.25},
    "run": {"t_end": 10.0, "points": 201},
})
backends = [b for b in ("spice", "lava") if unsupported("hopfield", b) is None]
print("backends here:", ["reference", *backends])

# %%
comparison = compare_backends(spec, backends)
print(comparison.table())
reference = comparison.reference
print("retrieved pattern 0:", np.array_equal(reference.readout, patterns[0]))

# %%
flipped = np.flatnonzero(np.sign(spec.x0) != patterns[0])[:4]
fig, (ax_x, ax_e) = plt.subplots(1, 2, figsize=(11, 4))
for k in flipped:
    ax_x.plot(reference.t, reference.x[:, k], "k", lw=3, alpha=0.3)
for style, result in zip(("--", ":"), comparison.results, strict=False):
    for k in flipped:
        ax_x.plot(result.trace.t, result.trace.x[:, k], style)
    ax_e.plot(result.trace.t, result.trace.energy, style, label=result.name)
ax_e.plot(reference.t, reference.energy, "k", lw=3, alpha=0.3, label="exact ODE")
ax_x.set(xlabel="t / τ", ylabel="x", title="flipped units return (thick: exact)")
ax_e.set(xlabel="t / τ", ylabel="energy", title="the energy only descends")
ax_e.legend();

# %% [markdown]
# ## Capacity: where the memory breaks
#
# In the high-gain (binary) limit a Hebbian network of n units stops retrieving
# its patterns when p/n passes about 0.138 (Amit, Gutfreund & Sompolinsky). We
# present each stored pattern, run the network to a fixed point and count the
# patterns recovered with at most 1 % of bits wrong.

# %%
from codesign.models import learning
from codesign.models.hopfield import asynchronous_sweep

n = 300
alphas = np.arange(0.04, 0.25, 0.02)
recovered = []
for alpha in alphas:
    p = int(round(alpha * n))
    stored = rng.choice([-1.0, 1.0], (p, n))
    w = learning.hebbian(stored)
    good = 0
    for xi in stored[:10]:
        s = xi.copy()
        for _ in range(10):
            s = asynchronous_sweep(w, s, rng)
        good += np.mean(s != xi) <= 0.01
    recovered.append(good / min(p, 10))

plt.figure(figsize=(6, 4))
plt.plot(alphas, recovered, "o-")
plt.axvline(0.138, ls="--", color="grey", label="0.138 (replica theory)")
plt.xlabel("p / n"); plt.ylabel("patterns recovered (≤ 1 % bits wrong)")
plt.legend(); plt.title(f"Hebbian capacity, n = {n}");
