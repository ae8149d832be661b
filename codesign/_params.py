"""Declared parameters: one place stating each field's type, range, unit and default.

A `Schema` is a list of `Param`s for one table of the spec (``[model]`` of one kind,
``[run]``, ``[spice]``, ...). `Schema.parse` turns a TOML table into checked Python
values and raises `ValidationError` naming the field, the rule and the value. The
documentation of the spec (docs/spec.md) is generated from these same declarations.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ._errors import Described, ValidationError

REQUIRED = object()

# TOML integers are 64-bit; tomllib reads longer ones, which are refused here
INT64_MAX = 2**63 - 1

_KINDS = ("float", "int", "bool", "str", "choice", "array", "scalar_or_array", "path")


@dataclass(frozen=True)
class Param:
    """One field of a spec table.

    `kind` is one of ``float``, ``int``, ``bool``, ``str``, ``choice``, ``array``
    (a TOML array or the path of a ``.npy`` file), ``scalar_or_array`` and ``path``
    (a file relative to the spec). Bounds are inclusive unless `low_open`/`high_open`.
    """

    name: str
    kind: str
    default: Any = REQUIRED
    doc: str = ""
    unit: str = ""
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple[str, ...] = ()

    def __post_init__(self):
        if self.kind not in _KINDS:
            raise TypeError(f"Param {self.name}: unknown kind {self.kind!r}")

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def describe_range(self) -> str:
        """The allowed values in words, e.g. ``> 0`` or ``one of a, b``."""
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        bounds = []
        if self.low is not None:
            bounds.append(f"{'>' if self.low_open else '>='} {_bound(self.low)}")
        if self.high is not None:
            bounds.append(f"{'<' if self.high_open else '<='} {_bound(self.high)}")
        return " and ".join(bounds)

    def parse(self, value: Any, base_dir: Path) -> Any:
        """Check one raw TOML value and convert it; raise `ValidationError`."""
        parse = getattr(self, f"_parse_{self.kind}")
        return parse(value, base_dir)

    # one parser per kind ------------------------------------------------------------
    def _parse_float(self, value, base_dir):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError(self.name, "must be a number", value)
        try:
            value = float(value)
        except OverflowError:
            value = math.inf
        if not math.isfinite(value):
            raise ValidationError(self.name, "must be finite", value)
        self._check_bounds(value, value)
        return value

    def _parse_int(self, value, base_dir):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(self.name, "must be an integer", value)
        if abs(value) > INT64_MAX:
            raise ValidationError(self.name, "must fit in a 64-bit integer", value)
        self._check_bounds(value, value)
        return int(value)

    def _parse_bool(self, value, base_dir):
        if not isinstance(value, bool):
            raise ValidationError(self.name, "must be true or false", value)
        return value

    def _parse_str(self, value, base_dir):
        if not isinstance(value, str):
            raise ValidationError(self.name, "must be a string", value)
        return value

    def _parse_choice(self, value, base_dir):
        if value not in self.choices:
            raise ValidationError(self.name, f"must be {self.describe_range()}", value)
        return value

    def _parse_path(self, value, base_dir):
        if not isinstance(value, str):
            raise ValidationError(self.name, "must be a file path (a string)", value)
        path = (base_dir / value).resolve()
        if not path.is_file():
            raise ValidationError(
                self.name, "must name a readable file relative to the spec", value
            )
        return path

    def _parse_array(self, value, base_dir):
        array = load_array(self.name, value, base_dir)
        if array.size:
            self._check_bounds(float(array.min()), float(array.max()), value=value)
        return array

    def _parse_scalar_or_array(self, value, base_dir):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self._parse_float(value, base_dir)
        return self._parse_array(value, base_dir)

    def _check_bounds(self, lowest, highest, value=None):
        value = lowest if value is None else value
        too_low = self.low is not None and (
            lowest <= self.low if self.low_open else lowest < self.low
        )
        too_high = self.high is not None and (
            highest >= self.high if self.high_open else highest > self.high
        )
        if too_low or too_high:
            shown = value if np.isscalar(value) else (lowest if too_low else highest)
            raise ValidationError(self.name, f"must be {self.describe_range()}", shown)


def _bound(value: float) -> str:
    """A bound as written: whole numbers in full (10000000), others short (1e-09)."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:g}"


def load_array(name: str, value: Any, base_dir: Path) -> np.ndarray:
    """Read an inline TOML array or a ``.npy`` path as a non-empty finite float array.

    Only real numbers are accepted: booleans, strings and complex numbers are
    refused rather than converted, and so are empty and 0-d arrays.
    """
    if isinstance(value, str):
        raw = _read_npy(name, value, base_dir)
        if raw.dtype.kind not in "iuf":
            raise ValidationError(
                name,
                "must hold real numbers (an integer or float .npy array)",
                Described(f"{value} of dtype {raw.dtype}"),
            )
        if raw.ndim == 0:
            raise ValidationError(
                name,
                "must be an array, not a 0-d .npy value",
                value,
                remedy="write a scalar inline instead",
            )
    elif isinstance(value, list):
        if not _all_numbers(value):
            raise ValidationError(name, "must be a rectangular array of numbers", value)
        raw = value
    else:
        raise ValidationError(
            name, "must be an inline array or the path of a .npy file", value
        )
    try:
        array = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        raise ValidationError(
            name, "must be a rectangular array of numbers", value
        ) from None
    if array.size == 0:
        raise ValidationError(
            name, "must not be empty", Described(f"shape {array.shape}")
        )
    if not np.all(np.isfinite(array)):
        raise ValidationError(
            name, "must hold finite numbers only (no NaN or inf)", value
        )
    return array


def _read_npy(name: str, value: str, base_dir: Path) -> np.ndarray:
    path = (base_dir / value).resolve()
    if not path.is_file():
        raise ValidationError(
            name,
            "must be an inline array or a readable .npy file",
            value,
            remedy=f"no file at {path}",
        )
    try:
        loaded = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as error:
        reason = " ".join(str(error).split())[:80]
        raise ValidationError(
            name, f"could not be read as a .npy array ({reason})", value
        ) from None
    if not isinstance(loaded, np.ndarray):
        loaded.close()
        raise ValidationError(
            name, "must be one array in a .npy file, not a .npz archive", value
        )
    return loaded


def _all_numbers(value: Any) -> bool:
    """True when every leaf of a nested list is an int or a float (not a bool)."""
    if isinstance(value, list):
        return all(_all_numbers(item) for item in value)
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class Schema:
    """The fields of one spec table."""

    table: str
    params: tuple[Param, ...]
    doc: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def names(self) -> list[str]:
        return [p.name for p in self.params]

    def parse(
        self, raw: Mapping[str, Any], base_dir: Path, ignore: Iterable[str] = ()
    ) -> dict[str, Any]:
        """Check a raw table; return every field (defaults filled in)."""
        known = {p.name: p for p in self.params}
        for name in raw:
            if name not in known and name not in ignore:
                allowed = ", ".join(sorted(known)) or "none"
                raise ValidationError(
                    name, f"is not a field of [{self.table}] (allowed: {allowed})"
                )
        values = {}
        for param in self.params:
            if param.name in raw:
                values[param.name] = param.parse(raw[param.name], base_dir)
            elif param.required:
                raise ValidationError(param.name, "is required", remedy=param.doc)
            else:
                values[param.name] = param.default
        return values
