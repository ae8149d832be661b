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
    """Read a Max-Cut instance in rudy format (first line ``n m``, then ``i j w``)."""
    path = Path(path)
    try:
        lines = path.read_text().split("\n")
    except (OSError, UnicodeDecodeError) as error:
        raise ValidationError(
            field, f"could not be read ({error.strerror or error})", str(path)
        ) from None
    try:
        n, m = (int(v) for v in lines[0].split()[:2])
        table = np.loadtxt(lines[1 : m + 1], ndmin=2) if m else np.zeros((0, 3))
    except (ValueError, IndexError):
        raise ValidationError(
            field, "must be rudy format: a line `n m`, then m lines `i j w`", path.name
        ) from None
    if n < 1 or table.shape != (m, 3):
        raise ValidationError(
            field,
            f"must list {m} edges `i j w` after `n m`",
            Described(f"{path.name}: {table.shape[0]} rows"),
        )
    edges = table[:, :2].astype(int) - 1
    if edges.size and (edges.min() < 0 or edges.max() >= n):
        raise ValidationError(
            field, f"vertex ids must lie in 1..{n}", Described(path.name)
        )
    if np.any(edges[:, 0] == edges[:, 1]):
        raise ValidationError(field, "must have no self-loops", Described(path.name))
    return Graph(n, edges, table[:, 2].astype(float), path.stem)


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
