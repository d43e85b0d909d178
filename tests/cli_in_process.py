"""The CLI run as a terminal would run it, but in the test's own process.

A new Python process per command costs about half a second of imports, and the tests that
walk every command over a damaged, read-only or misconfigured database run hundreds of
them. ``run`` gives the same result object as ``subprocess.run(..., capture_output=True,
text=True)``: the exit code ``main`` returns (or argparse's ``SystemExit``), and what the
command printed. An exception that escapes ``main`` is printed as Python would print it, so
a test asserting "no traceback" fails on it exactly as it would against a real process.

The tests that need a real process (signals, locks held by another process, the installed
entry point, the interpreter's own start-up) keep using ``subprocess``.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path

from frontier_watch.cli import main


@contextlib.contextmanager
def _environment(changes: Mapping[str, str] | None) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(changes or {})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _working_directory(path: Path | None) -> Iterator[None]:
    before = Path.cwd()
    if path is not None:
        os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def run(
    *args: str,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,  # accepted for the subprocess signature; nothing here hangs on input
) -> subprocess.CompletedProcess[str]:
    """``frontier-watch ARGS`` with stdin empty, stdout and stderr captured."""
    out, err = io.StringIO(), io.StringIO()
    with (
        _environment(env),
        _working_directory(cwd),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        saved_stdin, sys.stdin = sys.stdin, io.StringIO("")
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
            if exit_.code is not None and not isinstance(exit_.code, int):
                print(exit_.code, file=sys.stderr)
        except BaseException:  # what the interpreter would print before exiting 1
            traceback.print_exc()
            code = 1
        finally:
            sys.stdin = saved_stdin
    return subprocess.CompletedProcess(["frontier-watch", *args], code, out.getvalue(), err.getvalue())
