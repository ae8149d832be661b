"""The model spec: one TOML file describing a model, its start, its run and hardware.

`load_spec` reads a file; `spec_from_mapping` builds a spec from an already parsed
mapping (the sweep uses it to vary dotted keys). Every field is checked; a bad one
raises `ValidationError` whose message names the file, the field, the rule and the
value. The ``[spice]``, ``[lava]`` and ``[noise]`` tables are checked by the
schemas their own packages declare (`PROVIDED_TABLES`).
"""

from __future__ import annotations

import copy
import importlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ._errors import Described, ValidationError
from ._params import Param, Schema
from ._rng import derive_rng
from ._types import State
from .models import MODELS, AbstractModel

RUN = Schema(
    "run",
    (
        Param(
            "t_end",
            "float",
            20.0,
            "duration, in units of the model's time constant",
            low=0,
            low_open=True,
        ),
        Param("points", "int", 201, "samples in the trace", low=2, high=10**7),
        Param("samples", "int", 2000, "boltzmann: samples recorded", low=1, high=10**8),
        Param(
            "burn_in",
            "int",
            200,
            "boltzmann: sweeps discarded per chain",
            low=0,
            high=10**8,
        ),
        Param(
            "chains",
            "int",
            16,
            "boltzmann: independent Gibbs chains",
            low=1,
            high=10**6,
        ),
        Param(
            "restarts",
            "int",
            16,
            "oim: independent runs; the best cut is kept",
            low=1,
            high=10**6,
        ),
    ),
    "How long and how finely one run is recorded.",
)

INIT = Schema(
    "init",
    (
        Param("x0", "array", None, "initial state (state size), inline or .npy"),
        Param("pattern", "int", None, "start from stored pattern number k", low=0),
        Param(
            "flip",
            "float",
            0.0,
            "fraction of the pattern's units flipped (with `pattern` only)",
            low=0,
            high=1,
        ),
        Param(
            "scale",
            "float",
            0.5,
            "state amplitude of a presented pattern (with `pattern` only)",
            low=0,
            low_open=True,
        ),
    ),
    "The start; by default a small random state drawn from the seed.",
)

REFERENCE = Schema(
    "reference",
    (
        Param(
            "method",
            "choice",
            "DOP853",
            "adaptive solver for single runs",
            choices=("RK45", "DOP853", "Radau", "BDF", "LSODA"),
        ),
        Param("rtol", "float", 1e-8, "relative tolerance", low=0, low_open=True),
        Param("atol", "float", 1e-10, "absolute tolerance", low=0, low_open=True),
        Param(
            "solver",
            "choice",
            "auto",
            "adaptive for deterministic single runs, fixed-step when noisy (auto)",
            choices=("auto", "adaptive", "fixed"),
        ),
        Param(
            "dt",
            "float",
            0.01,
            "step of the fixed-step (noisy or batched) integrator",
            low=0,
            low_open=True,
        ),
        Param(
            "integrator",
            "choice",
            "rk4",
            "fixed-step drift scheme",
            choices=("euler", "heun", "rk4"),
        ),
    ),
    "The ideal ODE/SDE integration.",
)

TABLES: dict[str, Schema] = {"run": RUN, "init": INIT, "reference": REFERENCE}

# the largest array of states a run may record (rows × state size × 8 bytes)
MAX_TRACE_BYTES = 2 * 2**30

# tables whose schema lives with the part that reads them: module with a `SCHEMA`
PROVIDED_TABLES = {
    "compare": "codesign.compare._compare",
    "spice": "codesign.backends.spice.params",
    "lava": "codesign.backends.lava.params",
    "noise": "codesign.noise.params",
}
TOP_LEVEL = ("name", "seed", "model", *TABLES, *PROVIDED_TABLES)


def table_schemas() -> dict[str, Schema | None]:
    """Every table's schema; None for a table whose provider is not built yet."""
    schemas: dict[str, Schema | None] = dict(TABLES)
    for table, module in PROVIDED_TABLES.items():
        try:
            schemas[table] = importlib.import_module(module).SCHEMA
        except ModuleNotFoundError as error:
            if error.name is None or not module.startswith(error.name):
                raise
            schemas[table] = None
    return schemas


@dataclass(frozen=True)
class RunConfig:
    t_end: float
    points: int
    samples: int
    burn_in: int
    chains: int
    restarts: int

    @property
    def times(self) -> np.ndarray:
        return np.linspace(0.0, self.t_end, self.points)


@dataclass(eq=False)
class Spec:
    """A checked spec: the model, its initial state and every table's values."""

    name: str
    seed: int
    model: AbstractModel
    x0: State
    run: RunConfig
    tables: dict[str, dict[str, Any]]
    raw: dict[str, Any] = field(repr=False)
    source: str = "<spec>"
    base_dir: Path = field(default_factory=Path.cwd)

    @property
    def kind(self) -> str:
        return self.model.kind

    def table(self, name: str) -> dict[str, Any]:
        """Checked values of table `name` (defaults filled in)."""
        return self.tables[name]

    def varied(self, key: str, value: Any) -> Spec:
        """A new spec with the dotted `key` (e.g. ``noise.mismatch``) set to `value`."""
        raw = assign(self.raw, {key: value})
        return spec_from_mapping(raw, base_dir=self.base_dir, source=self.source)


def assign(raw: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a raw spec with each dotted key (``noise.mismatch``) set."""
    raw = copy.deepcopy(dict(raw))
    for key, value in values.items():
        *tables, last = key.split(".")
        node = raw
        for name in tables:
            node = node.setdefault(name, {})
            if not isinstance(node, dict):
                raise ValidationError(key, "must name a field inside a table", value)
        node[last] = value
    return raw


def load_spec(path: str | Path) -> Spec:
    """Read and check the spec file at `path`."""
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError("", "no such spec file", source=source) from None
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise ValidationError(
            "", f"cannot read the spec ({reason})", source=source
        ) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValidationError("", f"not valid TOML ({error})", source=source) from None
    return spec_from_mapping(raw, base_dir=path.parent.resolve(), source=source)


def spec_from_mapping(
    raw: Mapping[str, Any], *, base_dir: str | Path = ".", source: str = "<spec>"
) -> Spec:
    """Check a parsed spec mapping; relative paths resolve against `base_dir`."""
    base_dir = Path(base_dir)
    try:
        return _build(dict(raw), base_dir, source)
    except ValidationError as error:
        if error.source:
            raise
        raise error.in_context(source) from None


def _build(raw: dict[str, Any], base_dir: Path, source: str) -> Spec:
    # top level
    for key in raw:
        if key not in TOP_LEVEL:
            raise ValidationError(
                key, f"is not a spec table or field (allowed: {', '.join(TOP_LEVEL)})"
            )
    name = raw.get("name", "")
    if not isinstance(name, str):
        raise ValidationError("name", "must be a string", name)
    seed = raw.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValidationError("seed", "must be an integer >= 0", seed)
    for table in ("model", *TABLES, *PROVIDED_TABLES):
        if table in raw and not isinstance(raw[table], dict):
            raise ValidationError(table, "must be a table ([...])", raw[table])

    # tables
    tables = {}
    for table, schema in table_schemas().items():
        if schema is not None:
            tables[table] = _parse_table(schema, raw.get(table, {}), base_dir)
        elif raw.get(table):
            first = next(iter(raw[table]))
            raise ValidationError(
                f"{table}.{first}", f"cannot be set: [{table}] is not built yet"
            )
        else:
            tables[table] = {}
    run = RunConfig(**tables["run"])

    # the model and its start
    model = build_model(raw.get("model"), base_dir, seed).bind_run(run.t_end)
    _check_trace_size(model, run)
    given = set(raw.get("init", {}))
    if tables["init"]["pattern"] is None and given & {"flip", "scale"}:
        name = sorted(given & {"flip", "scale"})[0]
        raise ValidationError(
            f"init.{name}",
            "applies only to a start from a stored pattern",
            tables["init"][name],
            remedy="set `init.pattern` too, or remove it",
        )
    x0 = _initial_state(model, tables["init"], seed)
    return Spec(name, seed, model, x0, run, tables, raw, source, base_dir)


def _parse_table(
    schema: Schema, raw: Mapping[str, Any], base_dir: Path, ignore: tuple[str, ...] = ()
) -> dict[str, Any]:
    try:
        return schema.parse(raw, base_dir, ignore=ignore)
    except ValidationError as error:
        raise error.in_context("", schema.table) from None


def build_model(
    raw: Mapping[str, Any] | None, base_dir: Path, seed: int
) -> AbstractModel:
    """Build the model of a ``[model]`` table."""
    if not raw:
        raise ValidationError("model", "is required: a [model] table with `kind`")
    kind = raw.get("kind")
    if kind is None:
        raise ValidationError("model.kind", f"is required: one of {', '.join(MODELS)}")
    if kind not in MODELS:
        raise ValidationError("model.kind", f"must be one of {', '.join(MODELS)}", kind)
    cls = MODELS[kind]
    params = _parse_table(cls.schema, raw, base_dir, ignore=("kind",))
    try:
        return cls.from_params(params, seed)
    except ValidationError as error:
        raise error.in_context("", "model") from None


def _check_trace_size(model: AbstractModel, run: RunConfig) -> None:
    """Refuse a run whose states alone would not fit in `MAX_TRACE_BYTES`."""
    if model.kind == "boltzmann":
        field, rows, copies = "run.samples", run.samples, 1
    else:
        # an OIM integrates all its restarts at once
        field, rows = "run.points", run.points
        copies = run.restarts if model.kind == "oim" else 1
    size = 8 * rows * copies * model.state_size
    if size > MAX_TRACE_BYTES:
        raise ValidationError(
            field,
            f"asks for {size / 2**30:.1f} GiB of states ({rows} rows × "
            f"{copies * model.state_size} values); at most "
            f"{MAX_TRACE_BYTES / 2**30:.0f} GiB",
            rows,
            remedy="record fewer rows",
        )


def _initial_state(model: AbstractModel, init: Mapping[str, Any], seed: int) -> State:
    if init["x0"] is not None and init["pattern"] is not None:
        raise ValidationError("init.x0", "give `x0` or `pattern`, not both")
    if init["x0"] is not None:
        return _checked_x0(model, init["x0"])
    if init["pattern"] is not None:
        return _pattern_start(model, init, seed)
    return model.initial_state(derive_rng(seed, "init"))


def _checked_x0(model: AbstractModel, x0: np.ndarray) -> State:
    if x0.shape == (model.state_size,):
        return x0
    if x0.shape == (model.n,) and model.state_size > model.n:
        # a feature-only start (dense): the memory neurons start at rest
        return np.concatenate([x0, np.zeros(model.state_size - model.n)])
    raise ValidationError(
        "init.x0",
        f"must have shape ({model.state_size},)",
        Described(f"shape {x0.shape}"),
    )


def _pattern_start(model: AbstractModel, init: Mapping[str, Any], seed: int) -> State:
    patterns = model.patterns
    if patterns is None:
        raise ValidationError(
            "init.pattern",
            "needs stored patterns: give `model.patterns`, or use `x0`",
            init["pattern"],
        )
    k = init["pattern"]
    if k >= len(patterns):
        raise ValidationError(
            "init.pattern",
            f"must be < {len(patterns)}, the number of stored patterns",
            k,
        )
    pattern = patterns[k].copy()
    flips = int(round(init["flip"] * model.n))
    chosen = derive_rng(seed, "init", "flip").choice(model.n, flips, replace=False)
    pattern[chosen] *= -1
    return model.pattern_state(pattern, init["scale"])
