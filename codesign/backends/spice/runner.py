"""ngspice in shared-library mode, through PySpice: one simulator per process.

The shared library keeps global state and is not re-entrant, so the process holds
one `NgSpiceShared` instance, used by one run at a time (a lock), and every run
removes its circuit and plots afterwards so nothing accumulates between runs.
A transient runs on ngspice's background thread while this one waits, so that a
run longer than its timeout, or interrupted (Ctrl-C), is halted and cleaned up
rather than left to finish inside the library.
PySpice's own log records (a warning about the ngspice version, echoes of ngspice's
stderr) are kept out of the user's logs; ngspice's messages reach the error raised
when a run fails.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import numpy as np

from ..._errors import BackendUnavailable, NumericalError

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_INSTANCE = None
_FAILURES = (
    "timestep too small",
    "singular matrix",
    "no convergence",
    "simulation(s) aborted",
    "error",
)


@dataclass
class Waveforms:
    """Node voltages of one transient run: `time` (s) and `volts[node]` (V)."""

    time: np.ndarray
    volts: dict[str, np.ndarray]
    wall_time: float


def _quiet_pyspice() -> None:
    # PySpice logs through the "PySpice" logger tree; keep it out of the user's
    # handlers (and out of logging's last-resort stderr handler)
    logger = logging.getLogger("PySpice")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    logger.propagate = False


def _shared_class():
    from PySpice.Spice.NgSpice.Shared import NgSpiceShared, ffi

    class Shared(NgSpiceShared):
        """PySpice's instance with a callback that tells when a background run
        ends (`finished`); PySpice's own returns no value, which cffi reports."""

        @staticmethod
        def _background_thread_running(not_running, ngspice_id, user_data):
            self = ffi.from_handle(user_data)
            if not_running:
                self.finished.set()
            return 0

    Shared.finished = threading.Event()
    return Shared


def simulator():
    """The process's ngspice instance, created on first use."""
    global _INSTANCE
    if _INSTANCE is None:
        _quiet_pyspice()
        try:
            _INSTANCE = _shared_class().new_instance()
        except Exception as error:  # PySpice raises OSError or its own types
            raise BackendUnavailable(
                f"ngspice's shared library did not load ({error}); install it with "
                "`apt-get install libngspice0-dev` (or ngspice from your package "
                "manager)"
            ) from None
    return _INSTANCE


def unavailable() -> str | None:
    """None when ngspice's shared library loads, else the reason and the fix."""
    try:
        simulator()
    except BackendUnavailable as error:
        return str(error)
    return None


def run(text: str, probes: list[str], timeout: float = 3600.0) -> Waveforms:
    """Simulate the netlist `text`; return the voltages of the nodes in `probes`.

    A run that has not finished after `timeout` seconds is halted and reported as
    a `NumericalError`; an interrupt halts it too, then propagates.
    """
    with _LOCK:
        ng = simulator()
        start = time.perf_counter()
        try:
            _load_and_run(ng, text, timeout)
            waveforms = _read(ng, probes)
        finally:
            _clean(ng)
        waveforms.wall_time = time.perf_counter() - start
        log.debug("ngspice ran %d probes in %.3g s", len(probes), waveforms.wall_time)
        return waveforms


def _load_and_run(ng, text: str, timeout: float) -> None:
    from PySpice.Spice.NgSpice.Shared import NgSpiceCircuitError, NgSpiceCommandError

    try:
        ng.load_circuit(text)
        ng.finished.clear()
        ng.exec_command("bg_run")
    except (NgSpiceCircuitError, NgSpiceCommandError, NameError):
        raise _failure(ng) from None
    deadline = time.monotonic() + timeout
    try:
        while not ng.finished.wait(0.05):
            if time.monotonic() > deadline:
                _halt(ng)
                raise NumericalError(
                    f"ngspice had not finished the transient run after {timeout:g} s"
                    "; set a larger [spice] timeout, or fewer time points (a larger "
                    "max_step or a shorter t_end)"
                )
    except KeyboardInterrupt:
        _halt(ng)
        raise
    # the background thread's result code is lost; ngspice says so in words
    if "simulation(s) aborted" in ng.stderr.lower():
        raise _failure(ng)
    plot = ng.last_plot
    if not plot.startswith("tran"):
        raise _failure(ng)


def _halt(ng) -> None:
    # ask the background thread to stop; it ends within one time step
    ng._ngspice_shared.ngSpice_Command(b"bg_halt")
    if not ng.finished.wait(30.0):
        log.warning("ngspice's background thread did not stop within 30 s")


def _failure(ng) -> NumericalError:
    messages = " ".join((ng.stdout + " " + ng.stderr).split())
    lowered = messages.lower()
    cause = next((f for f in _FAILURES if f in lowered), "no transient result")
    return NumericalError(
        f"ngspice did not finish the transient run ({cause}: {messages[-200:]!r}); "
        "set a smaller [spice] max_step (or steps_per_cycle larger), "
        'method = "gear", or a looser reltol'
    )


def _read(ng, probes: list[str]) -> Waveforms:
    plot = ng.plot(None, ng.last_plot)
    t = np.real(np.asarray(plot["time"]._data, dtype=complex)).astype(float)
    volts = {}
    for node in probes:
        vector = plot.get(node) or plot.get(f"v({node})")
        if vector is None:
            raise NumericalError(
                f"ngspice returned no waveform for node {node}; "
                "regenerate the netlist (it must save that node)"
            )
        volts[node] = np.real(np.asarray(vector._data)).astype(float)
    return Waveforms(t, volts, 0.0)


def _clean(ng) -> None:
    for command in ("destroy all", "remcirc"):
        try:
            ng.exec_command(command)
        except Exception:  # nothing to remove after a failed load
            log.debug("ngspice %r had nothing to do", command)
