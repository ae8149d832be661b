import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from codesign import ValidationError
from codesign.spec import spec_from_mapping
from codesign.sweep import (
    DaskExecutor,
    InlineExecutor,
    LocalExecutor,
    LoopbackCluster,
    parse_vary,
    run_sweep,
    wilson_interval,
)
from tests.cases import spec_mapping

VENV_BIN = Path(sys.executable).parent


def hopfield_spec():
    raw = spec_mapping("hopfield")
    raw["run"] = {"t_end": 8.0, "points": 41}
    return spec_from_mapping(raw)


def test_wilson_interval_known_values():
    # 95 % Wilson score intervals, worked out by hand from the closed form
    low, high = wilson_interval(10, 10)
    assert (round(low, 4), high) == (0.7225, 1.0)
    low, high = wilson_interval(0, 10)
    assert (low, round(high, 4)) == (0.0, 0.2775)
    low, high = wilson_interval(5, 10)
    assert (round(low, 4), round(high, 4)) == (0.2366, 0.7634)


def test_mismatch_sweep_starts_certain_and_falls():
    spec = hopfield_spec()
    result = run_sweep(
        spec,
        [("noise.mismatch", [0.0, 3.0])],
        12,
        executor=InlineExecutor(),
        progress=False,
    )
    clean, broken = result.rows
    assert clean["success_rate"] == 1.0
    assert clean["ci_low"] == pytest.approx(wilson_interval(12, 12)[0])
    assert clean["ci_low"] < 1.0 == clean["ci_high"]
    assert broken["success_rate"] < 0.7


def test_local_processes_give_the_same_rows_as_inline():
    spec = hopfield_spec()
    varies = [("noise.mismatch", [0.5, 1.5])]
    inline = run_sweep(spec, varies, 6, executor=InlineExecutor(), progress=False)
    local = run_sweep(spec, varies, 6, executor=LocalExecutor(2), progress=False)
    assert local.rows == inline.rows


def test_several_vary_make_a_grid():
    result = run_sweep(
        hopfield_spec(),
        [("noise.mismatch", [0.0, 0.2]), ("model.gain", [3.0, 5.0])],
        2,
        executor=InlineExecutor(),
        progress=False,
    )
    assert [r["values"] for r in result.rows] == [
        {"noise.mismatch": 0.0, "model.gain": 3.0},
        {"noise.mismatch": 0.0, "model.gain": 5.0},
        {"noise.mismatch": 0.2, "model.gain": 3.0},
        {"noise.mismatch": 0.2, "model.gain": 5.0},
    ]


def test_margin_is_bisected_between_passing_and_failing_levels():
    result = run_sweep(
        hopfield_spec(),
        [("noise.mismatch", [0.0, 4.0])],
        8,
        executor=InlineExecutor(),
        margin_target=0.9,
        bisections=3,
        progress=False,
    )
    margin = result.margin
    low, high = margin["bracket"]
    assert 0.0 <= low < high <= 4.0 and high - low == pytest.approx(0.5)
    assert margin["margin"] == low


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("noise.mismatch", "must look like KEY=V1,V2"),
        ("=1,2", "must look like KEY=V1,V2"),
    ],
)
def test_bad_vary_is_refused(text, message):
    with pytest.raises(ValidationError, match=message):
        parse_vary(text)


def test_bad_values_fail_before_any_work():
    with pytest.raises(ValidationError, match=r"`noise.mismatch`: must be >= 0"):
        run_sweep(
            hopfield_spec(),
            [("noise.mismatch", [0.1, -1.0])],
            2,
            executor=InlineExecutor(),
            progress=False,
        )


def test_a_folder_of_another_sweep_is_refused(tmp_path):
    spec = hopfield_spec()
    run_sweep(
        spec,
        [("noise.mismatch", [0.1])],
        2,
        executor=InlineExecutor(),
        out=tmp_path,
        progress=False,
    )
    with pytest.raises(ValidationError, match="holds the results of a different"):
        run_sweep(
            spec,
            [("noise.mismatch", [0.1])],
            3,
            executor=InlineExecutor(),
            out=tmp_path,
            progress=False,
        )


def write_spec(path):
    raw = spec_mapping("hopfield")
    lines = [f"seed = {raw['seed']}"]
    for table in ("model", "init"):
        lines.append(f"[{table}]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in raw[table].items()]
    lines += ["[run]", "t_end = 8.0", "points = 41"]
    path.write_text("\n".join(lines) + "\n")
    return path


# enough samples that a loaded machine cannot finish them all between the poll that
# sees the first six and the kill
SAMPLES = 20
TOTAL = 3 * SAMPLES


def sweep_command(spec, out, *extra):
    return [
        str(VENV_BIN / "codesign"),
        "sweep",
        str(spec),
        "--vary",
        "noise.mismatch=0.5,1.0,1.5",
        "--samples",
        str(SAMPLES),
        "--json",
        "--workers",
        "1",
        "--out",
        str(out),
        *extra,
    ]


def test_killed_sweep_resumes_with_nothing_lost(tmp_path):
    spec = write_spec(tmp_path / "spec.toml")
    whole = subprocess.run(
        sweep_command(spec, tmp_path / "whole"),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    expected = json.loads(whole.stdout)

    # start again in a new folder and kill it once some samples are written
    out = tmp_path / "killed"
    process = subprocess.Popen(
        sweep_command(spec, out),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            samples = out / "samples.jsonl"
            if samples.exists() and len(samples.read_text().splitlines()) >= 6:
                break
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    done = len((out / "samples.jsonl").read_text().splitlines())
    assert 6 <= done < TOTAL

    resumed = subprocess.run(
        sweep_command(spec, out),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert json.loads(resumed.stdout) == expected
    assert len((out / "samples.jsonl").read_text().splitlines()) == TOTAL


def test_dask_cluster_gives_identical_rows():
    spec = hopfield_spec()
    varies = [("noise.mismatch", [0.5, 1.5])]
    local = run_sweep(spec, varies, 6, executor=InlineExecutor(), progress=False)
    with LoopbackCluster(workers=2) as cluster:
        on_dask = run_sweep(
            spec, varies, 6, executor=DaskExecutor(cluster.address), progress=False
        )
        processes = list(cluster._processes)
    assert on_dask.rows == local.rows
    assert all(process.poll() is not None for process in processes)


def test_no_scheduler_is_a_clear_refusal():
    from codesign import BackendUnavailable

    with pytest.raises(BackendUnavailable, match="no Dask scheduler answered"):
        run_sweep(
            hopfield_spec(),
            [("noise.mismatch", [0.1])],
            1,
            executor=DaskExecutor("tcp://127.0.0.1:9", timeout="1s"),
            progress=False,
        )


@pytest.mark.parametrize(
    ("varies", "samples", "margin", "message"),
    [
        (
            [("noise.mismatch", [0.1]), ("noise.mismatch", [0.2])],
            2,
            None,
            "must give each key once",
        ),
        ([("noise.realisation", [1, 2])], 2, None, "cannot vary noise.realisation"),
        ([("noise.mismatch", [0.1])], 0, None, r"`--samples`: must be >= 1"),
        ([("noise.mismatch", [0.1])], 10**20, None, r"<= 1000000"),
        ([("noise.mismatch", [0.1, 1.0])], 2, 1.5, r"must be a success rate"),
        (
            [("noise.mismatch", [0.1]), ("model.gain", [2.0])],
            2,
            0.9,
            "needs exactly one numeric --vary key",
        ),
    ],
)
def test_bad_request_is_refused_before_any_work(
    tmp_path, varies, samples, margin, message
):
    out = tmp_path / "sweep"
    with pytest.raises(ValidationError, match=message):
        run_sweep(
            hopfield_spec(),
            varies,
            samples,
            executor=InlineExecutor(),
            out=out,
            margin_target=margin,
            progress=False,
        )
    assert not out.exists()


def test_unreachable_scheduler_leaves_no_output_folder(tmp_path):
    from codesign import BackendUnavailable

    out = tmp_path / "sweep"
    with pytest.raises(BackendUnavailable):
        run_sweep(
            hopfield_spec(),
            [("noise.mismatch", [0.1])],
            1,
            executor=DaskExecutor("tcp://127.0.0.1:9", timeout="1s"),
            out=out,
            progress=False,
        )
    assert not out.exists()


def test_malformed_scheduler_address_is_bad_input():
    with pytest.raises(ValidationError, match=r"`--scheduler`: must be a Dask"):
        with DaskExecutor("not an address", timeout="1s"):
            pass


def test_zero_local_workers_are_refused():
    with pytest.raises(ValidationError, match=r"`--workers`: must be >= 1 \(got 0\)"):
        LocalExecutor(0)


def test_changed_array_file_makes_the_folder_another_sweep(tmp_path):
    import numpy as np

    from codesign.spec import load_spec

    patterns = np.array([[1, -1, 1, -1, 1, -1], [1, 1, -1, -1, 1, 1]], float)
    np.save(tmp_path / "p.npy", patterns)
    spec_path = tmp_path / "spec.toml"
    spec_path.write_text(
        '[model]\nkind = "hopfield"\npatterns = "p.npy"\n[run]\nt_end = 2.0\n'
        "points = 11\n"
    )
    sweep = [("noise.mismatch", [0.1])]
    out = tmp_path / "sweep"
    run_sweep(
        load_spec(spec_path),
        sweep,
        1,
        executor=InlineExecutor(),
        out=out,
        progress=False,
    )
    np.save(tmp_path / "p.npy", -patterns)
    with pytest.raises(ValidationError, match="holds the results of a different"):
        run_sweep(
            load_spec(spec_path),
            sweep,
            1,
            executor=InlineExecutor(),
            out=out,
            progress=False,
        )


def test_half_written_last_line_is_dropped_on_resume(tmp_path):
    spec = hopfield_spec()
    sweep = [("noise.mismatch", [0.5])]
    whole = run_sweep(spec, sweep, 3, executor=InlineExecutor(), progress=False)
    out = tmp_path / "sweep"
    run_sweep(spec, sweep, 2, executor=InlineExecutor(), out=out, progress=False)
    (out / "sweep.json").unlink()  # the same folder, now for K = 3
    samples = out / "samples.jsonl"
    first = samples.read_text().splitlines()[0]
    samples.write_text(first + "\n" + first[:15])  # killed while writing line 2
    resumed = run_sweep(
        spec, sweep, 3, executor=InlineExecutor(), out=out, progress=False
    )
    lines = [json.loads(line) for line in samples.read_text().splitlines()]
    assert resumed.rows == whole.rows
    assert sorted(line["realisation"] for line in lines) == [0, 1, 2]


class ElsewhereExecutor(InlineExecutor):
    """Runs tasks from another working directory, as a cluster's workers do."""

    def run(self, task, jobs):
        jobs = list(jobs)
        os.chdir("/")
        yield from super().run(task, jobs)


def test_workers_in_another_directory_find_the_spec_files(tmp_path, monkeypatch):
    import numpy as np

    from codesign.spec import load_spec

    patterns = np.array([[1, -1, 1, -1, 1, -1], [1, 1, -1, -1, 1, 1]], float)
    np.save(tmp_path / "p.npy", patterns)
    (tmp_path / "spec.toml").write_text(
        '[model]\nkind = "hopfield"\npatterns = "p.npy"\n[run]\nt_end = 2.0\n'
        "points = 11\n"
    )
    monkeypatch.chdir(tmp_path)
    spec = load_spec("spec.toml")  # a relative path, as typed on the command line
    result = run_sweep(
        spec,
        [("noise.mismatch", [0.0])],
        2,
        executor=ElsewhereExecutor(),
        progress=False,
    )
    assert result.rows[0]["success_rate"] == 1.0


def test_yield_plot_for_one_key_and_for_a_grid_of_two(tmp_path):
    import matplotlib.image

    spec = hopfield_spec()
    one = [("noise.mismatch", [0.0, 3.0])]
    grid = [*one, ("noise.offset", [0.0, 0.5])]
    for name, varies in (("one", one), ("grid", grid)):
        run_sweep(
            spec,
            varies,
            3,
            executor=InlineExecutor(),
            out=tmp_path / name,
            progress=False,
        )
        picture = matplotlib.image.imread(tmp_path / name / "yield.png")
        assert picture.shape[0] > 100 and picture.std() > 0.01
    triple = [*grid, ("noise.gain_error", [0.0])]
    out = tmp_path / "three"
    run_sweep(spec, triple, 2, executor=InlineExecutor(), out=out, progress=False)
    assert not (out / "yield.png").exists()
