import json
import subprocess
import sys
import tomllib

import numpy as np
import pytest

from codesign.cli import main
from codesign.trace import Trace
from tests.cases import KINDS, spec_mapping


def write_spec(tmp_path, kind):
    """Write the test spec of `kind` as TOML (arrays inline)."""
    raw = spec_mapping(kind)
    lines = []
    for key in ("name", "seed"):
        if key in raw:
            lines.append(f"{key} = {json.dumps(raw[key])}")
    for table, values in raw.items():
        if isinstance(values, dict):
            lines.append(f"[{table}]")
            lines += [f"{k} = {json.dumps(v)}" for k, v in values.items()]
    path = tmp_path / f"{kind}.toml"
    path.write_text("\n".join(lines) + "\n")
    tomllib.loads(path.read_text())
    return path


@pytest.mark.parametrize("kind", KINDS)
def test_simulate_writes_a_trace_for_every_kind(tmp_path, kind):
    spec = write_spec(tmp_path, kind)
    out = tmp_path / "t.npz"
    assert main(["simulate", str(spec), "--backend", "reference", "-o", str(out)]) == 0
    trace = Trace.load(out)
    assert trace.backend == "reference"
    assert len(trace.t) == len(trace.x) == len(trace.energy)
    if kind != "boltzmann":
        settled = trace.t >= float(trace.extras["settle_time"])
        rises = np.diff(trace.energy[settled])
        assert rises.max() <= 1e-8 * max(1.0, np.ptp(trace.energy))


def run_cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "codesign.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("spec_text", "message"),
    [
        ('[model]\nkind = "ising"\n', "`model.kind`: must be one of"),
        (
            '[model]\nkind = "hopfield"\nweights = [[0, 1], [0, 0]]\n',
            "must be symmetric",
        ),
        (
            '[model]\nkind = "hopfield"\nweights = [[0, nan], [nan, 0]]\n',
            "must hold finite numbers only",
        ),
        ('[model]\nkind = "hopfield"\nweights = "absent.npy"\n', "readable .npy file"),
        (
            '[model]\nkind = "hopfield"\nweights = [[0, 1], [1, 0]]\nspeed = 1\n',
            "is not a field of [model]",
        ),
    ],
)
def test_refusals_are_one_line_exit_2_and_write_nothing(tmp_path, spec_text, message):
    spec = tmp_path / "bad.toml"
    spec.write_text(spec_text)
    out = tmp_path / "t.npz"
    result = run_cli("simulate", str(spec), "--backend", "reference", "-o", str(out))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and str(spec) in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists() and not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize(("field", "value"), [("r_unit", -1e3), ("c_unit", -1e-9)])
def test_negative_resistance_or_capacitance_is_exit_2(tmp_path, field, value):
    spec = write_spec(tmp_path, "hopfield")
    spec.write_text(spec.read_text() + f"[spice]\n{field} = {value}\n")
    result = run_cli("netlist", str(spec), "-o", str(tmp_path / "n.cir"))
    assert result.returncode == 2
    assert f"`spice.{field}`: must be > 0" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "n.cir").exists()


def test_missing_spec_file_is_exit_2(tmp_path):
    result = run_cli("simulate", str(tmp_path / "none.toml"), "-o", "t.npz")
    assert result.returncode == 2 and "no such spec file" in result.stderr


def test_usage_errors_are_one_line_exit_2():
    result = run_cli("simulate")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "required" in result.stderr and "Traceback" not in result.stderr


def test_unknown_backend_is_refused(tmp_path):
    spec = write_spec(tmp_path, "hopfield")
    result = run_cli("simulate", str(spec), "--backend", "gpu", "-o", "t.npz")
    assert result.returncode == 2 and "invalid choice: 'gpu'" in result.stderr


def test_numerical_failure_is_exit_1_and_names_the_remedy(tmp_path):
    spec = write_spec(tmp_path, "hopfield")
    spec.write_text(
        spec.read_text().replace("t_end = 10.0", "t_end = 100000.0")
        + '[reference]\nsolver = "fixed"\nintegrator = "euler"\ndt = 100.0\n'
    )
    out = tmp_path / "t.npz"
    result = run_cli("simulate", str(spec), "-o", str(out))
    assert result.returncode == 1
    assert "numerical failure" in result.stderr
    assert "set a smaller [reference] dt" in result.stderr
    assert not out.exists()


def test_demo_writes_a_report_with_a_plot(tmp_path):
    assert main(["demo", "--out", str(tmp_path), "--backends", "reference"]) == 0
    report = (tmp_path / "report.md").read_text()
    assert "radau (check)" in report and "| pass |" in report
    assert (tmp_path / "comparison.png").stat().st_size > 10_000


def test_output_that_is_a_folder_is_refused_before_running(tmp_path):
    spec = write_spec(tmp_path, "hopfield")
    for command in ("simulate", "netlist"):
        result = run_cli(command, str(spec), "-o", str(tmp_path))
        assert result.returncode == 2 and result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "must name a file, not a folder" in lines[0]


@pytest.mark.parametrize(
    ("backends", "message"),
    [
        (",", "`--backends`: must name at least one"),
        ("spice,spice", "`--backends`: must name each backend once"),
        ("gpu", "`--backends`: must name backends among"),
    ],
)
def test_compare_backends_must_be_known_and_distinct(tmp_path, backends, message):
    spec = write_spec(tmp_path, "hopfield")
    result = run_cli("compare", str(spec), "--backends", backends, "--json")
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_json_document_is_strict_json():
    from codesign.cli import json_document

    document = {"a": float("nan"), "b": [1.0, float("inf")], "c": {"d": 2}}
    assert json_document(document) == '{"a": null, "b": [1.0, null], "c": {"d": 2}}'


def test_failed_artefact_check_is_one_line_exit_1(monkeypatch, capsys):
    from codesign import cli
    from codesign._errors import CodesignError

    class RulesError(CodesignError, ValueError):
        pass

    def failing(args):
        raise RulesError("electrical-rules check failed with 1 problem(s)")

    monkeypatch.setitem(cli.COMMANDS, "netlist", failing)
    assert cli.main(["netlist", "spec.toml", "-o", "n.cir"]) == 1
    assert capsys.readouterr().err == (
        "codesign: RulesError: electrical-rules check failed with 1 problem(s)\n"
    )


def test_out_of_memory_is_one_line_exit_1(monkeypatch, capsys):
    from codesign import cli

    def exhausted(args):
        raise MemoryError

    monkeypatch.setitem(cli.COMMANDS, "simulate", exhausted)
    assert cli.main(["simulate", "spec.toml", "-o", "t.npz"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("codesign: out of memory")


@pytest.mark.parametrize("command", ["simulate", "netlist"])
def test_output_ending_in_a_separator_is_a_folder_and_refused(tmp_path, command):
    spec = write_spec(tmp_path, "hopfield")
    result = run_cli(command, str(spec), "-o", f"{tmp_path}/new/")
    assert result.returncode == 2 and "must name a file, not a folder" in result.stderr
    assert not list(tmp_path.glob("new*"))
