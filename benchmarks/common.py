"""Shared helpers of the benchmarks: one-thread BLAS, repeated timing, rows.

Import this module before numpy in every benchmark (run.py does): BLAS threading
slowed matrix-vector products 2.5–6× on this 2-core machine, and timings of two
implementations side by side are only fair on equal terms.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402


def timed(function: Callable[[], Any], repeats: int = 3) -> tuple[float, float, Any]:
    """(best seconds, relative spread max/min − 1, last result) over `repeats`."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    best = min(times)
    return best, (max(times) / best - 1.0) if best > 0 else 0.0, result


def row(
    case: str,
    *,
    ours_s: float,
    peer_s: float,
    target: str,
    met: bool,
    spread: float = 0.0,
    note: str = "",
    ratio: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One line of the results table; `ratio` defaults to peer_s / ours_s."""
    if ratio is None:
        ratio = peer_s / ours_s if ours_s > 0 else float("inf")
    return {
        "case": case,
        "ours_s": ours_s,
        "peer_s": peer_s,
        "ratio": ratio,
        "spread": spread,
        "target": target,
        "met": bool(met),
        "note": note,
        **extra,
    }
