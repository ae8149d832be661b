import json

import numpy as np
import pytest

from codesign import ValidationError
from codesign.spec import load_spec, spec_from_mapping
from tests.cases import KINDS, spec_mapping


def write(tmp_path, text, name="spec.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_loads_with_defaults(kind):
    spec = spec_from_mapping(spec_mapping(kind))
    assert spec.kind == kind
    assert spec.x0.shape == (spec.model.state_size,)


def test_arrays_may_be_npy_files_relative_to_the_spec(tmp_path):
    patterns = np.array([[1, -1, 1, -1], [1, 1, -1, -1]], float)
    (tmp_path / "sub").mkdir()
    np.save(tmp_path / "sub" / "p.npy", patterns)
    path = write(tmp_path / "sub", '[model]\nkind = "hopfield"\npatterns = "p.npy"\n')
    spec = load_spec(path)
    assert np.array_equal(spec.model.patterns, patterns)


def test_pattern_start_flips_exactly_the_requested_fraction():
    raw = spec_mapping("hopfield")
    raw["init"] = {"pattern": 1, "flip": 0.25, "scale": 0.5}
    spec = spec_from_mapping(raw)
    stored = spec.model.patterns[1]
    assert np.sum(np.sign(spec.x0) != stored) == round(0.25 * spec.model.n)
    assert np.allclose(np.abs(spec.x0), 0.5)


def test_seed_decides_every_random_choice():
    raw = spec_mapping("kuramoto")
    first, again = spec_from_mapping(raw), spec_from_mapping(raw)
    assert np.array_equal(first.x0, again.x0)
    raw["seed"] = 4
    assert not np.array_equal(first.x0, spec_from_mapping(raw).x0)


def test_varied_sets_a_dotted_key():
    spec = spec_from_mapping(spec_mapping("hopfield"))
    assert spec.varied("model.gain", 2.5).model.gain == 2.5
    assert spec.varied("run.t_end", 3.0).run.t_end == 3.0


HOPFIELD = '[model]\nkind = "hopfield"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[model]\nkind = "ising"\n',
            r"`model.kind`: must be one of .* \(got 'ising'\)",
        ),
        (
            HOPFIELD + "weights = [[0, 1], [1, 0]]\ncolour = 3\n",
            r"`model.colour`: is not a field of \[model\]",
        ),
        (
            HOPFIELD + "weights = [[0, 1], [0, 0]]\n",
            r"`model.weights`: must be symmetric \(got max \|W - Wᵀ\| = 1\)",
        ),
        (
            HOPFIELD + "weights = [[0, 1, 2], [1, 0, 3]]\n",
            r"`model.weights`: must be a non-empty square matrix \(got shape \(2, 3\)",
        ),
        (
            HOPFIELD + "weights = [[0, nan], [nan, 0]]\n",
            r"`model.weights`: must hold finite numbers only",
        ),
        (
            HOPFIELD + "weights = [[0, inf], [inf, 0]]\n",
            r"`model.weights`: must hold finite numbers only",
        ),
        (
            HOPFIELD + 'weights = "missing.npy"\n',
            r"`model.weights`: must be an inline array or a readable \.npy file",
        ),
        (
            HOPFIELD + "weights = [[0, 1], [1, 0]]\ngain = -1.0\n",
            r"`model.gain`: must be > 0 \(got -1.0\)",
        ),
        (
            HOPFIELD + "weights = [[0, 1], [1, 0]]\nbias = [1, 2, 3]\n",
            r"`model.bias`: must be a scalar or have shape \(2,\)",
        ),
        (
            HOPFIELD + "patterns = [[1, 0.5]]\n",
            r"`model.patterns`: must hold only -1 and \+1",
        ),
        (
            HOPFIELD + "weights = [[0, 1], [1, 0]]\n[run]\npoints = 1\n",
            r"`run.points`: must be >= 2 and <= 10000000 \(got 1\)",
        ),
        (
            HOPFIELD + "weights = [[0, 1], [1, 0]]\n[init]\nx0 = [1, 2, 3]\n",
            r"`init.x0`: must have shape \(2,\)",
        ),
        (
            HOPFIELD + "weights = [[0, 1], [1, 0]]\n[init]\npattern = 0\n",
            r"`init.pattern`: needs stored patterns",
        ),
        (
            HOPFIELD + "patterns = [[1, -1]]\n[init]\npattern = 3\n",
            r"`init.pattern`: must be < 1",
        ),
        (
            HOPFIELD + "weights = [[0, 1], [1, 0]]\n[engine]\nx = 1\n",
            r"`engine`: is not a spec table or field",
        ),
        ("seed = -1\n" + HOPFIELD, r"`seed`: must be an integer >= 0 \(got -1\)"),
        (
            '[model]\nkind = "oim"\ngraph = "nowhere.txt"\n',
            r"`model.graph`: must name a readable file",
        ),
        (
            (
                '[model]\nkind = "lca"\ndictionary = [[1, 0], [0, 1]]\nsignal = [1]\n'
                "lam = 0.1\n"
            ),
            r"`model.signal`: must have shape \(2,\)",
        ),
        ("[model\n", r"not valid TOML"),
        ("", r"`model`: is required"),
        ("[model]\ngain = 1.0\n", r"`model.kind`: is required: one of"),
        (
            HOPFIELD + "patterns = [[1, -1]]\n[init]\nflip = 0.5\n",
            r"`init.flip`: applies only to a start from a stored pattern \(got 0.5\)",
        ),
        (
            HOPFIELD + "patterns = [[1, -1]]\n[init]\nx0 = [1, 2]\nscale = 2.0\n",
            r"`init.scale`: applies only to a start from a stored pattern",
        ),
        (
            HOPFIELD + "weights = [[false, true], [true, false]]\n",
            r"`model.weights`: must be a rectangular array of numbers",
        ),
        (
            HOPFIELD + 'weights = [["0", "1"], ["1", "0"]]\n',
            r"`model.weights`: must be a rectangular array of numbers",
        ),
        (HOPFIELD + "weights = []\n", r"`model.weights`: must not be empty"),
        (HOPFIELD + "weights = [[]]\n", r"`model.weights`: must not be empty"),
        (
            '[model]\nkind = "boltzmann"\ndata = [[[1, -1]]]\nhidden = 2\n',
            r"`model.data`: must be a \(samples, n_visible\) array",
        ),
        (
            HOPFIELD
            + "weights = [[0, 1], [1, 0]]\n[run]\npoints = 99999999999999999999\n",
            r"`run.points`: must fit in a 64-bit integer",
        ),
        (
            HOPFIELD
            + "weights = [[0, 1], [1, 0]]\n[run]\npoints = 9223372036854775807\n",
            r"`run.points`: must be >= 2 and <= 10000000",
        ),
        (
            HOPFIELD + "weights = [[0, 1], [1, 0]]\ngain = 1" + "0" * 400 + "\n",
            r"`model.gain`: must be finite",
        ),
    ],
)
def test_bad_specs_are_refused_with_one_clear_line(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ValidationError, match=message) as caught:
        load_spec(path)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


def test_missing_spec_file_is_named(tmp_path):
    with pytest.raises(ValidationError, match="no such spec file"):
        load_spec(tmp_path / "absent.toml")


def test_unreadable_npy_is_refused(tmp_path):
    (tmp_path / "w.npy").write_text("not an array")
    path = write(tmp_path, HOPFIELD + 'weights = "w.npy"\n')
    with pytest.raises(ValidationError, match=r"could not be read as a \.npy array"):
        load_spec(path)


@pytest.mark.parametrize(
    ("array", "message"),
    [
        (np.array([[0, 1j], [1j, 0]]), r"must hold real numbers .* dtype complex128"),
        (np.array([[False, True], [True, False]]), r"must hold real numbers"),
        (np.array([["0", "1"], ["1", "0"]]), r"must hold real numbers"),
        (np.float64(1.0), r"must be an array, not a 0-d \.npy value"),
        (np.zeros((0, 0)), r"must not be empty \(got shape \(0, 0\)\)"),
    ],
)
def test_npy_arrays_of_no_real_numbers_are_refused(tmp_path, array, message):
    np.save(tmp_path / "w.npy", array)
    path = write(tmp_path, HOPFIELD + 'weights = "w.npy"\n')
    with pytest.raises(ValidationError, match=r"`model.weights`: " + message):
        load_spec(path)


def test_npz_archive_in_place_of_npy_is_refused(tmp_path):
    np.savez(tmp_path / "w.npz", w=np.zeros((2, 2)))
    path = write(tmp_path, HOPFIELD + 'weights = "w.npz"\n')
    with pytest.raises(ValidationError, match=r"not a \.npz archive"):
        load_spec(path)


@pytest.mark.parametrize(
    ("model", "run", "field"),
    [
        ({"kind": "hopfield", "weights": "w.npy"}, "points = 3000000", "run.points"),
        (
            {"kind": "boltzmann", "weights": "w.npy"},
            "samples = 3000000",
            "run.samples",
        ),
    ],
)
def test_run_too_large_to_hold_is_refused(tmp_path, model, run, field):
    np.save(tmp_path / "w.npy", np.zeros((100, 100)))
    lines = [f"{k} = {json.dumps(v)}" for k, v in model.items()]
    path = write(tmp_path, "[model]\n" + "\n".join(lines) + f"\n[run]\n{run}\n")
    with pytest.raises(ValidationError, match=rf"`{field}`: asks for 2.2 GiB"):
        load_spec(path)
