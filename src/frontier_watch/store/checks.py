"""``db check``: every rule the stored data must keep, and where it does not.

Hard rules (a violation makes the check fail):

* **unreadable**: a stored date, time or number that does not read back as one (written by
  hand, or by an older version that wrote year 1 as '1-01-01'). Every other rule reads
  those rows, so when there are any, they are all the check reports: fix or delete them first;
* **overlap**: two live intervals of one offering and tier in force on the same day;
* **dates**: an interval whose start is not before its end;
* **before-release** / **after-retirement**: a price the source dates to the day (curated or
  declared) that starts before its model's release day or on or after its retirement: the
  two facts contradict each other, and one of them is wrong. (Coarser dates are narrowed to
  the model's life when read, and are listed as notes.)
* **unflagged-anomaly**: a suspect price (anomalies.py) with no flag, or a flag that no
  longer holds: flags are derived, so stale ones mean a write skipped the review;
* **unmatched**: 10% or more of the offerings match no canonical model;
* **provenance**: a price or fact without a source URL or evidence class, or whose source URL
  is not an http(s) URL;
* **vendor-claim**: a benchmark score measured by the model's own lab not classed as a vendor claim.

Notes (listed, never failing): prices narrowed to their model's life, flagged prices, sources
that disagree today, and provider or lab spellings that are not canonical.

Before the rules, SQLite's own ``PRAGMA quick_check`` reads every page: a damaged file is a
DamagedDatabase naming that check (or, should a rule's read meet damage the check missed,
naming the rule), never a traceback and never a report on half the data. (quick_check
rather than integrity_check, which also compares each index with its table: at 1,000,000
intervals 1 s against 20 s, and random damage breaks the structure either one reads.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, NamedTuple

from frontier_watch.domain import money
from frontier_watch.domain.anomalies import PricePoint, detect
from frontier_watch.domain.attribution import Life, ModelSpan
from frontier_watch.domain.errors import DamagedDatabase
from frontier_watch.domain.organisations import is_canonical
from frontier_watch.store.model_lookup import load_lives, load_spans
from frontier_watch.store.price_reads import offering_match_share, prices_as_of
from frontier_watch.store.reading import Reader, unreadable_values

UNMATCHED_LIMIT = 0.10
# Bases whose dates the source states to the day, so a clash with a life is a contradiction.
_STATED = frozenset({"curated", "declared"})
_FACT_TABLES = ("release", "signal", "benchmark_score", "trend_claim", "model_event")


class Violation(NamedTuple):
    rule: str
    hard: bool
    subject: str
    detail: str


class CheckReport(NamedTuple):
    violations: list[Violation]

    @property
    def ok(self) -> bool:
        return not any(violation.hard for violation in self.violations)

    def counts(self) -> dict[str, int]:
        return dict(Counter(violation.rule for violation in self.violations))


INTEGRITY_CHECK = "the integrity check (PRAGMA quick_check)"


def check_database(reader: Reader, now: datetime) -> CheckReport:
    """Every rule, over the whole database; DamagedDatabase (naming the check) when the file is damaged.

    A stored value that does not read back (rule ``unreadable``) is all that is listed while
    there is one: every other rule reads those rows.
    """
    violations: list[Violation] = []
    with _found_by(INTEGRITY_CHECK):
        problems = list(_integrity(reader))
        if problems:
            raise DamagedDatabase(reader.where, problems[0], found_by=INTEGRITY_CHECK)
    with _found_by("the rule unreadable"):
        unreadable = [
            Violation(
                "unreadable", True, f"{table} row {row_id}", f"{column} is {value!r}, which is not {what}"
            )
            for table, row_id, column, value, what in unreadable_values(reader)
        ]
    if unreadable:
        return CheckReport(unreadable)
    with _found_by("the rule overlap"):
        intervals = _intervals(reader)
        violations += _overlaps_and_dates(intervals)
    with _found_by("the rules before-release and after-retirement"):
        violations += _lives(intervals, load_lives(reader), load_spans(reader))
    for rule, check in (
        ("unflagged-anomaly", lambda: _anomalies(reader, intervals)),
        ("unmatched", lambda: _unmatched(reader)),
        ("provenance", lambda: _provenance(reader, intervals)),
        ("vendor-claim", lambda: _benchmark_evidence(reader)),
        ("spelling", lambda: _spellings(reader)),
        ("disagreement", lambda: _disagreements(reader, now)),
    ):
        with _found_by(f"the rule {rule}"):
            violations += check()
    return CheckReport(violations)


@contextmanager
def _found_by(check: str) -> Iterator[None]:
    """Damage met inside the block is said to be found by ``check``."""
    try:
        yield
    except DamagedDatabase as damage:
        raise damage.found(check) from None


def _integrity(reader: Reader) -> Iterator[str]:
    """What SQLite's integrity check finds wrong with the file (PostgreSQL has no such check)."""
    if reader.dialect != "sqlite":
        return
    for problem in reader.column("PRAGMA quick_check"):
        if problem != "ok":
            yield " ".join(str(problem).split())


class _Interval(NamedTuple):
    id: int
    offering_pk: int
    source: str
    provider: str
    offering_id: str
    offering_name: str
    model_id: str | None
    lab: str | None
    tier: str
    input: Any
    output: Any
    effective_from: datetime | None
    effective_to: datetime | None
    basis: str
    date_precision: str | None
    source_url: str | None
    evidence: str | None
    flag: str | None

    def subject(self) -> str:
        return f"{self.source} {self.offering_id} ({self.tier}) #{self.id}"


def _intervals(reader: Reader) -> list[_Interval]:
    _, rows = reader.tuples(
        """
SELECT i.id, i.offering_pk, o.source_id, o.provider, o.offering_id, o.name, o.model_id, m.lab, i.tier,
       i.input_nusd, i.output_nusd, i.effective_from, i.effective_to, i.basis, i.date_precision,
       i.source_url, i.evidence, pf.flag
FROM price_interval i JOIN offering o ON o.id = i.offering_pk LEFT JOIN model m ON m.id = o.model_id
LEFT JOIN price_flag pf ON pf.interval_id = i.id
WHERE i.superseded_at IS NULL
ORDER BY i.offering_pk, i.tier, i.effective_from IS NOT NULL, i.effective_from, i.id
"""
    )
    return [
        _Interval._make((*row[:9], money.from_nano(row[9]), money.from_nano(row[10]), *row[11:]))
        for row in rows
    ]


def _day(moment: datetime | None) -> str:
    return "undated" if moment is None else moment.isoformat()[:10]


def _overlaps_and_dates(intervals: list[_Interval]) -> Iterator[Violation]:
    previous: _Interval | None = None
    for interval in intervals:
        start, end = interval.effective_from, interval.effective_to
        if start is not None and end is not None and start >= end:
            yield Violation("dates", True, interval.subject(), f"starts {_day(start)} but ends {_day(end)}")
        same = previous is not None and (previous.offering_pk, previous.tier) == (
            interval.offering_pk,
            interval.tier,
        )
        if same and previous is not None:
            before_end = previous.effective_to
            if before_end is None or start is None or start < before_end:
                yield Violation(
                    "overlap",
                    True,
                    interval.subject(),
                    f"in force {_day(start)}..{_day(end)} while #{previous.id} "
                    f"({_day(previous.effective_from)}..{_day(before_end)}) still is",
                )
        previous = interval


def _lives(
    intervals: list[_Interval], lives: dict[str, Life], spans: dict[int, tuple[ModelSpan, ...]]
) -> Iterator[Violation]:
    for interval in intervals:
        moving = spans.get(interval.offering_pk)
        pieces = (
            [
                (span.model_id, max(interval.effective_from, span.valid_from or interval.effective_from))
                for span in moving
                if interval.effective_from is not None
                and (span.valid_to is None or span.valid_to > interval.effective_from)
                and (
                    interval.effective_to is None
                    or span.valid_from is None
                    or span.valid_from < interval.effective_to
                )
            ]
            if moving
            else [(interval.model_id, interval.effective_from)]
        )
        for model_id, start in pieces:
            life = lives.get(model_id or "")
            if life is None or start is None:
                continue
            released, retired = life.released_at(), life.retired_at()
            stated = interval.basis in _STATED and interval.date_precision == "day"
            if released is not None and start < released:
                detail = (
                    f"starts {_day(start)}, before {model_id} was released on {_day(released)} "
                    f"({life.released_from})"
                )
                if stated:
                    yield Violation("before-release", True, interval.subject(), detail)
                else:
                    yield Violation(
                        "narrowed", False, interval.subject(), detail + "; answers from the release day"
                    )
            if retired is not None and (interval.effective_to is None or interval.effective_to > retired):
                if stated and start >= retired:
                    yield Violation(
                        "after-retirement",
                        True,
                        interval.subject(),
                        f"starts {_day(start)}, on or after {model_id} was retired on {_day(retired)}",
                    )
                else:
                    yield Violation(
                        "narrowed",
                        False,
                        interval.subject(),
                        f"runs past {model_id}'s retirement on {_day(retired)}; answers until then",
                    )


def _anomalies(reader: Reader, intervals: list[_Interval]) -> Iterator[Violation]:
    by_model: dict[str | None, list[PricePoint]] = {}
    for interval in intervals:
        by_model.setdefault(interval.model_id, []).append(
            PricePoint(
                interval.id,
                interval.offering_pk,
                interval.offering_id,
                interval.offering_name,
                interval.source,
                interval.provider,
                interval.lab,
                interval.basis,
                interval.tier,
                interval.input,
                interval.output,
                interval.effective_from,
                interval.effective_to,
            )
        )
    expected = {}
    for points in by_model.values():
        expected.update(detect(points))
    for interval in intervals:
        found = expected.get(interval.id)
        if found is not None and interval.flag != str(found.flag):
            yield Violation("unflagged-anomaly", True, interval.subject(), f"{found.flag}: {found.reason}")
        elif found is None and interval.flag is not None:
            yield Violation(
                "unflagged-anomaly",
                True,
                interval.subject(),
                f"flagged {interval.flag} but no longer suspect",
            )
        elif found is not None:
            yield Violation("flagged", False, interval.subject(), f"{found.flag}: {found.reason}")


def _unmatched(reader: Reader) -> Iterator[Violation]:
    unmatched, total = offering_match_share(reader)
    share = unmatched / total if total else 0.0
    if share >= UNMATCHED_LIMIT:
        yield Violation(
            "unmatched",
            True,
            "offerings",
            f"{unmatched} of {total} ({share:.1%}) match no canonical model; the limit is "
            f"{UNMATCHED_LIMIT:.0%} (see prices --unmatched)",
        )


def _provenance(reader: Reader, intervals: list[_Interval]) -> Iterator[Violation]:
    from frontier_watch.domain.vocabulary import EVIDENCE_CLASSES
    from frontier_watch.net.urls import without_secrets
    from frontier_watch.sources.curated import is_http_url

    def problem(url: str | None, evidence: str | None) -> str | None:
        if not url:
            return "no source URL"
        if not is_http_url(url):
            return f"source URL {without_secrets(url)!r} is not an http(s) URL"
        if without_secrets(url) != url:
            return f"source URL {without_secrets(url)!r} holds credentials or a secret (shown hidden here)"
        if evidence not in EVIDENCE_CLASSES:
            return f"evidence {evidence!r} is not an evidence class"
        return None

    for interval in intervals:
        found = problem(interval.source_url, interval.evidence)
        if found:
            yield Violation("provenance", True, interval.subject(), found)
    for table in _FACT_TABLES:
        _, rows = reader.tuples(f"SELECT id, source_url, evidence FROM {table}")
        for row_id, url, evidence in rows:
            found = problem(url, evidence)
            if found:
                yield Violation("provenance", True, f"{table} #{row_id}", found)


def _benchmark_evidence(reader: Reader) -> Iterator[Violation]:
    _, rows = reader.tuples(
        "SELECT id, model, benchmark, lab, measured_by, evidence FROM benchmark_score "
        "WHERE measured_by IS NOT NULL AND measured_by = lab AND evidence <> 'vendor-claim'"
    )
    for row_id, model, benchmark, lab, _, evidence in rows:
        yield Violation(
            "vendor-claim",
            True,
            f"benchmark_score #{row_id} ({model}, {benchmark})",
            f"measured by its own lab {lab} but classed {evidence}",
        )


def _spellings(reader: Reader) -> Iterator[Violation]:
    names = reader.column("SELECT DISTINCT provider FROM offering") + reader.column(
        "SELECT DISTINCT lab FROM model WHERE lab IS NOT NULL"
    )
    for name in sorted(set(names)):
        if not is_canonical(name):
            yield Violation(
                "spelling", False, name, "not one of the known organisations (kept as the source spells it)"
            )


def _disagreements(reader: Reader, now: datetime) -> Iterator[Violation]:
    for row in prices_as_of(reader, now, disagreeing=True):
        if row["outlier"]:
            yield Violation(
                "disagreement",
                False,
                f"{row['source']} {row['offering_id']} ({row['tier']})",
                f"{row['model_id']}: {row['input']}/{row['output']} {row['outlier']}",
            )
