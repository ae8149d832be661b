"""`codesign simulate|compare` with the Lava backend, from the core's environment."""

import json

import numpy as np

from codesign.cli import main
from codesign.trace import Trace

SPEC = """
seed = 3
[model]
kind = "kuramoto"
frequencies = [-0.4, -0.1, 0.2, 0.3]
coupling = 2.0
[run]
t_end = 5
points = 51
[lava]
precision = "fixed"
"""


def test_simulate_writes_a_lava_trace(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC)
    assert (
        main(
            [
                "simulate",
                str(spec),
                "--backend",
                "lava",
                "-o",
                str(tmp_path / "out.npz"),
            ]
        )
        == 0
    )
    trace = Trace.load(tmp_path / "out.npz")
    assert trace.backend == "lava"
    assert trace.x.shape == (51, 4)
    assert np.allclose(trace.t, np.linspace(0, 5, 51))


def test_compare_passes_against_the_reference(tmp_path, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC)
    assert main(["compare", str(spec), "--backends", "lava", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pass"] and report["backends"]["lava"]["readout_match"]


def test_missing_environment_exits_2_with_the_fix(tmp_path, monkeypatch, capsys):
    from codesign.backends.lava import runner

    monkeypatch.setenv(runner.ENVIRONMENT_VARIABLE, str(tmp_path / "python"))
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC)
    assert (
        main(
            [
                "simulate",
                str(spec),
                "--backend",
                "lava",
                "-o",
                str(tmp_path / "out.npz"),
            ]
        )
        == 2
    )
    assert "run ./setup.sh (needs Python 3.10" in capsys.readouterr().err
