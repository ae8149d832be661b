"""The trace: what every backend returns, always in model units, and its file form."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

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


def check_output_path(path: str | Path, option: str) -> Path:
    """Refuse an output file path that cannot be a file (before any work is done).

    A path that names a folder (or ends in a separator) or lies under an existing
    file raises `ValidationError` naming `option`.
    """
    text = str(path)
    path = Path(path)
    if text.endswith(("/", os.sep)) or path.is_dir():
        raise ValidationError(
            option, "must name a file, not a folder", text, remedy="add a file name"
        )
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ValidationError(
                    option, f"cannot be written: {parent} is a file, not a folder", text
                )
            break
    return path


def check_output_folder(path: str | Path, option: str) -> Path:
    """Refuse an output folder path that is a file or lies under one."""
    path = Path(path)
    for candidate in (path, *path.parents):
        if candidate.exists():
            if not candidate.is_dir():
                raise ValidationError(
                    option,
                    f"must be a folder ({candidate} is a file)",
                    str(path),
                )
            break
    return path


def write_npz_atomic(path: str | Path, arrays: dict[str, np.ndarray]) -> Path:
    """Save `arrays` to `path` (``.npz`` added if missing) atomically."""
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    return write_atomic(path, lambda stream: np.savez(stream, **arrays))


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write `text` (UTF-8) to `path` atomically."""
    return write_atomic(path, lambda stream: stream.write(text.encode("utf-8")))


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` atomically."""
    return write_atomic(path, lambda stream: stream.write(data))


def write_atomic(path: str | Path, write: Callable[[BinaryIO], object]) -> Path:
    """Write a file through a temporary file in the same folder, then rename it.

    Readers see the old file or the whole new one, never a part: on any failure or
    interrupt the temporary file is removed. The file gets the mode a plain
    ``open`` would give it (0o666 less the umask), not ``mkstemp``'s private 0o600.
    A path that cannot be written raises `ValidationError` naming it.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f"{path.name}.", suffix=".part"
        )
    except OSError as error:
        raise _unwritable(path, error) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _unwritable(path, error) from None
        raise
    return path


def _umask() -> int:
    """The process umask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _unwritable(path: Path, error: OSError) -> ValidationError:
    reason = error.strerror or str(error)
    return ValidationError("", f"cannot write {path} ({reason})")
