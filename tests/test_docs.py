"""The documents made from the code are up to date, and the README opens right."""

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def generator():
    spec = importlib.util.spec_from_file_location(
        "generate", ROOT / "docs" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["support.md", "spec.md"])
def test_generated_docs_are_current(name):
    expected = generator().GENERATED[name]()
    assert (ROOT / "docs" / name).read_text() == expected, (
        "run `.venv/bin/python docs/generate.py` and commit the result"
    )


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```(?:sh|bash)?\n(.*?)```", readme, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[0].endswith("codesign demo")
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci


def test_readme_shows_the_current_support_matrix():
    assert (ROOT / "README.md").read_text() == generator().readme_with_matrix()


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> dict[str, bytes]:
    """Every schematic of docs/schematics.py, drawn afresh into a temporary folder."""
    spec = importlib.util.spec_from_file_location(
        "schematics", ROOT / "docs" / "schematics.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    paths = module.write_all(tmp_path_factory.mktemp("schematics"))
    return {path.stem: path.read_bytes() for path in paths}


def test_every_subcircuit_has_a_schematic(drawn):
    names = set()
    for library in (ROOT / "circuits").glob("*.lib"):
        names |= set(re.findall(r"^\.subckt\s+(\S+)", library.read_text(), re.M | re.I))
    assert names, "no .subckt found in circuits/*.lib"
    assert not names - set(drawn), f"no schematic for {sorted(names - set(drawn))}"


def test_schematics_are_svg(drawn):
    for name, svg in drawn.items():
        assert svg.lstrip().startswith(b"<svg") and svg.rstrip().endswith(b"</svg>")
        assert b"<path" in svg, f"{name}.svg draws nothing"


def test_committed_schematics_are_current(drawn):
    committed = {
        p.stem: p.read_bytes() for p in (ROOT / "docs/schematics").glob("*.svg")
    }
    assert set(committed) == set(drawn), "docs/schematics/ holds other pictures"
    stale = sorted(name for name in drawn if committed[name] != drawn[name])
    assert not stale, (
        f"{stale} differ: run `.venv/bin/python docs/schematics.py` and commit them"
    )


def test_noise_doc_shows_where_each_field_is_realised():
    expected = generator().noise_doc_with_matrix()
    assert (ROOT / "docs" / "noise.md").read_text() == expected
