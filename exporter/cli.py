"""The ``trialgraph`` command: parses arguments, calls the pipeline, prints one clear line on error.

Exit codes: 0 every record exported (or conforming), 1 some records rejected,
2 a usage or I/O error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from .atomic import atomic_text
from .mapping.iris import DEFAULT_BASE
from .output import EXTENSIONS, WRITERS
from .pipeline import Options, Pipeline, exporter_version
from .progress import Progress
from .sources import read_inputs
from .summary import Summary

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A problem with what the user asked for, told in one line."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except UsageError as error:
        print(f"trialgraph: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        print(f"trialgraph: error: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("trialgraph: interrupted; no partial output was left behind", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trialgraph",
        description="Clinical-trial registry records (WHO ICTRP, ClinicalTrials.gov) as validated linked data.",
    )
    parser.add_argument("--version", action="version", version=f"trialgraph {exporter_version()}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    for register in COMMANDS:
        register(commands)
    return parser


def _input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="a file, a folder (read recursively) or - for standard input; the format is detected")
    parser.add_argument("--base-iri", default=DEFAULT_BASE, metavar="IRI",
                        help=f"the base of every IRI minted (default: {DEFAULT_BASE})")
    parser.add_argument("--fail-fast", action="store_true", help="stop at the first rejected record")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def _add_export(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("export", help="export records as RDF",
                                 description="Read records, map them to RDF, validate them and write them.")
    _input_options(parser)
    parser.add_argument("-f", "--format", choices=sorted(WRITERS), default="turtle", help="output format")
    parser.add_argument("-o", "--output", metavar="OUT", help="output file (default: standard output)")
    parser.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    parser.set_defaults(run=run_export)


def _add_validate(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("validate", help="validate records against the SHACL shapes",
                                 description="Exit 0 when every record conforms; otherwise 1, with a report.")
    _input_options(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format")
    parser.set_defaults(run=run_validate)


def _add_demo(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("demo", help="export the bundled demo records in every format",
                                 description="Export the demo records shipped with trialgraph and say where they went.")
    parser.add_argument("--out", default="trialgraph-demo", metavar="DIR", help="output folder (default: %(default)s)")
    parser.add_argument("--base-iri", default=DEFAULT_BASE, metavar="IRI", help="the base of every IRI minted")
    parser.set_defaults(run=run_demo)


COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [_add_export, _add_validate, _add_demo]


def run_export(args: argparse.Namespace) -> int:
    pipeline = Pipeline(Options(args.base_iri, validate=not args.no_validate, fail_fast=args.fail_fast))
    with _output(args.output) as stream:
        writer = WRITERS[args.format](stream)
        summary = _run(pipeline, args.inputs, writer, quiet=args.quiet)
        writer.close()
    print(summary.report(), file=sys.stderr)
    return EXIT_OK if summary.rejected == 0 else EXIT_REJECTED


def run_validate(args: argparse.Namespace) -> int:
    pipeline = Pipeline(Options(args.base_iri, validate=True, fail_fast=args.fail_fast))
    summary = _run(pipeline, args.inputs, None, quiet=args.quiet or args.format == "json")
    if args.format == "json":
        print(json.dumps({"conforms": summary.rejected == 0, **summary.to_json()}, indent=2, ensure_ascii=False))
    else:
        print(summary.report())
    return EXIT_OK if summary.rejected == 0 else EXIT_REJECTED


def run_demo(args: argparse.Namespace) -> int:
    from .demo import demo_folder

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pipeline = Pipeline(Options(args.base_iri))
    summary = Summary()
    for name in ("turtle", "jsonld", "ntriples", "nquads"):
        path = out / f"demo{EXTENSIONS[name]}"
        with atomic_text(path) as stream:
            writer = WRITERS[name](stream)
            summary = pipeline.run(read_inputs([str(demo_folder())]), writer)
            writer.close()
        print(f"{name:9} {path}")
    print(summary.report())
    return EXIT_OK if summary.rejected == 0 else EXIT_REJECTED


def _run(pipeline: Pipeline, inputs: list[str], writer, quiet: bool) -> Summary:  # type: ignore[no-untyped-def]
    for item in inputs:
        if item != "-" and not Path(item).exists():
            raise UsageError(f"no such file or folder: {item}")
    with Progress(enabled=not quiet) as progress:
        return pipeline.run(read_inputs(inputs), writer, progress.update)


@contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    if path is None or path == "-":
        yield sys.stdout
        return
    with atomic_text(Path(path)) as stream:
        yield stream


if __name__ == "__main__":
    sys.exit(main())
