"""The published index: read-only tables (store) and the one cache entry point the pages load them through (cache)."""
