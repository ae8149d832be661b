"""The style guards of STYLE.md §14: ruff lint and format, and no adjacent
string literals that join without a space."""

import ast
import io
import subprocess
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ["codesign", "tests", "benchmarks", "docs", "notebooks"]


def test_ruff_finds_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--output-format", "concise", *CHECKED],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_ruff_formatted():
    # the notebooks keep their hand layout (plot lines joined with ";")
    code = [folder for folder in CHECKED if folder != "notebooks"]
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *code],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def joined_without_space(source: str) -> list[int]:
    """Lines where two adjacent string literals join letters with no space."""
    lines, previous = [], None
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            continue
        if token.type == tokenize.STRING and previous is not None:
            left, right = _body(previous.string), _body(token.string)
            if left and right and left[-1].isalpha() and right[0].isalpha():
                lines.append(token.start[0])
        previous = token if token.type == tokenize.STRING else None
    return lines


def _body(literal: str) -> str:
    """The text a literal stands for, escapes decoded (f-strings as plain text)."""
    start = next(i for i, c in enumerate(literal) if c in "'\"")
    prefix = literal[:start].replace("f", "").replace("F", "")
    try:
        value = ast.literal_eval(prefix + literal[start:])
    except (ValueError, SyntaxError):
        return ""
    return value if isinstance(value, str) else ""


def test_joined_strings_keep_their_spaces():
    offenders = []
    for folder in CHECKED:
        for path in (ROOT / folder).rglob("*.py"):
            for line in joined_without_space(path.read_text()):
                offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert not offenders, "adjacent strings join words: " + ", ".join(offenders)


def test_the_guard_catches_a_fused_message():
    assert joined_without_space('x = ("must be" "smaller")\n') == [1]
    assert joined_without_space('x = ("must be " "smaller")\n') == []
