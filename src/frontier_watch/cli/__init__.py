"""The command line: parse arguments, call the core, render. ``frontier-watch`` alone opens the dashboard."""

# Imports here are kept light (argparse only) so ``--help`` is instant; each command
# imports what it needs when it runs, and none of the non-UI commands loads Textual.
# parser.py holds the grammar; one module per command group holds its handlers
# (prices, facts, trends, ops, export_import); common.py what they share.
#
# Exit codes: 0 ok; 1 some sources failed (the rest stored); 2 usage or config error;
# 3 another fetch holds the lock; 130 interrupted (Ctrl-C); 143 terminated (SIGTERM, during a fetch).

from __future__ import annotations

import sys
from collections.abc import Sequence

from frontier_watch.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_USAGE,
    PROG,
    Terminated,
    UsageError,
)
from frontier_watch.cli.parser import build_parser

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    from frontier_watch.domain.errors import ConfigurationError, DatabaseError, DataError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (UsageError, ConfigurationError, DatabaseError, DataError) as exc:
        # A bad argument, setting, spec, database or curated row: one line, exit code 2.
        from frontier_watch.render.output import safe_text

        if getattr(exc, "show_usage", False):
            parser.print_usage(sys.stderr)
        print(f"{PROG}: error: {safe_text(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except Terminated:
        print(f"{PROG}: terminated", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        # A driver error that store/driver_errors.py has no words for (a full disk, a lost
        # server): still one line, never a traceback.
        if not _is_driver_error(exc):
            raise
        from frontier_watch.domain.errors import first_line
        from frontier_watch.render.output import safe_text

        print(f"{PROG}: error: database error: {safe_text(first_line(exc))}", file=sys.stderr)
        return EXIT_USAGE


def _is_driver_error(exc: BaseException) -> bool:
    import sqlite3

    if isinstance(exc, sqlite3.Error):
        return True
    sqlalchemy_errors = sys.modules.get("sqlalchemy.exc")  # loaded only if the command used it
    return sqlalchemy_errors is not None and isinstance(exc, sqlalchemy_errors.SQLAlchemyError)


if __name__ == "__main__":
    raise SystemExit(main())
