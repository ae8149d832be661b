"""Run the reference and other backends on one spec and judge how closely they agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..analysis import DescentAudit, audit_descent
from ..backends import check_supported, simulate
from ..spec import Spec
from ..trace import Trace
from .metrics import nrmse, readout_match

# default tolerances: NRMSE in model units, relative energy rise per sample
TOLERANCES = {"nrmse": 0.05, "energy_rise": 1e-3}


@dataclass
class BackendResult:
    """How one backend's trace compares with the reference's."""

    name: str
    trace: Trace
    nrmse: float
    readout_match: bool
    descent: DescentAudit
    tolerances: dict[str, float]

    @property
    def passed(self) -> bool:
        nrmse_ok = np.isnan(self.nrmse) or self.nrmse <= self.tolerances["nrmse"]
        return bool(nrmse_ok and self.readout_match and self.descent.passed)

    def to_json(self) -> dict[str, Any]:
        return {
            "pass": self.passed,
            "nrmse": self.nrmse,
            "readout_match": self.readout_match,
            "energy_descent": self.descent.passed,
            "max_energy_rise": self.descent.relative_rise,
            "wall_time": float(self.trace.extras.get("wall_time", np.nan)),
        }


@dataclass
class Comparison:
    """The reference trace and one `BackendResult` per compared backend."""

    spec: Spec
    reference: Trace
    results: list[BackendResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    def to_json(self) -> dict[str, Any]:
        return {
            "pass": self.passed,
            "backends": {r.name: r.to_json() for r in self.results},
        }

    def table(self) -> str:
        """A Markdown table of the verdicts."""
        rows = [
            "| backend | NRMSE | readout | energy descent | wall time (s) | verdict |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for r in self.results:
            rows.append(
                f"| {r.name} | {r.nrmse:.2e} | "
                f"{'same' if r.readout_match else 'DIFFERS'} | "
                f"{'monotone' if r.descent.passed else 'RISES'} | "
                f"{float(r.trace.extras.get('wall_time', np.nan)):.3g} | "
                f"{'pass' if r.passed else 'FAIL'} |"
            )
        return "\n".join(rows)


def judge(
    spec: Spec,
    reference: Trace,
    name: str,
    trace: Trace,
    tolerances: dict[str, float] | None = None,
) -> BackendResult:
    """Compare `trace` from backend `name` against `reference`."""
    tolerances = {**TOLERANCES, **(tolerances or {})}
    sampler = spec.kind == "boltzmann"
    error = float("nan") if sampler else nrmse(reference, trace, spec.kind)
    settle = float(trace.extras.get("settle_time", 0.0))
    descent = (
        audit_descent(
            trace.t, trace.energy, tolerance=tolerances["energy_rise"], t_from=settle
        )
        if not sampler
        else DescentAudit(True, 0.0, 0.0, float("nan"), 0, 0.0, 0.0)
    )
    match = readout_match(spec.model, reference, trace)
    return BackendResult(name, trace, error, match, descent, tolerances)


def compare_backends(
    spec: Spec, backends: list[str], tolerances: dict[str, float] | None = None
) -> Comparison:
    """Run the reference and every backend in `backends`; judge each."""
    for name in backends:
        check_supported(spec.kind, name)
    reference = simulate(spec, "reference")
    comparison = Comparison(spec, reference)
    for name in backends:
        comparison.results.append(
            judge(spec, reference, name, simulate(spec, name), tolerances)
        )
    return comparison
