"""Where each ``[noise]`` field acts: on which kinds, on which backends.

A field acts on a device family (conductances, capacitors, amplifiers, oscillator
tanks); a kind whose hardware has no such family, or a backend that does not
realise it, refuses a non-zero level with one line, so that no level is ever
silently ignored.
"""

from __future__ import annotations

from .._errors import ValidationError

RATE = ("hopfield", "dense", "lca")  # RC neurons behind amplifiers
OSCILLATORS = ("kuramoto", "oim")
EVERY = (*RATE, "boltzmann", *OSCILLATORS)

# field → backend → the kinds on which that backend realises it
REALISED: dict[str, dict[str, tuple[str, ...]]] = {
    "mismatch": {"reference": EVERY, "spice": EVERY, "lava": EVERY},
    "weight_bits": {"reference": EVERY, "spice": EVERY, "lava": EVERY},
    "stuck_open": {"reference": EVERY, "spice": EVERY, "lava": EVERY},
    "stuck_short": {"reference": EVERY, "spice": EVERY, "lava": EVERY},
    "capacitor_mismatch": {"reference": RATE, "spice": RATE, "lava": RATE},
    "drift": {"reference": (*RATE, *OSCILLATORS)},
    "offset": {"reference": (*RATE, "boltzmann"), "spice": RATE},
    "gain_error": {"reference": RATE, "spice": RATE},
    "frequency_spread": {"reference": OSCILLATORS, "spice": OSCILLATORS},
    "thermal": {"reference": RATE, "spice": EVERY},
}


def realised_on(field: str, kind: str) -> list[str]:
    """The backends that realise `field` for `kind`."""
    return [b for b, kinds in REALISED.get(field, {}).items() if kind in kinds]


def check_realised(spec, backend: str) -> None:
    """Refuse a non-zero ``[noise]`` level of `spec` that `backend` does not realise
    for its kind, naming the backends that do (or that the kind has no such device).
    """
    kind, source = spec.kind, spec.source
    for field, level in spec.table("noise").items():
        if field not in REALISED or not level:
            continue
        where = realised_on(field, kind)
        if backend in where:
            continue
        if not where:
            kinds = sorted({k for ks in REALISED[field].values() for k in ks})
            raise ValidationError(
                f"noise.{field}",
                f"acts only on kinds {', '.join(kinds)}; a {kind} model has no such "
                "device",
                level,
                remedy="set it to 0",
                source=source,
            )
        raise ValidationError(
            f"noise.{field}",
            f"is not realised on the {backend} backend for kind {kind}",
            level,
            remedy=f"set it to 0, or run the {' or '.join(where)} backend",
            source=source,
        )


def realised_table() -> str:
    """The documented matrix: for each field and kind, the backends realising it."""
    rows = ["| field | " + " | ".join(EVERY) + " |", "| --- |" + " --- |" * len(EVERY)]
    for field in REALISED:
        cells = [", ".join(realised_on(field, kind)) or "—" for kind in EVERY]
        rows.append(f"| `{field}` | " + " | ".join(cells) + " |")
    return "\n".join(rows)
