"""Run the reference and other backends on one spec and judge how closely they agree.

Every metric is in model units and has a tolerance (the ``[compare]`` table, or
`compare_backends(tolerances=...)`); a backend passes when every applicable metric
is within its tolerance:

| metric | applies to | passes when |
| --- | --- | --- |
| `nrmse` | trajectories (hopfield, dense, kuramoto, lca) | ≤ `nrmse` |
| `final_error` | trajectories | max |x_b(T) − x_ref(T)| / range ≤ `final_error` |
| `readout_match` | every kind (its own criterion, `readout_match`) | true |
| energy descent | every flow, from its settle time | rises ≤ `energy_rise` |
| `settle_time` | trajectories | |t_b − t_ref| ≤ `settle` · max(t_ref, 1 sample) |
| `distribution_distance` | boltzmann (largest TV of the two-unit laws) | ≤ `tv` |

For samplers `nrmse` is the RMS difference of the sample moments ⟨s_i⟩, ⟨s_i s_j⟩
over their range 2, and `joint_distribution_distance` the total variation of the
joint laws over all 2ⁿ states; both are reported, not judged (the joint law needs
far more samples than a run records once n exceeds ~6).

Noisy annealed runs (oim) agree in their answer, not path by path, so only the
readout and the settled descent are judged there; their NRMSE is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._errors import NumericalError, ValidationError
from .._params import Param, Schema
from ..analysis import DescentAudit, audit_descent, contraction_margin
from ..backends import RUNAWAY, check_runnable, runaway_time, simulate
from ..spec import Spec
from ..trace import Trace
from .metrics import (
    aligned_states,
    moment_nrmse,
    nrmse,
    pairwise_distance,
    readout_match,
    settling_time,
    total_variation,
)

SCHEMA = Schema(
    "compare",
    (
        Param("nrmse", "float", 0.05, "largest trajectory NRMSE", low=0),
        Param(
            "final_error",
            "float",
            0.05,
            "largest final-state error over the state range",
            low=0,
        ),
        Param(
            "energy_rise",
            "float",
            1e-3,
            "largest energy rise per sample over the energy range",
            low=0,
        ),
        Param(
            "settle", "float", 0.25, "largest relative settling-time difference", low=0
        ),
        Param(
            "tv",
            "float",
            0.15,
            "largest total-variation distance of sample laws",
            low=0,
            high=1,
        ),
        Param(
            "readout_rtol",
            "float",
            0.05,
            "relative tolerance of lca codes and "
            "kuramoto phases in the readout criterion",
            low=0,
        ),
    ),
    "Tolerances of `codesign compare`; a backend passes when every metric is within.",
)
TOLERANCES = SCHEMA.parse({}, base_dir=None)
TRAJECTORY_KINDS = ("hopfield", "dense", "kuramoto", "lca")


@dataclass
class BackendResult:
    """How one backend's trace compares with the reference's, metric by metric."""

    name: str
    trace: Trace
    metrics: dict[str, float | bool]
    verdicts: dict[str, bool]
    descent: DescentAudit
    tolerances: dict[str, float]

    @property
    def passed(self) -> bool:
        return all(self.verdicts.values())

    @property
    def nrmse(self) -> float:
        return float(self.metrics.get("nrmse", float("nan")))

    @property
    def readout_match(self) -> bool:
        return bool(self.metrics["readout_match"])

    def failures(self) -> list[str]:
        """One phrase per failed verdict, with the numbers behind it."""
        phrases = []
        for name, ok in self.verdicts.items():
            if ok:
                continue
            if name == "energy_descent":
                phrases.append(self.descent.describe())
            elif name == "readout_match":
                phrases.append("the readout differs from the reference's")
            elif name == "bounded":
                phrases.append(
                    f"the state passed {RUNAWAY:g} by t = "
                    f"{self.metrics['runaway_time']:.4g}: the realisation is unstable"
                )
            else:
                phrases.append(
                    f"{name} = {self.metrics[name]:.3g} exceeds "
                    f"{self.tolerances[_TOLERANCE_OF[name]]:.3g}"
                )
        return phrases

    def to_json(self) -> dict[str, Any]:
        document = {
            "pass": self.passed,
            **{k: _plain(v) for k, v in self.metrics.items()},
        }
        document["energy_descent"] = self.descent.passed
        document["max_energy_rise"] = self.descent.relative_rise
        document["verdicts"] = self.verdicts
        document["wall_time"] = float(self.trace.extras.get("wall_time", np.nan))
        return document


_TOLERANCE_OF = {
    "nrmse": "nrmse",
    "final_error": "final_error",
    "settle_time_error": "settle",
    "distribution_distance": "tv",
}


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    return value


@dataclass
class Comparison:
    """The reference trace and one `BackendResult` per compared backend."""

    spec: Spec
    reference: Trace
    results: list[BackendResult] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # backends that failed

    @property
    def passed(self) -> bool:
        return not self.errors and all(r.passed for r in self.results)

    def to_json(self) -> dict[str, Any]:
        backends: dict[str, Any] = {r.name: r.to_json() for r in self.results}
        for name, error in self.errors.items():
            backends[name] = {"pass": False, "error": error}
        return {"pass": self.passed, "backends": backends}

    def table(self) -> str:
        """A Markdown table of the metrics and verdicts."""
        rows = [
            (
                "| backend | NRMSE | final error | readout | energy descent | "
                "wall time (s) | verdict |"
            ),
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in self.results:
            final = r.metrics.get("final_error")  # samplers have no final state
            rows.append(
                f"| {r.name} | {r.nrmse:.2e} | "
                f"{'—' if final is None else f'{final:.2e}'} | "
                f"{'same' if r.readout_match else 'DIFFERS'} | "
                f"{'monotone' if r.descent.passed else 'RISES'} | "
                f"{float(r.trace.extras.get('wall_time', np.nan)):.3g} | "
                f"{'pass' if r.passed else 'FAIL'} |"
            )
        for name in self.errors:
            rows.append(f"| {name} | — | — | — | — | — | FAIL (no trace) |")
        return "\n".join(rows)

    def explain(self) -> str:
        """Which backend differs, where and by how much (empty when all pass)."""
        lines = []
        for r in self.results:
            lines += [f"{r.name}: {phrase}" for phrase in r.failures()]
        lines += [f"{name}: {error}" for name, error in self.errors.items()]
        return "\n".join(lines)


def judge(
    spec: Spec,
    reference: Trace,
    name: str,
    trace: Trace,
    tolerances: dict[str, float] | None = None,
) -> BackendResult:
    """Compare `trace` from backend `name` against `reference`."""
    tolerances = {**TOLERANCES, **spec.tables.get("compare", {}), **(tolerances or {})}
    kind = spec.kind
    metrics: dict[str, float | bool] = {}
    verdicts: dict[str, bool] = {}

    # the answer, by the kind's own criterion
    metrics["readout_match"] = readout_match(
        spec.model,
        reference,
        trace,
        rtol=tolerances["readout_rtol"],
        tv=tolerances["tv"],
    )
    verdicts["readout_match"] = bool(metrics["readout_match"])

    # samplers: the distance between the two sample laws
    if kind == "boltzmann":
        metrics["nrmse"] = moment_nrmse(reference.readout, trace.readout)
        metrics["distribution_distance"] = pairwise_distance(
            reference.readout, trace.readout
        )
        metrics["joint_distribution_distance"] = total_variation(
            reference.readout, trace.readout
        )
        verdicts["distribution_distance"] = (
            metrics["distribution_distance"] <= tolerances["tv"]
        )
        descent = DescentAudit(True, 0.0, 0.0, float("nan"), 0, 0.0, 0.0)
        return BackendResult(name, trace, metrics, verdicts, descent, tolerances)

    # flows: bounded, then trajectories, final states, settling and the energy audit
    runaway = runaway_time(trace)
    verdicts["bounded"] = runaway is None
    if runaway is not None:
        metrics["runaway_time"] = runaway
    metrics["nrmse"] = nrmse(reference, trace, kind)
    states = aligned_states(reference, trace)
    scale = float(np.ptp(reference.x)) or 1.0
    metrics["final_error"] = float(np.max(np.abs(states[-1] - reference.x[-1])) / scale)
    reference_settle = settling_time(reference.t, reference.x)
    backend_settle = settling_time(reference.t, states)
    metrics["settle_time"] = backend_settle
    metrics["reference_settle_time"] = reference_settle
    step = float(reference.t[1] - reference.t[0]) if len(reference.t) > 1 else 0.0
    metrics["settle_time_error"] = abs(backend_settle - reference_settle) / max(
        reference_settle, step, 1e-12
    )
    if kind in TRAJECTORY_KINDS:
        verdicts["nrmse"] = metrics["nrmse"] <= tolerances["nrmse"]
        verdicts["final_error"] = metrics["final_error"] <= tolerances["final_error"]
        verdicts["settle_time_error"] = (
            metrics["settle_time_error"] <= tolerances["settle"]
        )
    metrics.update(_shift_against_bound(spec, reference, trace))
    settle_from = float(trace.extras.get("settle_time", 0.0))
    descent = audit_descent(
        trace.t, trace.energy, tolerance=tolerances["energy_rise"], t_from=settle_from
    )
    verdicts["energy_descent"] = descent.passed
    return BackendResult(name, trace, metrics, verdicts, descent, tolerances)


def _shift_against_bound(spec: Spec, reference: Trace, trace: Trace) -> dict:
    """For contracting models: the measured equilibrium shift and its bound.

    With ℓ2 contraction rate c of the nominal field f, any state y obeys
    ‖y − x*‖₂ ≤ ‖f(y)‖₂ / c (MODELS.md §4 C2), so the hardware's settled state y
    is at most ‖f(y)‖₂/c from the ideal equilibrium, however the devices erred.
    """
    try:
        margin = contraction_margin(spec.model, "2")
    except ValidationError:
        return {}
    if not margin.contracting:
        return {}
    settled = trace.x[-1]
    residual = float(np.linalg.norm(spec.model.vector_field(0.0, settled)))
    return {
        "equilibrium_shift": float(np.linalg.norm(settled - reference.x[-1])),
        "shift_bound": residual / margin.rate,
        "contraction_rate": margin.rate,
    }


def compare_backends(
    spec: Spec, backends: list[str], tolerances: dict[str, float] | None = None
) -> Comparison:
    """Run the reference and every backend in `backends`; judge each."""
    for name in backends:
        check_runnable(spec, name)
    ideal = spec_without_noise(spec)
    reference = simulate(ideal, "reference")
    comparison = Comparison(spec, reference)
    for name in backends:
        # a run that ran away is judged (and fails); one that could not finish
        # fails with its message, and the other backends are still compared
        try:
            trace = simulate(spec, name, bounded=False)
        except NumericalError as error:
            comparison.errors[name] = str(error)
            continue
        comparison.results.append(judge(spec, reference, name, trace, tolerances))
    return comparison


def spec_without_noise(spec: Spec) -> Spec:
    """The same spec on ideal hardware (the reference every backend is judged by)."""
    if not spec.raw.get("noise"):
        return spec
    from ..spec import spec_from_mapping

    raw = {k: v for k, v in spec.raw.items() if k != "noise"}
    return spec_from_mapping(raw, base_dir=spec.base_dir, source=spec.source)
