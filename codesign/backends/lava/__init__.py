"""The lava backend (not built yet)."""

KINDS: tuple[str, ...] = ()


def unavailable() -> str:
    return "the lava backend is not built yet"


def simulate(spec):
    raise NotImplementedError("the lava backend is not built yet")
