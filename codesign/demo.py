"""`codesign demo`: a Hopfield memory retrieves a pattern on every backend that runs.

The built-in model stores 3 random patterns of 32 neurons with the Hebbian rule and
starts from pattern 0 with a quarter of its units flipped. The reference is checked
against an independent tight Radau solve; every other backend is compared with the
reference; the report (Markdown, with a plot) goes to the output folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from ._errors import BackendUnavailable
from ._rng import derive_rng
from .backends import BACKENDS, check_supported, simulate
from .backends.reference import run_model
from .compare import Comparison, judge, write_report
from .spec import Spec, spec_from_mapping

N_NEURONS, N_PATTERNS = 32, 3


def demo_spec() -> Spec:
    """The built-in model: a 32-neuron Hebbian memory of 3 patterns."""
    rng = derive_rng(7, "demo", "patterns")
    patterns = np.where(rng.random((N_PATTERNS, N_NEURONS)) < 0.5, -1, 1)
    return spec_from_mapping(
        {
            "name": "demo: Hopfield retrieval",
            "seed": 7,
            "model": {"kind": "hopfield", "patterns": patterns.tolist(), "gain": 4.0},
            "init": {"pattern": 0, "flip": 0.25, "scale": 0.5},
            "run": {"t_end": 10.0, "points": 201},
        },
        source="<demo>",
    )


def run_demo(out: Path, backends: list[str] | None = None) -> bool:
    """Run the demo, write the report to `out`; return whether every check passed."""
    spec = demo_spec()
    wanted = (
        [b for b in BACKENDS if b != "reference"]
        if backends is None
        else [b for b in backends if b != "reference"]
    )
    comparison = Comparison(spec, simulate(spec, "reference"))

    # an independent check of the reference: a tight Radau solve
    radau = run_model(
        spec.model, spec.x0, spec.run, {"method": "Radau", "rtol": 1e-11, "atol": 1e-12}
    )
    comparison.results.append(judge(spec, comparison.reference, "radau (check)", radau))

    skipped = {}
    for name in wanted:
        try:
            check_supported(spec.kind, name)
        except BackendUnavailable as reason:
            skipped[name] = str(reason)
            continue
        comparison.results.append(
            judge(spec, comparison.reference, name, simulate(spec, name))
        )

    report = _report(comparison, skipped, out)
    print(report)
    return comparison.passed and (backends is None or not skipped)


def _report(comparison: Comparison, skipped: dict[str, str], out: Path) -> str:
    spec, reference = comparison.spec, comparison.reference
    stored = spec.model.patterns[0]
    start_overlap = float(np.mean(np.sign(spec.x0) == stored))
    end_overlap = float(np.mean(reference.readout == stored))
    preface = (
        f"{N_NEURONS} neurons store {N_PATTERNS} patterns (Hebbian rule, gain "
        f"{spec.model.gain:g}). The start agrees with pattern 0 on "
        f"{start_overlap:.0%} of its units; after {spec.run.t_end:g} τ the "
        f"reference agrees on {end_overlap:.0%}. Every backend below is compared "
        "with the reference in model units."
    )
    notes = "\n".join(
        f"- {name}: not run ({reason})" for name, reason in skipped.items()
    )
    path = write_report(
        comparison, out, preface=preface + ("\n\n" + notes if notes else "")
    )
    print(f"report written to {path}", file=sys.stderr)
    return path.read_text()
