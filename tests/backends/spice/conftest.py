import shutil
import subprocess

import numpy as np
import pytest

NGSPICE_TIMEOUT = 120


@pytest.fixture
def run_ngspice(tmp_path):
    """Run netlist text in the plain `ngspice -b` binary; return its stdout."""
    binary = shutil.which("ngspice")
    assert binary is not None, "ngspice must be installed (apt-get install ngspice)"

    def run(text: str, name: str = "circuit.cir") -> str:
        path = tmp_path / name
        path.write_text(text)
        done = subprocess.run(
            [binary, "-b", str(path)],
            capture_output=True,
            text=True,
            timeout=NGSPICE_TIMEOUT,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr[-500:]
        return done.stdout

    return run


def printed_columns(stdout: str) -> dict[str, np.ndarray]:
    """The columns of ngspice's `.print tran` tables, by vector name.

    ngspice prints three vectors per table and repeats the header every page;
    rows are matched by their index.
    """
    rows: dict[str, dict[int, float]] = {}
    names: list[str] = []
    for line in stdout.splitlines():
        fields = line.split()
        if fields[:2] == ["Index", "time"]:
            names = fields[1:]
        elif names and fields and fields[0].isdigit() and len(fields) == len(names) + 1:
            for name, value in zip(names, fields[1:], strict=True):
                rows.setdefault(name, {})[int(fields[0])] = float(value)
    return {
        name: np.array([v for _, v in sorted(column.items())])
        for name, column in rows.items()
    }
