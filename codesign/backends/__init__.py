"""The backends and what each supports.

Every backend is a subpackage with the same entry points:

- ``KINDS``: the model kinds it builds;
- ``unavailable() -> str | None``: why it cannot run on this machine, or None;
- ``simulate(spec) -> Trace``: one run, in model units;
- ``compile(spec)``: the artefact it builds (a netlist, a process graph), where any.

`check_supported` refuses an unsupported pair with a message that says what works
instead; `support_matrix` is the documented table of kinds × backends.
`check_runnable` adds the spec's ``[noise]`` fields (`codesign.noise.REALISED`).
"""

from __future__ import annotations

import importlib
from types import ModuleType

import numpy as np

from .._errors import BackendUnavailable, NumericalError

BACKENDS = ("reference", "spice", "lava")
RUNAWAY = 1e12  # a state this large has left any circuit's range: the run diverged
KINDS = ("hopfield", "dense", "boltzmann", "kuramoto", "oim", "lca")


def get_backend(name: str) -> ModuleType:
    """The backend subpackage called `name`."""
    if name not in BACKENDS:
        raise BackendUnavailable(
            f"unknown backend {name!r}: choose one of {', '.join(BACKENDS)}"
        )
    return importlib.import_module(f"{__name__}.{name}")


def unsupported(kind: str, backend: str) -> str | None:
    """Why `backend` cannot run `kind` here, or None when it can."""
    module = get_backend(backend)
    if kind not in module.KINDS:
        return f"the {backend} backend does not build kind {kind!r}"
    return module.unavailable()


def check_supported(kind: str, backend: str) -> None:
    """Raise `BackendUnavailable` unless `backend` can run models of `kind` here."""
    reason = unsupported(kind, backend)
    if reason is not None:
        working = [b for b in BACKENDS if unsupported(kind, b) is None]
        raise BackendUnavailable(
            f"kind {kind!r} cannot run on {backend}: {reason}; "
            f"use --backend {' or '.join(working)}"
        )


def support_matrix() -> dict[str, dict[str, str | None]]:
    """kind → backend → None when it runs here, else the reason it does not."""
    return {kind: {b: unsupported(kind, b) for b in BACKENDS} for kind in KINDS}


def support_table() -> str:
    """The documented matrix of kinds × backends as Markdown (what each builds).

    It states what each backend implements, not whether this machine has its
    environment; `unsupported` tells that.
    """
    rows = [
        "| kind | " + " | ".join(BACKENDS) + " |",
        "| --- |" + " --- |" * len(BACKENDS),
    ]
    for kind in KINDS:
        cells = ["yes" if kind in get_backend(b).KINDS else "refused" for b in BACKENDS]
        rows.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def check_runnable(spec, backend: str) -> None:
    """Raise unless `backend` runs `spec`'s kind here and realises its ``[noise]``."""
    from ..noise import check_realised

    check_supported(spec.kind, backend)
    check_realised(spec, backend)


def simulate(spec, backend: str = "reference", *, bounded: bool = True):
    """Run `spec` on `backend` and return its trace (model units).

    With `bounded`, a trace that ran away (past `RUNAWAY`) raises `NumericalError`:
    an LCA whose realised lateral couplings make it expansive grows without
    bound, as a circuit would until it rails.
    """
    check_runnable(spec, backend)
    trace = get_backend(backend).simulate(spec)
    at = runaway_time(trace)
    if bounded and at is not None:
        raise NumericalError(
            f"the {spec.kind} state passed {RUNAWAY:g} by t = {at:.4g} on {backend}: "
            "the model as realised is unstable; check its parameters, or lower the "
            "[noise] levels"
        )
    return trace


def runaway_time(trace) -> float | None:
    """The first sample time at which `trace` passed `RUNAWAY` (or NaN), or None."""
    largest = np.abs(trace.x).reshape(len(trace.t), -1).max(axis=1)
    beyond = np.flatnonzero(~(largest < RUNAWAY))
    return float(trace.t[beyond[0]]) if beyond.size else None
