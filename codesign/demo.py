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
from .compare import Comparison, judge
from .spec import Spec, spec_from_mapping
from .trace import write_text_atomic

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
    lines = [
        f"# {spec.name}",
        "",
        (
            f"{N_NEURONS} neurons store {N_PATTERNS} patterns (Hebbian rule, gain "
            f"{spec.model.gain:g}). The start agrees with pattern 0 on "
            f"{start_overlap:.0%} of its units; after {spec.run.t_end:g} τ the "
            f"reference agrees on {end_overlap:.0%}."
        ),
        "",
        comparison.table(),
        "",
    ]
    for name, reason in skipped.items():
        lines.append(f"- {name}: not run ({reason})")
    plot = _plot(comparison, out)
    if plot is not None:
        lines += ["", f"![trajectories and energy]({plot.name})"]
    text = "\n".join(lines) + "\n"
    write_text_atomic(out / "report.md", text)
    print(f"report written to {out / 'report.md'}", file=sys.stderr)
    return text


def _plot(comparison: Comparison, out: Path) -> Path | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    reference = comparison.reference
    fig, (ax_x, ax_e) = plt.subplots(1, 2, figsize=(10, 4))
    flipped = np.flatnonzero(
        np.sign(comparison.spec.x0) != comparison.spec.model.patterns[0]
    )[:4]
    for k in flipped:
        ax_x.plot(reference.t, reference.x[:, k], color="k", lw=2, alpha=0.4)
    ax_e.plot(
        reference.t, reference.energy, color="k", lw=2, alpha=0.4, label="reference"
    )
    for result in comparison.results:
        trace = result.trace
        for k in flipped:
            ax_x.plot(trace.t, trace.x[:, k], "--", lw=1)
        ax_e.plot(trace.t, trace.energy, "--", lw=1, label=result.name)
    ax_x.set(xlabel="t / τ", ylabel="x (flipped units)", title="units that flip back")
    ax_e.set(xlabel="t / τ", ylabel="energy", title="energy descends")
    ax_e.legend()
    fig.tight_layout()
    out.mkdir(parents=True, exist_ok=True)
    path = out / "demo.png"
    partial = out / "demo.png.part"
    fig.savefig(partial, format="png", dpi=110)
    plt.close(fig)
    partial.replace(path)
    return path
