"""``export`` and ``import``: the tables out as files with a manifest, your own rows in."""

from __future__ import annotations

import argparse

from frontier_watch.cli.common import (
    EXIT_OK,
    UsageError,
    database_from,
    reader_from,
)


def cmd_export(args: argparse.Namespace) -> int:
    """One file per table plus manifest.json, reproducible and safe to open in a spreadsheet."""
    from pathlib import Path

    from frontier_watch import __version__
    from frontier_watch.domain.clock import parse_day, utc_now
    from frontier_watch.use_cases.export import ExportError, selected_tables, write_export

    try:
        tables = selected_tables(args.tables)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    now = utc_now()
    as_of = None
    if args.as_of is not None:
        try:
            as_of = parse_day(args.as_of)
        except ValueError as exc:
            raise UsageError(f"export --as-of: {exc}") from None
        if as_of > now.date():
            raise UsageError(f"export --as-of: {as_of.isoformat()} is in the future")
    settings, reader = reader_from(args)
    folder = Path(args.out).expanduser() if args.out else settings.export_folder
    try:
        with reader:
            files, manifest = write_export(
                reader,
                tables,
                folder,
                fmt=args.format,
                as_of=as_of,
                now=now,
                specs=settings.sources,
                version=__version__,
            )
    except ExportError as exc:
        raise UsageError(f"export: {exc}") from None
    from frontier_watch.render.output import safe_text

    for item in files:
        print(f"{safe_text(str(folder / item.name))}  {item.rows} rows  sha256 {item.sha256[:16]}")
    print(f"{safe_text(str(manifest))}  attribution, licences and hashes")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from frontier_watch.render.output import safe_text
    from frontier_watch.use_cases.importing import import_file

    _, database = database_from(args)
    result = import_file(database.engine, Path(args.file))
    print(
        f"imported {result.rows} {result.kind} row{'s' if result.rows != 1 else ''} "
        f"from {safe_text(result.path)} (source user)"
    )
    return EXIT_OK
