"""The backends and what each supports.

Every backend is a subpackage with the same entry points: ``simulate(spec) -> Trace``
and, where it builds an artefact, ``compile(spec)``. `get_backend` imports one by
name; `SUPPORT` is the matrix of kinds × backends, and `check_supported` refuses an
unsupported pair with a message that says what works instead.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .._errors import BackendUnavailable

BACKENDS = ("reference", "spice", "lava")

# kind → backend → None when supported, else the reason it is not
NOT_BUILT = "the {backend} backend is not built yet"
SUPPORT: dict[str, dict[str, str | None]] = {
    kind: {"reference": None, "spice": NOT_BUILT, "lava": NOT_BUILT}
    for kind in ("hopfield", "dense", "boltzmann", "kuramoto", "oim", "lca")
}


def check_supported(kind: str, backend: str) -> None:
    """Raise `BackendUnavailable` unless `backend` can run models of `kind`."""
    if backend not in BACKENDS:
        raise BackendUnavailable(
            f"unknown backend {backend!r}: choose one of {', '.join(BACKENDS)}")
    reason = SUPPORT[kind][backend]
    if reason is not None:
        working = [b for b, r in SUPPORT[kind].items() if r is None]
        raise BackendUnavailable(
            f"kind {kind!r} cannot run on {backend}: "
            f"{reason.format(backend=backend)}; use --backend {' or '.join(working)}")


def get_backend(name: str) -> ModuleType:
    """The backend subpackage called `name`."""
    if name not in BACKENDS:
        raise BackendUnavailable(
            f"unknown backend {name!r}: choose one of {', '.join(BACKENDS)}")
    return importlib.import_module(f"{__name__}.{name}")


def simulate(spec, backend: str = "reference"):
    """Run `spec` on `backend` and return its trace (model units)."""
    check_supported(spec.kind, backend)
    return get_backend(backend).simulate(spec)
