"""Center Desk — the counter application of a citizen activity center (市民活動センター)."""

__version__ = "0.1.0"
