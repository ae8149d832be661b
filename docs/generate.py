"""Regenerate the documents that are made from the code: run from the repository root
with ``.venv/bin/python docs/generate.py``; tests check the files are up to date."""

from pathlib import Path

from codesign._params import REQUIRED, Schema
from codesign.backends import support_table
from codesign.models import MODELS
from codesign.noise.support import realised_table
from codesign.spec import table_schemas

DOCS = Path(__file__).resolve().parent


def support_doc() -> str:
    return f"""# Support matrix: kinds × backends

What each backend builds. A pair marked "refused" is refused by `codesign` with a
message naming a backend that works; it is never skipped silently. The test suite
(`tests/test_backends.py`) runs every "yes" pair against the reference and checks
every "refused" pair's message; it also checks this table against the code.

{support_table()}

Environment: `spice` needs ngspice's shared library (`libngspice0-dev`); `lava`
needs `.venv-lava` (Python 3.10 with lava-nc), built by `./setup.sh`. Where one is
missing, `codesign` says so and how to get it; the other backends still work.
"""


def _default(param) -> str:
    if param.default is REQUIRED:
        return "required"
    if param.default is None:
        return "—"
    return f"`{param.default!r}`".replace("'", '"')


def _schema_table(schema: Schema) -> str:
    rows = [
        "| field | type | default | allowed | unit | meaning |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for p in schema.params:
        rows.append(
            f"| `{p.name}` | {p.kind} | {_default(p)} | "
            f"{p.describe_range() or '—'} | {p.unit or '—'} | {p.doc} |"
        )
    return "\n".join(rows)


def spec_doc() -> str:
    parts = [
        "# The spec file: every table and field",
        "",
        (
            "Generated from the declarations in the code (`docs/generate.py`). "
            "Arrays are inline TOML arrays or paths of `.npy` files relative to the "
            "spec; paths are relative to the spec. An array holds real numbers "
            "only (no booleans, strings or complex values) and is never empty; a "
            "0-d `.npy` value is refused (write a scalar inline). A `graph` file "
            "is in rudy format: a first line `n m`, then exactly m lines `i j w` "
            "with distinct 1-based vertex ids, a finite weight and no edge listed "
            "twice (blank lines are ignored). A run records at most 2 GiB of "
            "states (rows × state size × 8 bytes; an OIM holds every restart). "
            "Top level: `name` (free text, "
            "default empty) and `seed` (integer >= 0, default 0; every random "
            "choice derives from it)."
        ),
        "",
    ]
    for kind, cls in MODELS.items():
        summary = (cls.__doc__ or "").strip().split("\n")[0]
        parts += [
            f'## `[model]` with `kind = "{kind}"`',
            "",
            summary,
            "",
            _schema_table(cls.schema),
            "",
        ]
    for table, schema in table_schemas().items():
        if schema is None:
            continue
        parts += [f"## `[{table}]`", "", schema.doc, "", _schema_table(schema), ""]
    return "\n".join(parts)


GENERATED = {"support.md": support_doc, "spec.md": spec_doc}
README = DOCS.parent / "README.md"
NOISE = DOCS / "noise.md"
MARKS = ("<!-- support-matrix -->\n", "<!-- /support-matrix -->")
NOISE_MARKS = ("<!-- noise-matrix -->\n", "<!-- /noise-matrix -->")


def between_marks(path: Path, marks: tuple[str, str], table: str) -> str:
    """The text of `path` with `table` brought up to date between its marks."""
    head, rest = path.read_text().split(marks[0], 1)
    _, tail = rest.split(marks[1], 1)
    return head + marks[0] + table + "\n" + marks[1] + tail


def readme_with_matrix() -> str:
    """The README with the support matrix between its marks brought up to date."""
    return between_marks(README, MARKS, support_table())


def noise_doc_with_matrix() -> str:
    """docs/noise.md with the matrix of realised fields brought up to date."""
    return between_marks(NOISE, NOISE_MARKS, realised_table())


if __name__ == "__main__":
    for name, make in GENERATED.items():
        (DOCS / name).write_text(make())
        print(f"wrote docs/{name}")
    README.write_text(readme_with_matrix())
    print("updated the support matrix in README.md")
    NOISE.write_text(noise_doc_with_matrix())
    print("updated the matrix of realised fields in docs/noise.md")
