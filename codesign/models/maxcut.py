"""Max-Cut instances: the rudy/G-set file format, cut values and exact answers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .._errors import Described, ValidationError
from .._types import Array, Spins

MAX_BRUTE_FORCE_NODES = 26


@dataclass(frozen=True, eq=False)
class Graph:
    """An undirected weighted graph: n nodes, edges (m, 2) 0-based, weights (m)."""

    n: int
    edges: np.ndarray
    weights: Array
    name: str = ""

    @property
    def adjacency(self) -> sp.csr_array:
        """Symmetric weighted adjacency W as a sparse (n, n) array."""
        i, j = self.edges[:, 0], self.edges[:, 1]
        rows = np.concatenate([i, j])
        cols = np.concatenate([j, i])
        data = np.concatenate([self.weights, self.weights])
        return sp.csr_array((data, (rows, cols)), shape=(self.n, self.n))

    @property
    def total_weight(self) -> float:
        return float(self.weights.sum())

    def cut_value(self, spins: Spins) -> Array:
        """Σ_edges w_ij (1 − s_i s_j)/2, batched over leading axes of `spins`."""
        s = np.asarray(spins, float)
        agree = s[..., self.edges[:, 0]] * s[..., self.edges[:, 1]]
        return (1.0 - agree) @ self.weights / 2.0

    def brute_force(self) -> tuple[float, np.ndarray]:
        """The maximum cut and one spin vector reaching it, by exact enumeration."""
        if self.n > MAX_BRUTE_FORCE_NODES:
            raise ValidationError(
                "graph", f"brute force needs n <= {MAX_BRUTE_FORCE_NODES}", self.n
            )
        best, best_spins = -np.inf, None
        # fix the last spin to +1 (a cut is symmetric under s → −s)
        free = max(self.n - 1, 0)
        chunk = 1 << min(free, 16)
        for start in range(0, 1 << free, chunk):
            codes = np.arange(start, min(start + chunk, 1 << free))
            bits = (codes[:, None] >> np.arange(free)) & 1
            spins = np.hstack([2 * bits - 1, np.ones((len(codes), 1))])
            cuts = self.cut_value(spins)
            k = int(np.argmax(cuts))
            if cuts[k] > best:
                best, best_spins = float(cuts[k]), spins[k].astype(np.int8)
        return best, best_spins

    @classmethod
    def from_couplings(cls, couplings: Array, name: str = "") -> Graph:
        """The graph whose Max-Cut is the ground state of J = −W."""
        weights = -np.asarray(couplings, float)
        i, j = np.nonzero(np.triu(weights, k=1))
        return cls(weights.shape[0], np.stack([i, j], axis=1), weights[i, j], name)


def read_rudy(path: str | Path, field: str = "graph") -> Graph:
    """Read a Max-Cut instance in rudy format (first line ``n m``, then ``i j w``).

    Vertex ids are 1-based integers; each of the m edge lines holds two distinct
    ids and a finite weight, and no pair of vertices is listed twice. Blank lines
    are ignored; anything else that breaks these rules is refused, with the line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise ValidationError(
            field, f"could not be read ({reason})", str(path)
        ) from None
    lines = [
        (number, line.split())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]
    n, m = _rudy_header(path, field, lines)
    rows = lines[1:]
    if len(rows) != m:
        raise ValidationError(
            field,
            f"must list exactly {m} edges `i j w` after `n m`",
            Described(f"{path.name}: {len(rows)} edge lines"),
        )
    edges = np.zeros((m, 2), dtype=np.int64)
    weights = np.zeros(m)
    seen: dict[tuple[int, int], int] = {}
    for k, (number, tokens) in enumerate(rows):
        i, j, w = _rudy_edge(path, field, n, number, tokens)
        pair = (min(i, j), max(i, j))
        if pair in seen:
            raise ValidationError(
                field,
                f"must list each edge once (edge {i} {j} is also on line {seen[pair]})",
                Described(f"{path.name} line {number}"),
            )
        seen[pair] = number
        edges[k] = (i - 1, j - 1)
        weights[k] = w
    return Graph(n, edges, weights, path.stem)


def _rudy_header(
    path: Path, field: str, lines: list[tuple[int, list[str]]]
) -> tuple[int, int]:
    """The ``n m`` of a rudy file's first line: n >= 1 nodes and m >= 0 edges."""
    tokens = lines[0][1] if lines else []
    try:
        n, m = (int(token) for token in tokens)
    except ValueError:
        raise ValidationError(
            field,
            "must be rudy format: a first line `n m` (two integers), then m lines "
            "`i j w`",
            Described(f"{path.name} line 1: {' '.join(tokens)[:40]!r}"),
        ) from None
    if n < 1 or m < 0:
        raise ValidationError(
            field,
            "must start with `n m`, n >= 1 nodes and m >= 0 edges",
            Described(f"{path.name}: n = {n}, m = {m}"),
        )
    return n, m


def _rudy_edge(
    path: Path, field: str, n: int, number: int, tokens: list[str]
) -> tuple[int, int, float]:
    """Check one edge line ``i j w`` of a rudy file."""
    where = Described(f"{path.name} line {number}: {' '.join(tokens)[:40]!r}")
    try:
        if len(tokens) != 3:
            raise ValueError
        i, j, w = int(tokens[0]), int(tokens[1]), float(tokens[2])
    except ValueError:
        raise ValidationError(
            field, "edge lines must be `i j w`: two integer ids and a weight", where
        ) from None
    if not (1 <= i <= n and 1 <= j <= n):
        raise ValidationError(field, f"vertex ids must lie in 1..{n}", where)
    if i == j:
        raise ValidationError(field, "must have no self-loops", where)
    if not np.isfinite(w):
        raise ValidationError(field, "edge weights must be finite", where)
    return i, j, w


def complete_graph(n: int) -> Graph:
    i, j = np.triu_indices(n, k=1)
    return Graph(n, np.stack([i, j], 1), np.ones(len(i)), f"K{n}")


def cycle_graph(n: int) -> Graph:
    i = np.arange(n)
    return Graph(n, np.stack([i, (i + 1) % n], 1), np.ones(n), f"C{n}")


def petersen_graph() -> Graph:
    outer = [(i, (i + 1) % 5) for i in range(5)]
    spokes = [(i, i + 5) for i in range(5)]
    inner = [(5 + i, 5 + (i + 2) % 5) for i in range(5)]
    edges = np.array(outer + spokes + inner)
    return Graph(10, edges, np.ones(len(edges)), "Petersen")


def grid_graph(rows: int, cols: int) -> Graph:
    index = np.arange(rows * cols).reshape(rows, cols)
    edges = [
        (index[r, c], index[r, c + 1]) for r in range(rows) for c in range(cols - 1)
    ]
    edges += [
        (index[r, c], index[r + 1, c]) for r in range(rows - 1) for c in range(cols)
    ]
    return Graph(
        rows * cols, np.array(edges), np.ones(len(edges)), f"grid{rows}x{cols}"
    )


def random_graph(
    n: int,
    density: float,
    rng: np.random.Generator,
    weights: tuple[float, ...] = (1.0,),
) -> Graph:
    """An Erdős–Rényi graph G(n, density) with weights drawn from `weights`."""
    i, j = np.triu_indices(n, k=1)
    keep = rng.random(len(i)) < density
    w = rng.choice(np.asarray(weights, float), size=int(keep.sum()))
    return Graph(n, np.stack([i[keep], j[keep]], 1), w, f"G({n},{density:g})")
