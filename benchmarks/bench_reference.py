"""Batched reference ensembles against looping scipy's solve_ivp, same tolerances.

Both solve to rtol 1e-6, atol 1e-9 (Dormand–Prince 5(4) on each side); the batched
solver moves every member as one array with one shared step. The gain is largest
where looping pays most: many members of a small model, as in Monte Carlo sweeps.
"""

from __future__ import annotations

import common  # noqa: F401  (one-thread BLAS before numpy)
import numpy as np
from scipy.integrate import solve_ivp

from codesign.backends.reference.integrate import solve_batched_adaptive
from codesign.models import HopfieldModel, learning

RTOL, ATOL = 1e-6, 1e-9


def _case(n: int, members: int, quick: bool) -> dict:
    rng = np.random.default_rng(n)
    patterns = rng.choice([-1.0, 1.0], (3, n))  # as a spec stores them
    model = HopfieldModel(learning.hebbian(patterns), gain=2.0, patterns=patterns)
    starts = rng.normal(0, 0.5, (members, n))
    ts = np.linspace(0, 10, 11)
    looped_members = starts[: min(members, 100 if quick else members)]

    calls = [0]

    def counted(t, x):
        calls[0] += 1
        return model.vector_field(t, x)

    def batched():
        calls[0] = 0
        return solve_batched_adaptive(counted, ts, starts, rtol=RTOL, atol=ATOL)[-1]

    def looped():
        return np.array(
            [
                solve_ivp(
                    model.vector_field, (0, 10), x0, t_eval=ts, rtol=RTOL, atol=ATOL
                ).y[:, -1]
                for x0 in looped_members
            ]
        )

    ours, spread_ours, ours_x = common.timed(batched)
    peer_part, spread_peer, peer_x = common.timed(looped, repeats=2)
    peer = peer_part * members / len(looped_members)
    exact = np.array(
        [
            solve_ivp(
                model.vector_field, (0, 10), x0, method="DOP853", rtol=1e-12, atol=1e-12
            ).y[:, -1]
            for x0 in starts[:10]
        ]
    )
    ratio = peer / ours
    # what the batch spends in the model itself: the floor of any batched solver
    rhs_s, _, _ = common.timed(
        lambda: [model.vector_field(0.0, starts) for _ in range(calls[0])]
    )
    scaled = (
        ""
        if len(looped_members) == members
        else (f"; solve_ivp timed on {len(looped_members)} members and scaled")
    )
    return common.row(
        f"batched ensemble vs looping solve_ivp (hopfield n={n}, {members} runs)",
        ours_s=ours,
        peer_s=peer,
        spread=max(spread_ours, spread_peer),
        target=">= 30x",
        met=ratio >= 30,
        note=(
            f"max error vs DOP853 at 1e-12: batched "
            f"{np.max(np.abs(ours_x[:10] - exact)):.1e}, solve_ivp "
            f"{np.max(np.abs(peer_x[:10] - exact[: len(peer_x)])):.1e}{scaled}; "
            f"{calls[0]} batched evaluations of the vector field take {rhs_s:.3g} s "
            f"({rhs_s / ours:.0%} of ours)"
        ),
    )


def run(quick: bool = True) -> list[dict]:
    return [_case(8, 5000, quick), _case(16, 2000, quick), _case(64, 1000, quick)]


if __name__ == "__main__":
    for line in run():
        print(line)
