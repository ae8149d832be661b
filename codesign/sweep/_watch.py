"""Run a command, and end it with its whole process group when our parent is gone.

``python -m codesign.sweep._watch PARENT [--remove FOLDER] COMMAND...`` is how
`LoopbackCluster` starts the Dask scheduler and workers: each in a session of its
own, led by this watcher, so that a cluster whose owner was killed outright
(``kill -9``) does not live on, nor its FOLDER. The owner ends the cluster by
signalling the session's process group.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

POLL = 0.5  # seconds between checks that the owner is alive


def main(argv: list[str]) -> int:
    owner, command, folder = int(argv[0]), argv[1:], None
    if command[:1] == ["--remove"]:
        folder, command = command[1], command[2:]
    child = subprocess.Popen(command)
    while child.poll() is None:
        if os.getppid() != owner:
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
            os.killpg(0, signal.SIGTERM)  # the group: this watcher and the command
        time.sleep(POLL)
    return child.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
