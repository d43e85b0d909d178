"""frontier-watch: AI model prices, releases and compute signals over time, with sources."""

__version__ = "0.1.0"
