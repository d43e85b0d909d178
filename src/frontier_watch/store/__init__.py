"""The store: tables, migrations, one writer and one reader per record type, and frames.

* ``tables`` declares the tables; ``migrations`` is the schema's recorded history.
* ``database`` is the one place that opens a database (SQLite or PostgreSQL).
* Writers, one per record type: ``price_intervals``, ``releases``, ``release_stats``,
  ``signals``, ``feed_items``, ``fetch_runs``, ``model_identity``, ``curated_facts``;
  ``writers`` says which writer stores which part of a fetched batch.
* Reads, one per record type: ``price_reads`` (with ``price_attribution``), ``release_reads``,
  ``signal_reads``, ``fact_reads``, ``run_history``, ``model_lookup``, ``catalog``.
* ``seed`` loads the curated data through the writers; ``frames`` turns rows into polars
  DataFrames for analytics.
"""
