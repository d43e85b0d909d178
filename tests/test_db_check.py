"""``db check`` passes on the shipped data and fails on one violation of each kind.

Each violation is written straight into a copy of the seeded database with SQL (the
writers would refuse most of them), then the check must name it and exit 1, and leave the
file as it was.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from frontier_watch.cli import main

T = "%s 00:00:00.000000"


def sql(db, statement: str, *params) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute(statement, params)


def interval_id(db, source: str, offering_id: str, tier: str = "default") -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT i.id FROM price_interval i JOIN offering o ON o.id = i.offering_pk "
            "WHERE o.source_id = ? AND o.offering_id = ? AND i.tier = ? "
            "ORDER BY i.effective_from DESC LIMIT 1",
            (source, offering_id, tier),
        ).fetchone()[0]


def copy_interval(db, pk: int, **changes) -> None:
    """Insert a copy of interval ``pk`` with some columns changed."""
    with sqlite3.connect(db) as connection:
        names = [row[1] for row in connection.execute("PRAGMA table_info(price_interval)") if row[1] != "id"]
        values = dict(
            zip(
                names,
                connection.execute(
                    f"SELECT {', '.join(names)} FROM price_interval WHERE id = ?", (pk,)
                ).fetchone(),
                strict=True,
            )
        )
        values.update(changes)
        connection.execute(
            f"INSERT INTO price_interval ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
            list(values.values()),
        )


def overlap(db):
    pk = interval_id(db, "curated", "o3")
    copy_interval(db, pk, tier="default", effective_from=T % "2025-07-01")


def dates_reversed(db):
    pk = interval_id(db, "curated", "gpt-4o-2024-05-13")
    sql(db, "UPDATE price_interval SET effective_to = effective_from WHERE id = ?", pk)


def before_release(db):
    # o1 was released in December 2024; a day-precision first-party price from June says otherwise
    pk = interval_id(db, "curated", "o1-2024-12-17")
    sql(db, "UPDATE price_interval SET effective_from = ? WHERE id = ?", T % "2024-06-01", pk)


def after_retirement(db):
    pk = interval_id(db, "curated", "gpt-4.5-preview")
    copy_interval(db, pk, tier="batch", effective_from=T % "2025-08-01", effective_to=None)


def unflagged_anomaly(db):
    pk = interval_id(db, "litellm", "command-r7b-12-2024")
    sql(db, "DELETE FROM price_flag")  # as if a writer skipped the review
    del pk


def unmatched_share(db):
    with sqlite3.connect(db) as connection:
        for n in range(200):
            connection.execute(
                "INSERT OR IGNORE INTO model (id, name) VALUES (?, ?)", (f"mystery-{n}", f"Mystery {n}")
            )
            connection.execute(
                "INSERT INTO offering (source_id, provider, offering_id, name, model_id, first_seen_at, "
                "last_seen_at) VALUES ('litellm', 'Nowhere', ?, ?, ?, ?, ?)",
                (f"nowhere/mystery-{n}", f"mystery {n}", f"mystery-{n}", T % "2026-01-01", T % "2026-01-01"),
            )


def missing_source(db):
    pk = interval_id(db, "curated", "o3")
    sql(db, "UPDATE price_interval SET source_url = NULL WHERE id = ?", pk)


def prose_source_url(db):
    prose = "https://x.com/elonmusk (post; exact URL not in stored material)"
    sql(db, "UPDATE signal SET source_url = ? WHERE id = (SELECT min(id) FROM signal)", prose)


def missing_evidence(db):
    sql(db, "UPDATE release SET evidence = 'trust me' WHERE id = (SELECT min(id) FROM release)")


def own_lab_not_a_vendor_claim(db):
    sql(
        db,
        "UPDATE benchmark_score SET evidence = 'independent-estimate' "
        "WHERE id = (SELECT min(id) FROM benchmark_score WHERE measured_by = lab)",
    )


@pytest.mark.parametrize(
    ("violate", "rule"),
    [
        (overlap, "overlap"),
        (dates_reversed, "dates"),
        (before_release, "before-release"),
        (after_retirement, "after-retirement"),
        (unflagged_anomaly, "unflagged-anomaly"),
        (unmatched_share, "unmatched"),
        (missing_source, "provenance"),
        (prose_source_url, "provenance"),
        (missing_evidence, "provenance"),
        (own_lab_not_a_vendor_claim, "vendor-claim"),
    ],
)
def test_one_violation_of_each_kind_fails_the_check(capsys, seeded_db_path, violate, rule):
    db = str(seeded_db_path)
    violate(db)
    with sqlite3.connect(db) as connection:  # the violation into the main file, so its hash says all
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = hashlib.sha256(seeded_db_path.read_bytes()).hexdigest()
    assert main(["--db", db, "db", "check"]) == 1
    captured = capsys.readouterr()
    failures = [line for line in captured.out.splitlines() if line.startswith("FAIL")]
    assert failures and {line.split()[1] for line in failures} == {rule}, captured.out
    assert "hard rule violation" in captured.err
    assert main(["--db", db, "db", "check", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["counts"][rule] >= 1
    assert hashlib.sha256(seeded_db_path.read_bytes()).hexdigest() == before  # the check only reads


def test_the_check_passes_on_the_shipped_data_and_says_what_it_noticed(capsys, seeded_db_path):
    assert main(["--db", str(seeded_db_path), "db", "check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert not [violation for violation in report["violations"] if violation["hard"]]
    assert {"narrowed", "flagged", "disagreement"} <= set(report["counts"])
