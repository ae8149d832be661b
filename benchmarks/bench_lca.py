"""The LCA (reference, to equilibrium) against scikit-learn's Lasso (coordinate
descent) on one sparse-coding problem: time and agreement of the codes."""

from __future__ import annotations

import common  # noqa: F401  (one-thread BLAS before numpy)
import numpy as np
from sklearn.linear_model import Lasso

from codesign.backends.reference import run_model
from codesign.models import LCAModel
from codesign.spec import RunConfig


def run(quick: bool = True) -> list[dict]:
    rng = np.random.default_rng(0)
    m, n, active = (64, 128, 8) if quick else (128, 512, 16)
    phi = rng.normal(0, 1, (m, n))
    phi /= np.linalg.norm(phi, axis=0)
    code = np.zeros(n)
    code[rng.choice(n, active, replace=False)] = rng.normal(0, 1, active)
    y = phi @ code + 0.01 * rng.normal(size=m)
    lam = 0.05
    model = LCAModel(phi, y, lam=lam)
    run_config = RunConfig(
        t_end=400.0, points=2, samples=1, burn_in=0, chains=1, restarts=1
    )

    def lca():
        return run_model(
            model,
            np.zeros(n),
            run_config,
            {"method": "RK45", "rtol": 1e-8, "atol": 1e-10},
        ).readout

    def lasso():
        solver = Lasso(alpha=lam / m, fit_intercept=False, tol=1e-10, max_iter=100_000)
        return solver.fit(phi, y).coef_

    ours, spread_ours, a = common.timed(lca)
    peer, spread_peer, b = common.timed(lasso)
    gap = model.objective(a) - model.objective(b)
    same_support = np.array_equal(np.abs(a) > 1e-6, np.abs(b) > 1e-6)
    return [
        common.row(
            f"LCA (reference) vs scikit-learn Lasso, {m}x{n} dictionary",
            ours_s=ours,
            peer_s=peer,
            spread=max(spread_ours, spread_peer),
            target="same code (report time)",
            met=bool(same_support and abs(gap) < 1e-6),
            note=(
                f"objective gap {gap:.1e}, max |Δa| {np.max(np.abs(a - b)):.1e}, "
                f"same support {same_support}; the LCA is a circuit model, Lasso a "
                "solver: the time ratio is context, not a target"
            ),
        )
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
