"""The trace: what every backend returns, always in model units, and its file form."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ._errors import ValidationError
from ._types import Array

REQUIRED_FIELDS = ("t", "x", "energy", "readout", "backend")


@dataclass(eq=False)
class Trace:
    """Time series of one run of one backend.

    `t` (T,) counts model time constants (for a sampler, sample index); `x` (T, d)
    holds states in model coordinates (for a sampler, one sample per row); `energy`
    (T,) is the model's energy of each row; `readout` is the final readout; `extras`
    holds backend- or kind-specific arrays (cut values, order parameter, wall time),
    saved beside the required fields.
    """

    t: Array
    x: Array
    energy: Array
    readout: np.ndarray
    backend: str
    extras: dict[str, np.ndarray] = field(default_factory=dict)

    def save(self, path: str | Path) -> Path:
        """Write the trace as ``.npz`` atomically (never a half-written file)."""
        arrays = {name: np.asarray(value) for name, value in self.extras.items()}
        arrays.update(
            t=self.t,
            x=self.x,
            energy=self.energy,
            readout=np.asarray(self.readout),
            backend=np.array(self.backend),
        )
        return write_npz_atomic(path, arrays)

    @classmethod
    def load(cls, path: str | Path) -> Trace:
        with np.load(path, allow_pickle=False) as data:
            missing = [name for name in REQUIRED_FIELDS if name not in data]
            if missing:
                raise ValidationError(
                    "trace", f"must hold {', '.join(missing)}", str(path)
                )
            extras = {k: data[k] for k in data.files if k not in REQUIRED_FIELDS}
            return cls(
                data["t"],
                data["x"],
                data["energy"],
                data["readout"],
                str(data["backend"]),
                extras,
            )


def write_npz_atomic(path: str | Path, arrays: dict[str, np.ndarray]) -> Path:
    """Save `arrays` to `path` through a temporary file in the same folder."""
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".npz.part")
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, **arrays)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write `text` to `path` through a temporary file in the same folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(handle, "w") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
