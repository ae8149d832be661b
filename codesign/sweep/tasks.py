"""The units of work of a sweep: plain functions of plain data, so that any worker
process (local or on a Dask cluster) can run them and identical inputs give
identical outputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .._errors import BackendUnavailable, NumericalError
from ..backends import simulate
from ..compare.metrics import readout_match, undecided_units
from ..spec import assign, spec_from_mapping
from ..trace import Trace


def reference_task(job: dict[str, Any]) -> dict[str, Any]:
    """The noise-free reference readout of one grid point."""
    raw = assign(job["raw"], job["values"])
    raw.pop("noise", None)
    spec = spec_from_mapping(raw, base_dir=job["base_dir"], source=job["source"])
    trace = simulate(spec, "reference")
    record = {"point": job["point"], "readout": np.asarray(trace.readout).tolist()}
    undecided = undecided_units(spec.model, trace)
    if undecided is not None:
        record["undecided"] = undecided.tolist()
    return record


def sample_task(job: dict[str, Any]) -> dict[str, Any]:
    """One seeded realisation of one grid point, judged against its reference."""
    raw = assign(job["raw"], {**job["values"], "noise.realisation": job["realisation"]})
    spec = spec_from_mapping(raw, base_dir=Path(job["base_dir"]), source=job["source"])
    result = {"point": job["point"], "realisation": job["realisation"]}
    try:
        trace = simulate(spec, job["backend"])
    except NumericalError as error:
        return {**result, "success": False, "error": str(error)}
    except BackendUnavailable:
        raise
    readout = np.asarray(job["reference_readout"])
    reference = Trace(np.zeros(1), np.zeros((1, 1)), np.zeros(1), readout, "reference")
    undecided = job.get("reference_undecided")
    success = readout_match(
        spec.model,
        reference,
        trace,
        undecided=None if undecided is None else np.asarray(undecided),
    )
    row = {**result, "success": bool(success)}
    if "cut" in trace.extras:
        row["cut"] = float(trace.extras["cut"])
    return row
