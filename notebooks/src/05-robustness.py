# %% [markdown]
# # How wrong may the hardware be?
#
# A memory circuit is built from imperfect devices. We measure its yield — the
# share of device draws that still retrieve the stored pattern — against two knobs
# a designer can buy: conductance matching (mismatch σ) and weight resolution
# (bits, here on top of σ = 0.3). Each point is 24 seeded realisations with a 95 %
# Wilson interval; the margin is bisected where yield crosses 90 %.

# %%
import matplotlib.pyplot as plt
import numpy as np

from codesign import spec_from_mapping
from codesign.sweep import InlineExecutor, run_sweep

rng = np.random.default_rng(5)
patterns = rng.choice([-1, 1], (5, 40))
spec = spec_from_mapping({
    "seed": 5, "model": {"kind": "hopfield", "patterns": patterns.tolist(),
                         "gain": 4.0},
    "init": {"pattern": 0, "flip": 0.2}, "run": {"t_end": 10.0, "points": 51}})

mismatch = run_sweep(spec, [("noise.mismatch", [0.0, 0.25, 0.5, 1.0, 1.5, 2.0])], 24,
                     executor=InlineExecutor(), margin_target=0.9, bisections=3,
                     progress=False)
# quantisation compounds mismatch: sweep the bits at a realistic σ = 0.3
bits = run_sweep(spec.varied("noise.mismatch", 0.3),
                 [("noise.weight_bits", [2, 3, 4, 6, 8])], 24,
                 executor=InlineExecutor(), progress=False)
print(mismatch.table())
print(bits.table())

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for ax, result, key in ((axes[0], mismatch, "noise.mismatch"),
                        (axes[1], bits, "noise.weight_bits")):
    x = [r["values"][key] for r in result.rows]
    y = [r["success_rate"] for r in result.rows]
    err = [[r["success_rate"] - r["ci_low"] for r in result.rows],
           [r["ci_high"] - r["success_rate"] for r in result.rows]]
    ax.errorbar(x, y, yerr=err, marker="o", capsize=3)
    ax.set(xlabel=key, ylabel="yield", ylim=(-0.05, 1.05))
axes[0].axvline(mismatch.margin["margin"], ls="--", color="grey",
                label="90 % margin")
axes[0].legend();

# %% [markdown]
# ## The hardware choice
#
# The margin says how much conductance mismatch this memory tolerates at 90 %
# yield; the bit sweep says how few weight levels it needs. A process whose
# resistors match to better than the margin (with room to spare) and the smallest
# bit width at full yield is the cheapest safe choice.

# %%
full = [r["values"]["noise.weight_bits"] for r in bits.rows if r["ci_low"] > 0.8]
print(f"mismatch tolerated at 90 % yield: σ ≈ {mismatch.margin['margin']:.2f}")
fewest = min(full) if full else None
print(f"fewest weight bits with yield interval above 0.8: {fewest}")
