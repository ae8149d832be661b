"""The `codesign` command.

Exit status: 0 done; 1 a comparison or check failed its tolerances (or a run failed
numerically); 2 bad input. User mistakes print one line on standard error and no
traceback; `--json` prints one JSON document on standard output and nothing else.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from ._errors import (
    BackendUnavailable,
    CodesignError,
    NumericalError,
    ValidationError,
)
from .backends import BACKENDS, check_runnable, get_backend, simulate
from .spec import load_spec
from .trace import check_output_folder, check_output_path, write_text_atomic

log = logging.getLogger(__name__)

EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2."""

    def error(self, message: str):
        # the top-level parser's prog is "codesign", which the error line already
        # starts with; a subcommand's ("codesign sweep") names the subcommand
        command = self.prog.removeprefix("codesign").strip() or None
        raise ValidationError(
            "", f"{message} (see `{self.prog} --help`)", source=command
        )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="codesign", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log choices (-v) and build phases (-vv) to stderr",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser
    )

    demo = commands.add_parser("demo", help="the main job on a built-in model")
    demo.add_argument(
        "-o",
        "--out",
        default="codesign-demo",
        type=Path,
        help="folder for the report and plots [codesign-demo]",
    )
    demo.add_argument(
        "--backends",
        default=None,
        help="comma-separated backends to compare with the reference "
        "[every backend that runs here]",
    )

    sim = commands.add_parser("simulate", help="one run, saved as a trace")
    sim.add_argument("spec", type=Path)
    sim.add_argument("--backend", default="reference", choices=BACKENDS)
    # output files stay text until checked: Path drops a trailing separator
    sim.add_argument("-o", "--output", required=True)

    netlist = commands.add_parser("netlist", help="write a SPICE netlist")
    netlist.add_argument("spec", type=Path)
    netlist.add_argument("-o", "--output", required=True)

    compare = commands.add_parser("compare", help="backends against the reference")
    compare.add_argument("spec", type=Path)
    compare.add_argument("--backends", default="spice,lava")
    compare.add_argument("--json", action="store_true")
    compare.add_argument(
        "--report",
        type=Path,
        default=None,
        metavar="DIR",
        help="write report.md and comparison.png into DIR",
    )
    compare.add_argument(
        "--tolerance",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a tolerance of the [compare] table",
    )

    sweep = commands.add_parser("sweep", help="Monte Carlo over spec keys")
    sweep.add_argument("spec", type=Path)
    sweep.add_argument(
        "--vary",
        action="append",
        required=True,
        help="KEY=V1,V2,... (a dotted spec key); repeat for a grid",
    )
    sweep.add_argument(
        "--samples", type=int, required=True, help="seeded realisations per grid point"
    )
    sweep.add_argument("--backend", default="reference", choices=BACKENDS)
    sweep.add_argument(
        "--scheduler",
        default=None,
        help="address of a Dask scheduler (default: local processes)",
    )
    sweep.add_argument(
        "--workers", type=int, default=None, help="local worker processes [all cores]"
    )
    sweep.add_argument(
        "--margin",
        type=float,
        default=None,
        metavar="TARGET",
        help="bisect for the largest level keeping success >= TARGET",
    )
    sweep.add_argument("--json", action="store_true")
    sweep.add_argument(
        "-o",
        "--out",
        type=Path,
        default=None,
        help="folder for rows, the yield plot and resumable progress",
    )
    return parser


def _simulate(args) -> int:
    output = check_output_path(args.output, "--output")
    if output.suffix != ".npz":
        check_output_path(output.with_name(output.name + ".npz"), "--output")
    spec = load_spec(args.spec)
    trace = simulate(spec, args.backend)
    path = trace.save(output)
    print(
        f"wrote {path} ({len(trace.t)} samples, backend {args.backend})",
        file=sys.stderr,
    )
    return EXIT_OK


def _netlist(args) -> int:
    output = check_output_path(args.output, "--output")
    spec = load_spec(args.spec)
    check_runnable(spec, "spice")
    netlist = get_backend("spice").compile(spec)
    path = write_text_atomic(output, netlist.text)
    print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK


def _compare(args) -> int:
    from .compare import SCHEMA, compare_backends, write_report

    if args.report is not None:
        check_output_folder(args.report, "--report")
    spec = load_spec(args.spec)
    raw = {}
    for text in args.tolerance:
        name, _, value = text.partition("=")
        try:
            raw[name] = float(value)
        except ValueError:
            raise ValidationError("--tolerance", "must be NAME=NUMBER", text) from None
    try:
        checked = SCHEMA.parse(raw, base_dir=None)
    except ValidationError as error:
        raise error.in_context("--tolerance", "compare") from None
    overrides = {name: checked[name] for name in raw}
    backends = _backend_list(args.backends)
    comparison = compare_backends(spec, backends, overrides)
    if args.report is not None:
        path = write_report(comparison, args.report)
        print(f"report written to {path}", file=sys.stderr)
    if args.json:
        print(json_document(comparison.to_json()))
    else:
        print(comparison.table())
    if not comparison.passed:
        print(comparison.explain(), file=sys.stderr)
    return EXIT_OK if comparison.passed else EXIT_CHECK_FAILED


def _sweep(args) -> int:
    from .sweep import DaskExecutor, LocalExecutor, parse_vary, run_sweep

    if args.out is not None:
        check_output_folder(args.out, "--out")
    spec = load_spec(args.spec)
    varies = [parse_vary(text) for text in args.vary]
    executor = (
        DaskExecutor(args.scheduler) if args.scheduler else LocalExecutor(args.workers)
    )
    result = run_sweep(
        spec,
        varies,
        args.samples,
        backend=args.backend,
        executor=executor,
        out=args.out,
        margin_target=args.margin,
        progress=not args.json,
    )
    if args.json:
        print(json_document(result.to_json()))
    else:
        print(result.table())
        if result.margin is not None:
            print(f"margin: {result.margin}")
    return EXIT_OK


def _demo(args) -> int:
    from .demo import run_demo

    check_output_folder(args.out, "--out")
    backends = None if args.backends is None else _backend_list(args.backends)
    return EXIT_OK if run_demo(args.out, backends) else EXIT_CHECK_FAILED


def json_document(document) -> str:
    """`document` as strict JSON: a NaN or infinite number becomes null."""

    def plain(value):
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [plain(item) for item in value]
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return value

    return json.dumps(plain(document), allow_nan=False)


def _backend_list(text: str) -> list[str]:
    """The backends of a ``--backends A,B`` option: known, and each named once."""
    backends = [b.strip() for b in text.split(",") if b.strip()]
    if not backends:
        raise ValidationError(
            "--backends", f"must name at least one of {', '.join(BACKENDS)}", text
        )
    for name in backends:
        if name not in BACKENDS:
            raise ValidationError(
                "--backends", f"must name backends among {', '.join(BACKENDS)}", name
            )
        if backends.count(name) > 1:
            raise ValidationError("--backends", "must name each backend once", name)
    return backends


COMMANDS = {
    "simulate": _simulate,
    "netlist": _netlist,
    "compare": _compare,
    "sweep": _sweep,
    "demo": _demo,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    try:
        args = _parser().parse_args(argv)
        _configure_logging(args.verbose)
        return COMMANDS[args.command](args)
    except (ValidationError, BackendUnavailable) as error:
        print(f"codesign: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except NumericalError as error:
        print(f"codesign: numerical failure: {error}", file=sys.stderr)
        return EXIT_CHECK_FAILED
    except CodesignError as error:
        # a check of a built artefact failed (e.g. the netlist's electrical rules)
        print(f"codesign: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_CHECK_FAILED
    except MemoryError:
        print(
            "codesign: out of memory; record fewer run.points or run.samples, or "
            "use a smaller model",
            file=sys.stderr,
        )
        return EXIT_CHECK_FAILED
    except KeyboardInterrupt:
        print("codesign: interrupted", file=sys.stderr)
        return 130


def _configure_logging(verbosity: int) -> None:
    if verbosity:
        level = logging.INFO if verbosity == 1 else logging.DEBUG
        logging.basicConfig(level=level, format="%(name)s: %(message)s")


if __name__ == "__main__":
    sys.exit(main())
