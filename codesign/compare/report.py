"""A comparison as a Markdown report with one figure: trajectories, energy, error."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from ..trace import write_bytes_atomic, write_text_atomic
from ._compare import Comparison
from .metrics import PHASE_KINDS, aligned_states

COMPONENTS_SHOWN = 4
MARKDOWN_SPECIAL = set("\\`*_[]<>|~#")


def write_report(
    comparison: Comparison, out: Path, title: str | None = None, preface: str = ""
) -> Path:
    """Write ``report.md`` and ``comparison.png`` into `out`; return the report path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    spec = comparison.spec
    lines = [f"# {markdown_text(title or spec.name or 'comparison')}", ""]
    if preface:
        lines += [preface, ""]
    lines += [comparison.table(), ""]
    explanation = comparison.explain()
    if explanation:
        lines += (
            ["What differs:", ""]
            + [f"- {line}" for line in explanation.splitlines()]
            + [""]
        )
    figure = _figure(comparison, out / "comparison.png")
    lines += [f"![trajectories, energy and error]({figure.name})", ""]
    return write_text_atomic(out / "report.md", "\n".join(lines))


def markdown_text(text: str) -> str:
    """`text` as one line of literal Markdown: whitespace runs (newlines, tabs)
    become one space and the characters Markdown would act on are escaped."""
    line = " ".join(text.split())
    return "".join("\\" + c if c in MARKDOWN_SPECIAL else c for c in line)


def _figure(comparison: Comparison, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    spec = comparison.spec
    fig, axes = plt.subplots(1, 3, figsize=(14, 4))
    if spec.kind == "boltzmann":
        _sampler_panels(comparison, axes)
    else:
        _flow_panels(comparison, axes)
    fig.suptitle(
        f"{spec.kind}: reference and {', '.join(r.name for r in comparison.results)}"
    )
    fig.tight_layout()
    image = io.BytesIO()
    fig.savefig(image, format="png", dpi=100)
    plt.close(fig)
    return write_bytes_atomic(path, image.getvalue())


def _shown_components(comparison: Comparison) -> np.ndarray:
    """The units whose reference state moves most (the interesting ones)."""
    x = comparison.reference.x
    travel = np.abs(x[-1] - x[0])
    return np.argsort(travel)[::-1][:COMPONENTS_SHOWN]


def _flow_panels(comparison: Comparison, axes) -> None:
    spec, reference = comparison.spec, comparison.reference
    ax_x, ax_e, ax_err = axes
    shown = _shown_components(comparison)
    colours = plt_colours(len(shown))
    for colour, k in zip(colours, shown, strict=True):
        ax_x.plot(reference.t, reference.x[:, k], color=colour, lw=2.5, alpha=0.35)
    ax_e.plot(
        reference.t, reference.energy, color="k", lw=2.5, alpha=0.35, label="reference"
    )
    scale = (
        2 * np.pi if spec.kind in PHASE_KINDS else (float(np.ptp(reference.x)) or 1.0)
    )
    for style, result in zip(("--", ":", "-."), comparison.results, strict=False):
        trace = result.trace
        for colour, k in zip(colours, shown, strict=True):
            ax_x.plot(trace.t, trace.x[:, k], style, color=colour, lw=1.2)
        ax_e.plot(trace.t, trace.energy, style, lw=1.2, label=result.name)
        difference = aligned_states(reference, trace) - reference.x
        if spec.kind in PHASE_KINDS:
            difference = np.angle(np.exp(1j * difference))
        error = np.max(np.abs(difference), axis=1) / scale
        ax_err.semilogy(reference.t, np.maximum(error, 1e-16), style, label=result.name)
    ax_x.set(
        xlabel="t / τ",
        ylabel="state (model units)",
        title="trajectories (thick: reference)",
    )
    ax_e.set(xlabel="t / τ", ylabel="energy", title="energy")
    ax_e.legend(fontsize=8)
    ax_err.set(xlabel="t / τ", ylabel="max |Δx| / range", title="error over time")
    if comparison.results:
        ax_err.legend(fontsize=8)


def _sampler_panels(comparison: Comparison, axes) -> None:
    reference = comparison.reference
    # states as rows of signs (not integer codes, which overflow past 63 units)
    values, counts = np.unique(reference.x > 0, axis=0, return_counts=True)
    top = values[np.argsort(counts)[::-1][:16]]
    width = 0.8 / (1 + len(comparison.results))
    for offset, (name, trace) in enumerate(
        [("reference", reference)] + [(r.name, r.trace) for r in comparison.results]
    ):
        signs = np.asarray(trace.x) > 0
        frequency = [np.mean(np.all(signs == state, axis=1)) for state in top]
        axes[0].bar(np.arange(len(top)) + offset * width, frequency, width, label=name)
        axes[1].plot(trace.t, trace.energy, lw=0.5, label=name)
    axes[0].set(
        xlabel="state (most frequent 16)", ylabel="frequency", title="sample law"
    )
    axes[0].legend(fontsize=8)
    axes[1].set(xlabel="sample", ylabel="energy", title="energy of the samples")
    axes[2].axis("off")


def plt_colours(count: int) -> list:
    import matplotlib.pyplot as plt

    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    return [cycle[k % len(cycle)] for k in range(count)]
