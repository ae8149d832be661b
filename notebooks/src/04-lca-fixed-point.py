# %% [markdown]
# # Sparse coding in Loihi-style fixed point
#
# The locally competitive algorithm settles on the LASSO solution: its neurons
# inhibit each other through ΦᵀΦ and pass their input through a soft threshold.
# On a neuromorphic chip every weight, state and activation is an integer. We run
# it in Lava's bit-accurate fixed point and compare the code with an independent
# LASSO solver (scikit-learn's coordinate descent).

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import Lasso

from codesign import simulate, spec_from_mapping
from codesign.backends import unsupported

rng = np.random.default_rng(4)
m, n, lam = 24, 48, 0.1
phi = rng.normal(0, 1, (m, n))
phi /= np.linalg.norm(phi, axis=0)
truth = np.zeros(n)
truth[rng.choice(n, 5, replace=False)] = rng.choice([-1, 1], 5) * rng.uniform(1, 2, 5)
y = phi @ truth
lasso = Lasso(alpha=lam / m, fit_intercept=False, tol=1e-12, max_iter=100000)
expected = lasso.fit(phi, y).coef_

spec = {"seed": 4, "model": {"kind": "lca", "dictionary": phi.tolist(),
                             "signal": y.tolist(), "lam": lam},
        "run": {"t_end": 60.0, "points": 121}}
codes = {"exact ODE": simulate(spec_from_mapping(spec)).readout}
if unsupported("lca", "lava") is None:
    for precision in ("float", "fixed"):
        run = spec_from_mapping({**spec, "lava": {"precision": precision}})
        codes[f"lava {precision}"] = simulate(run, "lava").readout
else:
    print("lava:", unsupported("lca", "lava"))

scale = np.max(np.abs(expected))
for name, code in codes.items():
    same = np.array_equal(np.abs(code) > 1e-3 * scale, np.abs(expected) > 1e-3 * scale)
    error = np.max(np.abs(code - expected)) / scale
    print(f"{name:12s} max error {error:.2%} of the largest coefficient, "
          f"same support: {same}")

# %%
plt.figure(figsize=(10, 4))
plt.stem(expected, linefmt="k-", markerfmt="ko", basefmt=" ", label="LASSO")
for marker, (name, code) in zip("sx^", codes.items(), strict=False):
    plt.plot(code, marker, mfc="none", label=name)
plt.xlabel("atom"); plt.ylabel("coefficient"); plt.legend()
plt.title("the settled code against the LASSO solution");
