"""The ``trialgraph`` command: parses arguments, calls the pipeline, prints one clear line on error.

Exit codes: 0 every record exported (or conforming), 1 some records rejected,
2 a usage or I/O error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from itertools import chain
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import quarantine
from .atomic import atomic_text
from .duplicates import latest_only, spooled_stdin
from .fetch.services import SPEC_HELP, Services, default_cache
from .mapping.iris import DEFAULT_BASE
from .output import EXTENSIONS, WRITERS, Fanout, Writer
from .pipeline import Options, Pipeline, export_time, exporter_version
from .progress import Progress
from .record import Rejected, Trial
from .summary import Summary
from .validation import VALIDATORS, ShapesError, shapes_with

if TYPE_CHECKING:
    from .fetch.http import HttpClient

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A problem with what the user asked for, told in one line."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (UsageError, ShapesError) as error:
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


FORMAT_ALIASES = {
    "ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "nq": "nquads", "n-quads": "nquads",
    "json-ld": "jsonld", "json": "jsonld", "rdf": "rdfxml", "xml": "rdfxml", "rdf/xml": "rdfxml",
}
"""The names and file extensions people write for formats, each standing for the one trialgraph calls it."""


def format_name(allowed: Sequence[str]) -> Callable[[str], str]:
    """An argparse type taking a format by its name or a common alias (``ttl``, ``nt``, ``json-ld``…)."""
    def convert(text: str) -> str:
        name = text.strip().lower()
        name = name if name in allowed else FORMAT_ALIASES.get(name, name)
        if name not in allowed:
            aliases = sorted(alias for alias, target in FORMAT_ALIASES.items() if target in allowed and alias not in allowed)
            raise argparse.ArgumentTypeError(f"unknown format {text!r}: use one of {', '.join(allowed)}"
                                             + (f" (or {', '.join(aliases)})" if aliases else ""))
        return name
    convert.__name__ = "format"
    return convert


def _input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="*", metavar="INPUT",
                        help="a file, a folder (read recursively) or - for standard input; the format is detected")
    parser.add_argument("--fetch", action="append", default=[], metavar="SPEC",
                        help=f"also read records fetched from a registry: {SPEC_HELP} (repeatable)")
    parser.add_argument("--base-iri", default=DEFAULT_BASE, metavar="IRI",
                        help=f"the base of every IRI minted (default: {DEFAULT_BASE})")
    parser.add_argument("--fail-fast", action="store_true", help="stop at the first rejected record")
    parser.add_argument("--quarantine", metavar="FILE",
                        help="write the rejected records there as JSON lines (default with -o OUT: OUT.rejected.jsonl)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    _fetch_options(parser)


def _fetch_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("fetching")
    group.add_argument("--cache", default=str(default_cache()), metavar="DIR",
                       help="keep fetched bodies there and revalidate them, so a re-run fetches only what changed "
                            "(default: %(default)s)")
    group.add_argument("--no-cache", action="store_true", help="fetch everything again, keep nothing")
    group.add_argument("--ctgov-api", default=Services.ctgov, metavar="URL",
                       help="ClinicalTrials.gov API v2 (default: %(default)s)")
    group.add_argument("--ictrp-url", default=Services.ictrp, metavar="URL",
                       help="WHO ICTRP search portal (default: %(default)s)")


def _add_fetch(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "fetch", help="download records from ClinicalTrials.gov or WHO ICTRP",
        description="Save records as the registry sends them, one file each, ready for export or load. Requests "
                    "are paced (1 s apart for ClinicalTrials.gov, 3 s for ICTRP), retried with back-off on 429 and "
                    "5xx, and cached.")
    parser.add_argument("registry", choices=("ctgov", "ictrp"), help="where to fetch from")
    parser.add_argument("ids", nargs="*", metavar="ID", help="trial ids (NCT numbers for ctgov)")
    parser.add_argument("--query", metavar="TEXT", help="ctgov only: the studies a search finds (query.term)")
    parser.add_argument("--max", type=int, metavar="N", help="with --query: at most N studies")
    parser.add_argument("-o", "--output", default="fetched", metavar="DIR", help="folder (default: %(default)s)")
    _fetch_options(parser)
    parser.set_defaults(run=run_fetch)


def _add_export(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("export", help="export records as RDF",
                                 description="Read records, map them to RDF, validate them and write them.")
    _input_options(parser)
    parser.add_argument("-f", "--format", type=format_name(sorted(WRITERS)), metavar="|".join(sorted(WRITERS)),
                        help="output format, or ttl, nt, nq, json-ld (default: turtle; nquads with --dask-scheduler)")
    parser.add_argument("-o", "--output", metavar="OUT",
                        help="output file (default: standard output); a folder of shards with --dask-scheduler")
    parser.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    _validator_option(parser)
    _shapes_option(parser)
    _workers_option(parser)
    parser.add_argument("--dask-scheduler", metavar="tcp://HOST:PORT",
                        help="run on this Dask cluster, writing sharded N-Quads and a manifest to the -o folder")
    parser.set_defaults(run=run_export)


def _workers_option(parser: argparse.ArgumentParser, when: str = "") -> None:
    parser.add_argument("-j", "--workers", type=int, metavar="N",
                        help=f"processes to run the pipeline in, over byte ranges of the input{' ' + when if when else ''}"
                             " (default: the cores)")


def _add_validate(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("validate", help="validate records against the SHACL shapes",
                                 description="Exit 0 when every record conforms; otherwise 1, with a report.")
    _input_options(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format")
    parser.add_argument("--quality", action="store_true",
                        help="list, per registry, the shared nodes whose names look like no name: too long, a form "
                             "field's label, a heading, no letter, broken text, a sentence only one record links to")
    _validator_option(parser)
    _shapes_option(parser)
    parser.set_defaults(run=run_validate)


def _validator_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--validator", choices=sorted(VALIDATORS), default="compiled",
                        help="SHACL engine: compiled (fast, tested equal to pyshacl) or pyshacl (the reference)")


def _shapes_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--shapes", nargs="+", action="extend", default=[], metavar="FILE",
                        help="SHACL Core shapes files (Turtle, or any RDF format) to check every record against too, "
                             "beside trialgraph's own")


def _shapes(args: argparse.Namespace) -> tuple[str, ...]:
    """The user's shapes files, read and compiled here once, so that a bad one stops the run before it starts."""
    shapes = tuple(args.shapes)
    if shapes:
        shapes_with(shapes)
    return shapes


def _add_demo(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("demo", help="export the bundled demo records in every format, and load them",
                                 description="Export the demo records shipped with trialgraph in every format, load "
                                             "them into an embedded store, and say where everything went.")
    parser.add_argument("--out", default="trialgraph-demo", metavar="DIR", help="output folder (default: %(default)s)")
    parser.add_argument("--base-iri", default=DEFAULT_BASE, metavar="IRI", help="the base of every IRI minted")
    parser.set_defaults(run=run_demo)


COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [_add_export, _add_validate, _add_demo, _add_fetch]


def run_export(args: argparse.Namespace) -> int:
    options = Options(args.base_iri, validate=not args.no_validate, fail_fast=args.fail_fast,
                      validator=args.validator, shapes=_shapes(args))
    args.format = args.format or ("nquads" if args.dask_scheduler else "turtle")
    if args.dask_scheduler or _workers(args) > 1:
        summary = _export_in_parallel(args, options)
    else:
        with _output(args.output) as stream:
            writer = WRITERS[args.format](stream)
            summary = _run(Pipeline(options), args, writer)
            writer.close()
    _quarantine(summary, args)
    print(summary.report(), file=sys.stderr)
    _require_records(summary, args)
    return EXIT_OK if summary.rejected == 0 else EXIT_REJECTED


def run_validate(args: argparse.Namespace) -> int:
    pipeline = Pipeline(Options(args.base_iri, validate=True, fail_fast=args.fail_fast, validator=args.validator,
                                shapes=_shapes(args)))
    summary = _run(pipeline, args, None, quiet=args.quiet or args.format == "json")
    summary.quality = args.quality
    _quarantine(summary, args)
    if args.format == "json":
        print(json.dumps({"conforms": summary.rejected == 0, **summary.to_json()}, indent=2, ensure_ascii=False))
    else:
        print(summary.report())
    _require_records(summary, args)
    return EXIT_OK if summary.rejected == 0 else EXIT_REJECTED


def run_demo(args: argparse.Namespace) -> int:
    """Export the bundled demo records in every format and load them into an embedded store, in one pass."""
    from .demo import demo_folder
    from .store import StoreWriter, TrialStore

    out = Path(args.out)
    paths = {name: out / f"demo{EXTENSIONS[name]}" for name in ("turtle", "jsonld", "ntriples", "nquads")}
    with ExitStack() as files:
        streams = {name: files.enter_context(atomic_text(path)) for name, path in paths.items()}
        writers: list[Writer] = [WRITERS[name](stream) for name, stream in streams.items()]
        writers.append(StoreWriter(TrialStore(out / "store"), args.base_iri, compact=True))
        fanout = Fanout(writers)
        summary = Pipeline(Options(args.base_iri)).run(latest_only([str(demo_folder())]), fanout)
        fanout.close()
    for name, path in paths.items():
        print(f"{name:9} {path}")
    print(f"{'store':9} {out / 'store'}   (serve it: trialgraph serve --store {out / 'store'})")
    print(summary.report())
    return EXIT_OK if summary.rejected == 0 else EXIT_REJECTED


def _store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", required=True, metavar="DIR", help="the store's folder")


def _add_load(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("load", help="load records into a store",
                                 description="Export records into an embedded store, one named graph per record; "
                                             "a record loaded again replaces its graph.")
    _input_options(parser)
    _store_option(parser)
    _shapes_option(parser)
    _workers_option(parser, "into an empty store")
    parser.set_defaults(run=run_load)


def _add_query(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("query", help="run a SPARQL query over a store",
                                 description="Run a SPARQL query (text or a file) over every graph of a store.")
    _store_option(parser)
    parser.add_argument("query", metavar="QUERY_OR_FILE", help="a SPARQL query, or a file holding one")
    solutions, graphs = ("table", "csv", "tsv", "json", "xml"), ("turtle", "ntriples", "jsonld", "rdfxml")
    parser.add_argument("-f", "--format", type=format_name(solutions + graphs), metavar="FORMAT",
                        help=f"result format: {', '.join(solutions)} for SELECT and ASK (default: table); "
                             f"{', '.join(graphs)} (or ttl, nt, json-ld) for CONSTRUCT and DESCRIBE (default: turtle)")
    parser.set_defaults(run=run_query)


def _add_dump(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("dump", help="write a whole store out", description="Stream a whole store as RDF.")
    _store_option(parser)
    kept, merged = ("nquads", "trig"), ("ntriples", "turtle")
    parser.add_argument("-f", "--format", type=format_name(kept + merged), default="nquads",
                        metavar="|".join(kept + merged),
                        help="output format, or nq, trig, nt, ttl: nquads (the default) and trig keep each record's "
                             "graph, ntriples and turtle merge them")
    parser.add_argument("-o", "--output", metavar="FILE", help="output file (default: standard output)")
    parser.set_defaults(run=run_dump)


def _add_serve(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("serve", help="publish a store over HTTP",
                                 description="Serve a store as linked data: pages, RDF and a SPARQL endpoint.")
    _store_option(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: %(default)s)")
    parser.add_argument("--base-iri", metavar="IRI",
                        help="the base of the IRIs served (default: the base the store was loaded with); "
                             "refused if the store's records were not minted under it")
    parser.add_argument("--root-path", default="", metavar="PATH",
                        help="behind a proxy that publishes the server under PATH (/trials) and strips it: "
                             "pages link under it")
    parser.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                        help="time limit of one SPARQL query (default: %(default)s)")
    parser.add_argument("--max-results", type=int, default=10_000, metavar="N",
                        help="rows or triples a SPARQL result is cut at (default: %(default)s)")
    parser.add_argument("--query-workers", type=int, default=2, metavar="N",
                        help="processes answering SPARQL queries, besides one for quick queries (default: "
                             "%(default)s; more on more cores shortens the wait under load)")
    parser.add_argument("--max-wait", type=float, default=30.0, metavar="SECONDS",
                        help="how long a SPARQL query may wait for a busy worker before it is refused with 503 "
                             "(default: %(default)s)")
    parser.add_argument("--max-memory", type=int, default=1024, metavar="MB",
                        help="memory a SPARQL query may take before it is stopped (default: %(default)s)")
    parser.add_argument("--max-answer", type=int, default=32, metavar="MB",
                        help="size a SPARQL answer may reach before it is refused (default: %(default)s)")
    parser.add_argument("--request-timeout", type=float, default=10.0, metavar="SECONDS",
                        help="how long a request (head and body) may take to arrive (default: %(default)s)")
    parser.add_argument("--links-per-page", type=int, metavar="N",
                        help="trials linking in that a resource's RDF document lists; more are on its next page, "
                             "linked by a Link: rel=\"next\" header (default: 1000)")
    parser.set_defaults(run=run_serve)


COMMANDS += [_add_load, _add_query, _add_dump, _add_serve]


def _add_sync(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "sync", help="bring a store up to date with ClinicalTrials.gov or a new ICTRP export",
        description="Load only what changed since the last sync, log each change (served at /changes) and end "
                    "with: N new, M changed, K withdrawn, U unchanged, R rejected. An interrupted sync run again "
                    "resumes.")
    sources = parser.add_subparsers(title="sources", required=True, metavar="SOURCE")
    ctgov = sources.add_parser("ctgov", help="ClinicalTrials.gov API v2: the studies updated since the last sync",
                               description="The first sync fetches every study the query selects (all of them "
                                           "without --query); each later one only those updated since.")
    ctgov.add_argument("--query", metavar="TEXT", help="the studies to keep (query.term; default: all)")
    ctgov.add_argument("--ctgov-api", default=Services.ctgov, metavar="URL",
                       help="ClinicalTrials.gov API v2 (default: %(default)s); pages are not cached: each sync "
                            "asks for other pages, and the checkpoint resumes an interrupted one")
    ctgov.set_defaults(run=run_sync_ctgov)
    ictrp = sources.add_parser("ictrp", help="a new WHO ICTRP export compared with the store, record by record",
                               description="New and changed records are loaded; records of the export's registers "
                                           "that it no longer holds are marked withdrawn from the source.")
    ictrp.add_argument("exports", nargs="+", metavar="EXPORT", help="ICTRP XML or CSV exports (files or folders)")
    ictrp.add_argument("--remove-missing", action="store_true",
                       help="drop the records the export no longer holds instead of marking them withdrawn")
    ictrp.set_defaults(run=run_sync_ictrp)
    for source in (ctgov, ictrp):
        _store_option(source)
        source.add_argument("--base-iri", metavar="IRI",
                            help="the base of the IRIs minted (default: the base the store was loaded with)")


COMMANDS.append(_add_sync)


def run_sync_ctgov(args: argparse.Namespace) -> int:
    from .fetch.http import HttpClient
    from .store import TrialStore
    from .sync import SyncInterrupted, sync_ctgov

    try:
        outcome = sync_ctgov(TrialStore(args.store), args.query, HttpClient(), args.ctgov_api, args.base_iri,
                             on_page=lambda pages, counts: print(f"page {pages}: {counts.line}", file=sys.stderr))
    except SyncInterrupted as error:
        print(f"trialgraph: sync interrupted: {error}", file=sys.stderr)
        return EXIT_USAGE
    return _synced(outcome)


def run_sync_ictrp(args: argparse.Namespace) -> int:
    from .store import TrialStore
    from .sync import sync_ictrp

    for item in args.exports:
        if not Path(item).exists():
            raise UsageError(f"no such file or folder: {item}")
    return _synced(sync_ictrp(TrialStore(args.store), args.exports, args.base_iri, args.remove_missing))


def _synced(outcome) -> int:  # type: ignore[no-untyped-def]
    """The sync's notes and rejections, then its one line; exit 1 when some records were rejected."""
    for note in outcome.notes:
        print(f"note {note}", file=sys.stderr)
    for rejection in outcome.rejections:
        print(f"rejected {rejection}", file=sys.stderr)
    print(f"{outcome.counts.line} ({outcome.sync})", file=sys.stderr)
    return EXIT_OK if outcome.counts.rejected == 0 else EXIT_REJECTED


def run_load(args: argparse.Namespace) -> int:
    from time import perf_counter

    from .store import StoreWriter, TrialStore

    options = Options(args.base_iri, fail_fast=args.fail_fast, shapes=_shapes(args))
    _check_inputs(args)  # before the store's folder is made: a mistyped name leaves nothing behind
    started = perf_counter()
    store = TrialStore(args.store)
    writer = StoreWriter(store, args.base_iri, compact=True)
    if writer.bulk and _workers(args) > 1:
        from .store.bulk import bulk_load

        _check_inputs(args)
        summary = bulk_load(store, args.inputs, replace(options, exported_at=export_time()), _workers(args), args.quiet,
                            writer)
    else:
        summary = _run(Pipeline(options), args, writer)
    writer.close()
    _quarantine(summary, args)
    print(summary.report(), file=sys.stderr)
    print(writer.report(perf_counter() - started, summary.exported), file=sys.stderr)
    _require_records(summary, args)
    return EXIT_OK if summary.rejected == 0 else EXIT_REJECTED


def run_query(args: argparse.Namespace) -> int:
    from .store import GRAPH_FORMATS, open_current
    from .store.query_text import UPDATE_REFUSED, readable, refusal

    text = _query_source(args.query)
    if refusal(text) == UPDATE_REFUSED:
        raise UsageError("SPARQL updates are refused: trialgraph query only reads the store (load changes it)")
    graph_format = args.format if args.format in GRAPH_FORMATS else None if args.format else "turtle"
    solution_format = None if args.format in GRAPH_FORMATS else args.format or "table"
    try:
        answer = open_current(args.store).answer(text, solution_format, graph_format)
    except (SyntaxError, ValueError) as error:
        raise UsageError(readable(str(error), text)) from None
    sys.stdout.buffer.write(answer.body)
    return EXIT_OK


def _query_source(argument: str) -> str:
    """The query itself, or the text of the file it names; a file name that names no file is said so."""
    source = Path(argument)
    if source.is_file():
        return source.read_text(encoding="utf-8")
    if len(argument.split()) == 1 and ("/" in argument or "\\" in argument or source.suffix):
        raise UsageError(f"no such query file: {argument} (give a file holding a query, or the query itself)")
    return argument


def run_dump(args: argparse.Namespace) -> int:
    from .store import open_current

    store = open_current(args.store)
    if args.output is None or args.output == "-":
        store.dump(sys.stdout.buffer, args.format)
    else:
        with atomic_text(Path(args.output)) as stream:
            store.dump(stream.buffer, args.format)
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    import errno

    from .server import ServerConfig, serve
    from .server.publishing import NotMintedHere

    if args.query_workers < 1:
        raise UsageError("--query-workers must be at least 1")
    if args.links_per_page is not None and args.links_per_page < 1:
        raise UsageError("--links-per-page must be at least 1")
    try:
        serve(ServerConfig(args.store, args.host, args.port, args.base_iri, args.timeout, args.max_results,
                           workers=args.query_workers, max_wait=args.max_wait, max_memory=args.max_memory * 2**20,
                           max_answer=args.max_answer * 2**20, request_timeout=args.request_timeout,
                           root_path=args.root_path,
                           links_per_page=args.links_per_page or ServerConfig.links_per_page))
    except NotMintedHere as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise UsageError(f"port {args.port} on {args.host} is already in use: stop what listens there, "
                             f"or serve on another --port") from None
        if error.errno in (errno.EADDRNOTAVAIL, errno.EACCES):
            raise UsageError(f"cannot listen on {args.host} port {args.port}: {error.strerror}") from None
        raise
    return EXIT_OK


def _workers(args: argparse.Namespace) -> int:
    from .parallel import default_workers

    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be at least 1")
    return 1 if "-" in args.inputs or args.fetch else args.workers or default_workers()


def _export_in_parallel(args: argparse.Namespace, options: Options) -> Summary:
    """``export`` over partitions of the input, in local processes or on a Dask cluster."""
    from .parallel import LINE_FORMATS, Job, export_to_cluster, export_with_workers

    _check_inputs(args)
    job = Job(replace(options, exported_at=options.exported_at or export_time()), args.format)
    if not args.dask_scheduler:
        with _output(args.output) as stream:
            return export_with_workers(args.inputs, job, stream, _workers(args), quiet=args.quiet, output=args.output)
    if not args.output or args.output == "-":
        raise UsageError("--dask-scheduler writes shards to a folder: name it with -o DIR")
    if args.format not in LINE_FORMATS:
        raise UsageError("--dask-scheduler writes N-Quads or N-Triples shards: use -f nquads or -f ntriples")
    if "-" in args.inputs:
        raise UsageError("--dask-scheduler reads files by path, not standard input")
    return export_to_cluster(args.inputs, job, args.dask_scheduler, Path(args.output), quiet=args.quiet)


def _check_inputs(args: argparse.Namespace) -> None:
    if not args.inputs and not args.fetch:
        raise UsageError("nothing to read: name an INPUT or --fetch a record")
    for item in args.inputs:
        if item != "-" and not Path(item).exists():
            raise UsageError(f"no such file or folder: {item}")


def _require_records(summary: Summary, args: argparse.Namespace) -> None:
    """A run that found no record at all is an error, not a success with nothing in it."""
    if summary.read == 0:
        named = ", ".join(args.inputs + [f"--fetch {spec}" for spec in args.fetch])
        raise UsageError(f"no records found in {named}: trialgraph reads ICTRP XML, CSV, HTML and text pages, "
                         "and ClinicalTrials.gov JSON")


def _run(pipeline: Pipeline, args: argparse.Namespace, writer, quiet: bool | None = None) -> Summary:  # type: ignore[no-untyped-def]
    """The inputs, then the fetched records, through the pipeline; each superseded duplicate among the
    inputs rejected (:mod:`.duplicates`)."""
    inputs = args.inputs
    _check_inputs(args)
    notes: list[str] = []
    with spooled_stdin(inputs) as stdin, Progress(enabled=not (args.quiet if quiet is None else quiet)) as progress:
        records = chain(latest_only(inputs, notes.append, stdin), _fetched(args))
        summary = pipeline.run(records, writer, progress.update)
    summary.notes += notes
    return summary


def _fetched(args: argparse.Namespace) -> Iterator[Trial | Rejected]:
    if not args.fetch:
        return  # nothing to fetch: requests and the clients stay unloaded
    from .fetch import fetched

    try:
        yield from fetched(args.fetch, _client(args), Services(args.ctgov_api, args.ictrp_url))
    except ValueError as error:
        raise UsageError(str(error)) from None


def _client(args: argparse.Namespace) -> HttpClient:
    from .fetch.http import HttpClient  # requests loads only when something is fetched

    return HttpClient(cache_dir=None if args.no_cache else Path(args.cache))


def run_fetch(args: argparse.Namespace) -> int:
    from .fetch.save import save_ctgov_search, save_ctgov_studies, save_ictrp_pages

    if args.query and args.registry != "ctgov":
        raise UsageError("--query searches ClinicalTrials.gov only")
    if not args.ids and not args.query:
        raise UsageError("name the trial ids to fetch, or a --query")
    client, folder = _client(args), Path(args.output)
    if args.registry == "ictrp":
        saved = save_ictrp_pages(args.ids, folder, client, args.ictrp_url)
    elif args.query:
        saved = save_ctgov_search(args.query, args.max, folder, client, args.ctgov_api)
    else:
        saved = save_ctgov_studies(args.ids, folder, client, args.ctgov_api)
    done = failed = 0
    for item in saved:
        if item.error is None:
            done += 1
            print(item.path)
        else:
            failed += 1
            print(f"trialgraph: {item.name}: {item.error}", file=sys.stderr)
    print(f"{done} saved, {failed} failed; export them with: trialgraph export {folder}", file=sys.stderr)
    return EXIT_OK if failed == 0 else EXIT_REJECTED


def _quarantine(summary: Summary, args: argparse.Namespace) -> None:
    """Write the rejected records where asked, or beside the output file; a stale default file goes."""
    if args.quarantine is not None:
        path = Path(args.quarantine)
    elif (path := quarantine.default_path(getattr(args, "output", None))) is None:
        return
    elif not summary.rejections:
        path.unlink(missing_ok=True)
        return
    quarantine.write(path, summary.rejections)
    summary.quarantine = str(path)


@contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    if path is None or path == "-":
        yield sys.stdout
        return
    with atomic_text(Path(path)) as stream:
        yield stream


if __name__ == "__main__":
    sys.exit(main())
