"""The network: HTTP with retries and limits, content decoding, URLs made safe to store and show."""
