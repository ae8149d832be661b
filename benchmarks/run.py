"""Run every benchmark side by side with its peer and write a table and a plot.

    .venv/bin/python benchmarks/run.py --quick     # about ten minutes here
    .venv/bin/python benchmarks/run.py             # the full set

Each benchmark module has ``run(quick) -> rows``; a row holds our time, the peer's,
their ratio (or the quality ratio where the target is a quality), its spread over
repeats, the target and whether it was met. Results go to benchmarks/results/
(results.md, results.json, ratios.png) with the machine they ran on.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import re
import sys
import textwrap
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402,F401  (one-thread BLAS before numpy)
import numpy as np  # noqa: E402

MODULES = [
    "bench_reference",
    "bench_lca",
    "bench_oim",
    "bench_dask",
    "bench_spice",
    "bench_lava",
]


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numpy
    import scipy

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "platform": platform.platform(),
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default=None, help="comma-separated module names")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    modules = args.only.split(",") if args.only else MODULES

    rows, started = [], time.perf_counter()
    for name in modules:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(name)
            rows += module.run(quick=args.quick)
        except Exception as error:  # a broken benchmark is reported, not fatal
            traceback.print_exc()
            rows.append(
                {
                    "case": name,
                    "ours_s": float("nan"),
                    "peer_s": float("nan"),
                    "ratio": float("nan"),
                    "spread": 0.0,
                    "target": "runs",
                    "met": False,
                    "note": f"failed: {error}",
                }
            )
    document = {
        "machine": machine(),
        "quick": args.quick,
        "seconds": time.perf_counter() - started,
        "rows": rows,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(document, indent=1))
    (args.out / "results.md").write_text(markdown(document))
    plot(rows, args.out / "ratios.png")
    print(markdown(document))
    return 0


def markdown(document: dict) -> str:
    m = document["machine"]
    lines = [
        f"# Benchmarks ({'quick' if document['quick'] else 'full'})",
        "",
        (
            f"Machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}, numpy "
            f"{m['numpy']}, BLAS threads {m['blas_threads']}. Total "
            f"{document['seconds']:.0f} s."
        ),
        "",
        "| case | ours (s) | peer (s) | ratio | spread | target | met | note |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in document["rows"]:
        lines.append(
            f"| {r['case']} | {r['ours_s']:.3g} | {r['peer_s']:.3g} | "
            f"{r['ratio']:.3g} | {r['spread']:.0%} | {r['target']} | "
            f"{'yes' if r['met'] else 'NO'} | {r['note']} |"
        )
    return "\n".join(lines) + "\n"


def target_line(target: str) -> float | None:
    """Where a target sits on the ratio axis: '>= 30x' at 30, '>= 0.995 of best' at
    0.995; a time budget ('<= 10 s', ratio = budget / ours) at 1."""
    found = re.match(r"\s*[<>]=\s*([0-9.]+)\s*(\S*)", target)
    if found is None:
        return None
    return 1.0 if found.group(2) == "s" else float(found.group(1))


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 0.55 * len(rows) + 1.5))
    y = np.arange(len(rows))
    ratios = np.array([r["ratio"] if r["ratio"] == r["ratio"] else 0 for r in rows])
    spread = ratios * np.array([min(r["spread"], 0.9) for r in rows])
    colours = ["tab:green" if r["met"] else "tab:red" for r in rows]
    ax.barh(y, ratios, xerr=spread, color=colours, capsize=2)
    for k, r in enumerate(rows):
        line = target_line(r["target"])
        if line is not None:
            ax.plot([line, line], [k - 0.4, k + 0.4], color="black", lw=2)
    ax.set_yticks(y, [textwrap.fill(r["case"], 48) for r in rows], fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("ratio (green: target met; black tick: target; whisker: spread)")
    ax.invert_yaxis()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


if __name__ == "__main__":
    sys.exit(main())
