"""Energy-descent audit: does a trace's energy ever rise, where, and by how much?"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._types import Array


@dataclass(frozen=True)
class DescentAudit:
    """The result of `audit_descent`.

    `max_rise` is the largest increase between consecutive samples after `t_from`,
    `relative_rise` that increase over the energy's range; `passed` is
    ``relative_rise <= tolerance``; `worst_time` is where the largest rise ends
    (NaN when the energy never rises); `rises` counts samples that rise beyond
    tolerance.
    """

    passed: bool
    max_rise: float
    relative_rise: float
    worst_time: float
    rises: int
    tolerance: float
    t_from: float

    def describe(self) -> str:
        if self.passed:
            return f"energy never rises by more than {self.tolerance:.1e} (relative)"
        return (
            f"energy rises {self.rises} times after t = {self.t_from:g}; the "
            f"largest rise is {self.max_rise:.3g} ({self.relative_rise:.2e} of "
            f"the energy range) ending at t = {self.worst_time:.4g}"
        )


def audit_descent(
    t: Array, energy: Array, *, tolerance: float = 1e-6, t_from: float = 0.0
) -> DescentAudit:
    """Check that `energy` is non-increasing in `t` from `t_from` on.

    Rises are measured against the energy's range over the whole trace, so the
    tolerance is scale-free. (Not the range of the audited window alone: a run that
    has settled before `t_from` has almost no range left there, and round-off in
    its last digits would count as a rise.)
    """
    t, energy = np.asarray(t, float), np.asarray(energy, float)
    window = t >= t_from - 1e-12
    e = energy[window]
    if e.size < 2:
        return DescentAudit(True, 0.0, 0.0, float("nan"), 0, tolerance, t_from)
    steps = np.diff(e)
    scale = max(float(np.ptp(energy)), float(np.max(np.abs(e))) * 1e-12, 1e-300)
    relative = steps / scale
    worst = int(np.argmax(steps))
    max_rise = max(float(steps[worst]), 0.0)
    rises = int(np.sum(relative > tolerance))
    worst_time = float(t[window][worst + 1]) if max_rise > 0 else float("nan")
    return DescentAudit(
        rises == 0, max_rise, max_rise / scale, worst_time, rises, tolerance, t_from
    )
