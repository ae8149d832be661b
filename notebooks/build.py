"""Build the notebooks from their percent-format sources in notebooks/src/.

    .venv/bin/python notebooks/build.py

Cells start at ``# %%`` (code) or ``# %% [markdown]`` (text, each line behind
``# ``). The tests check the .ipynb files are current and execute each one.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent


def cells_of(source: str) -> list:
    cells, kind, lines = [], None, []

    def flush():
        text = "\n".join(lines).strip("\n")
        if kind == "markdown":
            text = "\n".join(
                line[2:] if line.startswith("# ") else line.lstrip("#")
                for line in text.splitlines()
            )
            cells.append(nbformat.v4.new_markdown_cell(text))
        elif kind == "code" and text:
            cells.append(nbformat.v4.new_code_cell(text))

    for line in source.splitlines():
        if line.startswith("# %%"):
            flush()
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
        elif kind is not None:
            lines.append(line)
    flush()
    return cells


def notebook_of(path: Path) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = cells_of(path.read_text())
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"{path.stem[:20]}-{number}"
    return notebook


def build() -> dict[str, str]:
    """Notebook file name → its JSON text, for every source."""
    return {
        f"{src.stem}.ipynb": nbformat.writes(notebook_of(src))
        for src in sorted((HERE / "src").glob("*.py"))
    }


if __name__ == "__main__":
    for name, text in build().items():
        (HERE / name).write_text(text)
        print(f"wrote notebooks/{name}")
