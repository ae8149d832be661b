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
        ("3 2\n1 2 1\n", "must list exactly 2 edges"),
        ("3 1\n1 2 1\n2 3 1\n", "must list exactly 1 edges"),
        ("three\n", "rudy format"),
        ("", "rudy format"),
        ("0 0\n", "n >= 1 nodes"),
        ("3 -1\n", "m >= 0 edges"),
        ("3 2\n1 2 1\n1 2 2\n", r"each edge once \(edge 1 2 is also on line 2\)"),
        ("3 2\n1 2 1\n2 1 1\n", r"each edge once .* line 3"),
        ("3 1\n1 2.5 1\n", "two integer ids and a weight"),
        ("3 1\n1 2\n", "two integer ids and a weight"),
        ("3 1\n1 2 x\n", "two integer ids and a weight"),
        ("3 1\n1 2 nan\n", "edge weights must be finite"),
        ("3 1\n1 2 inf\n", "edge weights must be finite"),
    ],
)
def test_malformed_files_are_refused(tmp_path, text, message):
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(ValidationError, match=message):
        read_rudy(path)


def test_undecodable_graph_file_is_refused(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"3 1\n1 2 \xff\n")
    with pytest.raises(ValidationError, match="could not be read"):
        read_rudy(path)


def test_blank_lines_in_a_graph_file_are_ignored(tmp_path):
    path = tmp_path / "g.txt"
    path.write_text("3 2 \n\n1 2 1\n\n2 3 -1\n\n")
    graph = read_rudy(path)
    assert graph.edges.tolist() == [[0, 1], [1, 2]]
    assert graph.weights.tolist() == [1.0, -1.0]
