"""The incremental engine: raw-file inventory, per-document caching, stored tables, workers, the writer lock."""
