"""Command line: `python -m dashboard [serve | ingest SOURCE | check]`."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .data import DEFAULT_DATA_DIR
from .stream import NORMAL_THREADS, STREAM_SLOTS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="The Atlas of recommendations.")
    parser.add_argument("--debug", action="store_true", help="serve in Dash's debug mode (also ATLAS_DEBUG=1)")
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="serve the Atlas (the default); HOST and PORT come from the environment")
    serve.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="Dash debug mode (also ATLAS_DEBUG=1)")
    ingest = commands.add_parser("ingest", help="add the reports of a source document to the dataset")
    ingest.add_argument("source", type=Path)
    ingest.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    check = commands.add_parser("check", help="validate the dataset")
    check.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args(argv)

    if args.command == "ingest":
        return _ingest(args.source, args.data_dir)
    if args.command == "check":
        return _check(args.data_dir)
    return _serve(args.debug)


def _ingest(source: Path, data_dir: Path) -> int:
    from .ingest import IngestError, ingest

    try:
        result = ingest(source, data_dir)
    except IngestError as exc:
        print(exc, file=sys.stderr)
        return 1
    for number, report in result.reports:
        counts = ", ".join(f"{label} {count}" for label, count in report.section_counts())
        print(f"report {number} ({source.name}): {counts}; total {len(report.recommendations)}")
    if result.suggested:
        print(f"suggested themes for {len(result.suggested)} new recommendation(s); "
              f"review them in theme_tags.csv (origin 'suggested')")
        for rec_id, source_id in result.borrowed.items():
            print(f"{rec_id}: no keyword matched; borrowed the themes of the most similar curated one, {source_id}")
        untagged = [rec_id for rec_id, themes in result.suggested.items() if not themes]
        if untagged:
            print("no keyword matched and nothing curated is similar enough, so these have no theme yet: "
                  + ", ".join(untagged))
    if result.dropped:
        print(f"removed {len(result.dropped)} recommendation(s) no longer in the source, with their theme tags and "
              "translation notes: " + ", ".join(result.dropped), file=sys.stderr)
    return 0


def _check(data_dir: Path) -> int:
    from .data import check

    dataset, problems = check(data_dir)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"{len(problems)} problem(s) in {data_dir}", file=sys.stderr)
        return 1
    print("OK: " + ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in dataset.counts().items()))
    return 0


# Waitress reads each request whole, in its event loop, before a worker thread sees it, and writes
# answers out from its buffers: a phone that sends half a request or reads slowly holds no thread.
# A follower's open stream does hold one (dashboard/stream.py), hence STREAM_SLOTS threads more than
# the 8 of pages and callbacks (which still run 8 at a time): 258 idle threads cost about 4 MB and no
# CPU. Waitress sends each event as it is written (send_bytes 1), and times out idle connections only,
# never one still answering.
WAITRESS = {
    "threads": NORMAL_THREADS + STREAM_SLOTS,
    "connection_limit": 1000,  # a room of phones, each with a few connections
    "channel_timeout": 60,  # seconds an idle or stalled connection is kept
    "asyncore_use_poll": True,  # no select() limit of 1024 sockets
    "ident": "Atlas",  # the Server header names no software or version
}


def _serve(debug: bool) -> int:
    from .data import DataError

    try:
        from .app import create_app
        app = create_app()
    except DataError as exc:
        print("The Atlas cannot start: the dataset is invalid.\n" + "\n".join(exc.problems), file=sys.stderr)
        return 1
    host, port = os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "8050"))
    if debug or os.environ.get("ATLAS_DEBUG") == "1":  # Flask's development server, with Dash's debug tools
        from werkzeug.serving import WSGIRequestHandler

        class Handler(WSGIRequestHandler):
            server_version, sys_version = "Atlas", ""

        app.run(host=host, port=port, debug=True, request_handler=Handler)
        return 0
    import waitress

    from .guard import MAX_BODY
    from .serving import warm_up

    from .routes import LIGHT_BOUNDARIES_URL

    # compress the page's files before the first phone asks
    warm_up(app, also=("/geo/boundaries.geojson", LIGHT_BOUNDARIES_URL))
    from .app import settle

    settle()
    shown = f"[{host}]" if ":" in host else host
    print(f"The Atlas is served at http://{shown}:{port}/ (stop it with Ctrl+C)", flush=True)
    from .addresses import network_addresses
    from .share import PUBLIC_URL_ENV, startup_advice

    for line in startup_advice(host, port, os.environ.get(PUBLIC_URL_ENV) or "", network_addresses()):
        print(line, flush=True)
    waitress.serve(app.server, host=host, port=port, max_request_body_size=MAX_BODY + 1, **WAITRESS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
