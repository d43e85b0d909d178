"""Ordered, recorded schema migrations, applied on open and by ``frontier-watch db upgrade``.

Each migration runs once, in one transaction, and is recorded in ``schema_migration``.
Migration 1 is the first schema frozen as explicit DDL, so it never changes when the table
declarations in tables.py do; every later change is a new migration with its own ALTER and
CREATE statements. Tests build a database at every past version and upgrade it, and check
that the result matches tables.py column for column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, inspect, text

from frontier_watch.domain.clock import utc_now
from frontier_watch.store.readiness import SCHEMA_HEAD, schema_advice


class SchemaError(RuntimeError):
    """The database's schema cannot be used by this version of the tool."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Connection], None]


def _run(connection: Connection, ddl: str) -> None:
    """Run DDL statements separated by ';', spelt for the connection's dialect.

    The DDL is written for SQLite; on PostgreSQL an integer ``id`` key becomes SERIAL and
    DATETIME becomes TIMESTAMP (naive UTC on both).
    """
    postgres = connection.dialect.name == "postgresql"
    for statement in ddl.split(";"):
        if not statement.strip():
            continue
        if postgres:
            statement = _SERIAL_KEY.sub(r"\1id SERIAL NOT NULL", statement)
            # Nano-dollars pass 2**31 at $2.15 per million tokens; counts can too.
            statement = _WIDE_INTEGER.sub(r"\1 BIGINT", statement)
            statement = statement.replace("DATETIME", "TIMESTAMP WITHOUT TIME ZONE")
            statement = statement.replace("FLOAT", "DOUBLE PRECISION")
        connection.exec_driver_sql(statement)


_SERIAL_KEY = re.compile(r"(^|\n)\s*id INTEGER NOT NULL")
_WIDE_INTEGER = re.compile(r"\b(\w+_nusd|downloads|likes|bytes|params) INTEGER")

SCHEMA_MIGRATION_DDL = """
CREATE TABLE IF NOT EXISTS schema_migration (
    version INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    applied_at DATETIME NOT NULL,
    PRIMARY KEY (version)
)
"""

# The schema of frontier-watch 0.1.0 as it first shipped. Frozen: never edit.
INITIAL_SCHEMA_DDL = """
CREATE TABLE curated_load (
    name VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    rows INTEGER NOT NULL,
    loaded_at DATETIME NOT NULL,
    PRIMARY KEY (name)
);
CREATE TABLE fetch_run (
    id INTEGER NOT NULL,
    source_id VARCHAR NOT NULL,
    started_at DATETIME NOT NULL,
    finished_at DATETIME,
    status VARCHAR NOT NULL,
    http_status INTEGER,
    bytes INTEGER,
    content_hash VARCHAR,
    records INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    new INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    withdrawn INTEGER NOT NULL,
    error VARCHAR,
    PRIMARY KEY (id)
);
CREATE INDEX ix_fetch_run_source_id ON fetch_run (source_id);
CREATE TABLE model (
    id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    lab VARCHAR,
    PRIMARY KEY (id)
);
CREATE TABLE signal (
    source_url VARCHAR NOT NULL,
    evidence VARCHAR NOT NULL,
    verified_via VARCHAR,
    confidence VARCHAR,
    notes VARCHAR,
    id INTEGER NOT NULL,
    origin VARCHAR NOT NULL,
    date DATE NOT NULL,
    date_precision VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    item VARCHAR NOT NULL,
    metric VARCHAR,
    value FLOAT,
    value_high FLOAT,
    value_text VARCHAR,
    unit VARCHAR,
    first_seen_at DATETIME NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (origin, date, entity, item, metric)
);
CREATE TABLE trend_claim (
    source_url VARCHAR NOT NULL,
    evidence VARCHAR NOT NULL,
    verified_via VARCHAR,
    confidence VARCHAR,
    notes VARCHAR,
    id INTEGER NOT NULL,
    date DATE NOT NULL,
    date_precision VARCHAR NOT NULL,
    source_org VARCHAR NOT NULL,
    author VARCHAR,
    claim VARCHAR NOT NULL,
    metric VARCHAR NOT NULL,
    value FLOAT,
    value_high FLOAT,
    unit VARCHAR,
    period VARCHAR,
    baseline VARCHAR,
    method_note VARCHAR,
    PRIMARY KEY (id),
    UNIQUE (date, source_org, metric, claim)
);
CREATE TABLE model_alias (
    id INTEGER NOT NULL,
    model_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    alias VARCHAR NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (source, alias),
    FOREIGN KEY(model_id) REFERENCES model (id)
);
CREATE INDEX ix_model_alias_model_id ON model_alias (model_id);
CREATE TABLE offering (
    id INTEGER NOT NULL,
    source_id VARCHAR NOT NULL,
    provider VARCHAR NOT NULL,
    offering_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    model_id VARCHAR,
    lab VARCHAR,
    deprecation_date DATE,
    hf_repo VARCHAR,
    first_seen_at DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    withdrawn_at DATETIME,
    PRIMARY KEY (id),
    UNIQUE (source_id, provider, offering_id),
    FOREIGN KEY(model_id) REFERENCES model (id)
);
CREATE INDEX ix_offering_model_id ON offering (model_id);
CREATE INDEX ix_offering_source_id ON offering (source_id);
CREATE TABLE release (
    source_url VARCHAR NOT NULL,
    evidence VARCHAR NOT NULL,
    verified_via VARCHAR,
    confidence VARCHAR,
    notes VARCHAR,
    id INTEGER NOT NULL,
    origin VARCHAR NOT NULL,
    date DATE NOT NULL,
    date_precision VARCHAR NOT NULL,
    lab VARCHAR NOT NULL,
    model VARCHAR NOT NULL,
    model_id VARCHAR,
    architecture VARCHAR,
    total_params_b FLOAT,
    active_params_b FLOAT,
    context_tokens INTEGER,
    license VARCHAR,
    open_weights VARCHAR,
    weights_released VARCHAR,
    code_released VARCHAR,
    data_released VARCHAR,
    paper_or_report VARCHAR,
    hf_repo_id VARCHAR,
    training_tokens_t FLOAT,
    training_compute_claim VARCHAR,
    first_seen_at DATETIME NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (origin, lab, model, date),
    FOREIGN KEY(model_id) REFERENCES model (id)
);
CREATE TABLE release_stat (
    id INTEGER NOT NULL,
    hf_repo_id VARCHAR NOT NULL,
    observed_at DATETIME NOT NULL,
    downloads INTEGER,
    likes INTEGER,
    fetch_run_id INTEGER,
    PRIMARY KEY (id),
    FOREIGN KEY(fetch_run_id) REFERENCES fetch_run (id)
);
CREATE INDEX ix_release_stat_hf_repo_id ON release_stat (hf_repo_id);
CREATE TABLE benchmark_score (
    source_url VARCHAR NOT NULL,
    evidence VARCHAR NOT NULL,
    verified_via VARCHAR,
    confidence VARCHAR,
    notes VARCHAR,
    id INTEGER NOT NULL,
    model VARCHAR NOT NULL,
    model_id VARCHAR,
    lab VARCHAR,
    release_date DATE,
    benchmark VARCHAR NOT NULL,
    score FLOAT NOT NULL,
    setting VARCHAR,
    PRIMARY KEY (id),
    UNIQUE (model, benchmark),
    FOREIGN KEY(model_id) REFERENCES model (id)
);
CREATE TABLE price_interval (
    id INTEGER NOT NULL,
    offering_pk INTEGER NOT NULL,
    tier VARCHAR NOT NULL,
    input_nusd INTEGER,
    output_nusd INTEGER,
    cache_read_nusd INTEGER,
    cache_write_nusd INTEGER,
    reasoning_nusd INTEGER,
    request_nusd INTEGER,
    effective_from DATETIME,
    effective_to DATETIME,
    first_seen_at DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    basis VARCHAR NOT NULL,
    source_url VARCHAR,
    evidence VARCHAR,
    confidence VARCHAR,
    date_precision VARCHAR,
    note VARCHAR,
    fetch_run_id INTEGER,
    superseded_at DATETIME,
    PRIMARY KEY (id),
    FOREIGN KEY(offering_pk) REFERENCES offering (id),
    FOREIGN KEY(fetch_run_id) REFERENCES fetch_run (id)
);
CREATE INDEX ix_price_interval_offering_pk ON price_interval (offering_pk)
"""

# The recorder and "prices --as-of" both look intervals up by offering, tier and date.
INTERVAL_LOOKUP_DDL = """
CREATE INDEX IF NOT EXISTS ix_price_interval_lookup ON price_interval (offering_pk, tier, effective_from)
"""

# Releases and signals come from fetched sources too: each knows its source, run and
# natural key; statistics are one row per repo per day; feed items wait for review.
NEXT_WAVE_DDL = """
CREATE TABLE meta (
    key VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    PRIMARY KEY (key)
);
ALTER TABLE release ADD COLUMN source_id VARCHAR;
ALTER TABLE release ADD COLUMN release_key VARCHAR;
ALTER TABLE release ADD COLUMN fetch_run_id INTEGER REFERENCES fetch_run (id);
ALTER TABLE release ADD COLUMN last_seen_at DATETIME;
UPDATE release SET source_id = origin,
    release_key = lab || '|' || model || '|' || CAST(date AS VARCHAR),
    last_seen_at = first_seen_at;
ALTER TABLE signal ADD COLUMN source_id VARCHAR;
ALTER TABLE signal ADD COLUMN signal_key VARCHAR;
ALTER TABLE signal ADD COLUMN fetch_run_id INTEGER REFERENCES fetch_run (id);
ALTER TABLE signal ADD COLUMN last_seen_at DATETIME;
UPDATE signal SET source_id = origin,
    signal_key = CAST(date AS VARCHAR) || '|' || entity || '|' || item || '|' || COALESCE(metric, ''),
    last_seen_at = first_seen_at;
UPDATE signal SET signal_key = signal_key || '|#' || CAST(id AS VARCHAR)
    WHERE id NOT IN (SELECT min(id) FROM signal GROUP BY source_id, signal_key);
ALTER TABLE release_stat ADD COLUMN day DATE;
UPDATE release_stat SET day = {day_of_observed_at};
DELETE FROM release_stat WHERE id NOT IN (SELECT MIN(id) FROM release_stat GROUP BY hf_repo_id, day);
CREATE UNIQUE INDEX ux_release_stat_repo_day ON release_stat (hf_repo_id, day);
{drop_old_uniques};
CREATE UNIQUE INDEX ux_release_source_key ON release (source_id, release_key);
CREATE UNIQUE INDEX ux_signal_source_key ON signal (source_id, signal_key);
CREATE TABLE feed_item (
    id INTEGER NOT NULL,
    source_id VARCHAR NOT NULL,
    entry_key VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    link VARCHAR,
    published_at DATETIME,
    summary VARCHAR,
    matched VARCHAR,
    first_seen_at DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    fetch_run_id INTEGER,
    reviewed_at DATETIME,
    signal_id INTEGER,
    PRIMARY KEY (id),
    UNIQUE (source_id, entry_key),
    FOREIGN KEY(fetch_run_id) REFERENCES fetch_run (id),
    FOREIGN KEY(signal_id) REFERENCES signal (id)
)
"""

# A release or signal is now identified by (source, key): the old uniqueness over lab,
# model and date (or date, entity, item and metric) would refuse two repositories or two
# Epoch rows that happen to share them. PostgreSQL drops the constraint; SQLite cannot, so
# it rebuilds each table with the same columns and without it.
_DROP_OLD_UNIQUES_POSTGRES = """
ALTER TABLE release DROP CONSTRAINT release_origin_lab_model_date_key;
ALTER TABLE signal DROP CONSTRAINT signal_origin_date_entity_item_metric_key
"""
_REBUILD_SQLITE = """
CREATE TABLE release_rebuilt (
    source_url VARCHAR NOT NULL,
    evidence VARCHAR NOT NULL,
    verified_via VARCHAR,
    confidence VARCHAR,
    notes VARCHAR,
    id INTEGER NOT NULL,
    origin VARCHAR NOT NULL,
    date DATE NOT NULL,
    date_precision VARCHAR NOT NULL,
    lab VARCHAR NOT NULL,
    model VARCHAR NOT NULL,
    model_id VARCHAR,
    architecture VARCHAR,
    total_params_b FLOAT,
    active_params_b FLOAT,
    context_tokens INTEGER,
    license VARCHAR,
    open_weights VARCHAR,
    weights_released VARCHAR,
    code_released VARCHAR,
    data_released VARCHAR,
    paper_or_report VARCHAR,
    hf_repo_id VARCHAR,
    training_tokens_t FLOAT,
    training_compute_claim VARCHAR,
    first_seen_at DATETIME NOT NULL,
    source_id VARCHAR,
    release_key VARCHAR,
    fetch_run_id INTEGER,
    last_seen_at DATETIME,
    PRIMARY KEY (id),
    FOREIGN KEY(model_id) REFERENCES model (id),
    FOREIGN KEY(fetch_run_id) REFERENCES fetch_run (id)
);
INSERT INTO release_rebuilt SELECT source_url, evidence, verified_via, confidence, notes, id, origin, date,
    date_precision, lab, model, model_id, architecture, total_params_b, active_params_b, context_tokens,
    license, open_weights, weights_released, code_released, data_released, paper_or_report, hf_repo_id,
    training_tokens_t, training_compute_claim, first_seen_at, source_id, release_key, fetch_run_id,
    last_seen_at FROM release;
DROP TABLE release;
ALTER TABLE release_rebuilt RENAME TO release;
CREATE TABLE signal_rebuilt (
    source_url VARCHAR NOT NULL,
    evidence VARCHAR NOT NULL,
    verified_via VARCHAR,
    confidence VARCHAR,
    notes VARCHAR,
    id INTEGER NOT NULL,
    origin VARCHAR NOT NULL,
    date DATE NOT NULL,
    date_precision VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    item VARCHAR NOT NULL,
    metric VARCHAR,
    value FLOAT,
    value_high FLOAT,
    value_text VARCHAR,
    unit VARCHAR,
    first_seen_at DATETIME NOT NULL,
    source_id VARCHAR,
    signal_key VARCHAR,
    fetch_run_id INTEGER,
    last_seen_at DATETIME,
    PRIMARY KEY (id),
    FOREIGN KEY(fetch_run_id) REFERENCES fetch_run (id)
);
INSERT INTO signal_rebuilt SELECT source_url, evidence, verified_via, confidence, notes, id, origin, date,
    date_precision, category, entity, item, metric, value, value_high, value_text, unit, first_seen_at,
    source_id, signal_key, fetch_run_id, last_seen_at FROM signal;
DROP TABLE signal;
ALTER TABLE signal_rebuilt RENAME TO signal
"""


# Indexes that keep reads and fetches independent of how much history is stored: the
# intervals still open (the current prices, and what a fetch compares against), the
# intervals by their end (those that end later than a given day), and the few intervals
# with no start date; and offerings by their id as a person types it (any case).
INTERVAL_HISTORY_INDEXES_DDL = """
CREATE INDEX ix_price_interval_open ON price_interval (offering_pk, tier)
    WHERE superseded_at IS NULL AND effective_to IS NULL;
CREATE INDEX ix_price_interval_ends ON price_interval (effective_to)
    WHERE superseded_at IS NULL;
CREATE INDEX ix_price_interval_undated ON price_interval (offering_pk)
    WHERE superseded_at IS NULL AND effective_from IS NULL;
CREATE INDEX ix_offering_lower_id ON offering (lower(offering_id))
"""


# Dated identities and model lives: an alias can move from model to model over spans of
# days, so its rows carry a span and offerings of a moving alias record the model of each
# span; a model's release and retirement days from each origin; flags on suspect prices; who
# measured a benchmark score; and the platform a provider sells through.
DATA_FIDELITY_DDL = """
{model_alias_spans};
CREATE UNIQUE INDEX ux_model_alias_span ON model_alias (source, alias, valid_from);
CREATE INDEX ix_model_lower_name ON model (lower(name));
ALTER TABLE offering ADD COLUMN platform VARCHAR;
ALTER TABLE benchmark_score ADD COLUMN measured_by VARCHAR;
CREATE TABLE offering_model_span (
    id INTEGER NOT NULL,
    offering_pk INTEGER NOT NULL,
    model_id VARCHAR NOT NULL,
    valid_from DATETIME,
    valid_to DATETIME,
    PRIMARY KEY (id),
    FOREIGN KEY(offering_pk) REFERENCES offering (id),
    FOREIGN KEY(model_id) REFERENCES model (id)
);
CREATE UNIQUE INDEX ux_offering_model_span ON offering_model_span (offering_pk, valid_from);
CREATE TABLE model_event (
    id INTEGER NOT NULL,
    model_id VARCHAR NOT NULL,
    event VARCHAR NOT NULL,
    date DATE NOT NULL,
    date_precision VARCHAR NOT NULL,
    origin VARCHAR NOT NULL,
    source_url VARCHAR NOT NULL,
    evidence VARCHAR NOT NULL,
    confidence VARCHAR,
    notes VARCHAR,
    PRIMARY KEY (id),
    UNIQUE (model_id, event, origin),
    FOREIGN KEY(model_id) REFERENCES model (id)
);
CREATE TABLE price_flag (
    interval_id INTEGER NOT NULL,
    flag VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    flagged_at DATETIME NOT NULL,
    PRIMARY KEY (interval_id),
    FOREIGN KEY(interval_id) REFERENCES price_interval (id)
);
DELETE FROM curated_load WHERE name = 'model_crosswalk.csv';
DELETE FROM meta WHERE key = 'curated_stamp'
"""
# SQLite cannot drop the old UNIQUE (source, alias), so it rebuilds the table; PostgreSQL
# drops the constraint and adds the columns.
_MODEL_ALIAS_SPANS_SQLITE = """
CREATE TABLE model_alias_rebuilt (
    id INTEGER NOT NULL,
    model_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    alias VARCHAR NOT NULL,
    valid_from DATETIME,
    valid_to DATETIME,
    PRIMARY KEY (id),
    FOREIGN KEY(model_id) REFERENCES model (id)
);
INSERT INTO model_alias_rebuilt (id, model_id, source, alias)
    SELECT id, model_id, source, alias FROM model_alias;
DROP TABLE model_alias;
ALTER TABLE model_alias_rebuilt RENAME TO model_alias;
CREATE INDEX ix_model_alias_model_id ON model_alias (model_id)
"""
_MODEL_ALIAS_SPANS_POSTGRES = """
ALTER TABLE model_alias DROP CONSTRAINT model_alias_source_alias_key;
ALTER TABLE model_alias ADD COLUMN valid_from TIMESTAMP WITHOUT TIME ZONE;
ALTER TABLE model_alias ADD COLUMN valid_to TIMESTAMP WITHOUT TIME ZONE
"""


def _data_fidelity(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    spans = _MODEL_ALIAS_SPANS_SQLITE if sqlite else _MODEL_ALIAS_SPANS_POSTGRES
    _run(connection, DATA_FIDELITY_DDL.replace("{model_alias_spans}", spans))
    _one_spelling_per_organisation(connection)


# The merged offering's intervals that overlap one of the kept offering's, same tier: restated.
_RESTATE_OVERLAPPING = """
UPDATE price_interval SET superseded_at = :now
WHERE offering_pk = :pk AND superseded_at IS NULL AND EXISTS (
    SELECT 1 FROM price_interval k
    WHERE k.offering_pk = :into AND k.tier = price_interval.tier AND k.superseded_at IS NULL
      AND (k.effective_to IS NULL OR price_interval.effective_from IS NULL
           OR k.effective_to > price_interval.effective_from)
      AND (price_interval.effective_to IS NULL OR k.effective_from IS NULL
           OR price_interval.effective_to > k.effective_from))
"""


def _one_spelling_per_organisation(connection: Connection) -> None:
    """Providers, labs and curated release keys in their one spelling (organisations.py).

    Two offerings of one source that now share a spelling (LiteLLM moved a key from
    ``bedrock`` to ``bedrock_converse``) become one: the one seen last keeps its row, the
    other's intervals move to it, and any that would overlap its own are marked restated.
    """
    from frontier_watch.domain.organisations import canonical_organisation, seller

    offerings = connection.exec_driver_sql(
        "SELECT id, source_id, provider, offering_id, lab, last_seen_at FROM offering "
        "ORDER BY last_seen_at DESC, id"
    ).all()
    kept: dict[tuple[str, str, str], int] = {}
    merged: list[tuple[int, int]] = []
    updates = []
    for pk, source_id, provider, offering_id, lab, _ in offerings:
        name, platform = seller(provider)
        key = (source_id, name, offering_id)
        if key in kept:
            merged.append((pk, kept[key]))
            continue
        kept[key] = pk
        updates.append({"pk": pk, "provider": name, "platform": platform, "lab": canonical_organisation(lab)})
    for pk, into in merged:
        connection.execute(text(_RESTATE_OVERLAPPING), {"pk": pk, "into": into, "now": utc_now()})
        connection.execute(
            text("UPDATE price_interval SET offering_pk = :into WHERE offering_pk = :pk"),
            {"pk": pk, "into": into},
        )
        connection.execute(text("DELETE FROM offering WHERE id = :pk"), {"pk": pk})
    if updates:
        connection.execute(
            text("UPDATE offering SET provider = :provider, platform = :platform, lab = :lab WHERE id = :pk"),
            updates,
        )
    for table in ("model", "benchmark_score"):
        rows = (
            connection.exec_driver_sql(f"SELECT DISTINCT lab FROM {table} WHERE lab IS NOT NULL")
            .scalars()
            .all()
        )
        for lab in rows:
            if canonical_organisation(lab) != lab:
                connection.execute(
                    text(f"UPDATE {table} SET lab = :new WHERE lab = :old"),
                    {"new": canonical_organisation(lab), "old": lab},
                )
    releases = connection.exec_driver_sql("SELECT id, lab, model, date, release_key FROM release").all()
    for pk, lab, model, day, key in releases:
        new_lab = canonical_organisation(lab) or lab
        if new_lab == lab:
            continue
        values = {"pk": pk, "lab": new_lab, "key": key}
        if key == f"{lab}|{model}|{day}":  # a curated row's key spells its lab
            values["key"] = f"{new_lab}|{model}|{day}"
        connection.execute(text("UPDATE release SET lab = :lab, release_key = :key WHERE id = :pk"), values)


# Releases from Hugging Face: what each repository says of itself, what its date is (a
# repository's creation is not an announcement), the repositories it was built from, and
# when an API first listed a model. The curated releases load again so each gets its
# licence class and date kind.
HUGGINGFACE_RELEASES_DDL = """
ALTER TABLE release ADD COLUMN date_kind VARCHAR;
ALTER TABLE release ADD COLUMN org VARCHAR;
ALTER TABLE release ADD COLUMN created_at DATETIME;
ALTER TABLE release ADD COLUMN last_modified_at DATETIME;
ALTER TABLE release ADD COLUMN pipeline_tag VARCHAR;
ALTER TABLE release ADD COLUMN library_name VARCHAR;
ALTER TABLE release ADD COLUMN license_class VARCHAR;
ALTER TABLE release ADD COLUMN params INTEGER;
ALTER TABLE release ADD COLUMN gated VARCHAR;
ALTER TABLE release ADD COLUMN arxiv_ids VARCHAR;
UPDATE release SET date_kind = 'announced';
CREATE INDEX ix_release_hf_repo_id ON release (hf_repo_id);
CREATE TABLE release_base_model (
    id INTEGER NOT NULL,
    release_id INTEGER NOT NULL,
    base_repo_id VARCHAR NOT NULL,
    relation VARCHAR,
    stated_in VARCHAR NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(release_id) REFERENCES release (id)
);
CREATE INDEX ix_release_base_model_release_id ON release_base_model (release_id);
CREATE INDEX ix_release_base_model_base_repo_id ON release_base_model (base_repo_id);
ALTER TABLE offering ADD COLUMN listed_at DATETIME;
DELETE FROM curated_load WHERE name = 'releases.csv';
DELETE FROM meta WHERE key = 'curated_stamp'
"""

# Signals keep what they said before a source changed them; releases can carry a training
# compute figure as a number (Epoch's notable models), beside the text claim.
SIGNAL_HISTORY_DDL = """
CREATE TABLE signal_history (
    id INTEGER NOT NULL,
    signal_id INTEGER NOT NULL,
    date DATE NOT NULL,
    date_precision VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    item VARCHAR NOT NULL,
    metric VARCHAR,
    value FLOAT,
    value_high FLOAT,
    value_text VARCHAR,
    unit VARCHAR,
    source_url VARCHAR NOT NULL,
    evidence VARCHAR NOT NULL,
    verified_via VARCHAR,
    confidence VARCHAR,
    notes VARCHAR,
    last_seen_at DATETIME,
    fetch_run_id INTEGER,
    replaced_at DATETIME NOT NULL,
    replaced_by_run_id INTEGER,
    PRIMARY KEY (id),
    FOREIGN KEY(signal_id) REFERENCES signal (id),
    FOREIGN KEY(fetch_run_id) REFERENCES fetch_run (id),
    FOREIGN KEY(replaced_by_run_id) REFERENCES fetch_run (id)
);
CREATE INDEX ix_signal_history_signal_id ON signal_history (signal_id);
ALTER TABLE release ADD COLUMN training_compute_flop FLOAT
"""


# What kind of model each offering's source states it is (LiteLLM's mode, OpenRouter's
# output modalities), and the crosswalk's word on a model's kind where sources list it under
# another: price views show language models unless asked for others. The curated files
# state kinds too: the crosswalk and the price files load again and fill both.
MODEL_KIND_DDL = """
ALTER TABLE offering ADD COLUMN kind VARCHAR;
ALTER TABLE model ADD COLUMN kind VARCHAR;
DELETE FROM curated_load WHERE name = 'model_crosswalk.csv' OR substr(name, 1, 7) = 'prices/';
DELETE FROM meta WHERE key = 'curated_stamp'
"""


def _ddl(ddl: str) -> Callable[[Connection], None]:
    return lambda connection: _run(connection, ddl)


def _next_wave(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    # SQLite keeps times as text, where CAST(... AS DATE) would give a number.
    day = "substr(observed_at, 1, 10)" if sqlite else "CAST(observed_at AS DATE)"
    ddl = NEXT_WAVE_DDL.replace("{day_of_observed_at}", day)
    _run(
        connection,
        ddl.replace("{drop_old_uniques}", _REBUILD_SQLITE if sqlite else _DROP_OLD_UNIQUES_POSTGRES),
    )


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _ddl(INITIAL_SCHEMA_DDL)),
    Migration(2, "price interval lookup index", _ddl(INTERVAL_LOOKUP_DDL)),
    Migration(3, "releases and signals from sources, feed items, data version", _next_wave),
    Migration(4, "indexes for open intervals and interval ends", _ddl(INTERVAL_HISTORY_INDEXES_DDL)),
    Migration(5, "dated identities, model lives, price flags, one spelling per organisation", _data_fidelity),
    Migration(
        6, "releases from Hugging Face: repository facts, lineage, date kinds", _ddl(HUGGINGFACE_RELEASES_DDL)
    ),
    Migration(7, "signal history, training compute of releases", _ddl(SIGNAL_HISTORY_DDL)),
    Migration(
        8, "the kind of model: as each offering's source states it, and the crosswalk's", _ddl(MODEL_KIND_DDL)
    ),
)
HEAD = MIGRATIONS[-1].version
assert HEAD == SCHEMA_HEAD, "store/readiness.py's SCHEMA_HEAD must name the newest migration"


def current_version(engine: Engine) -> int:
    """The highest applied migration, 0 for an empty database."""
    if not inspect(engine).has_table("schema_migration"):
        return 0
    with engine.connect() as connection:
        versions = connection.exec_driver_sql("SELECT version FROM schema_migration").scalars().all()
    try:
        return max((int(version) for version in versions), default=0)
    except (TypeError, ValueError):
        raise SchemaError(
            "its schema_migration table holds a version that is not a whole number: "
            "not a frontier-watch database"
        ) from None


def schema_version(engine: Engine) -> int | None:
    """The highest applied migration, 0 for an empty database, None for another program's database."""
    tables = set(inspect(engine).get_table_names())
    if "schema_migration" not in tables and tables:
        return None
    return current_version(engine)


def upgrade(engine: Engine, *, target: int | None = None) -> list[Migration]:
    """Apply every pending migration (up to ``target``, default all) in order; return the ones applied."""
    target = HEAD if target is None else target
    tables = set(inspect(engine).get_table_names())
    if "schema_migration" not in tables:
        if tables:  # another program's database: never take it over
            shown = ", ".join(sorted(tables)[:6]) + (", ..." if len(tables) > 6 else "")
            raise SchemaError(f"{schema_advice(None)} (its tables: {shown})")
        with engine.begin() as connection:
            _run(connection, SCHEMA_MIGRATION_DDL)
    start = current_version(engine)
    if start > HEAD:
        raise SchemaError(schema_advice(start))
    applied = []
    for migration in MIGRATIONS:
        if migration.version <= start or migration.version > target:
            continue
        with engine.begin() as connection:
            migration.apply(connection)
            connection.execute(
                text("INSERT INTO schema_migration (version, name, applied_at) VALUES (:v, :n, :at)"),
                {"v": migration.version, "n": migration.name, "at": utc_now()},
            )
        applied.append(migration)
    return applied
