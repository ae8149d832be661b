import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from codesign.sweep import InlineExecutor, LocalExecutor, LoopbackCluster

ROOT = Path(__file__).resolve().parents[2]


def worker_pid(job):
    return os.getpid()


def sleep(job):
    time.sleep(job)
    return {}


def alive(pid):
    """True while `pid` runs (a zombie waiting for its reaper counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_local_and_inline_executors_give_every_result():
    jobs = [0.0, 0.0, 0.0]
    with LocalExecutor(2) as executor:
        local = list(executor.run(sleep, jobs))
    with InlineExecutor() as executor:
        inline = list(executor.run(sleep, jobs))
    assert local == inline == [{}, {}, {}]


def test_workers_end_when_their_sweep_is_killed_outright():
    # a sweep process that is sent SIGKILL cannot stop its pool itself
    script = (
        "import sys\n"
        "from codesign.sweep import LocalExecutor\n"
        "from tests.sweep.test_executors import sleep, worker_pid\n"
        "with LocalExecutor(1) as executor:\n"
        "    print(next(executor.run(worker_pid, [None])), flush=True)\n"
        "    list(executor.run(sleep, [60.0]))\n"
    )
    sweep = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        worker = int(sweep.stdout.readline())
        time.sleep(0.5)
        assert alive(worker)
    finally:
        sweep.send_signal(signal.SIGKILL)
        sweep.wait()
        sweep.stdout.close()
    deadline = time.monotonic() + 10
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    ended = not alive(worker)
    if not ended:
        os.kill(worker, signal.SIGKILL)
    assert ended


def descendants(pid):
    """The processes below `pid`, with their command lines (read whole from /proc)."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (FileNotFoundError, ProcessLookupError):
            continue
        children.setdefault(int(fields[1]), []).append(
            (int(stat.parent.name), cmdline.replace(b"\0", b" ").decode())
        )
    found, todo = {}, [pid]
    while todo:
        for child, args in children.get(todo.pop(), []):
            found[child] = args
            todo.append(child)
    return found


def dask_folders():
    return set(Path(tempfile.gettempdir()).glob("codesign-dask-*"))


def test_loopback_cluster_ends_when_its_owner_is_killed_outright():
    folders = dask_folders()
    script = (
        "import time\n"
        "from codesign.sweep import LoopbackCluster\n"
        "with LoopbackCluster(workers=1) as cluster:\n"
        "    print(cluster.address, flush=True)\n"
        "    time.sleep(120)\n"
    )
    owner = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert owner.stdout.readline().startswith("tcp://")
        started = descendants(owner.pid)
        commands = " | ".join(started.values())
        assert "dask scheduler" in commands and "dask worker" in commands
    finally:
        owner.send_signal(signal.SIGKILL)
        owner.wait()
        owner.stdout.close()
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [pid for pid in started if alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left
    assert dask_folders() - folders == set()  # the watcher removed it too


def test_loopback_cluster_leaves_no_folder_behind():
    before = dask_folders()
    with LoopbackCluster(workers=1) as cluster:
        assert cluster.address.startswith("tcp://")
        assert len(dask_folders() - before) == 1
    assert dask_folders() - before == set()
