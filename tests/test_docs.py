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
