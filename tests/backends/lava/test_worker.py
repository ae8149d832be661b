"""The worker boundary: refusals, failures and timeouts never leave a process behind."""

import importlib
import os
import time

import numpy as np
import psutil
import pytest

from codesign import BackendUnavailable, NumericalError
from codesign.backends import lava, simulate
from codesign.backends.lava import runner

from .conftest import case_spec


def group_members(pgid: int) -> list[int]:
    """Live processes (not zombies) of process group `pgid`."""
    members = []
    for process in psutil.process_iter(["pid", "status"]):
        try:
            if (
                os.getpgid(process.info["pid"]) == pgid
                and process.info["status"] != psutil.STATUS_ZOMBIE
            ):
                members.append(process.info["pid"])
        except (ProcessLookupError, psutil.NoSuchProcess):
            continue
    return members


def small_compiled(**lava_options):
    spec = case_spec("hopfield", **lava_options)
    return lava.compile(spec)


def test_no_process_left_after_success():
    raw = lava.run_worker(small_compiled(precision="fixed"), timeout=300)
    assert raw["history"].shape == (101, 24)
    assert group_members(runner.last_process_group) == []


def test_failing_worker_raises_its_last_error_line_and_leaves_nothing():
    compiled = small_compiled()
    compiled.program["protocol"] = 999
    with pytest.raises(NumericalError, match=r"worker failed: .*protocol 999"):
        lava.run_worker(compiled, timeout=300)
    assert group_members(runner.last_process_group) == []


def test_timeout_kills_the_whole_process_group():
    start = time.perf_counter()
    with pytest.raises(NumericalError, match=r"did not finish within 0.5 s; raise"):
        lava.run_worker(small_compiled(), timeout=0.5)
    assert time.perf_counter() - start < 10
    assert group_members(runner.last_process_group) == []


def test_a_program_too_long_for_the_timeout_is_refused_before_lava_starts(
    monkeypatch,
):
    started = []
    module = importlib.import_module("codesign.backends.lava.simulate")
    monkeypatch.setattr(module, "run_worker", started.append)
    spec = case_spec("hopfield", dt=0.001, timeout=2.0)  # 10,001 steps
    with pytest.raises(NumericalError, match=r"needs 10,001 steps, at least 3 s"):
        lava.simulate(spec)
    assert started == []


def test_interrupt_kills_the_worker(monkeypatch):
    # a Ctrl-C while waiting: the group is killed before the interrupt propagates
    def interrupted(self, timeout=None):
        if not getattr(self, "_interrupted", False):
            self._interrupted = True
            raise KeyboardInterrupt
        return original(self, timeout)

    original = runner.subprocess.Popen.wait
    monkeypatch.setattr(runner.subprocess.Popen, "wait", interrupted)
    with pytest.raises(KeyboardInterrupt):
        lava.run_worker(small_compiled(), timeout=300)
    monkeypatch.undo()
    assert group_members(runner.last_process_group) == []


def test_missing_environment_is_refused_with_the_fix(monkeypatch, tmp_path):
    monkeypatch.setenv(runner.ENVIRONMENT_VARIABLE, str(tmp_path / "no" / "python"))
    reason = lava.unavailable()
    assert reason is not None
    assert "no Lava environment" in reason
    assert "./setup.sh" in reason and "pyenv install 3.10" in reason
    with pytest.raises(BackendUnavailable, match=r"cannot run on lava: no Lava"):
        simulate(case_spec("hopfield"), "lava")


def test_interpreter_without_lava_is_refused(monkeypatch):
    # the core's own Python 3.11 has no lava-nc
    import sys

    monkeypatch.setenv(runner.ENVIRONMENT_VARIABLE, sys.executable)
    assert "cannot import lava" in lava.unavailable()


def test_emulator_engine_needs_no_worker(monkeypatch, tmp_path):
    monkeypatch.setenv(runner.ENVIRONMENT_VARIABLE, str(tmp_path / "python"))
    trace = lava.simulate(case_spec("kuramoto", engine="emulator"))
    assert trace.x.shape == (101, 8)


def test_trace_round_trips_through_npz(tmp_path, lava_runs):
    from codesign.trace import Trace

    trace = lava_runs.trace("hopfield", "fixed")
    loaded = Trace.load(trace.save(tmp_path / "lava.npz"))
    assert np.array_equal(loaded.x, trace.x)
    assert int(loaded.extras["synaptic_ops"]) == int(trace.extras["synaptic_ops"])
    assert loaded.backend == "lava"


def test_killpg_is_safe_when_the_group_is_gone():
    # ending an already finished worker must not raise
    import subprocess

    process = subprocess.Popen(["true"], start_new_session=True)
    process.wait()
    runner._end_group(process)
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)


CORE_THAT_DIES = """
import sys
from codesign.backends import lava
from codesign.backends.lava import runner
from codesign.spec import spec_from_mapping
from tests.backends.lava.conftest import CASES

class Announced(runner.subprocess.Popen):
    def __init__(self, args, **kwargs):
        super().__init__(args, **kwargs)
        if args[1] == str(runner.WORKER):  # not the probe for lava
            print(self.pid, args[-1], flush=True)

runner.subprocess.Popen = Announced
raw = CASES["hopfield"]()
raw["run"] = {"t_end": 1000.0, "points": 101}  # 100,000 steps: about a minute
spec = spec_from_mapping({**raw, "lava": {"precision": "fixed"}})
lava.run_worker(lava.compile(spec), timeout=300)
"""


@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGTERM"])
def test_no_process_left_when_the_core_is_killed(signal_name):
    # the core dies without running any cleanup; the worker sees its parent go,
    # removes the folder and kills its own group, Lava's runtime processes included
    import signal
    import subprocess
    import sys
    from pathlib import Path

    core = subprocess.Popen(
        [sys.executable, "-c", CORE_THAT_DIES],
        stdout=subprocess.PIPE,
        text=True,
        cwd=runner.REPOSITORY,
    )
    pid = None
    try:
        pid, folder = core.stdout.readline().split()
        deadline = time.monotonic() + 60
        while len(group_members(int(pid))) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)  # until Lava's runtime has started its processes
        assert len(group_members(int(pid))) >= 3
        core.send_signal(getattr(signal, signal_name))
        core.wait(timeout=30)
        deadline = time.monotonic() + 5
        while group_members(int(pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert group_members(int(pid)) == []
        assert not Path(folder).exists()
    finally:
        # a failing test must not leave its own processes behind either
        if core.poll() is None:
            core.kill()
            core.wait()
        core.stdout.close()
        if pid is not None and group_members(int(pid)):
            os.killpg(int(pid), signal.SIGKILL)


def test_folders_of_dead_cores_are_removed(tmp_path, monkeypatch):
    # a core killed between writing its hand-off folder and removing it leaves
    # the folder; the next run removes it (its name carries the dead core's pid)
    import subprocess
    import tempfile
    from pathlib import Path

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen(["true"])
    dead.wait()
    orphan = Path(tmp_path) / f"{runner.FOLDER_PREFIX}{dead.pid}-abc"
    orphan.mkdir()
    mine = Path(tmp_path) / f"{runner.FOLDER_PREFIX}{os.getpid()}-def"
    mine.mkdir()
    lava.run_worker(small_compiled(precision="fixed"), timeout=300)
    assert not orphan.exists()
    assert mine.exists()
