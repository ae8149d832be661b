"""The spice backend (not built yet)."""

KINDS: tuple[str, ...] = ()


def unavailable() -> str:
    return "the spice backend is not built yet"


def simulate(spec):
    raise NotImplementedError("the spice backend is not built yet")
