"""The worker process in `.venv-lava`: find it, start it, always end it.

The core writes a compiled model to a fresh temporary folder (``model.json`` and
``arrays.npz``), runs ``.venv-lava/bin/python worker/main.py FOLDER`` in a new
session, and reads ``result.npz`` back. Whatever happens — success, a failing
worker, a timeout, Ctrl-C — the worker's whole process group is killed and the
folder removed. If this process is killed outright, the worker notices that its
parent is gone (``$CODESIGN_LAVA_PARENT``) and ends its group itself. Only arrays
and JSON cross the boundary; no code is pickled.

The interpreter is ``$CODESIGN_LAVA_PYTHON`` when set, else the repository's
``.venv-lava/bin/python``.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from ..._errors import BackendUnavailable, NumericalError
from .compile import Compiled

log = logging.getLogger(__name__)

WORKER = Path(__file__).with_name("worker") / "main.py"
REPOSITORY = Path(__file__).resolve().parents[3]
ENVIRONMENT_VARIABLE = "CODESIGN_LAVA_PYTHON"
PARENT_VARIABLE = "CODESIGN_LAVA_PARENT"  # the worker ends itself when we are gone
FOLDER_PREFIX = "codesign-lava-"  # + the core's pid + "-": its hand-off folders
GROUP_EXIT_SECONDS = 5.0
SETUP_HINT = "run ./setup.sh (needs Python 3.10: e.g. `pyenv install 3.10`)"

# the process group of the latest worker, for diagnostics and tests
last_process_group: int | None = None


def worker_python() -> Path:
    """The interpreter that runs the worker."""
    override = os.environ.get(ENVIRONMENT_VARIABLE)
    if override:
        return Path(override)
    return REPOSITORY / ".venv-lava" / "bin" / "python"


def unavailable() -> str | None:
    """Why the worker cannot run here (one line naming the fix), or None."""
    return _probe(str(worker_python()))


@functools.lru_cache(maxsize=8)
def _probe(python: str) -> str | None:
    if not os.access(python, os.X_OK):
        return f"no Lava environment at {python}; {SETUP_HINT}"
    try:
        probe = subprocess.run(
            [python, "-c", "import lava.magma.core"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{python} does not start ({error}); {SETUP_HINT}"
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["no output"])[-1]
        return f"{python} cannot import lava ({last}); {SETUP_HINT}"
    return None


def run_worker(compiled: Compiled, *, timeout: float) -> dict[str, np.ndarray]:
    """Run `compiled` on Lava's simulator in the worker process.

    Parameters
    ----------
    compiled : Compiled
        The program (written to a temporary folder as JSON and npz).
    timeout : float
        Seconds before the worker's process group is killed.

    Returns
    -------
    dict
        ``history`` and ``counts`` as `emulate` returns them, and ``timing``:
        seconds to build the graph, to run it and to read it back.

    Raises
    ------
    BackendUnavailable
        No usable ``.venv-lava`` (the message names the fix).
    NumericalError
        The worker failed (its last error line) or timed out.
    """
    reason = unavailable()
    if reason is not None:
        raise BackendUnavailable(f"the lava backend cannot run: {reason}")
    _remove_orphaned_folders()
    prefix = f"{FOLDER_PREFIX}{os.getpid()}-"
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        _write(Path(folder), compiled)
        _run(Path(folder), timeout)
        with np.load(Path(folder) / "result.npz", allow_pickle=False) as data:
            return {name: data[name] for name in data.files}


def _remove_orphaned_folders() -> None:
    """Remove the hand-off folders of cores that are gone.

    A core killed outright between writing its folder and removing it (before its
    worker's watchdog runs, or after the worker has exited) leaves the folder; its
    name carries the core's pid, so the next run can tell.
    """
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*-*"):
        owner = folder.name[len(FOLDER_PREFIX) :].split("-", 1)[0]
        if owner.isdigit() and not _alive(int(owner)):
            log.debug("removing %s, left by core %s", folder, owner)
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _write(folder: Path, compiled: Compiled) -> None:
    (folder / "model.json").write_text(json.dumps(compiled.program))
    np.savez(folder / "arrays.npz", **compiled.arrays)


def _run(folder: Path, timeout: float) -> None:
    global last_process_group
    log_path = folder / "worker.log"
    with open(log_path, "w") as log_file:
        process = subprocess.Popen(
            [str(worker_python()), str(WORKER), str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={
                **os.environ,
                "OMP_NUM_THREADS": "1",
                "OPENBLAS_NUM_THREADS": "1",
                PARENT_VARIABLE: str(os.getpid()),
            },
        )
        last_process_group = process.pid
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise NumericalError(
                f"the Lava worker did not finish within {timeout:g} s; raise "
                "[lava] timeout or run fewer steps (a larger dt)"
            ) from None
        finally:
            _end_group(process)
    if returncode != 0:
        lines = log_path.read_text(errors="replace").strip().splitlines()
        last = lines[-1] if lines else f"exit status {returncode}, no output"
        log.debug("worker output:\n%s", "\n".join(lines[-40:]))
        raise NumericalError(f"the Lava worker failed: {last}")


def _end_group(process: subprocess.Popen) -> None:
    """Kill the worker's process group (it leads its own session) and reap it.

    Returns once no live member is left (SIGKILL is delivered asynchronously, so
    Lava's child processes may take a few milliseconds to go).
    """
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
    deadline = time.monotonic() + GROUP_EXIT_SECONDS
    while _live_members(process.pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def _live_members(pgid: int) -> list[int]:
    """Processes of group `pgid` that are not zombies (Linux /proc; [] elsewhere)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members
