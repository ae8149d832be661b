"""Run a spec on Lava (or on the emulator) and read the result back in model units."""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np

from ..._errors import NumericalError
from ...models import KuramotoModel, OIMModel
from ...spec import Spec
from ...trace import Trace
from .compile import Compiled, compile
from .emulator import emulate
from .runner import run_worker

log = logging.getLogger(__name__)

NAME = "lava"
# Lava's CPU simulator ran 1,300-2,600 steps/s here, whatever the size: a program
# of more steps than this rate allows within [lava] timeout cannot finish
FASTEST_STEPS_PER_SECOND = 3000


def simulate(spec: Spec, options: dict[str, Any] | None = None) -> Trace:
    """Compile `spec`, run it on the ``[lava]`` engine and return its trace.

    The trace is in model units like the reference's: `t` = ``spec.run.times``
    (sample index for boltzmann), `x` in model coordinates (unwrapped phases; the
    best restart for oim), and extras ``wall_time``, ``spikes``, ``synaptic_ops``,
    ``steps`` and the quantisation budget (``quantisation_*``).
    """
    options = spec.table("lava") if options is None else options
    start = time.perf_counter()
    compiled = compile(spec, options)
    if options["engine"] == "emulator":
        raw = emulate(compiled) if compiled.emulated is None else compiled.emulated
    else:
        _check_budget(compiled, options["timeout"])
        raw = run_worker(compiled, timeout=options["timeout"])
    trace = to_trace(spec, compiled, raw)
    trace.extras["wall_time"] = np.array(time.perf_counter() - start)
    if "timing" in raw:
        # build, run and read-back seconds inside the worker
        trace.extras["worker_timing"] = np.asarray(raw["timing"])
        trace.extras["steps_per_second"] = np.array(
            compiled.ticks / max(float(raw["timing"][1]), 1e-9)
        )
    return trace


def _check_budget(compiled: Compiled, timeout: float) -> None:
    """Refuse, before starting Lava, a program it cannot finish within `timeout`."""
    needed = compiled.ticks / FASTEST_STEPS_PER_SECOND
    if needed > timeout:
        raise NumericalError(
            f"the Lava program needs {compiled.ticks:,} steps, at least {needed:,.0f} "
            f"s at Lava's {FASTEST_STEPS_PER_SECOND:,} steps/s, beyond [lava] timeout "
            f"= {timeout:g} s; raise the timeout, set a larger [lava] dt, or use "
            '[lava] engine = "emulator" (the same arithmetic in numpy)'
        )


def to_trace(spec: Spec, compiled: Compiled, raw: dict[str, np.ndarray]) -> Trace:
    """A worker's (or the emulator's) recorded history as a trace in model units."""
    model = spec.model
    history = np.asarray(raw["history"])
    if compiled.program["family"] == "stochastic":
        return _samples_trace(spec, compiled, history, raw)
    if compiled.precision == "fixed":
        history = np.rint(history).astype(np.int64)
    states = history * compiled.scale
    counts = np.asarray(raw["counts"]).astype(np.int64)
    extras = {
        "spikes": np.array(counts[0]),
        "synaptic_ops": np.array(counts[1]),
        "steps": np.array(compiled.ticks - 1),
        "settle_time": np.array(model.settle_time(spec.run.t_end)),
    }
    extras.update(
        {f"quantisation_{k}": np.array(v) for k, v in compiled.budget.items()}
    )

    # oim: restarts side by side; keep the best cut
    if isinstance(model, OIMModel):
        states = states.reshape(len(states), compiled.restarts, model.n)
        cuts = model.cut_value(states[-1])
        best = int(np.argmax(cuts))
        log.info("lava oim: best cut %g of %d restarts", cuts[best], compiled.restarts)
        extras.update(cut=np.array(cuts[best]), restart_cuts=cuts)
        states = states[:, best]
    if isinstance(model, KuramotoModel):
        extras["order_parameter"] = model.order_parameter(states)[0]
    return Trace(
        spec.run.times,
        states,
        model.energy(states),
        model.readout(states[-1]),
        NAME,
        extras,
    )


def _samples_trace(
    spec: Spec, compiled: Compiled, history: np.ndarray, raw: dict[str, np.ndarray]
) -> Trace:
    # rows are sweeps; chains side by side, interleaved as the reference does
    model, samples = spec.model, spec.run.samples
    x = history.reshape(len(history), compiled.restarts, model.n)
    x = np.rint(x.reshape(-1, model.n)[:samples]).astype(float)
    counts = np.asarray(raw["counts"]).astype(np.int64)
    extras = {
        "spikes": np.array(counts[0]),
        "synaptic_ops": np.array(counts[1]),
        "steps": np.array(compiled.ticks - 1),
        "n_visible": np.array(model.n_visible),
        "colours": np.array(compiled.program["stride"]),
    }
    extras.update(
        {f"quantisation_{k}": np.array(v) for k, v in compiled.budget.items()}
    )
    return Trace(
        np.arange(len(x), dtype=float),
        x,
        model.energy(x),
        model.readout(x),
        NAME,
        extras,
    )
