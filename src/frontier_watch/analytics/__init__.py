"""Analytics: pure polars functions, a DataFrame in and a DataFrame out, with no I/O.

Nothing here reads the database, the network or the terminal, and nothing imports the
store or Textual (a test enforces it): the store's frames module builds the frames, the
commands and the dashboard render the results.
"""
