from pathlib import Path

import numpy as np
import pytest

from codesign import ValidationError
from codesign.models import read_rudy
from codesign.models.maxcut import complete_graph

GSET = Path(__file__).resolve().parents[2] / "benchmarks" / "gset"


@pytest.mark.parametrize(
    ("name", "n", "m", "total"),
    [("G1", 800, 19176, 19176), ("G11", 800, 1600, 34), ("G22", 2000, 19990, 19990)],
)
def test_reads_gset_instances(name, n, m, total):
    graph = read_rudy(GSET / f"{name}.txt")
    assert (graph.n, len(graph.edges), graph.total_weight) == (n, m, total)
    assert graph.adjacency.shape == (n, n)


def test_cut_value_agrees_with_the_ising_form(rng):
    # cut = (W_total − Σ_edges w s_i s_j)/2 (bench/gset/README.md)
    graph = read_rudy(GSET / "G11.txt")
    spins = rng.choice([-1, 1], graph.n)
    ising = np.sum(graph.weights * spins[graph.edges[:, 0]] * spins[graph.edges[:, 1]])
    assert graph.cut_value(spins) == (graph.total_weight - ising) / 2


def test_brute_force_agrees_with_explicit_enumeration(rng):
    graph = complete_graph(6)
    best, spins = graph.brute_force()
    assert best == 9 and graph.cut_value(spins) == 9


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3 1\n1 1 1\n", "no self-loops"),
        ("3 1\n1 4 1\n", r"vertex ids must lie in 1\.\.3"),
        ("3 2\n1 2 1\n", "must list 2 edges"),
        ("three\n", "rudy format"),
    ],
)
def test_malformed_files_are_refused(tmp_path, text, message):
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(ValidationError, match=message):
        read_rudy(path)
