"""Seeded random streams: every random choice derives from one integer seed.

A stream is named by a path of keys (``derive_rng(seed, "init")``,
``derive_rng(seed, "noise", "mismatch", 3)``), so adding a new consumer never shifts
the numbers another consumer draws.
"""

from __future__ import annotations

import hashlib

import numpy as np


def _key_words(key: object) -> int:
    digest = hashlib.blake2b(repr(key).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def derive_seed(seed: int, *keys: object) -> np.random.SeedSequence:
    """The seed sequence for the stream named by `keys` under `seed`."""
    return np.random.SeedSequence(
        entropy=int(seed), spawn_key=tuple(_key_words(k) for k in keys)
    )


def derive_rng(seed: int, *keys: object) -> np.random.Generator:
    """A generator for the stream named by `keys` under `seed`."""
    return np.random.default_rng(derive_seed(seed, *keys))
