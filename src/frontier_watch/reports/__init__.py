"""The answers: the store's rows through analytics/, as results the CLI, the dashboard and the exports show.

One module per report (capability, compare, model_trend, changes, releases, compute). Each
reads what it needs (store.queries), turns it into frames (store.frames), calls the pure
functions of analytics/, and returns a result object with the frames for tables and charts
and ``as_json()`` for ``--json``. Nothing here prints or imports Textual; the text of a
report is written once, in render/ (``*_text``), and its chart in render/charts.py.
"""
