"""The store: tables, migrations, one writer per record type, read queries and frames.

* ``tables`` declares the tables; ``migrations`` is the schema's recorded history.
* ``database`` is the one place that opens a database (SQLite or PostgreSQL).
* Writers, one per record type: ``price_intervals``, ``releases``, ``release_stats``,
  ``signals``, ``feed_items``, ``fetch_runs``, ``model_identity``, ``curated_facts``;
  ``writers`` says which writer stores which part of a fetched batch.
* ``seed`` loads the curated data through the writers; ``queries`` answers the read
  questions; ``frames`` turns rows into polars DataFrames for analytics.
"""
