"""``import FILE.csv``: a user's own observations in the curated format, origin ``user``.

The kind of file is told by its header: prices (the columns of data/prices/*.csv),
signals (data/signals.csv) or benchmark scores (data/benchmarks.csv). Every row is
validated exactly as the shipped files are (a bad row names its file and line, and
nothing is stored), then written in one transaction under the source ``user``, so every
trend, comparison and listing can be run on the user's data beside the shipped data.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path

from frontier_watch.clock import utc_now
from frontier_watch.errors import DataError

USER_SOURCE = "user"
KINDS = ("prices", "signals", "benchmarks")


@dataclass
class ImportResult:
    path: Path
    kind: str
    rows: int


def file_kind(header: list[str]) -> str:
    """prices | signals | benchmarks, from a CSV header; a DataError naming what each needs."""
    from frontier_watch.sources.curated import FACT_FILES, REQUIRED_PRICE_COLUMNS

    columns = set(header)
    if set(REQUIRED_PRICE_COLUMNS) <= columns:
        return "prices"
    needs = {"prices": REQUIRED_PRICE_COLUMNS}
    for spec in FACT_FILES:
        kind = spec.name.removesuffix(".csv")
        if kind in KINDS:
            needs[kind] = spec.required
            if set(spec.required) <= columns:
                return kind
    described = "; ".join(f"{kind}: {', '.join(columns)}" for kind, columns in needs.items())
    raise DataError(
        f"cannot tell what the file holds from its header; the columns each kind needs are {described}"
    )


def read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder, not a CSV file") from None
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not UTF-8 text (offset {error.start})") from None
    except OSError as exc:
        raise DataError(f"{path}: {exc.strerror or exc}") from None


def import_file(engine, path: Path) -> ImportResult:
    """Validate the whole file, then store it in one transaction (nothing on any error)."""
    from frontier_watch.identity import load_identity
    from frontier_watch.sources.curated import FACT_FILES, parse_fact_file, parse_price_file
    from frontier_watch.store.curated_facts import record_benchmark_scores
    from frontier_watch.store.meta import bump_data_version
    from frontier_watch.store.price_flags import review_prices
    from frontier_watch.store.seed import record_price_groups
    from frontier_watch.store.write_context import WriteContext
    from frontier_watch.store.writers import WRITERS

    text = read_text(path)
    header = next(csv.reader(io.StringIO(text)), [])
    if not header:
        raise DataError(f"{path}: the file is empty")
    kind = file_kind([column.strip() for column in header])
    now = utc_now()
    identity = load_identity()
    where = str(path)
    if kind == "prices":
        groups = parse_price_file(text, where)
        with engine.begin() as connection:
            rows = record_price_groups(connection, groups, identity, now, source_id=USER_SOURCE)
            entries = (
                identity.resolve(USER_SOURCE, offering.offering_id)
                for offerings in groups.values()
                for offering in offerings
            )
            review_prices(connection, now, sorted({entry.model_id for entry in entries if entry is not None}))
            bump_data_version(connection)
        return ImportResult(path, kind, rows)
    spec = next(spec for spec in FACT_FILES if spec.name == f"{kind}.csv")
    facts = parse_fact_file(text, where, spec)
    with engine.begin() as connection:
        if kind == "benchmarks":
            note = f"imported by the user from {path.name}"
            record_benchmark_scores(
                connection,
                [replace(fact, notes=f"{note}; {fact.notes}" if fact.notes else note) for fact in facts],
            )
        else:
            context = WriteContext(source_id=USER_SOURCE, observed_at=now, identity=identity)
            WRITERS["signals"].write(connection, context, facts)
        bump_data_version(connection)
    return ImportResult(path, kind, len(facts))
