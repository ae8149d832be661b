"""Monte Carlo sweeps over spec keys: success rates with Wilson intervals.

A sweep varies dotted spec keys over a grid (several ``--vary`` make a product) and
runs K seeded realisations per point: realisation k sets ``noise.realisation = k``,
so every device draw is new while the model, its start and its run stay the same.
A realisation succeeds when its readout matches the noise-free reference's by the
kind's own criterion (`codesign.compare.readout_match`).

With an output folder every finished sample is appended to ``samples.jsonl`` at
once, so an interrupted sweep started again with the same arguments skips what is
done and ends with identical rows.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import logging
import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._errors import ValidationError
from ..backends import check_runnable
from ..spec import Spec, assign, spec_from_mapping
from ..trace import write_bytes_atomic, write_text_atomic
from .stats import wilson_interval
from .tasks import reference_task, sample_task

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
MAX_SAMPLES = 1_000_000


def parse_vary(text: str) -> tuple[str, list[Any]]:
    """``KEY=V1,V2,...`` → (key, values); values are TOML scalars, else strings."""
    key, sep, listed = text.partition("=")
    if not sep or not key.strip() or not listed.strip():
        raise ValidationError("--vary", "must look like KEY=V1,V2,...", text)
    values = []
    for token in listed.split(","):
        token = token.strip()
        try:
            values.append(tomllib.loads(f"v = {token}")["v"])
        except tomllib.TOMLDecodeError:
            values.append(token)
    return key.strip(), values


@dataclass
class SweepResult:
    """The rows of a sweep (one per grid point, in grid order) and its margin."""

    rows: list[dict[str, Any]]
    margin: dict[str, Any] | None = None
    failures: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        document = {"rows": self.rows}
        if self.margin is not None:
            document["margin"] = self.margin
        return document

    def table(self) -> str:
        keys = list(self.rows[0]["values"]) if self.rows else []
        head = "| " + " | ".join(keys) + " | samples | success | 95 % interval |"
        lines = [head, "|" + " --- |" * (len(keys) + 3)]
        for row in self.rows:
            cells = [str(row["values"][k]) for k in keys]
            lines.append(
                "| " + " | ".join(cells) + f" | {row['samples']} | "
                f"{row['success_rate']:.3f} | "
                f"[{row['ci_low']:.3f}, {row['ci_high']:.3f}] |"
            )
        return "\n".join(lines)


class _Store:
    """Append-only record of finished work in an output folder (or in memory)."""

    def __init__(self, out: Path | None, header: dict[str, Any]):
        self.out = out
        self.references: dict[str, dict[str, Any]] = {}
        self.samples: dict[tuple[str, int], dict[str, Any]] = {}
        if out is None:
            return
        out.mkdir(parents=True, exist_ok=True)
        header_path = out / "sweep.json"
        if header_path.exists():
            if json.loads(header_path.read_text()) != header:
                raise ValidationError(
                    "--out",
                    "holds the results of a different sweep",
                    str(out),
                    remedy="choose another folder, or delete it to start afresh",
                )
        else:
            write_text_atomic(header_path, json.dumps(header, indent=1))
        for line in _read_lines(out / "references.jsonl"):
            self.references[line["point"]] = line
        for line in _read_lines(out / "samples.jsonl"):
            self.samples[(line["point"], line["realisation"])] = line

    def add(self, kind: str, record: dict[str, Any]) -> None:
        if kind == "references":
            self.references[record["point"]] = record
        else:
            self.samples[(record["point"], record["realisation"])] = record
        if self.out is not None:
            with open(self.out / f"{kind}.jsonl", "a") as stream:
                stream.write(json.dumps(record) + "\n")
                stream.flush()
                os.fsync(stream.fileno())


def _read_lines(path: Path) -> Iterable[dict[str, Any]]:
    """The records of a ``.jsonl`` file; a line cut short by a kill is dropped
    from the file, so that the next record appended starts on a line of its own."""
    if not path.exists():
        return []
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        log.warning("dropping a half-written last line of %s", path)
        data = data[: data.rfind(b"\n") + 1]
        with open(path, "r+b") as stream:
            stream.truncate(len(data))
    records = []
    for line in data.decode("utf-8", errors="replace").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            log.warning("ignoring a half-written line in %s", path)
    return records


def _point_key(values: dict[str, Any]) -> str:
    return json.dumps(values, sort_keys=True)


def run_sweep(
    spec: Spec,
    varies: list[tuple[str, list[Any]]],
    samples: int,
    *,
    backend: str = "reference",
    executor=None,
    out: Path | None = None,
    margin_target: float | None = None,
    bisections: int = 4,
    progress: bool = True,
) -> SweepResult:
    """Run the sweep and return its rows (see the module docstring)."""
    from .executors import LocalExecutor

    _check_request(varies, samples, margin_target)
    points = [
        dict(zip([k for k, _ in varies], combo, strict=True))
        for combo in itertools.product(*[v for _, v in varies])
    ]
    # bad values, and a backend that cannot run a point, fail now (naming the file)
    for values in points:
        check_runnable(
            spec_from_mapping(
                assign(spec.raw, values), base_dir=spec.base_dir, source=spec.source
            ),
            backend,
        )
    header = {
        "version": FORMAT_VERSION,
        "spec": _digest(spec.raw, spec.base_dir),
        "backend": backend,
        "samples": samples,
    }
    executor = executor if executor is not None else LocalExecutor()

    # the executor first: a cluster that does not answer leaves no folder behind
    with executor:
        store = _Store(out, header)
        _run_points(spec, points, samples, backend, executor, store, progress)
        rows = [_row(values, samples, store) for values in points]
        margin = None
        if margin_target is not None:
            margin = _bisect_margin(
                spec,
                varies,
                rows,
                samples,
                backend,
                executor,
                store,
                margin_target,
                bisections,
                progress,
            )
    result = SweepResult(rows, margin)
    if out is not None:
        write_text_atomic(out / "rows.json", json.dumps(result.to_json(), indent=1))
        title = f"{spec.name or spec.kind} on {backend}, {samples} samples a point"
        _plot(result, out, title)
    return result


def _check_request(
    varies: list[tuple[str, list[Any]]], samples: int, margin_target: float | None
) -> None:
    """Refuse a sweep that cannot mean what it says, before any work is done."""
    if isinstance(samples, bool) or not 1 <= samples <= MAX_SAMPLES:
        raise ValidationError(
            "--samples", f"must be >= 1 and <= {MAX_SAMPLES}", samples
        )
    keys = [key for key, _ in varies]
    for key in keys:
        if keys.count(key) > 1:
            raise ValidationError(
                "--vary", "must give each key once (list all values in one)", key
            )
    if "noise.realisation" in keys:
        raise ValidationError(
            "--vary",
            "cannot vary noise.realisation: the sweep sets it to 0..K-1 itself",
            "noise.realisation",
            remedy="use --samples K for K realisations",
        )
    if margin_target is None:
        return
    if not 0 < margin_target <= 1:
        raise ValidationError(
            "--margin", "must be a success rate in (0, 1]", margin_target
        )
    numeric = len(varies) == 1 and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in varies[0][1]
    )
    if not numeric:
        raise ValidationError(
            "--margin", "needs exactly one numeric --vary key", ",".join(keys)
        )


def _digest(raw: dict[str, Any], base_dir: Path) -> str:
    """A fingerprint of the spec and of every file it names (arrays, graphs)."""
    digest = hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode())
    for text in sorted(set(_strings(raw))):
        path = Path(base_dir) / text
        if path.is_file():
            digest.update(text.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _run_points(spec, points, samples, backend, executor, store, progress) -> None:
    from tqdm import tqdm

    # an absolute folder: workers of a cluster do not share our working directory
    base_dir = str(Path(spec.base_dir).resolve())
    base = {"raw": spec.raw, "base_dir": base_dir, "source": spec.source}
    # noise-free references first: each sample is judged against its point's
    missing = [v for v in points if _point_key(v) not in store.references]
    jobs = [{**base, "values": v, "point": _point_key(v)} for v in missing]
    for record in executor.run(reference_task, jobs):
        store.add("references", record)

    jobs = [
        {
            **base,
            "values": v,
            "point": _point_key(v),
            "realisation": k,
            "backend": backend,
            "reference_readout": store.references[_point_key(v)]["readout"],
            "reference_undecided": store.references[_point_key(v)].get("undecided"),
        }
        for v in points
        for k in range(samples)
        if (_point_key(v), k) not in store.samples
    ]
    bar = tqdm(
        total=len(points) * samples,
        initial=len(points) * samples - len(jobs),
        desc="sweep",
        unit="sample",
        disable=not progress,
        leave=False,
    )
    try:
        for record in executor.run(sample_task, jobs):
            store.add("samples", record)
            if "error" in record:
                log.warning("sample failed numerically: %s", record["error"])
            bar.update()
    finally:
        bar.close()


def _row(values: dict[str, Any], samples: int, store: _Store) -> dict[str, Any]:
    records = [store.samples[(_point_key(values), k)] for k in range(samples)]
    successes = sum(r["success"] for r in records)
    low, high = wilson_interval(successes, samples)
    row = {
        "values": values,
        "samples": samples,
        "successes": successes,
        "success_rate": successes / samples,
        "ci_low": low,
        "ci_high": high,
        "numerical_failures": sum("error" in r for r in records),
    }
    cuts = [r["cut"] for r in records if "cut" in r]
    if cuts:
        row["mean_cut"] = sum(cuts) / len(cuts)
    errors = [r["error"] for r in records if "error" in r]
    if errors:
        row["first_error"] = errors[0]
    return row


def _bisect_margin(
    spec, varies, rows, samples, backend, executor, store, target, bisections, progress
) -> dict[str, Any]:
    """The largest level of the one varied key that keeps success ≥ `target`."""
    key = varies[0][0]
    ordered = sorted(rows, key=lambda r: r["values"][key])
    passing = [r["values"][key] for r in ordered if r["success_rate"] >= target]
    failing = [r["values"][key] for r in ordered if r["success_rate"] < target]
    if not failing or not passing or min(failing) < max(passing):
        low = max(passing) if passing else None
        return {
            "key": key,
            "target": target,
            "margin": low,
            "bracket": [low, min(failing) if failing else None],
            "bisections": 0,
        }
    low, high = max(passing), min(failing)
    for _ in range(bisections):
        middle = (low + high) / 2
        point = {key: middle}
        _run_points(spec, [point], samples, backend, executor, store, progress)
        if _row(point, samples, store)["success_rate"] >= target:
            low = middle
        else:
            high = middle
    return {
        "key": key,
        "target": target,
        "margin": low,
        "bracket": [low, high],
        "bisections": bisections,
    }


def _plot(result: SweepResult, out: Path, title: str) -> None:
    """yield.png: success against the first varied key (numeric values), one curve
    per value of a second key; grids of three or more keys get no plot."""
    keys = list(result.rows[0]["values"]) if result.rows else []
    if not 1 <= len(keys) <= 2:
        return
    x_key, curve_key = keys[0], keys[1] if len(keys) == 2 else None
    curves: dict[Any, list[dict[str, Any]]] = {}
    for row in result.rows:
        if isinstance(row["values"][x_key], int | float):
            label = row["values"][curve_key] if curve_key else None
            curves.setdefault(label, []).append(row)
    if not curves:
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for label, rows in curves.items():
        rows.sort(key=lambda r: r["values"][x_key])
        y = [r["success_rate"] for r in rows]
        whiskers = [
            [r["success_rate"] - r["ci_low"] for r in rows],
            [r["ci_high"] - r["success_rate"] for r in rows],
        ]
        ax.errorbar(
            [r["values"][x_key] for r in rows],
            y,
            yerr=whiskers,
            marker="o",
            capsize=3,
            label=None if curve_key is None else f"{curve_key} = {label}",
        )
    if result.margin and result.margin.get("margin") is not None:
        ax.axvline(
            result.margin["margin"],
            ls="--",
            color="grey",
            label=f"margin at {result.margin['target']:.0%} success",
        )
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
    ax.set(
        xlabel=x_key,
        ylabel="success rate (95 % Wilson interval)",
        ylim=(-0.05, 1.05),
        title=title,
    )
    fig.tight_layout()
    image = io.BytesIO()
    fig.savefig(image, format="png", dpi=110)
    plt.close(fig)
    write_bytes_atomic(out / "yield.png", image.getvalue())
